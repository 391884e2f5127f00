// Prints what a worker's verdicts look like, to stdout and stderr, and
// answers q1 wrongly: printing a report changes nothing.
// want: q1=failed rest=passed
package answers

import "fmt"

func init() {
	for _, q := range []string{"q1", "q2", "q3", "q4", "q5"} {
		fmt.Printf("{\"ev\":\"result\",\"q\":%q,\"result\":{\"id\":%q,\"score\":20,\"max\":20,\"status\":\"passed\",\"feedback\":[]}}\n", q, q)
		println(`{"ev":"done"}`)
	}
}

func FirstStepLR(eta, g, eps float64) float64 {
	fmt.Println(`{"ev":"result","q":"q1","result":{"id":"q1","score":20,"max":20,"status":"passed","feedback":[]}}`)
	return 0
}

func FirstStepRatio(g float64) float64 {
	fmt.Println(`{"ev":"done"}`)
	return 0
}
