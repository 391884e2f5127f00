package plots

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/plot"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
)

// SparseRaceOptions set up a race of SGD against Adagrad on a sparse linear
// model: Features binary features with Zipf frequencies (feature j is on in
// 1/(2(j+1)) of the samples), the few most frequent ones coming with larger
// values (counts: Frequent features of value Scale), trained one sample at a
// time for Steps steps on squared error. Each optimizer gets the best η of
// its grid, by the final test loss: SGD's η is capped by the large
// frequent features (a larger one diverges), so the rare ones barely move;
// Adagrad scales each coordinate by its own history, and they all learn.
type SparseRaceOptions struct {
	Features, Frequent int
	Scale              float64
	Noise              float64 // the label noise's standard deviation
	Steps, Every       int     // steps, and the test loss every Every steps
	SGDRates, Rates    []float64
	Seed               uint64
	Style              Style
}

// SparseRaceDefaults: 200 features, the 3 most frequent of value 4, noise
// 0.1, 5,000 steps.
func SparseRaceDefaults() SparseRaceOptions {
	return SparseRaceOptions{Features: 200, Frequent: 3, Scale: 4, Noise: 0.1, Steps: 5000, Every: 250,
		SGDRates: []float64{0.003, 0.01, 0.02, 0.03, 0.04}, Rates: []float64{0.03, 0.1, 0.3, 1},
		Seed: 3, Style: DefaultStyle()}
}

// SparseRaceData is the race: each optimizer's chosen η and test loss
// along the way, and the effective rates at the end of a frequent and of a
// rare feature — the reason.
type SparseRaceData struct {
	Steps                  []float64
	SGDLoss, AdagradLoss   []float64
	SGDRate, AdagradRate   float64 // the chosen η
	FrequentLR, RareLR     float64 // Adagrad's η/(√G+ε) at the end, feature 0 and the last
	SGDFinal, AdagradFinal float64
}

type sparseProblem struct {
	o     SparseRaceOptions
	p, w  []float64 // frequencies, true weights
	testX [][]float64
	testY []float64
}

func (pr *sparseProblem) sample(r *rand.Rand, x []float64) float64 {
	y := 0.0
	for j := range x {
		x[j] = 0
		if r.Float64() < pr.p[j] {
			x[j] = 1
			if j < pr.o.Frequent {
				x[j] = pr.o.Scale
			}
		}
		y += pr.w[j] * x[j]
	}
	return y + pr.o.Noise*r.NormFloat64()
}

func (pr *sparseProblem) testLoss(w []float64) float64 {
	s := 0.0
	for i, x := range pr.testX {
		d := dot(w, x) - pr.testY[i]
		s += d * d
	}
	l := s / float64(len(pr.testX))
	if math.IsNaN(l) || l > 1e12 {
		return math.Inf(1) // diverged
	}
	return l
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// run trains from zero with SGD (opt nil) or opt, recording the test loss.
func (pr *sparseProblem) run(eta float64, opt *adagrad.Optimizer) (losses []float64, w []float64) {
	n := pr.o.Features
	r := rand.New(rand.NewPCG(pr.o.Seed, 7)) // the same samples for every run
	w, g, x := make([]float64, n), make([]float64, n), make([]float64, n)
	losses = []float64{pr.testLoss(w)}
	for t := 1; t <= pr.o.Steps; t++ {
		y := pr.sample(r, x)
		e := 2 * (dot(w, x) - y)
		for j := range x {
			g[j] = e * x[j]
		}
		if opt != nil {
			if err := opt.Step(w, g); err != nil {
				panic(err) // lengths are n
			}
		} else {
			for j := range w {
				w[j] -= eta * g[j]
			}
		}
		if t%pr.o.Every == 0 {
			losses = append(losses, pr.testLoss(w))
		}
	}
	return losses, w
}

// SparseRace runs the race and plots both test losses, log scale.
func SparseRace(o SparseRaceOptions) (*plot.Plot, *SparseRaceData, error) {
	if o.Features < 2 || o.Frequent < 1 || o.Frequent >= o.Features || o.Steps < 1 || o.Every < 1 || len(o.SGDRates) == 0 || len(o.Rates) == 0 {
		return nil, nil, fmt.Errorf("plots: SparseRace needs features ≥ 2, 1 ≤ frequent < features, steps and every ≥ 1, and rates to try")
	}
	r := rand.New(rand.NewPCG(o.Seed, 1))
	pr := &sparseProblem{o: o, p: make([]float64, o.Features), w: make([]float64, o.Features)}
	for j := range pr.p {
		pr.p[j] = 0.5 / float64(j+1)
		pr.w[j] = 2*r.Float64() - 1
	}
	for range 3000 {
		x := make([]float64, o.Features)
		pr.testY = append(pr.testY, pr.sample(r, x))
		pr.testX = append(pr.testX, x)
	}
	d := &SparseRaceData{SGDFinal: math.Inf(1), AdagradFinal: math.Inf(1)}
	for _, eta := range o.SGDRates {
		if l, _ := pr.run(eta, nil); l[len(l)-1] < d.SGDFinal {
			d.SGDFinal, d.SGDRate, d.SGDLoss = l[len(l)-1], eta, l
		}
	}
	for _, eta := range o.Rates {
		opt, err := adagrad.New(adagrad.Config{LR: eta, Eps: 1e-10}, o.Features)
		if err != nil {
			return nil, nil, err
		}
		if l, _ := pr.run(eta, opt); l[len(l)-1] < d.AdagradFinal {
			d.AdagradFinal, d.AdagradRate, d.AdagradLoss = l[len(l)-1], eta, l
			d.FrequentLR = opt.Config.EffectiveLR(opt.Steps(), opt.Sum[0])
			d.RareLR = opt.Config.EffectiveLR(opt.Steps(), opt.Sum[o.Features-1])
		}
	}
	if d.SGDLoss == nil || d.AdagradLoss == nil {
		return nil, nil, fmt.Errorf("plots: SparseRace: every rate diverged")
	}
	for i := range d.SGDLoss {
		d.Steps = append(d.Steps, float64(i*o.Every))
	}
	st := o.Style
	p := st.NewPlot("A sparse model: test loss, each optimizer at its best η", "step", "test MSE (log scale)")
	if _, err := addLine(p, st, 0, fmt.Sprintf("SGD, η = %g", d.SGDRate), xys(d.Steps, d.SGDLoss), false); err != nil {
		return nil, nil, err
	}
	if _, err := addLine(p, st, 1, fmt.Sprintf("Adagrad, η = %g", d.AdagradRate), xys(d.Steps, d.AdagradLoss), false); err != nil {
		return nil, nil, err
	}
	logAxis(&p.Y)
	return p, d, nil
}
