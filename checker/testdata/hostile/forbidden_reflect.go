// A forbidden import (reflect): refused by name before anything runs.
// want: all=error
// says: forbidden import "reflect"
package answers

import "reflect"

func FirstStepLR(eta, g, eps float64) float64 {
	_ = reflect.ValueOf(eta)
	return 0
}
