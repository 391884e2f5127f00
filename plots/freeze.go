package plots

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// FreezeOptions are figure 3's parameters. All three optimizers see the same
// gradient stream: Grad every step, plus Gaussian noise of standard
// deviation Noise when it is not 0 (drawn from a PCG generator seeded with
// Seed, so the figure is the same every time).
type FreezeOptions struct {
	Adagrad      adagrad.Config
	RMSPropLR    float64
	RMSPropAlpha float64
	AdamLR       float64
	AdamBeta1    float64
	AdamBeta2    float64
	Eps          float64 // RMSProp's and Adam's ε
	Grad         float64
	Noise        float64
	Seed         uint64
	Steps        int
	Samples      int // points per curve, spaced evenly in log t
	Style        Style
}

// FreezeDefaults: the seed's Adagrad (η = 0.1) against RMSProp and Adam with
// the same η and PyTorch's other defaults, g = 0.5 every step, 100,000 steps.
func FreezeDefaults() FreezeOptions {
	return FreezeOptions{
		Adagrad:   adagrad.SeedConfig(),
		RMSPropLR: 0.1, RMSPropAlpha: 0.99,
		AdamLR: 0.1, AdamBeta1: 0.9, AdamBeta2: 0.999,
		Eps: 1e-8, Grad: 0.5, Seed: 1, Steps: 100000, Samples: 200,
		Style: DefaultStyle(),
	}
}

// FreezeData holds the three effective rates at the sampled steps.
type FreezeData struct {
	Steps   []float64
	Adagrad []float64 // Config.EffectiveLR(t, G)
	RMSProp []float64 // RMSProp.EffectiveLR
	Adam    []float64 // Adam.EffectiveLR
}

// Table is one row per sampled step.
func (d *FreezeData) Table() *Table {
	t := &Table{Header: []string{"step", "adagrad_lr", "rmsprop_lr", "adam_lr"}}
	for i := range d.Steps {
		t.add(int(d.Steps[i]), d.Adagrad[i], d.RMSProp[i], d.Adam[i])
	}
	return t
}

// sampleSteps returns about n steps in 1 … total, evenly spaced in log t,
// always including 1 and total.
func sampleSteps(total, n int) []int {
	var out []int
	last := 0
	for i := 0; i < n; i++ {
		t := int(math.Round(math.Pow(float64(total), float64(i)/float64(n-1))))
		if t > last {
			out = append(out, t)
			last = t
		}
	}
	if last != total {
		out = append(out, total)
	}
	return out
}

// Freeze is figure 3: over a long run Adagrad's effective learning rate
// falls like 1/√t and the parameter freezes, while RMSProp's and Adam's
// settle at η/|g|.
func Freeze(o FreezeOptions) (*plot.Plot, *FreezeData, error) {
	if o.Steps < 2 || o.Samples < 2 {
		return nil, nil, fmt.Errorf("plots: need Steps ≥ 2 and Samples ≥ 2")
	}
	ada, err := adagrad.New(o.Adagrad, 1)
	if err != nil {
		return nil, nil, err
	}
	rms, err := adagrad.NewRMSProp(o.RMSPropLR, o.RMSPropAlpha, o.Eps, 1)
	if err != nil {
		return nil, nil, err
	}
	adam, err := adagrad.NewAdam(o.AdamLR, o.AdamBeta1, o.AdamBeta2, o.Eps, 1)
	if err != nil {
		return nil, nil, err
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x5eed))
	th1, th2, th3, g := []float64{0}, []float64{0}, []float64{0}, []float64{0}
	d := &FreezeData{}
	sample := sampleSteps(o.Steps, o.Samples)
	next := 0
	for t := 1; t <= o.Steps; t++ {
		g[0] = o.Grad
		if o.Noise != 0 {
			g[0] += o.Noise * rng.NormFloat64()
		}
		if err := ada.Step(th1, g); err != nil {
			return nil, nil, err
		}
		if err := rms.Step(th2, g); err != nil {
			return nil, nil, err
		}
		if err := adam.Step(th3, g); err != nil {
			return nil, nil, err
		}
		if next < len(sample) && t == sample[next] {
			next++
			d.Steps = append(d.Steps, float64(t))
			d.Adagrad = append(d.Adagrad, o.Adagrad.EffectiveLR(ada.Steps(), ada.Sum[0]))
			d.RMSProp = append(d.RMSProp, rms.EffectiveLR(0))
			d.Adam = append(d.Adam, adam.EffectiveLR(0))
		}
	}
	st := o.Style
	p := st.NewPlot(fmt.Sprintf("Effective learning rate over %s steps: Adagrad freezes", thousands(o.Steps)), "step t (log scale)", "effective rate (log scale)")
	p.Legend.Top, p.Legend.Left = false, true
	p.Legend.XOffs, p.Legend.YOffs = st.Tick/2, st.Tick/2
	series := []struct {
		name string
		y    []float64
	}{
		{fmt.Sprintf("Adagrad, η = %g", o.Adagrad.LR), d.Adagrad},
		{fmt.Sprintf("RMSProp, η = %g, α = %g", o.RMSPropLR, o.RMSPropAlpha), d.RMSProp},
		{fmt.Sprintf("Adam, η = %g, β = (%g, %g)", o.AdamLR, o.AdamBeta1, o.AdamBeta2), d.Adam},
	}
	for i, s := range series {
		if _, err := addLine(p, st, i, s.name, xys(d.Steps, s.y), false); err != nil {
			return nil, nil, err
		}
	}
	last := plotter.XYs{{X: d.Steps[len(d.Steps)-1], Y: d.Adagrad[len(d.Adagrad)-1]}}
	if _, err := addPoints(p, st, 0, "", last); err != nil {
		return nil, nil, err
	}
	l, err := addLabels(p, st, last, []string{fmt.Sprintf("step %s: %.2g", thousands(o.Steps), last[0].Y)}, draw.XRight, draw.YTop)
	if err != nil {
		return nil, nil, err
	}
	l.Offset.Y = -1.5 * st.Marker
	p.Y.Min = math.Min(p.Y.Min, last[0].Y/4) // room for the label below the end
	logAxis(&p.X)
	logAxis(&p.Y)
	return p, d, nil
}

// thousands writes n with commas: 100,000.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
