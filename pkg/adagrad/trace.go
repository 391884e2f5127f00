package adagrad

import "fmt"

// Trace is a run recorded step by step, the table the seed article prints:
// for every step and parameter the gradient, the accumulator G, the
// effective learning rate and θ, all taken after the step.
type Trace struct {
	Config Config
	Theta0 []float64   // θ before the first step
	Steps  []TraceStep // one per gradient
}

// TraceStep is one row of a Trace. Slices are indexed by parameter.
type TraceStep struct {
	Step  int       // 1-based
	Grad  []float64 // the gradient as given (before maximize or weight decay)
	Sum   []float64 // G after the step
	LR    []float64 // effective learning rate clr/(√G+ε) after the step
	Theta []float64 // θ after the step
}

// Run starts from theta0 and applies one dense step per gradient, recording
// each. Every gradient must have len(theta0) entries.
func Run(cfg Config, theta0 []float64, grads [][]float64) (*Trace, error) {
	opt, err := New(cfg, len(theta0))
	if err != nil {
		return nil, err
	}
	theta := append([]float64(nil), theta0...)
	tr := &Trace{Config: cfg, Theta0: append([]float64(nil), theta0...)}
	for k, g := range grads {
		if len(g) != len(theta) {
			return nil, fmt.Errorf("%w: step %d has %d gradients for %d parameters", ErrShape, k+1, len(g), len(theta))
		}
		if err := opt.Step(theta, g); err != nil {
			return nil, err
		}
		row := TraceStep{
			Step:  opt.Steps(),
			Grad:  append([]float64(nil), g...),
			Sum:   append([]float64(nil), opt.Sum...),
			LR:    make([]float64, len(theta)),
			Theta: append([]float64(nil), theta...),
		}
		for i, G := range opt.Sum {
			row.LR[i] = cfg.EffectiveLR(opt.Steps(), G)
		}
		tr.Steps = append(tr.Steps, row)
	}
	return tr, nil
}
