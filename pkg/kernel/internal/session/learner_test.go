package session

import (
	"io"
	"os"
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
		{"a redefined function is what its callers call",
			[]string{"func lr() float64 { return 0.1 }", "func step(g float64) float64 { return lr() * g }",
				"func twice(g float64) float64 { return 2 * step(g) }", "step(1)", "func lr() float64 { return 0.5 }", "twice(1)"}, "1", ""},
		{"a caller that no longer compiles with the new definition says so",
			[]string{"func lr() float64 { return 0.1 }", "func step(g float64) float64 { return lr() * g }",
				"func lr() string { return \"fast\" }\nlr()"}, "fast", "note: step (from an earlier cell) still calls the old definition: with the new one it does not compile: "},
		{"range over an integer (Go 1.22)",
			[]string{"import \"fmt\"", "epochs := 3", "func sum(n int) int {\n\ttotal := 0\n\tfor i := range n {\n\t\ttotal += i\n\t}\n\treturn total\n}",
				"for e := range epochs {\n\tfmt.Print(e)\n}\nfor range 2 {\n\tfmt.Print(\"!\")\n}\nsum(5)"}, "10", "012!!"},
		{"an element of a slice a preloaded package's struct holds",
			[]string{"import \"github.com/adagradlab/adagradlab/plots\"", "_, d, _ := plots.Trajectories(plots.TrajectoriesDefaults())",
				"p := d.Paths[0]\np.Optimizer"}, "GD", ""},
		{"the same in one cell, of a package the cell never imported",
			[]string{"import (\n\t\"fmt\"\n\n\t\"github.com/adagradlab/adagradlab/plots\"\n)",
				"_, d, _ := plots.Trace(plots.TraceDefaults())\nsteps := d.Trace.Steps\nlast := steps[len(steps)-1]\nfirst := d.Trace.Steps[0]\nfmt.Println(first.Step)\nlast.Step"}, "5", "1\n"},
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
			if got := rec.out.String() + rec.err.String(); got != tc.out && !(strings.HasPrefix(tc.out, "note: ") && strings.HasPrefix(got, tc.out)) {
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

// inputRecorder answers a cell's reads of stdin with lines, in order, and
// then EOF.
type inputRecorder struct {
	recorder
	answers []string
	asked   int
}

func (r *inputRecorder) Input(prompt string, password bool, stop <-chan struct{}) (string, error) {
	r.asked++
	if len(r.answers) == 0 {
		return "", io.EOF
	}
	l := r.answers[0]
	r.answers = r.answers[1:]
	return l, nil
}

// A cell that reads stdin asks the front end for each line: fmt.Scan,
// fmt.Scanln and a bufio.Reader on os.Stdin alike. Without an answer (a
// front end that allows no input), the cell reads EOF.
func TestStdinAsksTheFrontEnd(t *testing.T) {
	s := newSession(t)
	mustOK(t, s, "import (\n\t\"bufio\"\n\t\"fmt\"\n\t\"os\"\n)")
	rec := &inputRecorder{answers: []string{"Ada", "0.1 1e-8", "a whole line, with spaces"}}
	r := s.Execute(`var name string
fmt.Print("Name? ")
fmt.Scanln(&name)
var lr, eps float64
n, err := fmt.Scan(&lr, &eps)
line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
fmt.Println("hello", name, n, err, lr/eps, line)`, nil, true, rec)
	if r.Error != nil {
		t.Fatalf("%s: %s", r.Error.Name, r.Error.Value)
	}
	if want := "Name? hello Ada 2 <nil> 1e+07 a whole line, with spaces\n\n"; rec.out.String() != want {
		t.Errorf("printed %q, want %q", rec.out.String(), want)
	}
	if rec.asked != 3 {
		t.Errorf("asked %d times, want 3", rec.asked)
	}
	// A plain Sink cannot ask: the cell reads EOF at once.
	plain := &recorder{}
	r = s.Execute("var x int\n_, err2 := fmt.Scan(&x)\nfmt.Println(err2)", nil, true, plain)
	if r.Error != nil || plain.out.String() != "EOF\n" {
		t.Errorf("without input: %+v, printed %q", r.Error, plain.out.String())
	}
}

// A replay never asks for input: the replayed cell reads EOF, quietly.
func TestReplayDoesNotAskForInput(t *testing.T) {
	s := newSession(t)
	rec := &inputRecorder{answers: []string{"7"}}
	if r := s.Execute("import \"fmt\"\nvar k int\nfmt.Scan(&k)\nfmt.Println(\"read\", k)", nil, true, rec); r.Error != nil || rec.asked != 1 {
		t.Fatalf("%+v, asked %d", r.Error, rec.asked)
	}
	loop := &inputRecorder{recorder: recorder{lines: make(chan string, 10)}}
	done := make(chan Result)
	go func() { done <- s.Execute("fmt.Println(\"looping\")\nfor {}", nil, true, loop) }()
	<-loop.lines
	s.Interrupt()
	if r := <-done; r.Error == nil || r.Error.Name != "Interrupted" {
		t.Fatalf("%+v", r.Error)
	}
	if loop.asked != 0 {
		t.Errorf("the replay asked for input %d times", loop.asked)
	}
	if got := resultText(mustOK(t, s, "k")); got != "0" {
		t.Errorf("after the replay k = %s, want 0 (the replay read EOF)", got)
	}
}

// waitingInput blocks until the cell is stopped.
type waitingInput struct {
	recorder
	asked chan struct{}
}

func (w *waitingInput) Input(prompt string, password bool, stop <-chan struct{}) (string, error) {
	close(w.asked)
	<-stop
	return "", io.EOF
}

// A cell waiting for input can be interrupted.
func TestInterruptWhileWaitingForInput(t *testing.T) {
	s := newSession(t)
	w := &waitingInput{asked: make(chan struct{})}
	done := make(chan Result)
	go func() { done <- s.Execute("import \"fmt\"\nvar v string\nfmt.Scanln(&v)", nil, true, w) }()
	<-w.asked
	if !s.Interrupt() {
		t.Fatal("no running cell to interrupt")
	}
	if r := <-done; r.Error == nil || r.Error.Name != "Interrupted" {
		t.Fatalf("%+v", r.Error)
	}
	if got := resultText(mustOK(t, s, "1 + 1")); got != "2" {
		t.Errorf("after the interrupt: %q", got)
	}
}

// A replay after an interrupt brings definitions back without writing
// files again: statements that write (os.WriteFile, or a function of the
// session that does), and those that use what they defined, are left out.
func TestReplayWritesNoFileAgain(t *testing.T) {
	dir := t.TempDir()
	log := dir + "/log.txt"
	s := newSession(t)
	mustOK(t, s, "import (\n\t\"fmt\"\n\t\"os\"\n\t\"strings\"\n)")
	mustOK(t, s, "func save(s string) {\n\tb, _ := os.ReadFile(\""+log+"\")\n\tos.WriteFile(\""+log+"\", append(b, s...), 0o644)\n}")
	mustOK(t, s, "lr := 0.1\nsave(\"a\")\nn := strings.Count(\"aaa\", \"a\")\nf, _ := os.Create(\""+dir+"/out.txt\")\nf.WriteString(\"x\")\nf.Close()")
	mustOK(t, s, "os.WriteFile(\""+log+"\", []byte(\"b\"), 0o644)\nnext := lr * 2")
	rec := &recorder{lines: make(chan string, 10)}
	done := make(chan Result)
	go func() { done <- s.Execute("import \"fmt\"\nfmt.Println(\"looping\")\nfor {}", nil, true, rec) }()
	<-rec.lines
	s.Interrupt()
	if r := <-done; r.Error == nil || r.Error.Name != "Interrupted" || !strings.Contains(r.Error.Value, "In 2 of them, what writes files") {
		t.Fatalf("%+v", r.Error)
	}
	if b, err := os.ReadFile(log); err != nil || string(b) != "b" {
		t.Errorf("log.txt holds %q (%v) after the replay, want \"b\": written again", b, err)
	}
	if got := resultText(mustOK(t, s, "fmt.Sprint(lr, n, next)")); got != "0.1 3 0.2" {
		t.Errorf("after the replay lr, n, next = %s, want 0.1 3 0.2", got)
	}
}

// Errors say what Go would, in the cell's lines, without the
// interpreter's internals; a panic shows the learner's frames.
func TestErrorsSpeakGo(t *testing.T) {
	s := newSession(t)
	mustOK(t, s, "func inner(xs []int) int {\n\treturn xs[5]\n}\n\nfunc outer() int {\n\treturn inner([]int{1})\n}")
	cases := []struct{ cell, name, value string }{
		{"x := 1\n\nouter()", "panic", "runtime error: index out of range"},
		{"func f() int { return \"s\" }", "CompileError", `line 1:23: cannot use "s" (type string) as type int in return argument`},
		{"var p *struct{ A int }\np.A", "panic", "runtime error: invalid memory address or nil pointer dereference"},
		{"import \"nosuchpkg\"", "CompileError", `package "nosuchpkg" is not available`},
		{"y := undefinedFn(2)", "CompileError", "undefined:"},
	}
	for _, tc := range cases {
		r := s.Execute(tc.cell, nil, true, &recorder{})
		if r.Error == nil || r.Error.Name != tc.name || !strings.Contains(r.Error.Value, tc.value) {
			t.Errorf("%q: %+v, want %s saying %q", tc.cell, r.Error, tc.name, tc.value)
			continue
		}
		for _, jargon := range []string{"reflect:", "intT", "stringT", "GOPATH", "constant definition loop", "main("} {
			if strings.Contains(strings.Join(r.Error.Traceback, "\n")+r.Error.Value, jargon) {
				t.Errorf("%q: the error says %q: %q", tc.cell, jargon, r.Error.Traceback)
			}
		}
	}
	r := s.Execute("x := 1\n\nouter()", nil, true, &recorder{})
	want := []string{"panic: runtime error: index out of range", "  in inner, line 2 of the cell that declares it",
		"  in outer, line 6 of the cell that declares it", "  called from this cell"}
	if strings.Join(r.Error.Traceback, "|") != strings.Join(want, "|") {
		t.Errorf("frames %q, want %q", r.Error.Traceback, want)
	}
}
