package worker

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/adagradlab/adagradlab/pkg/display"
)

func TestBundleOf(t *testing.T) {
	type cfg struct{ LR, Eps float64 }
	cases := []struct {
		v    any
		mime string
		want string
	}{
		{42, "text/plain", "42"},
		{cfg{0.1, 1e-8}, "text/plain", "{LR:0.1 Eps:1e-08}"},
		{&cfg{0.1, 0}, "text/plain", "&{LR:0.1 Eps:0}"},
		{errors.New("boom"), "text/plain", "boom"},
		{display.MakeData("text/html", "<b>x</b>"), "text/html", "<b>x</b>"},
		{plot.New(), "image/png", "iVBORw0KGgo"},
	}
	for _, c := range cases {
		b, err := bundleOf(reflect.ValueOf(c.v))
		if err != nil {
			t.Fatalf("%T: %v", c.v, err)
		}
		got, _ := b.Data[c.mime].(string)
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("%T: %s = %.40q, want prefix %q", c.v, c.mime, got, c.want)
		}
	}
	if b, _ := bundleOf(reflect.Value{}); b != nil {
		t.Errorf("invalid value gave %+v", b)
	}
}

func TestImportHint(t *testing.T) {
	w := &worker{imported: map[string]string{"display": "github.com/adagradlab/adagradlab/pkg/display", "fmt": "fmt"}}
	h := w.importHint("fmt.Println(math.Sqrt(2))\ndisplay.HTML(\"\")\nfloats.Sum(x)")
	if !strings.Contains(h, `"math"`) || !strings.Contains(h, `"gonum.org/v1/gonum/floats"`) || strings.Contains(h, "fmt") {
		t.Fatalf("%q", h)
	}
	w.noteImports(`import m "math"`)
	if w.imported["m"] != "math" {
		t.Fatal("aliased import not noted")
	}
}

func TestDropReimports(t *testing.T) {
	w := &worker{imported: map[string]string{"fmt": "fmt", "rand": "math/rand"}}
	cases := map[string]string{
		`import "fmt"`:                          ``,
		"import (\n\t\"fmt\"\n\t\"strconv\"\n)": "import (\n\t     \n\t\"strconv\"\n)",
		`import "math/rand/v2"`:                 `import "math/rand/v2"`, // same name, other path: the interpreter decides
		`import f "fmt"`:                        `import f "fmt"`,
	}
	for in, want := range cases {
		got := w.dropReimports(in)
		if strings.TrimSpace(got) != strings.TrimSpace(want) || len(got) != len(in) {
			t.Errorf("%q: got %q, want %q (same length)", in, got, want)
		}
	}
}
