package plots

import (
	"fmt"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// AccumulationOptions are figure 1's parameters.
type AccumulationOptions struct {
	Config adagrad.Config // Adagrad's settings (the seed's: η = 0.1, ε = 1e-8)
	// Gradients are the (g₁, g₂) pairs, one per step. Nil means the seed's
	// five pairs, repeated until Steps.
	Gradients [][]float64
	Steps     int // steps to run when Gradients is nil
	Style     Style
}

// AccumulationDefaults are the lecture's values: the seed's gradients
// repeated for 20 steps, the seed's configuration, slide style.
func AccumulationDefaults() AccumulationOptions {
	return AccumulationOptions{Config: adagrad.SeedConfig(), Steps: 20, Style: DefaultStyle()}
}

// AccumulationData is the run behind figure 1: the full adagrad.Trace.
type AccumulationData struct {
	Trace *adagrad.Trace
}

// Table is one row per step: the gradients, G and the effective rates.
func (d *AccumulationData) Table() *Table {
	t := &Table{Header: []string{"step", "g1", "g2", "G1", "G2", "lr1", "lr2", "w1", "w2"}}
	for _, s := range d.Trace.Steps {
		t.add(s.Step, s.Grad[0], s.Grad[1], s.Sum[0], s.Sum[1], s.LR[0], s.LR[1], s.Theta[0], s.Theta[1])
	}
	return t
}

// repeatSeed returns the seed's five gradient pairs cycled to n steps.
func repeatSeed(n int) [][]float64 {
	seed := adagrad.SeedGradients()
	g := make([][]float64, n)
	for i := range g {
		g[i] = seed[i%len(seed)]
	}
	return g
}

// Accumulation is figure 1: G, the running sum of squared gradients, of a
// dense parameter w₁ (a gradient every step) and a sparse one w₂ (gradients
// on two steps in five), from adagrad.Run.
func Accumulation(o AccumulationOptions) (*plot.Plot, *AccumulationData, error) {
	grads := o.Gradients
	if grads == nil {
		if o.Steps < 1 {
			return nil, nil, fmt.Errorf("plots: Steps must be at least 1, got %d", o.Steps)
		}
		grads = repeatSeed(o.Steps)
	}
	tr, err := adagrad.Run(o.Config, []float64{0, 0}, grads)
	if err != nil {
		return nil, nil, err
	}
	if len(tr.Theta0) != 2 {
		return nil, nil, fmt.Errorf("plots: figure 1 needs two parameters, got %d", len(tr.Theta0))
	}
	st := o.Style
	p := st.NewPlot("G only grows: a dense and a sparse parameter", "step t", "G = Σ g²  (after step t)")
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.XOffs = st.Tick / 2
	for k := 0; k < 2; k++ {
		nonzero := 0
		for _, s := range tr.Steps {
			if s.Grad[k] != 0 {
				nonzero++
			}
		}
		name := fmt.Sprintf("w%s: a gradient on %d of %d steps", subscript(k+1), nonzero, len(tr.Steps))
		if nonzero == len(tr.Steps) {
			name = fmt.Sprintf("w%s: a gradient every step", subscript(k+1))
		}
		pts := make(plotter.XYs, 0, len(tr.Steps)+1)
		pts = append(pts, plotter.XY{X: 0, Y: o.Config.InitialAccumulatorValue})
		for _, s := range tr.Steps {
			pts = append(pts, plotter.XY{X: float64(s.Step), Y: s.Sum[k]})
		}
		if _, err := addLine(p, st, k, name, pts, true); err != nil {
			return nil, nil, err
		}
	}
	p.X.Min = 0
	p.Y.Min = 0
	p.X.Tick.Marker = stepTicks{}
	return p, &AccumulationData{Trace: tr}, nil
}
