// A forbidden import (github.com/adagradlab/adagradlab/pkg/adagrad): refused by name before anything runs.
// want: all=error
// says: forbidden import "github.com/adagradlab/adagradlab/pkg/adagrad"
package answers

import "github.com/adagradlab/adagradlab/pkg/adagrad"

func FirstStepLR(eta, g, eps float64) float64 {
	_ = adagrad.Default()
	return 0
}
