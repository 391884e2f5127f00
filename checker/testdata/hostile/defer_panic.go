// A panic in a deferred call: that part of q1 fails, the rest is graded.
// want: q1=partial|crashed rest=passed
// says: panicked
package answers

import "math"

func FirstStepRatio(g float64) float64 {
	defer func() {
		panic("boom in a deferred call")
	}()
	return 1 / math.Abs(g)
}
