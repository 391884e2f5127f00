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

// BenchmarkSparse touches 1% of a 10⁵ × 128 table per step, then the same
// 1,000 rows of tables 10× smaller and 10× larger: the time per step should
// not follow the table's size.
func BenchmarkSparse(b *testing.B) {
	const dim, touched = 128, 1000
	for _, rows := range []int{1e4, 1e5, 1e6} {
		b.Run(fmt.Sprintf("float32/rows=%.0e", float64(rows)), func(b *testing.B) {
			opt, _ := New32(Default(), rows*dim)
			table := make([]float32, rows*dim)
			idx, grad := sparseBatch(rows, touched, dim)
			g32 := make([]float32, len(grad))
			for i, g := range grad {
				g32[i] = float32(g)
			}
			b.SetBytes(int64(5 * 4 * touched * dim))
			for b.Loop() {
				opt.StepRows(table, dim, idx, g32)
			}
			reportPerParam(b, touched*dim)
		})
		b.Run(fmt.Sprintf("float64/rows=%.0e", float64(rows)), func(b *testing.B) {
			opt, _ := New(Default(), rows*dim)
			table := make([]float64, rows*dim)
			idx, grad := sparseBatch(rows, touched, dim)
			b.SetBytes(int64(5 * 8 * touched * dim))
			for b.Loop() {
				opt.StepRows(table, dim, idx, grad)
			}
			reportPerParam(b, touched*dim)
		})
	}
}

// sparseBatch picks k distinct rows at random, spread over the whole table.
func sparseBatch(rows, k, dim int) ([]int, []float64) {
	r := rand.New(rand.NewPCG(1, uint64(rows)))
	idx := r.Perm(rows)[:k]
	grad := make([]float64, k*dim)
	for i := range grad {
		grad[i] = r.NormFloat64()
	}
	return idx, grad
}
