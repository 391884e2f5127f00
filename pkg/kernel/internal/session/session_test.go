package session

import (
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/adagradlab/adagradlab/pkg/kernel/internal/ipc"
	"github.com/adagradlab/adagradlab/pkg/kernel/internal/worker"
)

// The test binary doubles as the child: with this variable set it runs
// the worker instead of the tests.
const envChild = "ADAGRADLAB_SESSION_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(envChild) == "1" {
		if err := worker.Main(); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type recorder struct {
	mu       sync.Mutex
	out, err strings.Builder
	displays []*ipc.Bundle
	events   []string
	lines    chan string
}

func (r *recorder) Stream(name, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if name == "stdout" {
		r.out.WriteString(text)
	} else {
		r.err.WriteString(text)
	}
	r.events = append(r.events, name+":"+text)
	if r.lines != nil {
		r.lines <- text
	}
}

func (r *recorder) Display(b *ipc.Bundle) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.displays = append(r.displays, b)
	r.events = append(r.events, "display")
}

func newSession(t *testing.T) *Session {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	s := New(Options{
		Command: func() *exec.Cmd {
			c := exec.Command(exe)
			c.Env = append(os.Environ(), envChild+"=1", worker.EnvMemoryMB+"=3072")
			return c
		},
		Log:        t.Logf,
		MaxStackMB: worker.MaxStackMB,
		MemoryMB:   3072,
	})
	t.Cleanup(s.Close)
	return s
}

func mustOK(t *testing.T, s *Session, code string) Result {
	t.Helper()
	r := s.Execute(code, nil, true, &recorder{})
	if r.Error != nil {
		t.Fatalf("%q: %s: %s", code, r.Error.Name, r.Error.Value)
	}
	return r
}

func resultText(r Result) string {
	if r.Result == nil {
		return ""
	}
	s, _ := r.Result.Data["text/plain"].(string)
	return s
}

func TestStateAndStreams(t *testing.T) {
	s := newSession(t)
	mustOK(t, s, "import \"fmt\"\nx := 20")
	rec := &recorder{}
	r := s.Execute("import \"os\"\nfmt.Println(\"out\")\nfmt.Fprintln(os.Stderr, \"err\")\ndisplay.Markdown(\"*md*\")\nfmt.Println(\"after\")\nx + 22", nil, true, rec)
	if r.Error != nil || resultText(r) != "42" {
		t.Fatalf("%+v %+v", r.Error, r.Result)
	}
	if rec.out.String() != "out\nafter\n" || rec.err.String() != "err\n" {
		t.Fatalf("stdout %q stderr %q", rec.out.String(), rec.err.String())
	}
	// The display sits between the two prints, as in the cell.
	got := strings.Join(rec.events, "|")
	if i, j := strings.Index(got, "display"), strings.Index(got, "after"); i < 0 || j < i {
		t.Fatalf("order %q", got)
	}
}

func TestPrintedMarkCannotForgeAResult(t *testing.T) {
	s := newSession(t)
	rec := &recorder{}
	forged := ipc.Mark("0000", 99)
	r := s.Execute("import \"fmt\"\nfmt.Print("+strconvQuote(forged)+")\n1", nil, true, rec)
	if r.Error != nil || resultText(r) != "1" || !strings.Contains(rec.out.String(), "adagradlab:0000:99") {
		t.Fatalf("result %+v, stdout %q", r, rec.out.String())
	}
}

func strconvQuote(s string) string {
	var b strings.Builder
	b.WriteString(`"`)
	for _, c := range []byte(s) {
		b.WriteString(`\x`)
		b.WriteString("0123456789abcdef"[c>>4 : c>>4+1])
		b.WriteString("0123456789abcdef"[c&15 : c&15+1])
	}
	b.WriteString(`"`)
	return b.String()
}

func TestOutputStreamsWhileTheCellRuns(t *testing.T) {
	s := newSession(t)
	rec := &recorder{lines: make(chan string, 10)}
	done := make(chan Result)
	go func() {
		done <- s.Execute("import (\n\t\"fmt\"\n\t\"time\"\n)\nfmt.Println(\"first\")\ntime.Sleep(2 * time.Second)\nfmt.Println(\"second\")", nil, true, rec)
	}()
	// "first" must arrive while the cell is still sleeping: no timing
	// assertion, only the order of events.
	if line := <-rec.lines; line != "first\n" {
		t.Fatalf("got %q", line)
	}
	select {
	case <-done:
		t.Fatal("the cell finished before its first line was streamed")
	default:
	}
	if r := <-done; r.Error != nil {
		t.Fatal(r.Error)
	}
}

