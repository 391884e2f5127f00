// A function with the wrong type: that question is an error naming it.
// want: q3=error rest=passed
// says: LRAfter has type
package answers

func LRAfter(eta, g float64, steps float64) float64 {
	return 0
}
