package answers

// LRAfter returns the effective learning rate after `steps` equal gradients g.
func LRAfter(eta, g float64, steps int) float64 {
	return 0 // your answer
}

// Diagnose reads a training run's loss and gradient norm (one value per step)
// and returns "converged" or "stalled".
func Diagnose(losses, gradNorms []float64) string {
	return "" // your answer
}

// Q3Text is your written answer: convergence or failure, and how to tell?
const Q3Text = ``
