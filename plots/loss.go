package plots

import (
	"fmt"
	"math"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// LossOptions are figure 6's parameters: two one-parameter problems, both
// started at w = 0 and trained with the same Adagrad.
//
//   - converges: f(w) = ½(w − QuadTarget)², whose gradient shrinks near the
//     minimum, so G stops growing and the rate stays usable;
//   - stalls: f(w) = Slope·|w − AbsTarget|, whose gradient is ±Slope however
//     close the minimum (the seed's constant g = 0.5), so the rate decays like
//     1/√t and w crawls.
type LossOptions struct {
	Config      adagrad.Config
	Steps       int
	QuadTarget  float64
	AbsTarget   float64
	Slope       float64
	Checkpoints []int
	Style       Style
}

// LossDefaults: η = 0.1, 1,000 steps, checkpoints at steps 100 and 1000
// (the seed's question 3), a minimum at 1 and one at 50, slope 0.5.
func LossDefaults() LossOptions {
	return LossOptions{Config: adagrad.SeedConfig(), Steps: 1000, QuadTarget: 1, AbsTarget: 50, Slope: 0.5,
		Checkpoints: []int{100, 1000}, Style: DefaultStyle()}
}

// LossData holds both runs, step 0 being the start.
type LossData struct {
	Steps               []float64
	ConvergeW, StallW   []float64
	ConvergeLoss        []float64 // f(w_t) − f*, f* = 0
	StallLoss           []float64
	ConvergeG, StallG   []float64 // the gradient at w_t
	ConvergeLR, StallLR []float64 // effective rate after step t (0 at step 0)
}

// Table is one row per step.
func (d *LossData) Table() *Table {
	t := &Table{Header: []string{"step", "converge_w", "converge_loss", "converge_grad", "converge_lr", "stall_w", "stall_loss", "stall_grad", "stall_lr"}}
	for i := range d.Steps {
		t.add(i, d.ConvergeW[i], d.ConvergeLoss[i], d.ConvergeG[i], d.ConvergeLR[i], d.StallW[i], d.StallLoss[i], d.StallG[i], d.StallLR[i])
	}
	return t
}

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// Loss is figure 6: the loss, as a fraction of where it started, of a run
// that converges and of one that stalls. Both curves flatten; only the
// first flattens at the minimum. The gradient tells them apart: near 0 for
// the first, still ±Slope for the second.
func Loss(o LossOptions) (*plot.Plot, *LossData, error) {
	if o.Steps < 1 {
		return nil, nil, fmt.Errorf("plots: Steps must be at least 1, got %d", o.Steps)
	}
	type problem struct {
		f, grad func(w float64) float64
	}
	quad := problem{
		f:    func(w float64) float64 { return 0.5 * (w - o.QuadTarget) * (w - o.QuadTarget) },
		grad: func(w float64) float64 { return w - o.QuadTarget },
	}
	abs := problem{
		f:    func(w float64) float64 { return o.Slope * math.Abs(w-o.AbsTarget) },
		grad: func(w float64) float64 { return o.Slope * sign(w-o.AbsTarget) },
	}
	run := func(pr problem) (w, loss, g, lr []float64, err error) {
		opt, err := adagrad.New(o.Config, 1)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		theta := []float64{0}
		w, loss, g, lr = []float64{0}, []float64{pr.f(0)}, []float64{pr.grad(0)}, []float64{0}
		for t := 1; t <= o.Steps; t++ {
			if err := opt.Step(theta, []float64{pr.grad(theta[0])}); err != nil {
				return nil, nil, nil, nil, err
			}
			w = append(w, theta[0])
			loss = append(loss, pr.f(theta[0]))
			g = append(g, pr.grad(theta[0]))
			lr = append(lr, o.Config.EffectiveLR(opt.Steps(), opt.Sum[0]))
		}
		return w, loss, g, lr, nil
	}
	d := &LossData{}
	var err error
	if d.ConvergeW, d.ConvergeLoss, d.ConvergeG, d.ConvergeLR, err = run(quad); err != nil {
		return nil, nil, err
	}
	if d.StallW, d.StallLoss, d.StallG, d.StallLR, err = run(abs); err != nil {
		return nil, nil, err
	}
	for i := 0; i <= o.Steps; i++ {
		d.Steps = append(d.Steps, float64(i))
	}

	st := o.Style
	p := st.NewPlot(fmt.Sprintf("Adagrad, η = %g: converged or stalled?", o.Config.LR), "step t", "loss ÷ starting loss")
	p.Legend.Top, p.Legend.Left = true, false
	p.Legend.YOffs = -st.Height / 4
	series := []struct {
		name string
		loss []float64
		g    []float64
	}{
		{fmt.Sprintf("½(w − %g)²: converges", o.QuadTarget), d.ConvergeLoss, d.ConvergeG},
		{fmt.Sprintf("%g·|w − %g|: stalls", o.Slope, o.AbsTarget), d.StallLoss, d.StallG},
	}
	for i, s := range series {
		rel := make([]float64, len(s.loss))
		for k := range rel {
			rel[k] = s.loss[k] / s.loss[0]
		}
		if _, err := addLine(p, st, i, s.name, xys(d.Steps, rel), false); err != nil {
			return nil, nil, err
		}
		for _, t := range o.Checkpoints {
			if t < 0 || t > o.Steps {
				return nil, nil, fmt.Errorf("plots: checkpoint %d outside 0…%d", t, o.Steps)
			}
			pt := plotter.XYs{{X: float64(t), Y: rel[t]}}
			if _, err := addPoints(p, st, i, "", pt); err != nil {
				return nil, nil, err
			}
			xalign, yalign := draw.XLeft, draw.YBottom
			if 2*t > o.Steps {
				xalign = draw.XRight
			}
			if i == 1 {
				yalign = draw.YTop
			}
			l, err := addLabels(p, st, pt, []string{fmt.Sprintf("step %d: gradient %.2g", t, s.g[t])}, xalign, yalign)
			if err != nil {
				return nil, nil, err
			}
			l.Offset.Y = 1.5 * st.Marker
			if yalign == draw.YTop {
				l.Offset.Y = -l.Offset.Y
			}
		}
	}
	p.Add(hline(st, 0))
	p.Y.Min, p.Y.Max = 0, 1.05
	p.X.Min = 0
	return p, d, nil
}
