// A forbidden import (net): refused by name before anything runs.
// want: all=error
// says: forbidden import "net"
package answers

import "net"

func FirstStepLR(eta, g, eps float64) float64 {
	net.Dial("tcp", "example.com:80")
	return 0
}
