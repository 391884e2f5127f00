package answers

// Accumulate returns the accumulator after one step with gradient g, given
// its value G before the step. Unlike Adagrad's G + g*g, it must be able to
// forget.
func Accumulate(G, g float64) float64 {
	return G + g*g // Adagrad's sum: replace it
}

// Q2Text is your written answer: which property must the change preserve?
const Q2Text = ``
