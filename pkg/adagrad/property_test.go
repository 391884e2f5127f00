package adagrad

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomConfig draws hyper-parameters across their useful ranges; weight
// decay is left to the caller since some properties need it off.
func randomConfig(r *rand.Rand) Config {
	return Config{
		LR:                      math.Pow(10, -4+3*r.Float64()),
		LRDecay:                 []float64{0, 0, 1e-3, 0.1}[r.IntN(4)],
		Eps:                     []float64{0, 1e-10, 1e-8, 1e-3}[r.IntN(4)],
		InitialAccumulatorValue: []float64{0, 0, 0.1}[r.IntN(3)],
		Maximize:                r.IntN(4) == 0,
		EpsInside:               r.IntN(2) == 0,
	}
}

// randomGrad has exact zeros (a sparse feature's silent steps) and scales
// from 1e-3 to 1e3.
func randomGrad(r *rand.Rand, n int) []float64 {
	g := make([]float64, n)
	for i := range g {
		if r.IntN(5) == 0 {
			continue
		}
		g[i] = r.NormFloat64() * math.Pow(10, -3+6*r.Float64())
	}
	return g
}

func TestPropertySumNeverDecreases(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		cfg := randomConfig(r)
		cfg.WeightDecay = []float64{0, 0.01}[r.IntN(2)]
		n := 1 + r.IntN(20)
		opt, err := New(cfg, n)
		if err != nil {
			t.Fatal(err)
		}
		theta := randomGrad(r, n)
		prev := append([]float64(nil), opt.Sum...)
		for step := 0; step < 50; step++ {
			if err := opt.Step(theta, randomGrad(r, n)); err != nil {
				t.Fatal(err)
			}
			for i := range prev {
				if opt.Sum[i] < prev[i] {
					t.Fatalf("trial %d step %d: G[%d] fell from %v to %v (%+v)", trial, step, i, prev[i], opt.Sum[i], cfg)
				}
			}
			copy(prev, opt.Sum)
		}
	}
}

func TestPropertyZeroGradientLeavesTheta(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		cfg := randomConfig(r) // no weight decay
		if cfg.Eps == 0 && cfg.InitialAccumulatorValue == 0 {
			cfg.Eps = 1e-10 // 0/0 otherwise, as in PyTorch
		}
		n := 1 + r.IntN(20)
		opt, _ := New(cfg, n)
		theta := randomGrad(r, n)
		for step := 0; step < 20; step++ {
			g := randomGrad(r, n)
			zero := r.IntN(n)
			g[zero] = 0
			before := theta[zero]
			opt.Step(theta, g)
			if theta[zero] != before {
				t.Fatalf("trial %d: θ[%d] moved from %v to %v on a zero gradient (%+v)", trial, zero, before, theta[zero], cfg)
			}
		}
	}
}

// TestPropertyFirstStepIsEta: a fresh parameter's first step is
// η·|g|/(|g|+ε) with ε outside (η·|g|/√(g²+ε) inside), so ≈ η whatever |g|
// is, as long as |g| ≫ ε (≫ √ε inside). This is seed question 1.
func TestPropertyFirstStepIsEta(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 1000; trial++ {
		cfg := Config{LR: math.Pow(10, -4+4*r.Float64()), Eps: 1e-10, EpsInside: r.IntN(2) == 0}
		g := math.Copysign(math.Pow(10, -2+5*r.Float64()), r.NormFloat64())
		opt, _ := New(cfg, 1)
		theta := []float64{r.NormFloat64()}
		before := theta[0]
		opt.Step(theta, []float64{g})
		step := math.Abs(theta[0] - before)
		if math.Abs(step-cfg.LR) > 1e-6*cfg.LR {
			t.Fatalf("g = %v, η = %v: first step %v, want ≈ η", g, cfg.LR, step)
		}
		if (theta[0]-before)*g > 0 {
			t.Fatalf("g = %v: the step went uphill", g)
		}
	}
}

// TestFloat32TracksFloat64: the two precisions run the same algorithm.
func TestFloat32TracksFloat64(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	cfg := Config{LR: 0.05, LRDecay: 0.01, WeightDecay: 0.01, Eps: 1e-8, InitialAccumulatorValue: 0.1}
	const n = 64
	o64, _ := New(cfg, n)
	o32, _ := New32(cfg, n)
	t64 := make([]float64, n)
	t32 := make([]float32, n)
	for i := range t64 {
		t64[i] = float64(float32(r.NormFloat64()))
		t32[i] = float32(t64[i])
	}
	for step := 0; step < 200; step++ {
		g64 := make([]float64, n)
		g32 := make([]float32, n)
		for i := range g64 {
			g32[i] = float32(r.NormFloat64())
			g64[i] = float64(g32[i])
		}
		o64.Step(t64, g64)
		o32.Step(t32, g32)
	}
	for i := range t64 {
		if d := math.Abs(float64(t32[i]) - t64[i]); d > 1e-5*math.Max(1, math.Abs(t64[i])) {
			t.Errorf("θ[%d]: float32 %v, float64 %v", i, t32[i], t64[i])
		}
	}
}

