package answers

// StateBytes returns the bytes of Adagrad's state for a vocab × dim table.
func StateBytes(vocab, dim, bytesPerValue int) int64 {
	return 0 // your answer
}

// FullMatrixBytes returns the bytes of a full second-moment matrix for the
// same table.
func FullMatrixBytes(vocab, dim, bytesPerValue int) int64 {
	return 0 // your answer
}

// SparseUpdate applies one Adagrad step, in place, to the listed rows of w
// and G only: grads[i] is the gradient of row rows[i].
func SparseUpdate(w, G [][]float64, rows []int, grads [][]float64, eta, eps float64) {
	// your answer
}

// Q4Text is your written answer: how does Adagrad store G, and why is it cheap?
const Q4Text = ``
