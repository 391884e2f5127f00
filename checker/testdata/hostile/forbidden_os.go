// A forbidden import (os): refused by name before anything runs.
// want: all=error
// says: forbidden import "os"
package answers

import "os"

func FirstStepLR(eta, g, eps float64) float64 {
	os.Exit(3)
	return 0
}
