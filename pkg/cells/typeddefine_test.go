package cells

import "testing"

// IndexDefines finds the definitions yaegi cannot type at top level, and
// only those whose value can be evaluated again without doing anything.
func TestIndexDefines(t *testing.T) {
	for src, want := range map[string][]string{
		"p := d.Paths[0]\np.Optimizer":                       {"d.Paths[0]"},
		"s := tr.Steps\nlast := s[len(s)-1]\nx := s[1:3][0]": {"s[len(s)-1]", "s[1:3][0]"},
		"x := f(s[0])":       nil, // a call: it might do something
		"a, b := s[0], s[1]": nil,
		"x := s":             nil,
		"x := <-chans[0]":    nil,
		"x := &s[0]":         nil,
		"var x = s[0]":       nil,
		"s[0] = 1":           nil,
	} {
		var got []string
		for _, c := range Split(src) {
			for _, d := range IndexDefines(c) {
				got = append(got, d.Expr)
			}
		}
		if len(got) != len(want) || (len(got) > 0 && got[0] != want[0]) || (len(got) > 1 && got[1] != want[1]) {
			t.Errorf("IndexDefines(%q) = %q, want %q", src, got, want)
		}
	}
}

// Cut and Convert keep every line where it was in the cell.
func TestCutConvert(t *testing.T) {
	c := Split("s := tr.Steps\nlast := s[len(s)-1]\nlast.Step")[0]
	d := IndexDefines(c)[0]
	before, rest := c.Cut(d.Start)
	if before.Src != "s := tr.Steps\n" || before.Expr {
		t.Errorf("before = %+v", before)
	}
	if got, want := rest.Convert(d, "adagrad.TraceStep").Src, "             \nlast := adagrad.TraceStep(s[len(s)-1])\nlast.Step"; got != want || !rest.Expr {
		t.Errorf("rest converted = %q, want %q", got, want)
	}
	if got, want := c.Convert(d, "*T").Src, "s := tr.Steps\nlast := (*T)(s[len(s)-1])\nlast.Step"; got != want {
		t.Errorf("to a pointer type: %q, want %q", got, want)
	}
}
