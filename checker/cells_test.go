package checker

import (
	"strings"
	"testing"
	"time"

	"github.com/adagradlab/adagradlab/checker/result"
)

// A notebook that imports a package in two cells, and loops at top level
// with a two-value :=, runs in the kernel; it must grade the same.
func TestNotebookCellsAsTheKernelRunsThem(t *testing.T) {
	cells := []string{
		"import \"math\"\nfunc FirstStepLR(eta, g, eps float64) float64 { return eta / (math.Sqrt(g*g) + eps) }",
		"import \"math\"\nfunc FirstStepRatio(g float64) float64 { return 1 / math.Abs(g) }",
		"import \"strconv\"\nfor i := 0; i < 2; i++ {\n\tn, err := strconv.Atoi(\"5\")\n\t_, _ = n, err\n}",
	}
	qs := grade(t, newChecker(t, Options{Questions: []string{"q1"}}), Input{Cells: cells})
	if qs[0].Status != result.Passed {
		t.Errorf("%s", dump(qs))
	}
}

// Notebook cells mixing declarations and statements run as the kernel runs
// them; a cell that fails does not stop the others; an endless loop in a cell
// is a time limit hit while loading.
func TestNotebookMixedCells(t *testing.T) {
	cells := []string{
		"import \"math\"\nfunc FirstStepLR(eta, g, eps float64) float64 { return eta / (math.Sqrt(g*g) + eps) }\nprobe := FirstStepLR(0.1, 0.5, 1e-8)\nfunc FirstStepRatio(g float64) float64 { return 1 / math.Abs(g) }\nconst Q1Text = `twice as large`",
		"undefinedThing + 1",
	}
	c := newChecker(t, Options{Questions: []string{"q1"}})
	qs := grade(t, c, Input{Cells: cells})
	if qs[0].Status != result.Passed || qs[0].Text != "twice as large" {
		t.Errorf("mixed cells: %s", dump(qs))
	}
	qs = grade(t, newChecker(t, Options{Questions: []string{"q1"}, Timeout: 500 * time.Millisecond}), Input{Cells: append(cells, "for {\n}")})
	if qs[0].Status != result.Timeout || !strings.Contains(strings.Join(qs[0].Feedback, " "), "notebook cells") {
		t.Errorf("endless cell: %s", dump(qs))
	}
	qs = grade(t, c, Input{Cells: []string{"package answers\n\nfunc FirstStepRatio(g float64) float64 { return 1 / g }"}})
	if fb := strings.Join(qs[0].Feedback, "\n"); qs[0].Status != result.Error || !strings.Contains(fb, "missing function FirstStepLR") || !strings.Contains(fb, "FirstStepRatio(") {
		t.Errorf("a whole file in a cell: %s", dump(qs))
	}
}

// A helper redefined in a later cell is what the graded function calls, as
// in the kernel; a switch whose init declares two names takes the right
// case, as in the kernel.
func TestNotebookRedefinitionAndSwitch(t *testing.T) {
	cells := []string{
		"import \"math\"\nfunc rate(eta, g, eps float64) float64 { return eta }",
		"func FirstStepLR(eta, g, eps float64) float64 { return rate(eta, g, eps) }",
		// The learner fixes the helper afterwards.
		"func rate(eta, g, eps float64) float64 { return eta / (math.Sqrt(g*g) + eps) }",
		"func pair(g float64) (float64, float64) { return 1, math.Abs(g) }\n" +
			"func FirstStepRatio(g float64) float64 {\n\tswitch one, a := pair(g); a > 0 {\n\tcase true:\n\t\treturn one / a\n\t}\n\treturn 0\n}",
	}
	qs := grade(t, newChecker(t, Options{Questions: []string{"q1"}}), Input{Cells: cells})
	if qs[0].Status != result.Passed {
		t.Errorf("%s", dump(qs))
	}
}

// A cell that does not compile leaves its function missing — not a
// half-made one that panics — and the feedback says so once, naming the cell.
func TestCellThatDoesNotCompile(t *testing.T) {
	qs := grade(t, newChecker(t, Options{Questions: []string{"q1"}}), Input{Cells: []string{
		"func FirstStepLR(eta, g, eps float64) float64 { return undefinedX }",
		"import \"math\"\nfunc FirstStepRatio(g float64) float64 { return 1 / math.Abs(g) }"}})
	fb := strings.Join(qs[0].Feedback, "\n")
	if qs[0].Score != 10 || strings.Contains(fb, "panicked") || strings.Count(fb, "missing function FirstStepLR") != 1 ||
		!strings.Contains(fb, "cell 1 did not run (so FirstStepLR counts as missing)") {
		t.Errorf("%s", dump(qs))
	}
	// Fixed in a later cell, it counts.
	qs = grade(t, newChecker(t, Options{Questions: []string{"q1"}}), Input{Cells: []string{
		"func FirstStepLR(eta, g, eps float64) float64 { return undefinedX }",
		"import \"math\"\nfunc FirstStepRatio(g float64) float64 { return 1 / math.Abs(g) }",
		"func FirstStepLR(eta, g, eps float64) float64 { return eta / (math.Abs(g) + eps) }"}})
	if qs[0].Status != result.Passed {
		t.Errorf("fixed later: %s", dump(qs))
	}
}