// TestSparseMatchesDense: a sparse step equals a dense step whose gradient
// is zero outside the listed rows, and leaves the other rows' state alone.
// The two paths fuse different multiply-adds (as PyTorch's do), so they
// agree to rounding, not bit for bit.
func TestSparseMatchesDense(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for trial := 0; trial < 50; trial++ {
		cfg := randomConfig(r)
		if cfg.Eps == 0 {
			cfg.Eps = 1e-10
		}
		rows, dim := 10+r.IntN(40), 1+r.IntN(8)
		dense, _ := New(cfg, rows*dim)
		sparse, _ := New(cfg, rows*dim)
		td := randomGrad(r, rows*dim)
		ts := append([]float64(nil), td...)
		for step := 0; step < 30; step++ {
			var touched []int
			for row := 0; row < rows; row++ {
				if r.IntN(5) == 0 {
					touched = append(touched, row)
				}
			}
			rand.Shuffle(len(touched), func(i, j int) { touched[i], touched[j] = touched[j], touched[i] })
			vals := randomGrad(r, len(touched)*dim)
			full := make([]float64, rows*dim)
			for k, row := range touched {
				copy(full[row*dim:(row+1)*dim], vals[k*dim:(k+1)*dim])
			}
			sumBefore := append([]float64(nil), sparse.Sum...)
			if err := sparse.StepRows(ts, dim, touched, vals); err != nil {
				t.Fatal(err)
			}
			dense.Step(td, full)
			isTouched := map[int]bool{}
			for _, row := range touched {
				isTouched[row] = true
			}
			for i := range td {
				if !isTouched[i/dim] && sparse.Sum[i] != sumBefore[i] {
					t.Fatalf("untouched row %d's G changed", i/dim)
				}
				if d := math.Abs(ts[i] - td[i]); d > 1e-12*math.Max(1, math.Abs(td[i])) {
					t.Fatalf("trial %d step %d: θ[%d] sparse %v dense %v", trial, step, i, ts[i], td[i])
				}
				if d := math.Abs(sparse.Sum[i] - dense.Sum[i]); d > 1e-15*dense.Sum[i] {
					t.Fatalf("G[%d] sparse %v dense %v", i, sparse.Sum[i], dense.Sum[i])
				}
			}
		}
	}
}

func TestSparseCoalescesRepeatedRows(t *testing.T) {
	a, _ := New(Default(), 6)
	b, _ := New(Default(), 6)
	ta := []float64{1, 2, 3, 4, 5, 6}
	tb := append([]float64(nil), ta...)
	// rows 2 and 0, row 2 listed twice: its gradients add up.
	if err := a.StepRows(ta, 2, []int{2, 0, 2}, []float64{1, 2, 3, 4, 0.5, 0.25}); err != nil {
		t.Fatal(err)
	}
	b.StepRows(tb, 2, []int{2, 0}, []float64{1.5, 2.25, 3, 4})
	for i := range ta {
		if ta[i] != tb[i] || a.Sum[i] != b.Sum[i] {
			t.Fatalf("index %d: repeated rows %v/%v, summed %v/%v", i, ta[i], a.Sum[i], tb[i], b.Sum[i])
		}
	}
}

func TestErrorsNameTheProblem(t *testing.T) {
	if _, err := New(Config{LR: -1}, 3); err == nil || !strings.Contains(err.Error(), "learning rate") {
		t.Errorf("negative lr: %v", err)
	}
	if _, err := New(Config{LR: 0.1, Eps: math.NaN()}, 3); err == nil || !strings.Contains(err.Error(), "eps") {
		t.Errorf("NaN eps: %v", err)
	}
	opt, _ := New(Default(), 4)
	if err := opt.Step(make([]float64, 4), make([]float64, 3)); err == nil {
		t.Error("short gradient accepted")
	}
	if err := opt.StepRows(make([]float64, 4), 2, []int{2}, make([]float64, 2)); err == nil || !strings.Contains(err.Error(), "row 2") {
		t.Errorf("row out of range: %v", err)
	}
	if err := opt.StepRows(make([]float64, 4), 3, nil, nil); err == nil {
		t.Error("table not divisible into rows accepted")
	}
	wd := Default()
	wd.WeightDecay = 0.1
	opt, _ = New(wd, 4)
	if err := opt.StepRows(make([]float64, 4), 2, []int{0}, make([]float64, 2)); err == nil || !strings.Contains(err.Error(), "weight decay") {
		t.Errorf("sparse weight decay: %v", err)
	}
	if opt.Steps() != 0 {
		t.Errorf("a refused step was counted: %d", opt.Steps())
	}
}

