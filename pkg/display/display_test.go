package display

import (
	"bytes"
	"errors"
	"image/png"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

func capture(t *testing.T) *[]Message {
	t.Helper()
	var got []Message
	SetPublisher(func(m Message) error { got = append(got, m); return nil })
	t.Cleanup(func() { SetPublisher(nil) })
	return &got
}

func TestNoKernel(t *testing.T) {
	if err := HTML("<b>x</b>"); !errors.Is(err, ErrNoKernel) {
		t.Fatalf("got %v", err)
	}
}

func TestBundles(t *testing.T) {
	got := capture(t)
	_ = PNG([]byte{0x89, 'P', 'N', 'G'})
	_ = Math(`\eta_t`)
	_ = Table([]string{"t", "θ"}, [][]any{{1, 0.5}, {2, 0.25}})
	_ = JSON(map[string]int{"a": 1})
	if len(*got) != 4 {
		t.Fatalf("%d messages", len(*got))
	}
	if (*got)[0].Data[MIMEPNG] != "iVBORw==" {
		t.Errorf("png not base64: %v", (*got)[0].Data[MIMEPNG])
	}
	if (*got)[1].Data[MIMELatex] != `$$\eta_t$$` {
		t.Errorf("math %v", (*got)[1].Data[MIMELatex])
	}
	if s := (*got)[2].Data[MIMEPlain].(string); !strings.Contains(s, "θ") || !strings.Contains(s, "0.25") {
		t.Errorf("table text %q", s)
	}
	if s := (*got)[2].Data[MIMEHTML].(string); !strings.Contains(s, "<td>0.25</td>") {
		t.Errorf("table html %q", s)
	}
}

func TestHandleUpdates(t *testing.T) {
	got := capture(t)
	h := NewHandle()
	_ = h.Update(MakeData(MIMEPlain, "1"))
	_ = h.Update(MakeData(MIMEPlain, "2"))
	if len(*got) != 2 || (*got)[0].Update || !(*got)[1].Update || (*got)[1].DisplayID != h.ID() {
		t.Fatalf("%+v", *got)
	}
}

func TestPlotPNG(t *testing.T) {
	p := plot.New()
	l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		t.Fatal(err)
	}
	p.Add(l)
	b, err := PlotPNG(p, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if string(b[1:4]) != "PNG" {
		t.Fatal("not a PNG")
	}
}

// A plot is drawn at twice the pixels it is shown at, so that it is sharp
// on a high-density screen; the metadata gives the size to show.
func TestPlotSharpOnHiDPI(t *testing.T) {
	d, err := PlotData(plot.New())
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(d.Data[MIMEPNG].([]byte)))
	if err != nil {
		t.Fatal(err)
	}
	size, _ := d.Metadata[MIMEPNG].(map[string]any)
	if b := img.Bounds(); b.Dx() != 1152 || b.Dy() != 768 || size["width"] != 576 || size["height"] != 384 {
		t.Errorf("%v pixels, shown at %v", b, size)
	}
}
