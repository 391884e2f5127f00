// A million goroutines, each blocked forever.
// want: q3=crashed|timeout rest=passed
package answers

func Diagnose(losses, gradNorms []float64) string {
	block := make(chan int)
	for i := 0; i < 1_000_000; i++ {
		go func() { <-block }()
	}
	return "stalled"
}
