// Blocks forever on a channel nobody writes.
// want: q5=timeout rest=passed
// says: time limit
package answers

func InterventionB(step int, lr float64, G []float64) float64 {
	<-make(chan float64)
	return lr
}
