// A forbidden import (unsafe): refused by name before anything runs.
// want: all=error
// says: forbidden import "unsafe"
package answers

import "unsafe"

func FirstStepLR(eta, g, eps float64) float64 {
	_ = unsafe.Sizeof(eta)
	return 0
}
