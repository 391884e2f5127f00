package worker

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/adagradlab/adagradlab/pkg/cells"
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
	w := &worker{imports: cells.NewImports(pkgName)}
	w.imports.Names["display"] = "github.com/adagradlab/adagradlab/pkg/display"
	w.imports.Names["fmt"] = "fmt"
	h := w.importHint("fmt.Println(math.Sqrt(2))\ndisplay.HTML(\"\")\nfloats.Sum(x)")
	if !strings.Contains(h, `"math"`) || !strings.Contains(h, `"gonum.org/v1/gonum/floats"`) || strings.Contains(h, "fmt") {
		t.Fatalf("%q", h)
	}
	w.imports.Note(`import m "math"`)
	if w.imports.Names["m"] != "math" {
		t.Fatal("aliased import not noted")
	}
}
