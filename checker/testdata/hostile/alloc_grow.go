// Memory that grows slice by slice until something gives.
// want: q2=crashed rest=passed
// says: memory limit
package answers

var keep [][]float64

func Accumulate(G, g float64) float64 {
	for {
		keep = append(keep, make([]float64, 1<<20))
		keep[len(keep)-1][0] = G
	}
}
