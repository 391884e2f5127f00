// Package answers is the reference solution of question 4.
package answers

import "math"

// StateBytes is diagonal Adagrad's state: one accumulator per parameter.
func StateBytes(vocab, dim, bytesPerValue int) int64 {
	return int64(vocab) * int64(dim) * int64(bytesPerValue)
}

// FullMatrixBytes is a full second-moment matrix: n×n for n = vocab·dim.
func FullMatrixBytes(vocab, dim, bytesPerValue int) int64 {
	n := int64(vocab) * int64(dim)
	return n * n * int64(bytesPerValue)
}

// SparseUpdate applies Adagrad to the listed rows only, in place: grads[i]
// belongs to rows[i]. Its work is len(rows)·dim, whatever the table's size.
func SparseUpdate(w, G [][]float64, rows []int, grads [][]float64, eta, eps float64) {
	for i, r := range rows {
		wr, Gr := w[r], G[r]
		for j, g := range grads[i] {
			Gr[j] += g * g
			wr[j] -= eta * g / (math.Sqrt(Gr[j]) + eps)
		}
	}
}

// Q4Text is the free-text part.
const Q4Text = `Adagrad keeps one accumulator per parameter, the same shape as the
embedding table: 10,000 × 128 × 4 bytes = 5.12 MB, and a step touches only the
rows of the words in the batch. A full second-moment matrix needs
(1.28M)² × 4 bytes ≈ 6.5 TB.`
