// Package answers is the reference solution of question 5.
package answers

// InterventionA resets the accumulator: the rates jump back up to where they
// were at the start of training.
func InterventionA(step int, lr float64, G []float64) float64 {
	for i := range G {
		G[i] = 0
	}
	return lr
}

// InterventionB raises the base learning rate tenfold and leaves G alone.
func InterventionB(step int, lr float64, G []float64) float64 {
	return 10 * lr
}

// Q5Text is the free-text part.
const Q5Text = `A: reset (or shrink) the accumulator G, which restores large effective
rates. B: raise the global learning rate η (a warm restart), or switch to
RMSProp/Adam so that G forgets old gradients.`
