// Unbounded recursion: a fatal stack overflow in Go, contained by the worker.
// want: q3=crashed rest=passed
// says: stack limit
package answers

func LRAfter(eta, g float64, steps int) float64 {
	return LRAfter(eta, g, steps+1) + 1
}
