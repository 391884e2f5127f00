package cells

import (
	"strings"
	"testing"
)

func TestDropRepeats(t *testing.T) {
	im := NewImports(nil)
	im.Names["fmt"] = "fmt"
	im.Names["rand"] = "math/rand"
	cases := map[string]string{
		`import "fmt"`:                          ``,
		"import (\n\t\"fmt\"\n\t\"strconv\"\n)": "import (\n\t     \n\t\"strconv\"\n)",
		`import "math/rand/v2"`:                 `import "math/rand/v2"`, // same name, other path: the interpreter decides
		`import f "fmt"`:                        `import f "fmt"`,
	}
	for in, want := range cases {
		got := im.DropRepeats(in)
		if strings.TrimSpace(got) != strings.TrimSpace(want) || len(got) != len(in) {
			t.Errorf("%q: got %q, want %q (same length)", in, got, want)
		}
	}
}

func TestNoteNames(t *testing.T) {
	im := NewImports(nil)
	im.Note("import (\n\tm \"math\"\n\t\"math/rand/v2\"\n\t\"gonum.org/v1/plot/plotter\"\n)")
	for name, path := range map[string]string{"m": "math", "rand": "math/rand/v2", "plotter": "gonum.org/v1/plot/plotter"} {
		if im.Names[name] != path {
			t.Errorf("%s: noted %q, want %q (all: %v)", name, im.Names[name], path, im.Names)
		}
	}
	known := NewImports(func(p string) (string, bool) { return "special", p == "example.com/weird-name" })
	known.Note(`import "example.com/weird-name"`)
	if known.Names["special"] != "example.com/weird-name" {
		t.Errorf("PkgName not consulted: %v", known.Names)
	}
}
