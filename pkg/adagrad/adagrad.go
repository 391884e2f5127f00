// Package adagrad is the course's reference implementation of the Adagrad
// optimizer (Duchi, Hazan & Singer, 2011). The kernel, the checker, the
// figures and the notebooks all call it; nothing else in the project
// re-implements the update rule.
//
// # The update
//
// For each parameter θᵢ with gradient gᵢ at step t = 1, 2, …, the optimizer
// follows torch.optim.Adagrad exactly:
//
//	g   ← −g                          if Maximize
//	g   ← g + λ·θ                     weight decay λ (WeightDecay), if λ ≠ 0
//	clr = η / (1 + (t−1)·d)           η = LR, d = LRDecay
//	G   ← G + g²                      G starts at InitialAccumulatorValue
//	θ   ← θ − clr · g / (√G + ε)      ε = Eps (ε outside the root)
//
// The effective learning rate of θᵢ at step t is clr/(√Gᵢ + ε), computed
// after G has absorbed the step's gradient.
//
// # Where ε goes
//
// Sources disagree on one detail. PyTorch, the old tf.keras (TensorFlow's
// ApplyAdagradV2 kernel), Duchi et al. (δI + diag(G)^½), seed 000's formula
// and seed 001's code put ε outside the root: η/(√G + ε). Keras 3 (which
// also starts G at 0.1), optax, d2l and seed 001's formula put it inside:
// η/√(G + ε). Config.EpsInside selects the second form:
//
//	θ ← θ − clr · g / √(G + ε)
//
// The two differ most for a parameter whose G is still 0: with ε = 1e-8 the
// first step's effective rate is η/1e-8 outside but η/1e-4 inside.
//
// # Precision
//
// Optimizer works on float64 and Optimizer32 on float32. Both perform the
// same operations in the same order as PyTorch's single-tensor CPU path, so
// their results agree with torch to the last bit or nearly (see the goldens
// in testdata/ and tools/goldens/). The types are concrete rather than
// generic so that the interpreter the notebooks run on (yaegi) can call them.
package adagrad

import (
	"errors"
	"fmt"
	"math"
)

// Config holds Adagrad's hyper-parameters, named as in torch.optim.Adagrad.
// Start from Default: its zero value has a learning rate of 0.
type Config struct {
	LR                      float64 // base learning rate η (PyTorch default 0.01)
	LRDecay                 float64 // d in clr = η/(1+(t−1)·d)
	WeightDecay             float64 // λ, added to the gradient as λ·θ (L2 penalty)
	Eps                     float64 // ε, for numerical stability (PyTorch default 1e-10)
	InitialAccumulatorValue float64 // G's starting value
	Maximize                bool    // ascend instead of descend
	EpsInside               bool    // use η/√(G+ε) (optax, seed text) instead of η/(√G+ε)
}

// Default returns PyTorch's defaults: η = 0.01, ε = 1e-10 outside the root,
// no decay, G starting at 0.
func Default() Config {
	return Config{LR: 0.01, Eps: 1e-10}
}

// Validate reports the first hyper-parameter that is out of range, naming it.
func (c Config) Validate() error {
	check := func(name string, v float64) error {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("adagrad: %s must be finite, got %v", name, v)
		}
		if v < 0 {
			return fmt.Errorf("adagrad: %s must be >= 0, got %v", name, v)
		}
		return nil
	}
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"learning rate", c.LR},
		{"lr decay", c.LRDecay},
		{"weight decay", c.WeightDecay},
		{"eps", c.Eps},
		{"initial accumulator value", c.InitialAccumulatorValue},
	} {
		if err := check(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// StepLR is clr, the decayed base learning rate used at step t (t ≥ 1).
func (c Config) StepLR(t int) float64 {
	return c.LR / (1 + float64(t-1)*c.LRDecay)
}

// EffectiveLR is the per-parameter rate clr/(√G+ε), or clr/√(G+ε) with
// EpsInside, for an accumulator value G at step t.
func (c Config) EffectiveLR(t int, G float64) float64 {
	return c.StepLR(t) / c.denom(G)
}

func (c Config) denom(G float64) float64 {
	if c.EpsInside {
		return math.Sqrt(G + c.Eps)
	}
	return math.Sqrt(G) + c.Eps
}

// ErrShape reports slices whose lengths do not fit together.
var ErrShape = errors.New("adagrad: shape mismatch")

// Optimizer is Adagrad's state for n float64 parameters.
type Optimizer struct {
	Config
	Sum  []float64 // G, the running sum of squared gradients, one per parameter
	t    int       // steps taken
	seen rowSet    // StepRows' scratch for spotting repeated rows
}

// New returns an optimizer for n parameters with G set to
// cfg.InitialAccumulatorValue.
func New(cfg Config, n int) (*Optimizer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("adagrad: negative parameter count %d", n)
	}
	o := &Optimizer{Config: cfg, Sum: make([]float64, n)}
	fill(o.Sum, cfg.InitialAccumulatorValue)
	return o, nil
}

// Steps returns how many steps have been taken.
func (o *Optimizer) Steps() int { return o.t }

// Step applies one dense update to theta in place, given grad; grad is not
// modified. Both must have the optimizer's length.
func (o *Optimizer) Step(theta, grad []float64) error {
	if len(theta) != len(o.Sum) || len(grad) != len(o.Sum) {
		return fmt.Errorf("%w: %d parameters, theta has %d, grad %d", ErrShape, len(o.Sum), len(theta), len(grad))
	}
	o.t++
	denseStep(&o.Config, o.t, theta, grad, o.Sum)
	return nil
}

// StepRows applies one sparse update: theta and Sum are a table of rows of
// width dim, and only the listed rows change. grad holds len(rows)·dim values,
// row k of grad belonging to table row rows[k]. A row listed twice has its
// gradients summed first, as PyTorch coalesces a sparse gradient. Work is
// proportional to len(rows)·dim, not to the size of the table. As in
// PyTorch, weight decay needs dense gradients and is refused here.
func (o *Optimizer) StepRows(theta []float64, dim int, rows []int, grad []float64) error {
	if err := checkRows(len(theta), len(o.Sum), dim, rows, len(grad), o.WeightDecay); err != nil {
		return err
	}
	if o.seen.hasRepeats(rows, len(theta)/dim) {
		rows, grad = coalesce(rows, grad, dim)
	}
	o.t++
	sparseStep(&o.Config, o.t, theta, dim, rows, grad, o.Sum)
	return nil
}

// Optimizer32 is Optimizer for float32 parameters. Hyper-parameters stay
// float64 and are rounded to float32 where they meet the data, as in PyTorch.
type Optimizer32 struct {
	Config
	Sum  []float32
	t    int
	seen rowSet
}

// New32 is New for float32 parameters.
func New32(cfg Config, n int) (*Optimizer32, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, fmt.Errorf("adagrad: negative parameter count %d", n)
	}
	o := &Optimizer32{Config: cfg, Sum: make([]float32, n)}
	fill(o.Sum, float32(cfg.InitialAccumulatorValue))
	return o, nil
}

