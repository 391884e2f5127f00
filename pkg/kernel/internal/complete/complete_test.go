package complete

import (
	"strings"
	"testing"
	"unicode/utf16"
)

func u16len(s string) int { return len(utf16.Encode([]rune(s))) }

func TestCompletePackageMembers(t *testing.T) {
	code := "import \"gonum.org/v1/gonum/floats\"\nfloats.Su"
	m, start, end := Complete(code, u16len(code), Env{})
	if len(m) == 0 || m[0] != "Sub" && m[0] != "Sum" {
		t.Fatalf("matches %v", m)
	}
	if end-start != 2 {
		t.Errorf("range %d..%d, want the 2 units of Su", start, end)
	}
}

func TestCompleteWithGreekLetters(t *testing.T) {
	code := "η := 0.1 // ε\nθ := η\nfmt.Prin"
	m, start, end := Complete(code, u16len(code), Env{History: []string{`import "fmt"`}})
	if len(m) != 3 || m[0] != "Print" {
		t.Fatalf("matches %v", m)
	}
	if want := u16len(code) - 4; start != want || end != u16len(code) {
		t.Fatalf("range %d..%d, want %d..%d", start, end, want, u16len(code))
	}
	m, _, _ = Complete("θ", 1, Env{History: []string{"θs := 1\nθ0 := 2"}})
	if strings.Join(m, ",") != "θ0,θs" {
		t.Fatalf("locals %v", m)
	}
}

func TestCompleteAdagradBeforeImport(t *testing.T) {
	m, _, _ := Complete("adagrad.Ne", 10, Env{})
	if len(m) == 0 || m[0] != "New" {
		t.Fatalf("matches %v", m)
	}
}

func TestUTF16Offsets(t *testing.T) {
	s := "a😀η"
	if b := ByteOffset(s, 3); b != 5 { // a=1 unit, 😀=2 units
		t.Fatalf("ByteOffset = %d", b)
	}
	if u := UTF16Offset(s, len(s)); u != 4 {
		t.Fatalf("UTF16Offset = %d", u)
	}
}

func TestInspect(t *testing.T) {
	code := "import \"math\"\nmath.Sqrt(2)"
	s, ok := Inspect(code, u16len("import \"math\"\nmath.Sq"), Env{})
	if !ok || !strings.Contains(s, "func math.Sqrt(float64) float64") || !strings.Contains(s, "square root") {
		t.Fatalf("%v %q", ok, s)
	}
	s, ok = Inspect("adagrad.New", 9, Env{})
	if !ok || !strings.Contains(s, "adagrad.New") {
		t.Fatalf("%v %q", ok, s)
	}
	if _, ok := Inspect("nothingHere", 3, Env{}); ok {
		t.Fatal("found an undefined name")
	}
}

func TestCompleteAndInspectSessionVariable(t *testing.T) {
	env := Env{Globals: []string{"opt"}, Types: map[string]string{"opt": "*adagrad.Optimizer", "cfg": "adagrad.Config"}}
	m, _, _ := Complete("opt.St", 6, env)
	if len(m) == 0 || m[0] != "Step" {
		t.Fatalf("matches %v", m)
	}
	m, _, _ = Complete("cfg.L", 5, env)
	if len(m) == 0 || m[0] != "LR" {
		t.Fatalf("fields %v", m)
	}
	s, ok := Inspect("opt.Step", 6, env)
	if !ok || !strings.Contains(s, "Step(") {
		t.Fatalf("%v %q", ok, s)
	}
}
