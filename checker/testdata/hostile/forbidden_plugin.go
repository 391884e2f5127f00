// A forbidden import (plugin): refused by name before anything runs.
// want: all=error
// says: forbidden import "plugin"
package answers

import "plugin"

func FirstStepLR(eta, g, eps float64) float64 {
	plugin.Open("x.so")
	return 0
}
