package adagrad

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The numbers notebooks/06-beyond.ipynb quotes for the preconditioning
// view and the rotated quadratic. (TestFullMatrixRotationInvariant checks
// the invariance itself on random gradients.)

// rotatedQuadratic is f(θ) = ½ θᵀ H θ with H = R(φ) diag(a, b) R(φ)ᵀ: the
// axis-aligned ½(a·u² + b·v²) turned by φ degrees.
func rotatedQuadratic(a, b, deg float64) (grad func([]float64) []float64, loss func([]float64) float64, rot func([2]float64) []float64) {
	phi := deg * math.Pi / 180
	c, s := math.Cos(phi), math.Sin(phi)
	h := [2][2]float64{{a*c*c + b*s*s, (a - b) * c * s}, {(a - b) * c * s, a*s*s + b*c*c}}
	grad = func(th []float64) []float64 {
		return []float64{h[0][0]*th[0] + h[0][1]*th[1], h[1][0]*th[0] + h[1][1]*th[1]}
	}
	loss = func(th []float64) float64 {
		g := grad(th)
		return 0.5 * (th[0]*g[0] + th[1]*g[1])
	}
	rot = func(u [2]float64) []float64 { return []float64{c*u[0] - s*u[1], s*u[0] + c*u[1]} }
	return grad, loss, rot
}

// rotatedRun is the notebook's experiment: a = 1, b = 0.05, start (2, 1)
// in the (u, v) frame, η = 0.5, δ = 1e-8, 50 steps; the final losses of
// diagonal and full-matrix Adagrad.
func rotatedRun(t *testing.T, deg float64) (diag, full float64) {
	t.Helper()
	grad, loss, rot := rotatedQuadratic(1, 0.05, deg)
	d, err := New(Config{LR: 0.5, Eps: 1e-8}, 2)
	if err != nil {
		t.Fatal(err)
	}
	f, err := NewFullMatrix(0.5, 1e-8, 2)
	if err != nil {
		t.Fatal(err)
	}
	td, tf := rot([2]float64{2, 1}), rot([2]float64{2, 1})
	for i := 0; i < 50; i++ {
		if err := d.Step(td, grad(td)); err != nil {
			t.Fatal(err)
		}
		if err := f.Step(tf, grad(tf)); err != nil {
			t.Fatal(err)
		}
	}
	return loss(td), loss(tf)
}

func TestRotatedQuadratic(t *testing.T) {
	angles := []float64{0, 15, 30, 45}
	var diag, full []float64
	for _, deg := range angles {
		d, f := rotatedRun(t, deg)
		diag, full = append(diag, d), append(full, f)
	}
	// The values the notebook prints (%.2e), within rounding.
	for i, want := range []float64{8.56e-8, 5.80e-5, 1.39e-3, 7.60e-3} {
		if math.Abs(diag[i]-want) > 0.01*want {
			t.Errorf("diagonal at %g°: final loss %.3e, the notebook says %.2e", angles[i], diag[i], want)
		}
	}
	if math.Abs(full[0]-1.32e-7) > 0.01*1.32e-7 {
		t.Errorf("full-matrix at 0°: final loss %.3e, the notebook says 1.32e-07", full[0])
	}
	for i := range angles {
		// Full-matrix AdaGrad does not see the rotation.
		if rel := math.Abs(full[i]-full[0]) / full[0]; rel > 1e-6 {
			t.Errorf("full-matrix at %g°: %.6e, at 0°: %.6e", angles[i], full[i], full[0])
		}
		// Diagonal Adagrad gets worse the further the axes turn.
		if i > 0 && !(diag[i] > diag[i-1]) {
			t.Errorf("diagonal: %.3e at %g° is not worse than %.3e at %g°", diag[i], angles[i], diag[i-1], angles[i-1])
		}
	}
	// Axis-aligned, diagonal Adagrad does as well as the full matrix
	// (here a little better); at 45° more than 10⁴ times worse.
	if diag[0] > full[0] {
		t.Errorf("at 0°: diagonal %.3e, full %.3e", diag[0], full[0])
	}
	if diag[3] < 1e4*full[3] {
		t.Errorf("at 45°: diagonal %.3e is not 10⁴ × full %.3e", diag[3], full[3])
	}
}

// TestPreconditioningView: a step of either method is θ ← θ − η·P·g, with
// P = diag(δ + √G)⁻¹ (diagonal) or (δI + G^½)⁻¹ (full matrix), G after
// adding the step's gradient. Built here from G by hand, P·g gives Step's
// update to the last bits, on the notebook's correlated quadratic.
func TestPreconditioningView(t *testing.T) {
	const eta, delta = 0.5, 1e-8
	grad := func(th []float64) []float64 {
		return []float64{th[0] + 0.95*th[1], 0.95*th[0] + th[1]}
	}
	d, _ := New(Config{LR: eta, Eps: delta}, 2)
	f, _ := NewFullMatrix(eta, delta, 2)
	td, tf := []float64{2, -1}, []float64{2, -1}
	for step := 1; step <= 3; step++ {
		// Diagonal.
		g := grad(td)
		want := []float64{td[0], td[1]}
		if err := d.Step(td, g); err != nil {
			t.Fatal(err)
		}
		for i := range want {
			p := 1 / (delta + math.Sqrt(d.Sum[i]))
			want[i] -= eta * p * g[i]
			if diff := math.Abs(td[i] - want[i]); diff > 1e-15 {
				t.Errorf("step %d, diagonal θ[%d]: Step %v, θ − η·P·g %v", step, i, td[i], want[i])
			}
		}
		// Full matrix: P = Q diag(1/(δ + √λ)) Qᵀ from G's eigenvalues λ.
		g = grad(tf)
		want = []float64{tf[0], tf[1]}
		if err := f.Step(tf, g); err != nil {
			t.Fatal(err)
		}
		var eig mat.EigenSym
		if !eig.Factorize(f.G, true) {
			t.Fatal("eigendecomposition failed")
		}
		var q mat.Dense
		eig.VectorsTo(&q)
		lambda := eig.Values(nil)
		inv := mat.NewDiagDense(2, nil)
		for i, l := range lambda {
			inv.SetDiag(i, 1/(delta+math.Sqrt(math.Max(l, 0))))
		}
		var p, tmp mat.Dense
		tmp.Mul(&q, inv)
		p.Mul(&tmp, q.T())
		var pg mat.VecDense
		pg.MulVec(&p, mat.NewVecDense(2, g))
		for i := range want {
			want[i] -= eta * pg.AtVec(i)
			// At step 1 G = g gᵀ has rank one: P's second eigenvalue is
			// 1/δ = 1e8, and g's round-off component along it (~1e-17) comes
			// out ~1e-9, differently for P·g and Step's Q(D(Qᵀg)). From step
			// 2 on G has full rank and the two agree to the last bits.
			tol := 1e-15
			if step == 1 {
				tol = 1e-8
			}
			if diff := math.Abs(tf[i] - want[i]); diff > tol {
				t.Errorf("step %d, full θ[%d]: Step %v, θ − η·P·g %v", step, i, tf[i], want[i])
			}
		}
	}
}
