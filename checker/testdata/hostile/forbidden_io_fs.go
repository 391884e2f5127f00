// A forbidden import (io/fs): refused by name before anything runs.
// want: all=error
// says: forbidden import "io/fs"
package answers

import "io/fs"

func FirstStepLR(eta, g, eps float64) float64 {
	var _ fs.FileMode
	return 0
}
