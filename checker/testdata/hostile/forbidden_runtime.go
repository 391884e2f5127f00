// A forbidden import (runtime): refused by name before anything runs.
// want: all=error
// says: forbidden import "runtime"
package answers

import "runtime"

func FirstStepLR(eta, g, eps float64) float64 {
	runtime.GC()
	return 0
}
