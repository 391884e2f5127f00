//go:build !purego

package adagrad

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

// On amd64 the common dense step (no maximize, no weight decay, ε outside)
// runs eight float32 or four float64 lanes at a time. The vector
// instructions (VFMADD231PS, VMULPS, VADDPS, VSQRTPS, VDIVPS and their PD twins)
// are IEEE-exact and are issued in the scalar loop's order, fusing where it fuses, so
// the results are bit-identical to denseStep's; TestVectorMatchesScalar
// holds them to it. Build with -tags purego to use the Go loop only.

var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func stepF32AVX2(theta, grad, sum []float32, negClr, eps float32)

//go:noescape
func stepF64AVX2(theta, grad, sum []float64, negClr, eps float64)

//go:noescape
func rowF32AVX2(theta, grad, sum []float32, negClr, eps float32)

//go:noescape
func rowF64AVX2(theta, grad, sum []float64, negClr, eps float64)

// fastStep runs the vector loop over the largest prefix it can and reports
// how many elements it did; the caller finishes the tail.
func fastStep[T float](theta, grad, sum []T, negClr, eps T) int {
	if !useAVX2 {
		return 0
	}
	switch s := any(sum).(type) {
	case []float32:
		n := len(s) &^ 7
		stepF32AVX2(any(theta).([]float32)[:n], any(grad).([]float32)[:n], s[:n], float32(negClr), float32(eps))
		return n
	case []float64:
		n := len(s) &^ 3
		stepF64AVX2(any(theta).([]float64)[:n], any(grad).([]float64)[:n], s[:n], float64(negClr), float64(eps))
		return n
	}
	return 0
}

// fastRow is fastStep for one row of a sparse step.
func fastRow[T float](theta, grad, sum []T, negClr, eps T) int {
	if !useAVX2 {
		return 0
	}
	switch s := any(sum).(type) {
	case []float32:
		n := len(s) &^ 7
		rowF32AVX2(any(theta).([]float32)[:n], any(grad).([]float32)[:n], s[:n], float32(negClr), float32(eps))
		return n
	case []float64:
		n := len(s) &^ 3
		rowF64AVX2(any(theta).([]float64)[:n], any(grad).([]float64)[:n], s[:n], float64(negClr), float64(eps))
		return n
	}
	return 0
}

//go:noescape
func prefetch(p unsafe.Pointer, n uintptr)

// prefetchRow asks for a row of θ and G ahead of its turn: the rows of a
// sparse step are scattered over the table, and without this each one
// starts with two cache misses that the vector loop then waits on.
func prefetchRow[T float](theta, sum []T) {
	if len(theta) == 0 {
		return
	}
	n := uintptr(len(theta)) * unsafe.Sizeof(theta[0])
	prefetch(unsafe.Pointer(&theta[0]), n)
	prefetch(unsafe.Pointer(&sum[0]), n)
}
