package plots

import (
	"fmt"
	"math"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// TraceOptions are figure 7's parameters.
type TraceOptions struct {
	Config    adagrad.Config // the seed's: η = 0.1, ε = 1e-8 outside the root
	Theta0    []float64      // nil: the seed's (0, 0)
	Gradients [][]float64    // nil: the seed's five pairs
	// LRMax is the top of the effective-rate panel; larger rates (a
	// parameter whose G is still 0 has η/ε) are drawn at the top edge as a
	// triangle, with their value written beside it.
	LRMax float64
	Style Style
}

// TraceDefaults are the seed article's walkthrough.
func TraceDefaults() TraceOptions {
	return TraceOptions{Config: adagrad.SeedConfig(), LRMax: 0.4, Style: DefaultStyle()}
}

// TraceData is the run behind figure 7.
type TraceData struct {
	Trace *adagrad.Trace
}

// Table is the seed's trace table: one row per step.
func (d *TraceData) Table() *Table {
	n := len(d.Trace.Theta0)
	t := &Table{Header: []string{"step"}}
	for _, col := range []string{"g", "G", "lr", "w"} {
		for i := 1; i <= n; i++ {
			t.Header = append(t.Header, fmt.Sprintf("%s%d", col, i))
		}
	}
	for _, s := range d.Trace.Steps {
		row := []any{s.Step}
		for _, v := range [][]float64{s.Grad, s.Sum, s.LR, s.Theta} {
			for _, x := range v {
				row = append(row, x)
			}
		}
		t.add(row...)
	}
	return t
}

// Trace is figure 7: the seed's trace table drawn as three panels side by
// side, θ, G and the effective learning rate per step for each parameter,
// from adagrad.Run.
func Trace(o TraceOptions) (*Grid, *TraceData, error) {
	theta0, grads := o.Theta0, o.Gradients
	if theta0 == nil {
		theta0 = []float64{0, 0}
	}
	if grads == nil {
		grads = adagrad.SeedGradients()
	}
	tr, err := adagrad.Run(o.Config, theta0, grads)
	if err != nil {
		return nil, nil, err
	}
	st := o.Style
	n := len(theta0)
	name := func(i int) string { return "w" + subscript(i+1) }
	panels := []*plot.Plot{
		st.NewPlot("θ (the weights)", "step", ""),
		st.NewPlot("G (sum of g²)", "step", ""),
		st.NewPlot("effective rate η/(√G+ε)", "step", ""),
	}
	for _, p := range panels {
		p.Title.TextStyle.Font.Size = st.Label
		p.Legend.Left = true
		p.Legend.XOffs = st.Tick / 2
		p.X.Min, p.X.Max = 0.5, float64(len(tr.Steps))+0.5
		p.X.Tick.Marker = stepTicks{}
	}
	for i := 0; i < n; i++ {
		var th, g, lr, clipped plotter.XYs
		th = append(th, plotter.XY{X: 0, Y: theta0[i]})
		var clippedText []string
		for _, s := range tr.Steps {
			x := float64(s.Step)
			th = append(th, plotter.XY{X: x, Y: s.Theta[i]})
			g = append(g, plotter.XY{X: x, Y: s.Sum[i]})
			if o.LRMax > 0 && s.LR[i] > o.LRMax {
				clipped = append(clipped, plotter.XY{X: x, Y: o.LRMax})
				clippedText = append(clippedText, fmt.Sprintf("  %s: %s, off the scale\n  (G%s = %g: η/ε)", name(i), tickLabel(s.LR[i]), subscript(i+1), s.Sum[i]))
				continue
			}
			lr = append(lr, plotter.XY{X: x, Y: s.LR[i]})
		}
		if _, err := addLine(panels[0], st, i, "", th[1:], true); err != nil {
			return nil, nil, err
		}
		if _, err := addLine(panels[1], st, i, name(i), g, true); err != nil {
			return nil, nil, err
		}
		if _, err := addPoints(panels[2], st, i, "", lr); err != nil {
			return nil, nil, err
		}
		if len(clipped) > 0 {
			s, err := plotter.NewScatter(clipped)
			if err != nil {
				return nil, nil, err
			}
			s.GlyphStyle = st.GlyphStyle(i)
			s.GlyphStyle.Shape = draw.PyramidGlyph{}
			panels[2].Add(s)
			if _, err := addLabels(panels[2], st, clipped, clippedText, draw.XLeft, draw.YTop); err != nil {
				return nil, nil, err
			}
		}
	}
	panels[0].Add(hline(st, 0))
	panels[0].Y.Max = math.Max(panels[0].Y.Max, 0)
	panels[1].Y.Min = 0
	panels[2].Y.Min = 0
	if o.LRMax > 0 {
		panels[2].Y.Max = o.LRMax
	}
	// The same margin in every panel keeps markers off the frame, so that
	// the three x axes line up.
	for _, p := range panels {
		r := p.Y.Max - p.Y.Min
		p.Y.Min -= 0.05 * r
		p.Y.Max += 0.05 * r
	}
	cfg := o.Config
	title := fmt.Sprintf("The seed's trace: η = %g, ε = %s", cfg.LR, tickLabel(cfg.Eps))
	return &Grid{Title: title, Rows: 1, Cols: 3, Plots: panels, Style: st}, &TraceData{Trace: tr}, nil
}

// hline is a thin grey horizontal line at y, e.g. zero.
func hline(st Style, y float64) *plotter.Function {
	f := plotter.NewFunction(func(float64) float64 { return y })
	f.LineStyle = draw.LineStyle{Color: Grey, Width: st.Thin}
	return f
}

func subscript(n int) string {
	digits := []rune("₀₁₂₃₄₅₆₇₈₉")
	s := fmt.Sprint(n)
	out := make([]rune, 0, len(s))
	for _, r := range s {
		out = append(out, digits[r-'0'])
	}
	return string(out)
}