// TestFullMatrixDiagonalCase: when every gradient lies on a coordinate axis,
// G stays diagonal and full-matrix AdaGrad is diagonal Adagrad.
func TestFullMatrixDiagonalCase(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, inside := range []bool{false, true} {
		const n = 4
		fm, _ := NewFullMatrix(0.1, 1e-8, n)
		fm.EpsInside = inside
		diag, _ := New(Config{LR: 0.1, Eps: 1e-8, EpsInside: inside}, n)
		tf, td := make([]float64, n), make([]float64, n)
		for step := 0; step < 40; step++ {
			g := make([]float64, n)
			g[r.IntN(n)] = r.NormFloat64()
			if err := fm.Step(tf, g); err != nil {
				t.Fatal(err)
			}
			diag.Step(td, g)
		}
		for i := range tf {
			if math.Abs(tf[i]-td[i]) > 1e-9 {
				t.Errorf("inside=%v θ[%d]: full %v, diagonal %v", inside, i, tf[i], td[i])
			}
		}
	}
}

// TestFullMatrixRotationInvariant: unlike diagonal Adagrad, the full-matrix
// update commutes with rotations of the parameter space: running on rotated
// gradients gives the rotated trajectory.
func TestFullMatrixRotationInvariant(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	c, s := math.Cos(0.7), math.Sin(0.7)
	rot := func(v []float64) []float64 { return []float64{c*v[0] - s*v[1], s*v[0] + c*v[1]} }
	a, _ := NewFullMatrix(0.1, 0, 2)
	b, _ := NewFullMatrix(0.1, 0, 2)
	ta, tb := []float64{0, 0}, []float64{0, 0}
	for step := 0; step < 30; step++ {
		g := []float64{r.NormFloat64(), 3 * r.NormFloat64()}
		a.Step(ta, g)
		b.Step(tb, rot(g))
	}
	want := rot(ta)
	for i := range tb {
		if math.Abs(tb[i]-want[i]) > 1e-9 {
			t.Errorf("θ[%d]: rotated run %v, rotation of run %v", i, tb[i], want[i])
		}
	}
}

// TestRMSPropAndAdamKeepTheirRate: the comparison optimizers' effective rate
// settles instead of decaying like Adagrad's under a constant gradient.
func TestRMSPropAndAdamKeepTheirRate(t *testing.T) {
	rms, _ := NewRMSProp(0.01, 0.99, 1e-8, 1)
	adam, _ := NewAdam(0.01, 0.9, 0.999, 1e-8, 1)
	ada, _ := New(Config{LR: 0.01, Eps: 1e-8}, 1)
	th := []float64{0}
	g := []float64{0.5}
	for i := 0; i < 10000; i++ {
		rms.Step(th, g)
		adam.Step(th, g)
		ada.Step(th, g)
	}
	if lr := rms.EffectiveLR(0); math.Abs(lr-0.01/0.5) > 1e-6 {
		t.Errorf("RMSProp rate %v, want η/|g| = 0.02", lr)
	}
	if lr := adam.EffectiveLR(0); math.Abs(lr-0.01/0.5) > 1e-6 {
		t.Errorf("Adam rate %v, want η/|g| = 0.02", lr)
	}
	if lr := ada.EffectiveLR(10000, ada.Sum[0]); math.Abs(lr-0.01/(0.5*100)) > 1e-9 {
		t.Errorf("Adagrad rate %v, want η/(|g|√t) = 0.0002", lr)
	}
}

