package checker_test

import (
	"context"
	"fmt"

	"github.com/adagradlab/adagradlab/checker"
)

// The kernel's %check q1: grade the notebook's cells for one question in the
// isolated worker and show the verdict as an HTML card.
func Example() {
	c, err := checker.New(checker.Options{Questions: []string{"q1"}, Seed: 1})
	if err != nil {
		panic(err)
	}
	cells := []string{
		"import \"math\"",
		"func FirstStepLR(eta, g, eps float64) float64 { return eta / (math.Sqrt(g*g) + eps) }",
		"func FirstStepRatio(g float64) float64 { return 1 / math.Abs(g) }",
		"%check q1",
	}
	qs, err := c.Grade(context.Background(), checker.Input{Name: "notebook", Cells: cells})
	if err != nil {
		panic(err)
	}
	html := checker.CardsHTML(qs)
	fmt.Println(qs[0].ID, qs[0].Status, qs[0].Score, len(html) > 0)
	// Output: q1 passed 20 true
}

// The shortest form, with a random seed: %check q2 on a .go file's text.
func ExampleGradeOnce() {
	src := "package answers\n\nfunc Accumulate(G, g float64) float64 { return G + g*g }\n"
	qs, err := checker.GradeOnce(context.Background(), checker.Input{Source: src}, "q2")
	if err != nil {
		panic(err)
	}
	fmt.Println(qs[0].ID, qs[0].Status, qs[0].Score)
	// Output: q2 failed 0
}