func TestCompileErrorUsesCellLines(t *testing.T) {
	s := newSession(t)
	r := s.Execute("x := 1\n\ny := undefinedName + x", nil, true, &recorder{})
	if r.Error == nil || !strings.Contains(r.Error.Value, "line 3:") {
		t.Fatalf("%+v", r.Error)
	}
	r = s.Execute("var a []int\n_ = a[3]", nil, true, &recorder{})
	if r.Error == nil || r.Error.Name != "panic" || !strings.Contains(r.Error.Value, "index out of range") {
		t.Fatalf("%+v", r.Error)
	}
	mustOK(t, s, "z := 1") // still alive
}

func TestInterruptRestoresTheSession(t *testing.T) {
	s := newSession(t)
	mustOK(t, s, "func inc(a int) int { return a + 1 }\nx := 41")
	rec := &recorder{lines: make(chan string, 100)}
	done := make(chan Result)
	go func() {
		done <- s.Execute("import \"fmt\"\nfmt.Println(\"looping\")\nfor {}", nil, true, rec)
	}()
	<-rec.lines // the loop is running
	if !s.Interrupt() {
		t.Fatal("Interrupt found no running cell")
	}
	r := <-done
	if r.Error == nil || r.Error.Name != "Interrupted" || !r.Restarted {
		t.Fatalf("%+v", r.Error)
	}
	if got := resultText(mustOK(t, s, "inc(x)")); got != "42" {
		t.Fatalf("after interrupt inc(x) = %q", got)
	}
}

func TestUnboundedRecursionEndsInAnError(t *testing.T) {
	if raceEnabled {
		t.Skip("under -race the runtime cannot live within the memory limit")
	}
	s := newSession(t)
	mustOK(t, s, "keep := 7")
	r := s.Execute("func down(n int) int { return down(n+1) + 1 }\ndown(0)", nil, true, &recorder{})
	if r.Error == nil || r.Error.Name != "StackOverflow" || !strings.Contains(r.Error.Value, "restored") {
		t.Fatalf("%+v", r.Error)
	}
	if got := resultText(mustOK(t, s, "keep")); got != "7" {
		t.Fatalf("keep = %q", got)
	}
}

func TestHugeAllocationEndsInAnError(t *testing.T) {
	if raceEnabled {
		t.Skip("under -race the runtime cannot live within the memory limit")
	}
	s := newSession(t)
	mustOK(t, s, "keep := 8")
	r := s.Execute("b := make([]byte, 50<<30)\nlen(b)", nil, true, &recorder{})
	if r.Error == nil || r.Error.Name != "OutOfMemory" {
		t.Fatalf("%+v", r.Error)
	}
	if got := resultText(mustOK(t, s, "keep")); got != "8" {
		t.Fatalf("keep = %q", got)
	}
}

func TestResetForgets(t *testing.T) {
	s := newSession(t)
	mustOK(t, s, "gone := 1")
	if err := s.Reset(); err != nil {
		t.Fatal(err)
	}
	if r := s.Execute("gone", nil, true, &recorder{}); r.Error == nil {
		t.Fatal("a definition survived Reset")
	}
}

func TestGoroutinePanicBetweenCells(t *testing.T) {
	s := newSession(t)
	mustOK(t, s, "v := 3")
	r := s.Execute("import \"time\"\ngo func() { panic(\"in a goroutine\") }()\ntime.Sleep(time.Second)", nil, true, &recorder{})
	if r.Error == nil || !r.Restarted {
		t.Fatalf("%+v", r)
	}
	_ = time.Second
	if got := resultText(mustOK(t, s, "v")); got != "3" {
		t.Fatalf("v = %q", got)
	}
}

// BenchmarkExecuteTrivial is the kernel-side part of a trivial cell's
// round trip: kernel → child → yaegi → child → kernel.
func BenchmarkExecuteTrivial(b *testing.B) {
	exe, _ := os.Executable()
	s := New(Options{Command: func() *exec.Cmd {
		c := exec.Command(exe)
		c.Env = append(os.Environ(), envChild+"=1")
		return c
	}})
	defer s.Close()
	rec := &recorder{}
	s.Execute("x := 1", nil, true, rec)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := s.Execute("1", nil, false, rec); r.Error != nil {
			b.Fatal(r.Error)
		}
	}
}

