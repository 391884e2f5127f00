// Package answers holds your answers. Copy this file's functions into your
// submission (one .go file for all five questions, `package answers`), or
// define them in a notebook cell, and replace the bodies.
package answers

// FirstStepLR returns the effective learning rate η/(√G+ε) at step 1 of a
// parameter whose G was 0 and which receives the gradient g.
func FirstStepLR(eta, g, eps float64) float64 {
	return 0 // your answer
}

// FirstStepRatio returns Adagrad's first update divided by SGD's, for the same
// η and with ε → 0.
func FirstStepRatio(g float64) float64 {
	return 0 // your answer
}

// Q1Text is your written answer: why is the first step 2× larger?
const Q1Text = ``
