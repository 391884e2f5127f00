//go:build !amd64 || purego

package adagrad

var useAVX2 = false

func fastStep[T float](theta, grad, sum []T, negClr, eps T) int { return 0 }

func fastRow[T float](theta, grad, sum []T, negClr, eps T) int { return 0 }

func prefetchRow[T float](theta, sum []T) {}
