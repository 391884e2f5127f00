package plots

import (
	"fmt"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// EffectiveLROptions are figure 2's parameters.
type EffectiveLROptions struct {
	Config      adagrad.Config // the seed's: η = 0.1, ε = 1e-8
	Grad        float64        // the constant gradient of the long run (0.5)
	Steps       int            // length of the long run (1000)
	Checkpoints []int          // steps marked and labelled on the long run (100, 1000)
	// SeedSteps is how many steps of the seed's trace (its w₁, with gradients
	// 0.5, 0.4, 0.3, …) are marked beside the long run (3).
	SeedSteps int
	Style     Style
}

// EffectiveLRDefaults are the seed's numbers: η = 0.1, g = 0.5 every step,
// checkpoints at steps 100 and 1000, the trace's first three steps.
func EffectiveLRDefaults() EffectiveLROptions {
	return EffectiveLROptions{Config: adagrad.SeedConfig(), Grad: 0.5, Steps: 1000,
		Checkpoints: []int{100, 1000}, SeedSteps: 3, Style: DefaultStyle()}
}

// EffectiveLRData is the data behind figure 2.
type EffectiveLRData struct {
	Steps  []float64 // 1 … Steps
	G      []float64 // G after each step of the constant-gradient run
	LR     []float64 // its effective rate, Config.EffectiveLR(t, G)
	SeedLR []float64 // w₁'s effective rate in the seed's trace, steps 1 … SeedSteps
	Marks  []int     // the checkpoints
}

// At returns the long run's effective rate at step t (1-based).
func (d *EffectiveLRData) At(t int) float64 { return d.LR[t-1] }

// Table is one row per step of the long run, with the seed trace's rate
// where it exists.
func (d *EffectiveLRData) Table() *Table {
	t := &Table{Header: []string{"step", "G", "lr", "seed_lr1"}}
	for i := range d.Steps {
		seed := ""
		if i < len(d.SeedLR) {
			seed = formatNumber(d.SeedLR[i])
		}
		t.add(i+1, d.G[i], d.LR[i], seed)
	}
	return t
}

// EffectiveLR is figure 2: the effective learning rate η/(√G_t + ε) of a
// parameter that gets the same gradient every step, on log-log axes where it
// is a straight line of slope −½, with the seed's checkpoints marked.
func EffectiveLR(o EffectiveLROptions) (*plot.Plot, *EffectiveLRData, error) {
	if o.Steps < 1 {
		return nil, nil, fmt.Errorf("plots: Steps must be at least 1, got %d", o.Steps)
	}
	opt, err := adagrad.New(o.Config, 1)
	if err != nil {
		return nil, nil, err
	}
	d := &EffectiveLRData{Steps: steps(o.Steps), Marks: o.Checkpoints}
	theta, grad := []float64{0}, []float64{o.Grad}
	for t := 1; t <= o.Steps; t++ {
		if err := opt.Step(theta, grad); err != nil {
			return nil, nil, err
		}
		d.G = append(d.G, opt.Sum[0])
		d.LR = append(d.LR, o.Config.EffectiveLR(opt.Steps(), opt.Sum[0]))
	}
	seed := adagrad.SeedGradients()
	if o.SeedSteps > len(seed) {
		return nil, nil, fmt.Errorf("plots: the seed's trace has %d steps, not %d", len(seed), o.SeedSteps)
	}
	tr, err := adagrad.Run(o.Config, []float64{0, 0}, seed[:o.SeedSteps])
	if err != nil {
		return nil, nil, err
	}
	for _, s := range tr.Steps {
		d.SeedLR = append(d.SeedLR, s.LR[0])
	}

	st := o.Style
	p := st.NewPlot("Effective learning rate η/(√G + ε): it only falls", "step t (log scale)", "η/(√G + ε) (log scale)")
	p.Legend.Top, p.Legend.Left = false, true
	p.Legend.XOffs, p.Legend.YOffs = st.Tick/2, st.Tick/2
	if _, err := addLine(p, st, 0, fmt.Sprintf("g = %g every step: η/(%g·√t)", o.Grad, o.Grad), xys(d.Steps, d.LR), false); err != nil {
		return nil, nil, err
	}
	if len(d.SeedLR) > 0 {
		var grads string
		for i, s := range tr.Steps {
			if i > 0 {
				grads += ", "
			}
			grads += fmt.Sprint(s.Grad[0])
		}
		if _, err := addPoints(p, st, 1, fmt.Sprintf("seed trace, w₁ (g = %s)", grads), xys(steps(len(d.SeedLR)), d.SeedLR)); err != nil {
			return nil, nil, err
		}
	}
	var marks plotter.XYs
	var texts []string
	for _, t := range o.Checkpoints {
		if t < 1 || t > o.Steps {
			return nil, nil, fmt.Errorf("plots: checkpoint %d outside 1…%d", t, o.Steps)
		}
		marks = append(marks, plotter.XY{X: float64(t), Y: d.At(t)})
		texts = append(texts, fmt.Sprintf("step %d: %.4f", t, d.At(t)))
	}
	if len(marks) > 0 {
		s, err := addPoints(p, st, 2, "", marks)
		if err != nil {
			return nil, nil, err
		}
		s.GlyphStyle.Radius *= 1.4
		if _, err := addLabels(p, st, marks, texts, draw.XRight, draw.YTop); err != nil {
			return nil, nil, err
		}
	}
	logAxis(&p.X)
	logAxis(&p.Y)
	return p, d, nil
}
