// Package answers is the reference solution of question 2.
package answers

// Accumulate is RMSProp's exponentially weighted average: old gradients
// fade by 0.9 a step, so G falls once the gradients stop, stays ≥ 0, and a
// parameter that is rarely updated keeps a smaller G than a busy one.
func Accumulate(G, g float64) float64 {
	return 0.9*G + 0.1*g*g
}

// Q2Text is the free-text part.
const Q2Text = `Replace the sum by a decaying average, G ← ρG + (1−ρ)g² with 0 < ρ < 1.
It must stay monotone in how much gradient a parameter has seen recently: a
parameter that receives gradients less often must still end up with a smaller
G, hence a larger effective rate.`
