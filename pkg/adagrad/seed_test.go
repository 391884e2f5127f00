package adagrad

import (
	"fmt"
	"math"
	"testing"
)

// The seed article (shared/seeds/001) walks Adagrad through five steps with
// η = 0.1 and ε = 1e-8. Its formula puts ε inside the root, η/√(G+ε); its
// Python code puts it outside, η/(√G+ε). The tests below reproduce every
// number it prints under the convention that printed it, at the printed
// precision. Where the seed's number is wrong the test asserts the computed
// value and SeedErrata (seed.go) records what was printed and why.

// roundTo rounds x to d decimals, as the seed's printf formats do.
func roundTo(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

func seedTrace(t *testing.T, epsInside bool) *Trace {
	t.Helper()
	cfg := SeedConfig()
	cfg.EpsInside = epsInside
	tr, err := Run(cfg, []float64{0, 0}, SeedGradients())
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestSeedTraceTable checks the seed's 3-step "Trace Table" (3 decimals).
// The prose derives it with the formula, ε inside the root.
func TestSeedTraceTable(t *testing.T) {
	tr := seedTrace(t, true)
	// step, G₁, G₂, eff_lr₁, eff_lr₂, w₁, w₂ as printed (errata corrected).
	want := [][7]float64{
		{1, 0.250, 0.000, 0.200, 1000, -0.100, 0.000}, // printed eff_lr₂ "~3162": erratum 1
		{2, 0.410, 0.090, 0.156, 0.333, -0.162, -0.100},
		{3, 0.500, 0.090, 0.141, 0.333, -0.205, -0.100}, // printed w₁ "−0.204": erratum 3
	}
	for i, w := range want {
		s := tr.Steps[i]
		got := [7]float64{float64(s.Step), s.Sum[0], s.Sum[1], s.LR[0], s.LR[1], s.Theta[0], s.Theta[1]}
		for j := 1; j < 7; j++ {
			if roundTo(got[j], 3) != w[j] {
				t.Errorf("step %d column %d: got %.6f, want %.3f", s.Step, j, got[j], w[j])
			}
		}
	}
}

// TestSeedCodeOutput checks the 5-step table the seed's Python prints
// (4 decimals), computed as that code does: ε outside the root.
func TestSeedCodeOutput(t *testing.T) {
	tr := seedTrace(t, false)
	want := [][6]float64{
		// G₁, G₂, lr₁, lr₂, w₁, w₂
		{0.2500, 0.0000, 0.2000, 1e7, -0.1000, 0.0000}, // printed lr₂ "3162.3": erratum 2
		{0.4100, 0.0900, 0.1562, 0.3333, -0.1625, -0.1000},
		{0.5000, 0.0900, 0.1414, 0.3333, -0.2049, -0.1000},
		{0.7500, 0.1300, 0.1155, 0.2774, -0.2626, -0.1555},
		{0.9100, 0.1300, 0.1048, 0.2774, -0.3046, -0.1555}, // printed w₁ "-0.3045": erratum 4
	}
	for i, w := range want {
		s := tr.Steps[i]
		got := [6]float64{s.Sum[0], s.Sum[1], s.LR[0], s.LR[1], s.Theta[0], s.Theta[1]}
		for j := range got {
			if roundTo(got[j], 4) != w[j] {
				t.Errorf("step %d column %d: got %.6f, want %.4f", s.Step, j, got[j], w[j])
			}
		}
	}
}

// TestSeedProse checks the other numbers the seed's prose states.
func TestSeedProse(t *testing.T) {
	cfg := SeedConfig()
	cases := []struct {
		what      string
		got, want float64
		decimals  int
	}{
		// "At Step 100 with constant gradient g₁=0.5 … lr₁ = 0.1/√25 = 0.02"
		{"lr at step 100", cfg.EffectiveLR(100, 100*0.25), 0.02, 4},
		// "At Step 1000: lr₁ = 0.1/√(1000×0.25) = 0.1/15.8 ≈ 0.006"
		{"lr at step 1000", cfg.EffectiveLR(1000, 1000*0.25), 0.006, 3},
		// "lr₂ = 0.1/√0.090 = 0.1/0.300 = 0.333"
		{"lr₂ at step 2", cfg.EffectiveLR(2, 0.09), 0.333, 3},
		// Honest limitations: "lr₂ ≈ η/1e-4" for G = 0 (ε inside; the "= 1000×η"
		// that follows is erratum 5)
		{"first lr, ε inside", Config{LR: 0.1, Eps: 1e-8, EpsInside: true}.EffectiveLR(1, 0), 0.1 / 1e-4, 6},
	}
	for _, c := range cases {
		if roundTo(c.got, c.decimals) != c.want {
			t.Errorf("%s: got %.8g, want %v", c.what, c.got, c.want)
		}
	}
	// Test Your Understanding Q1: Adagrad's first step is 2× SGD's for g = 0.5.
	tr := seedTrace(t, false)
	if r := tr.Steps[0].Theta[0] / (-0.1 * 0.5); roundTo(r, 6) != 2 {
		t.Errorf("first step / SGD step = %v, want 2", r)
	}
}

// TestSeedErrata holds each erratum's computed value to the correct
// number, worked out by hand here (not read back from the code), at the
// precision the article printed.
func TestSeedErrata(t *testing.T) {
	want := []struct {
		value    float64
		decimals int
	}{
		{1000, 6},
		{1e7, 0},
		{-0.205, 3},
		{-0.3046, 4},
		{10000, 6},
		{2, 0},
		{0.1, 6},        // the first step with g = 100 and η = 0.1: η, not an overshoot
		{1, 6},          // with η = 1: a step of 1
		{25_600_000, 0}, // L-BFGS's values for d = 1.28 million, m = 10: 2·m·d
		{0.05, 12},      // lr_decay: 0.1/(1 + 100·0.01) at step 101
		{0, 0},          // seed 000's code takes no step
		{1e-10, 16},
	}
	errata := SeedErrata()
	if len(errata) != len(want) {
		t.Fatalf("%d errata, want %d", len(errata), len(want))
	}
	for i, e := range errata {
		if got := roundTo(e.Computed, want[i].decimals); got != want[i].value {
			t.Errorf("%s: computed %v, want %v (the article printed %s)", e.Where, got, want[i].value, e.Printed)
		}
		if e.Printed == "" || e.Correct == "" || e.Why == "" {
			t.Errorf("%s: incomplete erratum %+v", e.Where, e)
		}
	}
}

// TestSeedConventionsAgreeAfterStep1 shows why the seed's two conventions
// print the same tables from step 2 on: once G ≫ ε, where ε goes is
// invisible at 4 decimals.
func TestSeedConventionsAgreeAfterStep1(t *testing.T) {
	in, out := seedTrace(t, true), seedTrace(t, false)
	for i := range in.Steps {
		for p := 0; p < 2; p++ {
			a, b := in.Steps[i].Theta[p], out.Steps[i].Theta[p]
			if fmt.Sprintf("%.4f", a) != fmt.Sprintf("%.4f", b) {
				t.Errorf("step %d θ%d: inside %.6f, outside %.6f", i+1, p+1, a, b)
			}
		}
	}
}