// TestVectorMatchesScalar holds the amd64 vector loop to the Go loop bit for
// bit, on every length up to a few vectors (so every tail size) and on
// awkward values: zeros, tiny and huge gradients, subnormal sums.
func TestVectorMatchesScalar(t *testing.T) {
	if !useAVX2 {
		t.Skip("no vector loop on this CPU or build")
	}
	r := rand.New(rand.NewPCG(15, 16))
	vals := func(n int) []float64 {
		v := randomGrad(r, n)
		for i := range v {
			switch r.IntN(10) {
			case 0:
				v[i] = 1e-200
			case 1:
				v[i] = -1e150
			}
		}
		return v
	}
	for n := 0; n < 40; n++ {
		for _, eps := range []float64{0, 1e-10, 1e-3} {
			cfg := Config{LR: 0.07, LRDecay: 0.01, Eps: eps, InitialAccumulatorValue: 1e-310}
			g, th := vals(n), vals(n)
			// Vector path, through the public API.
			o, _ := New(cfg, n)
			a := append([]float64(nil), th...)
			// Scalar path: Maximize with the gradient negated is the same
			// arithmetic, but it takes the general Go loop.
			cs := cfg
			cs.Maximize = true
			os, _ := New(cs, n)
			b := append([]float64(nil), th...)
			ng := make([]float64, n)
			for i := range g {
				ng[i] = -g[i]
			}
			for step := 0; step < 3; step++ {
				o.Step(a, g)
				os.Step(b, ng)
			}
			for i := range a {
				if math.Float64bits(a[i]) != math.Float64bits(b[i]) || math.Float64bits(o.Sum[i]) != math.Float64bits(os.Sum[i]) {
					t.Fatalf("float64 n=%d eps=%v [%d]: vector θ %v G %v, scalar θ %v G %v", n, eps, i, a[i], o.Sum[i], b[i], os.Sum[i])
				}
			}
			// The same in float32.
			o32, _ := New32(cfg, n)
			s32, _ := New32(cs, n)
			a32, b32, g32, ng32 := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range g {
				a32[i], b32[i] = float32(th[i]), float32(th[i])
				g32[i], ng32[i] = float32(g[i]), -float32(g[i])
			}
			for step := 0; step < 3; step++ {
				o32.Step(a32, g32)
				s32.Step(b32, ng32)
			}
			for i := range a32 {
				if math.Float32bits(a32[i]) != math.Float32bits(b32[i]) || math.Float32bits(o32.Sum[i]) != math.Float32bits(s32.Sum[i]) {
					t.Fatalf("float32 n=%d eps=%v [%d]: vector θ %v G %v, scalar θ %v G %v", n, eps, i, a32[i], o32.Sum[i], b32[i], s32.Sum[i])
				}
			}
		}
	}
}

// TestVectorRowsMatchScalar is TestVectorMatchesScalar for the sparse path,
// with row widths that leave every tail size.
func TestVectorRowsMatchScalar(t *testing.T) {
	if !useAVX2 {
		t.Skip("no vector loop on this CPU or build")
	}
	r := rand.New(rand.NewPCG(17, 18))
	for dim := 1; dim < 20; dim++ {
		const rows = 30
		cfg := Config{LR: 0.03, LRDecay: 0.001, Eps: 1e-10}
		neg := cfg
		neg.Maximize = true
		v64, _ := New(cfg, rows*dim)
		s64, _ := New(neg, rows*dim)
		v32, _ := New32(cfg, rows*dim)
		s32, _ := New32(neg, rows*dim)
		a, b := make([]float64, rows*dim), make([]float64, rows*dim)
		a32, b32 := make([]float32, rows*dim), make([]float32, rows*dim)
		for step := 0; step < 5; step++ {
			idx := r.Perm(rows)[:7]
			g := randomGrad(r, len(idx)*dim)
			ng := make([]float64, len(g))
			g32, ng32 := make([]float32, len(g)), make([]float32, len(g))
			for i := range g {
				ng[i] = -g[i]
				g32[i] = float32(g[i])
				ng32[i] = -g32[i]
			}
			v64.StepRows(a, dim, idx, g)
			s64.StepRows(b, dim, idx, ng)
			v32.StepRows(a32, dim, idx, g32)
			s32.StepRows(b32, dim, idx, ng32)
		}
		for i := range a {
			if math.Float64bits(a[i]) != math.Float64bits(b[i]) || v64.Sum[i] != s64.Sum[i] {
				t.Fatalf("float64 dim=%d [%d]: vector θ %v G %v, scalar θ %v G %v", dim, i, a[i], v64.Sum[i], b[i], s64.Sum[i])
			}
			if math.Float32bits(a32[i]) != math.Float32bits(b32[i]) || v32.Sum[i] != s32.Sum[i] {
				t.Fatalf("float32 dim=%d [%d]: vector θ %v G %v, scalar θ %v G %v", dim, i, a32[i], v32.Sum[i], b32[i], s32.Sum[i])
			}
		}
	}
}
