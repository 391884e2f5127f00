package adagrad

import (
	"fmt"
	"math"
)

// The optimizers below are here for the comparison figures: they show what
// Adagrad's ever-growing G leads to. Both follow PyTorch's definitions and
// defaults (torch.optim.RMSprop without momentum or centring, torch.optim.Adam
// without amsgrad), with ε outside the root.

// RMSProp replaces Adagrad's sum with an exponentially weighted average, so
// old gradients fade and the effective learning rate stops shrinking:
//
//	v ← α·v + (1−α)·g²;   θ ← θ − η·g/(√v + ε)
type RMSProp struct {
	LR, Alpha, Eps float64
	V              []float64 // the moving average of g²
	t              int
}

// NewRMSProp returns RMSProp for n parameters; PyTorch's defaults are
// η = 0.01, α = 0.99, ε = 1e-8.
func NewRMSProp(lr, alpha, eps float64, n int) (*RMSProp, error) {
	if err := (Config{LR: lr, Eps: eps}).Validate(); err != nil {
		return nil, err
	}
	if !(alpha >= 0 && alpha < 1) {
		return nil, fmt.Errorf("adagrad: RMSProp alpha must be in [0, 1), got %v", alpha)
	}
	return &RMSProp{LR: lr, Alpha: alpha, Eps: eps, V: make([]float64, n)}, nil
}

// Step applies one update in place.
func (r *RMSProp) Step(theta, grad []float64) error {
	if len(theta) != len(r.V) || len(grad) != len(r.V) {
		return fmt.Errorf("%w: %d parameters, theta has %d, grad %d", ErrShape, len(r.V), len(theta), len(grad))
	}
	r.t++
	for i, g := range grad {
		r.V[i] = r.Alpha*r.V[i] + (1-r.Alpha)*g*g
		theta[i] -= r.LR * g / (math.Sqrt(r.V[i]) + r.Eps)
	}
	return nil
}

// EffectiveLR is parameter i's current rate η/(√v + ε).
func (r *RMSProp) EffectiveLR(i int) float64 {
	return r.LR / (math.Sqrt(r.V[i]) + r.Eps)
}

// Adam adds momentum to RMSProp's average and corrects both averages for
// their start at zero:
//
//	m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²
//	θ ← θ − η·m̂/(√v̂ + ε),  m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)
type Adam struct {
	LR, Beta1, Beta2, Eps float64
	M, V                  []float64
	t                     int
}

// NewAdam returns Adam for n parameters; PyTorch's defaults are η = 0.001,
// β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
func NewAdam(lr, beta1, beta2, eps float64, n int) (*Adam, error) {
	if err := (Config{LR: lr, Eps: eps}).Validate(); err != nil {
		return nil, err
	}
	for _, b := range []float64{beta1, beta2} {
		if !(b >= 0 && b < 1) {
			return nil, fmt.Errorf("adagrad: Adam betas must be in [0, 1), got %v", b)
		}
	}
	return &Adam{LR: lr, Beta1: beta1, Beta2: beta2, Eps: eps, M: make([]float64, n), V: make([]float64, n)}, nil
}

// Step applies one update in place.
func (a *Adam) Step(theta, grad []float64) error {
	if len(theta) != len(a.V) || len(grad) != len(a.V) {
		return fmt.Errorf("%w: %d parameters, theta has %d, grad %d", ErrShape, len(a.V), len(theta), len(grad))
	}
	a.t++
	bc1 := 1 - math.Pow(a.Beta1, float64(a.t))
	bc2 := 1 - math.Pow(a.Beta2, float64(a.t))
	for i, g := range grad {
		a.M[i] = a.Beta1*a.M[i] + (1-a.Beta1)*g
		a.V[i] = a.Beta2*a.V[i] + (1-a.Beta2)*g*g
		theta[i] -= a.LR * (a.M[i] / bc1) / (math.Sqrt(a.V[i]/bc2) + a.Eps)
	}
	return nil
}

// EffectiveLR is parameter i's current rate η/(√v̂ + ε), the scale Adam
// applies to its (momentum-averaged) gradient.
func (a *Adam) EffectiveLR(i int) float64 {
	if a.t == 0 {
		return a.LR / a.Eps
	}
	return a.LR / (math.Sqrt(a.V[i]/(1-math.Pow(a.Beta2, float64(a.t)))) + a.Eps)
}
