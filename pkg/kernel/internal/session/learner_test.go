package session

import (
	"strings"
	"testing"
)

// Cells a learner writes in the first hour, run as a notebook would run
// them: each case's cells in one session, in order. want is the last
// cell's result (text/plain), out what it printed.
func TestLearnerCells(t *testing.T) {
	cases := []struct {
		name      string
		cells     []string
		want, out string
	}{
		{"a trailing call's results, all of them",
			[]string{"func split(x int) (int, int) {\n\treturn x / 10, x % 10\n}", "split(42)"}, "4 2", ""},
		{"a value and a nil error",
			[]string{"import \"strconv\"", "strconv.Atoi(\"12\")"}, "12 <nil>", ""},
		{"a value and an error",
			[]string{"import \"strconv\"", "strconv.ParseFloat(\"η\", 64)"}, `0 strconv.ParseFloat: parsing "η": invalid syntax`, ""},
		{"a method with three results, a struct among them",
			[]string{"type cfg struct{ LR, Eps float64 }", "func (c cfg) parts() (float64, float64, cfg) { return c.LR, c.Eps, c }",
				"c := cfg{0.1, 1e-8}", "c.parts()"}, "0.1 1e-08 {LR:0.1 Eps:1e-08}", ""},
		{"one result is still one value",
			[]string{"import \"math\"", "math.Sqrt(2)"}, "1.4142135623730951", ""},
		{"a map index is one value, as in Go",
			[]string{"m := map[string]int{\"c\": 30}", "m[\"c\"]"}, "30", ""},
		{"a switch whose init declares two names",
			[]string{"func f() (int, int) { return 1, 2 }",
				"switch a, b := f(); a + b {\ncase 3:\n\tprintln(\"three\")\ndefault:\n\tprintln(\"not three\")\n}"}, "", "three\n"},
		{"the same switch inside a function",
			[]string{"import \"fmt\"", "func pair() (int, int) { return 1, 2 }",
				"func which() string {\n\tswitch a, b := pair(); a * b {\n\tcase 2:\n\t\treturn \"two\"\n\t}\n\treturn \"other\"\n}", "which()"}, "two", ""},
		{"nested switches with two-name inits",
			[]string{"func g() (int, int) { return 2, 3 }",
				"import \"fmt\"",
				"switch a, b := g(); a {\ncase 2:\n\tswitch c, d := g(); c + d {\n\tcase 5:\n\t\tfmt.Println(\"inner\", b)\n\t}\n}"}, "", "inner 3\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t)
			for _, cell := range tc.cells[:len(tc.cells)-1] {
				mustOK(t, s, cell)
			}
			rec := &recorder{}
			r := s.Execute(tc.cells[len(tc.cells)-1], nil, true, rec)
			if r.Error != nil {
				t.Fatalf("%s: %s", r.Error.Name, r.Error.Value)
			}
			if got := resultText(r); got != tc.want {
				t.Errorf("result %q, want %q", got, tc.want)
			}
			if got := rec.out.String() + rec.err.String(); got != tc.out {
				t.Errorf("printed %q, want %q", got, tc.out)
			}
		})
	}
}

// Rewriting a cell keeps an error's line and column in the cell's own
// terms.
func TestRewrittenCellErrorPositions(t *testing.T) {
	s := newSession(t)
	mustOK(t, s, "func two() (int, error) { return 2, nil }")
	r := s.Execute("x := 1\n\ntwo(x)", nil, true, &recorder{})
	if r.Error == nil || !strings.Contains(r.Error.Value, "line 3:5") { // at x, the extra argument
		t.Errorf("a wrong call's error: %+v, want it at line 3:5", r.Error)
	}
	r = s.Execute("func f() (int, int) { return 1, 2 }\nswitch a, b := f(); a + b {\ncase 3:\n\tundefinedName()\n}", nil, true, &recorder{})
	if r.Error == nil || !strings.Contains(r.Error.Value, "line 4:") {
		t.Errorf("an error in a rewritten switch: %+v, want it on line 4", r.Error)
	}
}