// Steps returns how many steps have been taken.
func (o *Optimizer32) Steps() int { return o.t }

// Step is Optimizer.Step for float32.
func (o *Optimizer32) Step(theta, grad []float32) error {
	if len(theta) != len(o.Sum) || len(grad) != len(o.Sum) {
		return fmt.Errorf("%w: %d parameters, theta has %d, grad %d", ErrShape, len(o.Sum), len(theta), len(grad))
	}
	o.t++
	denseStep(&o.Config, o.t, theta, grad, o.Sum)
	return nil
}

// StepRows is Optimizer.StepRows for float32.
func (o *Optimizer32) StepRows(theta []float32, dim int, rows []int, grad []float32) error {
	if err := checkRows(len(theta), len(o.Sum), dim, rows, len(grad), o.WeightDecay); err != nil {
		return err
	}
	if o.seen.hasRepeats(rows, len(theta)/dim) {
		rows, grad = coalesce(rows, grad, dim)
	}
	o.t++
	sparseStep(&o.Config, o.t, theta, dim, rows, grad, o.Sum)
	return nil
}

func checkRows(nTheta, nSum, dim int, rows []int, nGrad int, wd float64) error {
	if wd != 0 {
		return errors.New("adagrad: weight decay needs dense gradients (as in PyTorch); use Step")
	}
	if dim <= 0 || nTheta != nSum || nTheta%dim != 0 {
		return fmt.Errorf("%w: table of %d values (state %d) does not split into rows of %d", ErrShape, nTheta, nSum, dim)
	}
	if nGrad != len(rows)*dim {
		return fmt.Errorf("%w: %d rows of width %d need %d gradient values, got %d", ErrShape, len(rows), dim, len(rows)*dim, nGrad)
	}
	nRows := nTheta / dim
	for _, r := range rows {
		if r < 0 || r >= nRows {
			return fmt.Errorf("adagrad: row %d outside the table's %d rows", r, nRows)
		}
	}
	return nil
}

// rowSet spots a row listed twice in one sparse step. It holds one bit per
// table row, allocated on first use, and clears only the words it set, so
// each step costs O(len(rows)) however large the table.
type rowSet []uint64

func (s *rowSet) hasRepeats(rows []int, nRows int) bool {
	if len(*s) < (nRows+63)/64 {
		*s = make(rowSet, (nRows+63)/64)
	}
	bits := *s
	dup := false
	for _, r := range rows {
		w, b := r/64, uint64(1)<<(r%64)
		dup = dup || bits[w]&b != 0
		bits[w] |= b
	}
	for _, r := range rows {
		bits[r/64] = 0
	}
	return dup
}

// coalesce sums the gradients of rows listed more than once, keeping the
// order of first appearance.
func coalesce[T float](rows []int, grad []T, dim int) ([]int, []T) {
	at := make(map[int]int, len(rows))
	var outRows []int
	var outGrad []T
	for k, r := range rows {
		src := grad[k*dim : (k+1)*dim]
		i, ok := at[r]
		if !ok {
			at[r] = len(outRows)
			outRows = append(outRows, r)
			outGrad = append(outGrad, src...)
			continue
		}
		dst := outGrad[i*dim : (i+1)*dim]
		for j := range dst {
			dst[j] += src[j]
		}
	}
	return outRows, outGrad
}

func fill[T float](s []T, v T) {
	for i := range s {
		s[i] = v
	}
}
