// Package answers is the reference solution of question 3.
package answers

import "math"

// LRAfter is the effective rate after steps equal gradients g: G = steps·g².
func LRAfter(eta, g float64, steps int) float64 {
	G := float64(steps) * g * g
	return eta / math.Sqrt(G)
}

// Diagnose tells a run that converged (the gradient vanished) from one that
// stalled (the gradient is still there, but the steps are too small to move).
func Diagnose(losses, gradNorms []float64) string {
	if len(gradNorms) == 0 {
		return "stalled"
	}
	if gradNorms[len(gradNorms)-1] < 0.01*gradNorms[0] {
		return "converged"
	}
	return "stalled"
}

// Q3Text is the free-text part.
const Q3Text = `0.1/√25 = 0.02 at step 100 and 0.1/√250 ≈ 0.0063 at step 1000. Whether
this is convergence depends on the gradient: if the loss flattened because the
gradient went to zero, it converged; if the loss is flat while the gradient
stays large, the rate has decayed and training stalled.`
