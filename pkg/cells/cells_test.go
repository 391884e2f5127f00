package cells

import (
	"strings"
	"testing"
)

func TestSplitMixed(t *testing.T) {
	src := "import \"fmt\"\n\nx := 3\nfunc f(a int) int {\n\treturn a * 2\n}\nfmt.Println(f(x))\nf(x)"
	cs := Split(src)
	if len(cs) != 4 {
		t.Fatalf("got %d chunks: %#v", len(cs), cs)
	}
	wantDecl := []bool{true, false, true, false}
	wantLine := []int{1, 3, 4, 7}
	for i, c := range cs {
		if c.Decl != wantDecl[i] || c.Line != wantLine[i] {
			t.Errorf("chunk %d: decl=%v line=%d, want %v %d", i, c.Decl, c.Line, wantDecl[i], wantLine[i])
		}
		if !strings.HasSuffix(src[:len(c.Src)-c.Lead], strings.TrimSpace(c.Src)) {
			t.Errorf("chunk %d %q not aligned with the cell", i, c.Src)
		}
	}
	if !cs[3].Expr {
		t.Error("trailing f(x) not marked as an expression")
	}
}

func TestSplitUnicode(t *testing.T) {
	src := "η := 0.1\nfunc g() float64 { return η }\nθ := g()\nθ"
	cs := Split(src)
	if len(cs) != 3 || cs[2].Src[len(cs[2].Src)-len("θ := g()\nθ"):] != "θ := g()\nθ" {
		t.Fatalf("chunks %#v", cs)
	}
}

func TestExprDetection(t *testing.T) {
	for src, want := range map[string]bool{
		"x := 1":                    false,
		"x":                         true,
		"x = 2":                     false,
		"fmt.Println(1)":            false,
		"math.Sqrt(2)":              true,
		"for {}":                    false,
		"var y = 1":                 false,
		"x\n// a comment\n":         true,
		"p":                         true,
		"func() int { return 5 }()": false,
		"func f() {}":               false,
	} {
		cs := Split(src)
		got := len(cs) > 0 && cs[len(cs)-1].Expr
		if got != want {
			t.Errorf("%q: Expr=%v, want %v", src, got, want)
		}
	}
}

func TestFixPositions(t *testing.T) {
	c := Chunk{Decl: false, Line: 1}
	if got := FixPositions("1:28: undefined: x", c); got != "line 1:1: undefined: x" {
		t.Errorf("got %q", got)
	}
	if got := FixPositions("_.go:3:5: expected ';'", Chunk{Decl: true}); got != "line 3:5: expected ';'" {
		t.Errorf("got %q", got)
	}
}

func TestIsComplete(t *testing.T) {
	for src, want := range map[string]string{
		"x := 1":                      "complete",
		"func f() {":                  "incomplete",
		"for i := 0; i < 3; i++ {\n":  "incomplete",
		"x := `abc":                   "incomplete",
		"x := 1 +":                    "incomplete",
		"}":                           "invalid",
		"x := 1 1":                    "invalid",
		"η := 0.1\nθ := []float64{1}": "complete",
		"":                            "complete",
	} {
		if got := IsComplete(src).Status; got != want {
			t.Errorf("%q: %s, want %s", src, got, want)
		}
	}
	if got := IsComplete("func f() {\n\tif true {").Indent; got != "\t\t" {
		t.Errorf("indent %q", got)
	}
}

func TestWrap(t *testing.T) {
	src := "x := 1\nfor i := 0; i < 2; i++ { a, err := f(); _ = a }\n  if v, ok := m[k]; ok { y = v }\nz := 2"
	cs := Split(src)
	if len(cs) != 1 {
		t.Fatalf("%d chunks", len(cs))
	}
	w := Wrap(cs[0])
	want := "x := 1\n(func() {\nfor i := 0; i < 2; i++ { a, err := f(); _ = a }}())\n  (func() {\n  if v, ok := m[k]; ok { y = v }}())\nz := 2"
	if w.Src != want {
		t.Fatalf("got\n%s\nwant\n%s", w.Src, want)
	}
	// Line 5 of the wrapped text is the if statement: line 3 of the cell.
	if got := FixPositions("5:7: nil type", w); got != "line 3:7: nil type" {
		t.Fatalf("got %q", got)
	}
	if plain := Wrap(Split("for i := 0; i < 3; i++ { s += i }")[0]); len(plain.Inserted) != 0 {
		t.Fatal("wrapped a loop without a multi-value :=")
	}
}

func TestCallFun(t *testing.T) {
	for src, want := range map[string]string{"f()": "f", "adagrad.Run(c)": "adagrad.Run", "x": "", "g()()": ""} {
		cs := Split(src)
		if got := cs[len(cs)-1].CallFun; got != want {
			t.Errorf("%q: %q, want %q", src, got, want)
		}
	}
}

func TestFuncLiteralChunkIsAStatement(t *testing.T) {
	cs := Split("func() { println(1) }()")
	if len(cs) != 1 || cs[0].Decl || !strings.HasPrefix(cs[0].Src, ";func()") {
		t.Fatalf("%#v", cs)
	}
	if got := FixPositions("1:38: undefined: q", cs[0]); got != "line 1:10: undefined: q" {
		t.Fatalf("got %q", got)
	}
}

