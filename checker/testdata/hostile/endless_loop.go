// An endless loop in one function: that question times out, the rest pass.
// want: q1=timeout rest=passed
// says: time limit
package answers

func FirstStepLR(eta, g, eps float64) float64 {
	for {
	}
}
