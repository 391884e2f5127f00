// Package answers is the reference solution of question 1. The checker's own
// tests grade it and expect full marks.
package answers

import "math"

// FirstStepLR is the effective learning rate η/(√G+ε) after step 1 of a
// parameter whose G was 0 and which receives gradient g: G is then g².
func FirstStepLR(eta, g, eps float64) float64 {
	G := 0 + g*g
	return eta / (math.Sqrt(G) + eps)
}

// FirstStepRatio is Adagrad's first update over SGD's for the same η, ε → 0:
// Adagrad moves η·g/|g| = η, SGD moves η·g, so the ratio is 1/|g|.
func FirstStepRatio(g float64) float64 {
	return 1 / math.Abs(g)
}

// Q1Text is the free-text part: read by the instructor, not scored.
const Q1Text = `At step 1, G = g², so the effective rate is η/(√(g²)+ε) ≈ η/|g|: the
update η·g/|g| has size η whatever g is. SGD moves η·|g|, so with |g| = 0.5
Adagrad's first step is 1/|g| = 2 times larger. Any parameter whose G was 0
gets η/(|g|+ε) at its first step.`