func TestMissingImportHint(t *testing.T) {
	s := newSession(t)
	r := s.Execute("x := math.Sqrt(2)", nil, true, &recorder{})
	if r.Error == nil || !strings.Contains(r.Error.Value, `add import "math"`) {
		t.Fatalf("%+v", r.Error)
	}
	mustOK(t, s, "import \"math\"\nx := math.Sqrt(2)")
	r = s.Execute("y := adagrad.Default()\nz := math.Pi + nope", nil, true, &recorder{})
	if r.Error == nil || strings.Contains(r.Error.Value, `"math"`) || !strings.Contains(r.Error.Value, "pkg/adagrad") {
		t.Fatalf("%+v", r.Error)
	}
}

func TestChildDeathBetweenCellsIsRepaired(t *testing.T) {
	s := newSession(t)
	mustOK(t, s, "w := 9")
	mustOK(t, s, "import \"time\"\ngo func() { time.Sleep(200 * time.Millisecond); panic(\"late\") }()")
	// Wait for the child to die on its own (no timing assertion: we poll).
	for !s.child.gone() {
		time.Sleep(20 * time.Millisecond)
	}
	rec := &recorder{}
	r := s.Execute("w", nil, true, rec)
	if r.Error != nil || resultText(r) != "9" {
		t.Fatalf("%+v %+v", r.Error, r.Result)
	}
	if !strings.Contains(rec.err.String(), "restored") || !strings.Contains(rec.err.String(), "goroutines were left out") {
		t.Fatalf("no notice on stderr: %q", rec.err.String())
	}
}

func TestPartlyFailedCellIsReplayedUpToItsError(t *testing.T) {
	s := newSession(t)
	r := s.Execute("func half(x float64) float64 { return x / 2 }\nkeep := half(8)\nimport \"nosuchpkg\"", nil, true, &recorder{})
	if r.Error == nil {
		t.Fatal("importing a missing package worked")
	}
	// Kill the child under a running cell: the restore replays the part that ran.
	rec := &recorder{lines: make(chan string, 10)}
	done := make(chan Result)
	go func() { done <- s.Execute("import \"fmt\"\nfmt.Println(\"go\")\nfor {}", nil, true, rec) }()
	<-rec.lines
	s.Interrupt()
	<-done
	if got := resultText(mustOK(t, s, "keep + half(2)")); got != "5" {
		t.Fatalf("keep + half(2) = %q", got)
	}
}

// Regressions found running the course notebooks (yaegi quirks).
func TestNotebookRegressions(t *testing.T) {
	s := newSession(t)
	mustOK(t, s, "import \"fmt\"")
	mustOK(t, s, "import (\n\t\"fmt\"\n\t\"strconv\"\n)") // re-import: fine, strconv arrives
	mustOK(t, s, "import \"github.com/adagradlab/adagradlab/pkg/display\"")
	rec := &recorder{}
	r := s.Execute("for i := 0; i < 2; i++ {\n\ta, err := strconv.Atoi(\"5\")\n\tfmt.Println(a+i, err)\n}", nil, true, rec)
	if r.Error != nil || rec.out.String() != "5 <nil>\n6 <nil>\n" {
		t.Fatalf("%+v %q", r.Error, rec.out.String())
	}
	mustOK(t, s, "m := map[string]int{\"a\": 1}\ngot := 0\nif v, ok := m[\"a\"]; ok {\n\tgot = v + 1\n}")
	if got := resultText(mustOK(t, s, "got")); got != "2" {
		t.Fatalf("got = %q", got)
	}
	mustOK(t, s, "func f() { fmt.Println(\"f ran\") }")
	rec = &recorder{}
	if r := s.Execute("f()", nil, true, rec); r.Error != nil || r.Result != nil || rec.out.String() != "f ran\n" {
		t.Fatalf("f(): %+v %+v %q", r.Error, r.Result, rec.out.String())
	}
	mustOK(t, s, "func() { fmt.Println(\"once\") }()")
	rec = &recorder{}
	// A declaration chunk must not rerun the literal.
	if r := s.Execute("import \"math\"\nfunc g() {}", nil, true, rec); r.Error != nil || rec.out.String() != "" {
		t.Fatalf("%+v, a cell ran again: %q", r.Error, rec.out.String())
	}
}