func TestFixSwitches(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"switch a, b := f(); a + b {\ncase 3:\n}", "{      a, b := f(); switch a + b {\ncase 3:\n} }"},
		{"switch x := f(); x {\n}", "switch x := f(); x {\n}"},                             // one name: yaegi is right
		{"switch a, b := f(); {\ncase a > b:\n}", "switch a, b := f(); {\ncase a > b:\n}"}, // no tag: right too
	} {
		if got := FixSwitches(Chunk{Src: tc.src}).Src; got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
	fn := "func g() int {\n\tswitch a, b := f(); a {\n\tcase 1:\n\t\treturn b\n\t}\n\treturn 0\n}"
	want := "func g() int {\n\t{      a, b := f(); switch a {\n\tcase 1:\n\t\treturn b\n\t} }\n\treturn 0\n}"
	if got := FixSwitches(Chunk{Src: fn, Decl: true}).Src; got != want {
		t.Errorf("in a function:\n got %q\nwant %q", got, want)
	}
	if got := FixSwitchesFile("package answers\n" + fn); got != "package answers\n"+want {
		t.Errorf("in a file: %q", got)
	}
}

func TestAllResults(t *testing.T) {
	cs := Split("x := 1\n  f(x)")
	c := AllResults(cs[len(cs)-1], "all")
	if want := "x := 1\n  all(\n  f(x))"; c.Src != want {
		t.Errorf("got %q, want %q", c.Src, want)
	}
	if msg := FixPositions("3:3: too many arguments", c); msg != "line 2:3: too many arguments" {
		t.Errorf("position: %q", msg)
	}
}

func TestFuncsRedeclare(t *testing.T) {
	f := NewFuncs()
	decl := func(src string) []string {
		var srcs []string
		for _, d := range f.Redeclare(Chunk{Src: src, Decl: true}) {
			srcs = append(srcs, d.Src)
		}
		return srcs
	}
	decl("func lr() float64 { return 0.1 }")
	decl("func step(g float64) float64 { return lr() * g }")
	decl("func twice(g float64) float64 { return 2 * step(g) }\nfunc other() int { return 1 }")
	if got := decl("func other() int { return 2 }"); len(got) != 0 {
		t.Errorf("nothing calls other, yet %q", got)
	}
	got := decl("func lr() float64 { return 0.5 }")
	want := []string{"func step(g float64) float64 { return lr() * g }", "func twice(g float64) float64 { return 2 * step(g) }"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q (callers, transitively, in declaration order)", got, want)
	}
}

func TestReplayFilter(t *testing.T) {
	imports := map[string]string{"os": "os", "exec": "os/exec", "fmt": "fmt"}
	funcs := NewFuncs()
	funcs.Redeclare(Chunk{Decl: true, Src: "func save() { os.WriteFile(\"f\", nil, 0o644) }\nfunc viaSave() { save() }\nfunc pure() int { return 1 }"})
	r := NewReplay()
	src := "x := pure()\nviaSave()\nf, _ := os.Create(\"g\")\ny := x + 1\nf.Close()\nout, _ := exec.Command(\"ls\").Output()\nz := len(out) + y\nfmt.Println(x)"
	c, left := r.Filter(Chunk{Src: src}, imports, funcs)
	if !left {
		t.Fatal("nothing left out")
	}
	kept := strings.Fields(strings.ReplaceAll(c.Src, "\n", " ; "))
	got := strings.Join(kept, " ")
	want := "x := pure() ; ; ; y := x + 1 ; ; ; ; fmt.Println(x)"
	if got != want {
		t.Errorf("kept %q, want %q", got, want)
	}
	if len(c.Src) != len(src) || strings.Count(c.Src, "\n") != strings.Count(src, "\n") {
		t.Error("positions moved")
	}
	// z used out, which a left-out statement defined: later cells' uses go too.
	c, _ = r.Filter(Chunk{Src: "w := z * 2\nv := y"}, imports, funcs)
	if strings.Contains(c.Src, "w :=") || !strings.Contains(c.Src, "v := y") {
		t.Errorf("a later cell: %q", c.Src)
	}
}

func TestRangeInts(t *testing.T) {
	for _, tc := range []struct {
		src  string
		decl bool
		want string
	}{
		{"for i := range 3 {\n}", false, "for i, adagradlab_n1_ := (3)-(3), 3; i < adagradlab_n1_; i++ {\n}"},
		{"for range len(xs) {\n}", false, "for adagradlab_i1_, adagradlab_n1_ := (len(xs))-(len(xs)), len(xs); adagradlab_i1_ < adagradlab_n1_; adagradlab_i1_++ {\n}"},
		{"for i := range xs {\n}", false, "for i := range xs {\n}"}, // a slice, or who knows: left alone
		{"func f(n int, xs []int) {\n\tfor i := range n {\n\t}\n\tfor i := range xs {\n\t}\n}", true,
			"func f(n int, xs []int) {\n\tfor i, adagradlab_n1_ := (n)-(n), n; i < adagradlab_n1_; i++ {\n\t}\n\tfor i := range xs {\n\t}\n}"},
		{"steps := 2 * 10\nfor t := range steps {\n}", false, "steps := 2 * 10\nfor t, adagradlab_n1_ := (steps)-(steps), steps; t < adagradlab_n1_; t++ {\n}"},
	} {
		if got := RangeInts(Chunk{Src: tc.src, Decl: tc.decl}, nil).Src; got != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
	known := func(name string) bool { return name == "epochs" }
	if got := RangeInts(Chunk{Src: "for e := range epochs {\n}"}, known).Src; !strings.HasPrefix(got, "for e, adagradlab_n1_") {
		t.Errorf("a session variable: %q", got)
	}
}
