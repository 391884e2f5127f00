package plots

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// ZipfOptions are figure 5's parameters: an embedding table of Vocab rows
// of width Dim, trained for Steps steps on batches of Batch tokens drawn
// with probability ∝ 1/rank^Exponent (Zipf's law). Every token in a batch
// gets a gradient row of independent N(0, GradStd²) entries; only the rows
// in the batch are updated (adagrad.Optimizer.StepRows).
type ZipfOptions struct {
	Config   adagrad.Config
	Vocab    int
	Dim      int
	Batch    int
	Steps    int
	Exponent float64
	GradStd  float64
	Seed     uint64
	Style    Style
}

// ZipfDefaults: 5,000 tokens, 8-wide rows, 1,000 steps of 32 tokens,
// Zipf exponent 1, gradient entries of standard deviation 0.5 (the seed's
// g), the seed's η = 0.1.
func ZipfDefaults() ZipfOptions {
	return ZipfOptions{Config: adagrad.SeedConfig(), Vocab: 5000, Dim: 8, Batch: 32, Steps: 1000,
		Exponent: 1, GradStd: 0.5, Seed: 1, Style: DefaultStyle()}
}

// ZipfData is the table after training, one entry per row (token rank).
type ZipfData struct {
	Tokens []int     // how often the token occurred
	Steps  []int     // in how many steps its row was updated
	G      []float64 // the row's mean accumulator
	LR     []float64 // the row's mean effective rate, Config.EffectiveLR
	Unseen int       // rows that never got a gradient (rate η/ε)
}

// Table is one row per token rank.
func (d *ZipfData) Table() *Table {
	t := &Table{Header: []string{"rank", "tokens", "steps", "G_mean", "lr_mean"}}
	for i := range d.Tokens {
		t.add(i+1, d.Tokens[i], d.Steps[i], d.G[i], d.LR[i])
	}
	return t
}

// Zipf is figure 5: each row's effective learning rate after training
// against how often its token occurred. Rare tokens keep a large rate,
// frequent ones are slowed down: rate ≈ η/(σ·√n) for a token seen n times.
func Zipf(o ZipfOptions) (*plot.Plot, *ZipfData, error) {
	if o.Vocab < 2 || o.Dim < 1 || o.Batch < 1 || o.Steps < 1 || o.GradStd <= 0 {
		return nil, nil, fmt.Errorf("plots: Zipf needs Vocab ≥ 2 and positive Dim, Batch, Steps, GradStd")
	}
	opt, err := adagrad.New(o.Config, o.Vocab*o.Dim)
	if err != nil {
		return nil, nil, err
	}
	cdf := make([]float64, o.Vocab)
	sum := 0.0
	for r := range cdf {
		sum += math.Pow(float64(r+1), -o.Exponent)
		cdf[r] = sum
	}
	for r := range cdf {
		cdf[r] /= sum
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x21bf))
	theta := make([]float64, o.Vocab*o.Dim)
	rows := make([]int, o.Batch)
	grad := make([]float64, o.Batch*o.Dim)
	d := &ZipfData{Tokens: make([]int, o.Vocab), Steps: make([]int, o.Vocab)}
	lastStep := make([]int, o.Vocab)
	for t := 1; t <= o.Steps; t++ {
		for k := range rows {
			r := sort.SearchFloat64s(cdf, rng.Float64())
			if r >= o.Vocab {
				r = o.Vocab - 1
			}
			rows[k] = r
			d.Tokens[r]++
			if lastStep[r] != t {
				lastStep[r] = t
				d.Steps[r]++
			}
		}
		for j := range grad {
			grad[j] = o.GradStd * rng.NormFloat64()
		}
		if err := opt.StepRows(theta, o.Dim, rows, grad); err != nil {
			return nil, nil, err
		}
	}
	var seen plotter.XYs
	for r := 0; r < o.Vocab; r++ {
		g, lr := 0.0, 0.0
		for j := 0; j < o.Dim; j++ {
			G := opt.Sum[r*o.Dim+j]
			g += G
			lr += o.Config.EffectiveLR(opt.Steps(), G)
		}
		d.G = append(d.G, g/float64(o.Dim))
		d.LR = append(d.LR, lr/float64(o.Dim))
		if d.Tokens[r] == 0 {
			d.Unseen++
			continue
		}
		seen = append(seen, plotter.XY{X: float64(d.Tokens[r]), Y: d.LR[r]})
	}

	st := o.Style
	p := st.NewPlot(fmt.Sprintf("Effective rate per embedding row after %s steps: rare tokens learn fast", thousands(o.Steps)), "token occurrences n (log scale)", "row's mean effective rate (log scale)")
	p.Legend.Top, p.Legend.Left = true, false
	s, err := addPoints(p, st, 0, fmt.Sprintf("Adagrad, one row per token (%s rows)", thousands(len(seen))), seen)
	if err != nil {
		return nil, nil, err
	}
	s.GlyphStyle.Radius = st.Marker * 0.6
	nmax := float64(d.Tokens[0])
	for _, n := range d.Tokens {
		nmax = math.Max(nmax, float64(n))
	}
	var theory plotter.XYs
	for _, x := range []float64{1, nmax} {
		theory = append(theory, plotter.XY{X: x, Y: o.Config.LR / (o.GradStd * math.Sqrt(x))})
	}
	if _, err := addLine(p, st, 1, fmt.Sprintf("η/(σ·√n), σ = %g", o.GradStd), theory, false); err != nil {
		return nil, nil, err
	}
	sgd := plotter.XYs{{X: 1, Y: o.Config.LR}, {X: nmax, Y: o.Config.LR}}
	if _, err := addLine(p, st, 2, fmt.Sprintf("SGD: η = %g for every row", o.Config.LR), sgd, false); err != nil {
		return nil, nil, err
	}
	if d.Unseen > 0 {
		note := fmt.Sprintf("%s of %s tokens never occurred: rate η/ε = %s",
			thousands(d.Unseen), thousands(o.Vocab), tickLabel(o.Config.EffectiveLR(opt.Steps(), 0)))
		p.Legend.Add(note)
	}
	logAxis(&p.X)
	logAxis(&p.Y)
	return p, d, nil
}
