package adagrad

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// The benchmarks report two figures besides ns/op: ns/param, and MB/s over
// the bytes a step must move. A dense step reads θ, g and G and writes θ and
// G: 5 values per parameter. BenchmarkCopy moves 2 (read and write) with
// the built-in copy, the bandwidth ceiling a streaming loop can reach on one
// core; BENCHMARKS.md compares the two from the same run.

var denseSizes = []int{1e3, 1e4, 1e5, 1e6, 1e7}

func reportPerParam(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/param")
}

func BenchmarkDense(b *testing.B) {
	for _, n := range denseSizes {
		b.Run(fmt.Sprintf("float64/n=%.0e", float64(n)), func(b *testing.B) {
			opt, _ := New(Default(), n)
			theta, grad := make([]float64, n), make([]float64, n)
			for i := range grad {
				grad[i] = float64(i%7) - 3
			}
			b.SetBytes(int64(5 * 8 * n))
			for b.Loop() {
				opt.Step(theta, grad)
			}
			reportPerParam(b, n)
		})
		b.Run(fmt.Sprintf("float32/n=%.0e", float64(n)), func(b *testing.B) {
			opt, _ := New32(Default(), n)
			theta, grad := make([]float32, n), make([]float32, n)
			for i := range grad {
				grad[i] = float32(i%7) - 3
			}
			b.SetBytes(int64(5 * 4 * n))
			for b.Loop() {
				opt.Step(theta, grad)
			}
			reportPerParam(b, n)
		})
	}
}

func BenchmarkCopy(b *testing.B) {
	for _, n := range denseSizes {
		b.Run(fmt.Sprintf("float64/n=%.0e", float64(n)), func(b *testing.B) {
			src, dst := make([]float64, n), make([]float64, n)
			b.SetBytes(int64(2 * 8 * n))
			for b.Loop() {
				copy(dst, src)
			}
			reportPerParam(b, n)
		})
		b.Run(fmt.Sprintf("float32/n=%.0e", float64(n)), func(b *testing.B) {
			src, dst := make([]float32, n), make([]float32, n)
			b.SetBytes(int64(2 * 4 * n))
			for b.Loop() {
				copy(dst, src)
			}
			reportPerParam(b, n)
		})
	}
}

// BenchmarkSparse touches 1% of a 10⁵ × 128 table per step, then 1,000
// rows of tables 10× smaller and 10× larger: no work in a step follows the
// table's size. Steps cycle through 16 batches of random rows so that the
// touched rows are not the same cached ones every time; what still grows
// with the table is only the chance that a row is out of cache.
func BenchmarkSparse(b *testing.B) {
	const dim, touched, batches = 128, 1000, 16
	for _, rows := range []int{1e4, 1e5, 1e6} {
		b.Run(fmt.Sprintf("float32/rows=%.0e", float64(rows)), func(b *testing.B) {
			opt, _ := New32(Default(), rows*dim)
			table := make([]float32, rows*dim)
			idx, grad := sparseBatches(rows, touched, dim, batches)
			g32 := make([][]float32, batches)
			for k := range grad {
				g32[k] = to32(grad[k])
			}
			b.SetBytes(int64(5 * 4 * touched * dim))
			k := 0
			for b.Loop() {
				opt.StepRows(table, dim, idx[k%batches], g32[k%batches])
				k++
			}
			reportPerParam(b, touched*dim)
		})
		b.Run(fmt.Sprintf("float64/rows=%.0e", float64(rows)), func(b *testing.B) {
			opt, _ := New(Default(), rows*dim)
			table := make([]float64, rows*dim)
			idx, grad := sparseBatches(rows, touched, dim, batches)
			b.SetBytes(int64(5 * 8 * touched * dim))
			k := 0
			for b.Loop() {
				opt.StepRows(table, dim, idx[k%batches], grad[k%batches])
				k++
			}
			reportPerParam(b, touched*dim)
		})
	}
}

// sparseBatches draws n batches of k distinct rows each, spread over the
// whole table, with their gradients.
func sparseBatches(rows, k, dim, n int) ([][]int, [][]float64) {
	r := rand.New(rand.NewPCG(1, uint64(rows)))
	idx := make([][]int, n)
	grad := make([][]float64, n)
	for b := range idx {
		idx[b] = r.Perm(rows)[:k]
		grad[b] = make([]float64, k*dim)
		for i := range grad[b] {
			grad[b][i] = r.NormFloat64()
		}
	}
	return idx, grad
}
