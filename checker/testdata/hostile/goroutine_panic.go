// A panic in a goroutine of the learner's own kills the worker: only q5 is lost.
// want: q5=crashed rest=passed
// says: panic
package answers

func InterventionA(step int, lr float64, G []float64) float64 {
	done := make(chan bool)
	go func() {
		panic("boom in a goroutine")
	}()
	<-done
	return lr
}
