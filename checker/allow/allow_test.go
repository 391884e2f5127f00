package allow

import (
	"errors"
	"io"
	"strings"
	"testing"
)

func TestFileImports(t *testing.T) {
	for _, p := range []string{"os", "os/exec", "unsafe", "reflect", "syscall", "net", "runtime", "plugin", "io/fs", "time", "C",
		"github.com/adagradlab/adagradlab/pkg/adagrad", "github.com/adagradlab/adagradlab/checker"} {
		src := "package answers\nimport x \"" + p + "\"\nvar _ = x.Y\n"
		_, _, err := File("a.go", src)
		var ie *ImportError
		if !errors.As(err, &ie) || ie.Path != p || !strings.Contains(err.Error(), `forbidden import "`+p+`"`) || !strings.Contains(err.Error(), "a.go:2:8") {
			t.Errorf("%s: %v", p, err)
		}
	}
	for _, p := range Packages {
		if _, _, err := File("a.go", "package answers\nimport _ \""+p+"\"\n"); err != nil {
			t.Errorf("%s refused: %v", p, err)
		}
	}
	if _, _, err := File("a.go", "package main\n"); err == nil || !strings.Contains(err.Error(), "package answers") {
		t.Errorf("package main: %v", err)
	}
	if _, _, err := File("a.go", "package answers\nfunc {"); err == nil || !strings.HasPrefix(err.Error(), "does not compile") {
		t.Errorf("syntax: %v", err)
	}
}

func TestCellImports(t *testing.T) {
	cell := "import \"math\"\nimport (\n\t\"fmt\"\n\tr \"math/rand\"\n\t. \"strings\"\n)\nx := 1\nimport \"os\"\n"
	imps, err := CellImports(cell)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, i := range imps {
		got = append(got, i.Path)
	}
	if strings.Join(got, ",") != "math,fmt,math/rand,strings,os" {
		t.Errorf("imports %v", got)
	}
	if err := Cell(cell); err == nil || !strings.Contains(err.Error(), `"os"`) || !strings.Contains(err.Error(), "8:8") {
		t.Errorf("cell: %v", err)
	}
	if err := Cell("import (\"math\"; \"sort\")\nmath.Sqrt(2)"); err != nil {
		t.Errorf("allowed cell: %v", err)
	}
	// The word import inside a string is not an import.
	if err := Cell("s := \"import \\\"os\\\"\"\n_ = s"); err != nil {
		t.Errorf("string: %v", err)
	}
}

func TestSymbolsAreTheAllowlist(t *testing.T) {
	for _, generic := range []bool{false, true} {
		syms := Symbols(io.Discard, generic)
		for key := range syms {
			if key == "." {
				continue
			}
			path := key[:strings.LastIndexByte(key, '/')]
			path = strings.TrimSuffix(path, "/.")
			if !Allowed(path) {
				t.Errorf("generic=%v: %s in the symbol table", generic, key)
			}
		}
		for _, p := range []string{"math", "strings", "sort"} {
			if _, ok := syms[p+"/"+p[strings.LastIndexByte(p, '/')+1:]]; !ok {
				t.Errorf("%s missing", p)
			}
		}
	}
	if !NeedsGeneric([]string{"math", "slices"}) || NeedsGeneric([]string{"math"}) {
		t.Error("NeedsGeneric")
	}
}
