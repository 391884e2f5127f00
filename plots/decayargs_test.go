package plots

import (
	"bytes"
	"fmt"
	"math"
	"testing"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
)

// The numbers notebook 03 prints or states in its sections on the decay
// arguments and on the stall of figure 6, each checked against a closed form
// (or, where there is none, an independent sum written out here).

// seedRate is the effective rate after step t of a parameter that got the
// gradient g at every step, from G₀, with the seed's η = 0.1 and ε = 1e-8
// (outside the root) and PyTorch's lr_decay d: η/(1+(t−1)d) / (√(G₀+t·g²) + ε).
func seedRate(d, g0, g float64, t int) float64 {
	return 0.1 / (1 + float64(t-1)*d) / (math.Sqrt(g0+float64(t)*g*g) + 1e-8)
}

func TestDecayArgsLRDecay(t *testing.T) {
	_, d, err := DecayArgs(DecayArgsDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.LRDecay) != 3 || len(d.Steps) != 1000 {
		t.Fatalf("%d lr_decay runs of %d steps", len(d.LRDecay), len(d.Steps))
	}
	// Every step of every run against the closed form.
	for _, r := range d.LRDecay {
		for step := 1; step <= 1000; step++ {
			want := seedRate(r.Config.LRDecay, 0, 0.5, step)
			if math.Abs(r.LRAt(step)-want) > 1e-12*want || math.Abs(r.StepAt(step)-0.5*want) > 1e-9*want {
				t.Fatalf("lr_decay %g, step %d: rate %v, step %v; closed form %v, %v", r.Config.LRDecay, step, r.LRAt(step), r.StepAt(step), want, 0.5*want)
			}
		}
	}
	// The notebook's trace table (4 significant figures).
	table := map[float64][4]float64{ // steps 1, 2, 10, 100
		0:    {0.2000, 0.1414, 0.06325, 0.02000},
		0.01: {0.2000, 0.1400, 0.05802, 0.01005},
		0.1:  {0.2000, 0.1286, 0.03329, 0.001835},
	}
	for _, r := range d.LRDecay {
		for k, step := range []int{1, 2, 10, 100} {
			want := table[r.Config.LRDecay][k]
			near(t, fmt.Sprintf("rate at step %d, lr_decay %g", step, r.Config.LRDecay), r.LRAt(step), want, 5e-4*want)
		}
	}
	// "with lr_decay = 0.1 the rate at step 100 is 0.1/(1 + 99·0.1)/√(100·0.25) = 0.1/10.9/5 = 0.001835,
	// a eleventh of the 0.02 without it"; its step is half that, 0.000917.
	r := d.LRDecay[2]
	near(t, "clr at step 100, lr_decay 0.1", r.Config.StepLR(100), 0.1/10.9, 1e-15)
	near(t, "rate at step 100, lr_decay 0.1", r.LRAt(100), 0.1/10.9/5, 1e-10)
	near(t, "ratio to no decay at step 100", d.LRDecay[0].LRAt(100)/r.LRAt(100), 10.9, 1e-9)
	near(t, "step at 100, lr_decay 0.1", r.StepAt(100), 0.000917, 5e-7)
	// Without decay the log-log slope is −½; with d = 0.1 it steepens towards −3/2.
	slope := func(r *DecayRun, a, b int) float64 {
		return (math.Log(r.LRAt(b)) - math.Log(r.LRAt(a))) / (math.Log(float64(b)) - math.Log(float64(a)))
	}
	near(t, "slope without decay", slope(&d.LRDecay[0], 100, 1000), -0.5, 1e-6)
	if s := slope(&d.LRDecay[2], 100, 1000); s > -1.45 || s < -1.5 {
		t.Errorf("slope with lr_decay 0.1 over steps 100…1000 = %v, want close to −1.5", s)
	}
	// Seed 000's erratum: at every step, not per epoch; η = 0.1, d = 0.01 gives 0.05 at step 101.
	near(t, "StepLR(101), η = 0.1, d = 0.01", d.LRDecay[1].Config.StepLR(101), 0.05, 1e-15)
}

func TestDecayArgsWeightDecay(t *testing.T) {
	_, d, err := DecayArgs(DecayArgsDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.WeightDecay) != 2 {
		t.Fatalf("%d weight_decay runs", len(d.WeightDecay))
	}
	plain, wd := d.WeightDecay[0], d.WeightDecay[1]
	// Without weight decay θ_t = −η·Σ g/(g√s + ε), the seed's −0.1·Σ 1/√s: −6.18 after 1000 steps.
	sum := 0.0
	for s := 1; s <= 1000; s++ {
		sum += 0.1 * 0.5 / (0.5*math.Sqrt(float64(s)) + 1e-8)
		if s == 10 || s == 100 || s == 1000 {
			near(t, fmt.Sprintf("θ after %d steps, no weight decay", s), plain.ThetaAt(s), -sum, 1e-12)
		}
	}
	near(t, "θ after 1000 steps, no weight decay (printed)", plain.ThetaAt(1000), -6.180, 5e-4)
	near(t, "2η√t at 1000", 2*0.1*math.Sqrt(1000), 6.325, 5e-4)
	// With λ = 0.1 the gradient is 0.5 + 0.1·θ: the same first step (θ₀ = 0), then
	// θ heads for −g/λ = −5 and never passes it; −4.310 after 1000 steps.
	near(t, "first step, λ = 0.1", wd.ThetaAt(1), plain.ThetaAt(1), 0)
	near(t, "θ after 1000 steps, λ = 0.1 (printed)", wd.ThetaAt(1000), -4.310, 5e-4)
	for k, step := range []int{10, 100, 1000} { // the notebook's trace, 4 decimals
		near(t, fmt.Sprintf("θ after %d steps, λ = 0 (printed)", step), plain.ThetaAt(step), []float64{-0.5021, -1.8590, -6.1801}[k], 5e-5)
		near(t, fmt.Sprintf("θ after %d steps, λ = 0.1 (printed)", step), wd.ThetaAt(step), []float64{-0.4921, -1.7168, -4.3096}[k], 5e-5)
	}
	near(t, "G after 1000 steps, λ = 0 (0.25·1000)", plain.G[999], 250, 1e-9)
	near(t, "G after 1000 steps, λ = 0.1 (printed)", wd.G[999], 42.03, 5e-3)
	// Checked step by step against the rule with λθ added by hand.
	theta, G := 0.0, 0.0
	for s := 1; s <= 1000; s++ {
		g := 0.5 + 0.1*theta
		G += g * g
		theta -= 0.1 * g / (math.Sqrt(G) + 1e-8)
		if math.Abs(wd.ThetaAt(s)-theta) > 1e-12 {
			t.Fatalf("step %d: θ = %v, by hand %v", s, wd.ThetaAt(s), theta)
		}
		if !(theta > -5 && theta < 0) {
			t.Fatalf("step %d: θ = %v outside (−5, 0)", s, theta)
		}
		if s > 1 && !(wd.ThetaAt(s) > plain.ThetaAt(s)) {
			t.Fatalf("step %d: weight decay did not hold θ back", s)
		}
	}
}

func TestDecayArgsInitialAccumulator(t *testing.T) {
	_, d, err := DecayArgs(DecayArgsDefaults())
	if err != nil {
		t.Fatal(err)
	}
	if len(d.InitialAccumulator) != 3 {
		t.Fatalf("%d G₀ runs", len(d.InitialAccumulator))
	}
	for _, r := range d.InitialAccumulator {
		g0 := r.Config.InitialAccumulatorValue
		for step := 1; step <= 1000; step++ {
			want := seedRate(0, g0, 0.5, step)
			if math.Abs(r.LRAt(step)-want) > 1e-12*want || math.Abs(r.StepAt(step)-0.5*want) > 1e-9*want {
				t.Fatalf("G₀ %g, step %d: rate %v, closed form %v", g0, step, r.LRAt(step), want)
			}
		}
	}
	// "G₀ = 0: the first step is η·g/|g| = 0.1 whatever g;
	// G₀ = 0.1: 0.1·0.5/√0.35 = 0.0845; G₀ = 1: 0.1·0.5/√1.25 = 0.0447".
	near(t, "first step, G₀ = 0", d.InitialAccumulator[0].StepAt(1), 0.1, 1e-8)
	near(t, "first step, G₀ = 0.1", d.InitialAccumulator[1].StepAt(1), 0.1*0.5/(math.Sqrt(0.35)+1e-8), 1e-15)
	near(t, "first step, G₀ = 0.1 (printed)", d.InitialAccumulator[1].StepAt(1), 0.0845, 5e-5)
	near(t, "first step, G₀ = 1 (printed)", d.InitialAccumulator[2].StepAt(1), 0.0447, 5e-5)
	// The first step with G₀ = 0 does not depend on g.
	for _, g := range []float64{1e-3, 0.5, 10} {
		r, err := runConstant(adagrad.SeedConfig(), 0, g, 1)
		if err != nil {
			t.Fatal(err)
		}
		near(t, fmt.Sprintf("first step for g = %g, G₀ = 0", g), r.StepAt(1), 0.1, 1e-5)
	}
	// The notebook's trace (3 significant figures) at steps 2 and 10.
	for k, want := range [][2]float64{{0.0707, 0.0316}, {0.0645, 0.0310}, {0.0408, 0.0267}} {
		r := d.InitialAccumulator[k]
		near(t, fmt.Sprintf("step 2, G₀ = %g", r.Config.InitialAccumulatorValue), r.StepAt(2), want[0], 5e-5)
		near(t, fmt.Sprintf("step 10, G₀ = %g", r.Config.InitialAccumulatorValue), r.StepAt(10), want[1], 5e-5)
	}
	// By step 100 the three differ by under 2 %: 0.01, 0.00998, 0.00981.
	for k, want := range []float64{0.01, 0.00998, 0.00981} {
		near(t, fmt.Sprintf("step 100, G₀ = %g", d.InitialAccumulator[k].Config.InitialAccumulatorValue), d.InitialAccumulator[k].StepAt(100), want, 5e-6)
	}
	if r := d.InitialAccumulator[2].StepAt(100) / d.InitialAccumulator[0].StepAt(100); r < 0.98 {
		t.Errorf("G₀ = 1 against 0 at step 100: ratio %v", r)
	}
}

// The library defaults the notebook names: PyTorch's are adagrad.Default()
// (lr 0.01, lr_decay 0, weight_decay 0, initial_accumulator_value 0,
// eps 1e-10 outside the root); Keras 3's learning_rate 0.001,
// initial_accumulator_value 0.1, epsilon 1e-7 (inside the root), whose first
// step for g = 0.5 is 0.001·0.5/√(0.35 + 1e-7) = 0.000845.
func TestDecayArgsLibraryDefaults(t *testing.T) {
	if got, want := adagrad.Default(), (adagrad.Config{LR: 0.01, Eps: 1e-10}); got != want {
		t.Errorf("adagrad.Default() = %+v, want PyTorch's %+v", got, want)
	}
	keras := adagrad.Config{LR: 0.001, InitialAccumulatorValue: 0.1, Eps: 1e-7, EpsInside: true}
	r, err := runConstant(keras, 0, 0.5, 1)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "Keras 3's first step, g = 0.5", r.StepAt(1), 0.001*0.5/math.Sqrt(0.35+1e-7), 1e-15)
	near(t, "Keras 3's first step (printed)", r.StepAt(1), 0.000845, 5e-7)
	torch, err := runConstant(adagrad.Default(), 0, 0.5, 1)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "PyTorch's first step, g = 0.5 (printed)", torch.StepAt(1), 0.01, 1e-10)
}

// stepsToReach is the stall section's closed form, independent of
// pkg/adagrad: the first t with η·Σ_{s≤t} g/(g√s + ε) ≥ target.
func stepsToReach(lr, g, target float64) int {
	w := 0.0
	for t := 1; ; t++ {
		w += lr * g / (g*math.Sqrt(float64(t)) + 1e-8)
		if w >= target {
			return t
		}
	}
}

func TestReach(t *testing.T) {
	o := ReachDefaults()
	_, d, err := Reach(o)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Runs) != 3 || d.Steps[0] != 1 || d.Steps[len(d.Steps)-1] != 100000 {
		t.Fatalf("%d runs, steps %v … %v", len(d.Runs), d.Steps[0], d.Steps[len(d.Steps)-1])
	}
	// What the notebook prints: steps needed, and (50/(2η))².
	want := []struct {
		lr       float64
		reached  int
		estimate float64
	}{{0.1, 62866, 62500}, {0.5, 2574, 2500}, {2, 175, 156.25}}
	for i, w := range want {
		r := d.Runs[i]
		if r.LR != w.lr || r.Reached != w.reached || r.Estimate != w.estimate {
			t.Errorf("η = %g: reached at %d (estimate %g), want η = %g at %d (%g)", r.LR, r.Reached, r.Estimate, w.lr, w.reached, w.estimate)
		}
		if got := stepsToReach(w.lr, 0.5, 50); got != r.Reached {
			t.Errorf("η = %g: the sum reaches 50 at step %d, the figure at %d", w.lr, got, r.Reached)
		}
		// Σ_{s≤t} 1/√s = 2√t + ζ(½) + O(1/√t), ζ(½) = −1.4603545: so
		// t ≈ ((50/η − ζ(½))/2)², which (50/(2η))² approaches as η shrinks.
		approx := math.Pow((50/w.lr+1.4603545)/2, 2)
		if math.Abs(float64(r.Reached)-approx) > 1.5 {
			t.Errorf("η = %g: reached at %d, the asymptotic sum says %.1f", w.lr, r.Reached, approx)
		}
	}
	// After the arrival w stays at 50 within a step.
	for _, r := range d.Runs {
		if last := r.W[len(r.W)-1]; math.Abs(last-50) > 0.01 {
			t.Errorf("η = %g: w = %v at the end", r.LR, last)
		}
	}
	// Travel with η = 0.1: w = 6.18 after 1000 steps (2η√t = 6.32), 50 only
	// after 62,866 — and figure 6's stall curve is the same run.
	_, ld, err := Loss(LossDefaults())
	if err != nil {
		t.Fatal(err)
	}
	near(t, "figure 6's stalled w after 1000 steps", ld.StallW[1000], 6.180, 5e-4)
	near(t, "figure 6's stalled w after 100 steps", ld.StallW[100], 1.859, 5e-4)
	near(t, "its loss after 1000 steps, 0.5·(50 − 6.18)", ld.StallLoss[1000], 21.91, 5e-3)
	for i, s := range d.Steps {
		if s > 1000 {
			break
		}
		if math.Abs(d.Runs[0].W[i]-ld.StallW[int(s)]) > 1e-12 {
			t.Fatalf("step %v: Reach's w %v, figure 6's %v", s, d.Runs[0].W[i], ld.StallW[int(s)])
		}
	}
	// The notebook's trace for η = 0.1: w after 100, 1000, 10000 steps (4 decimals) and 2η√t.
	w := 0.0
	for s := 1; s <= 10000; s++ {
		w += 0.1 * 0.5 / (0.5*math.Sqrt(float64(s)) + 1e-8)
		switch s {
		case 100:
			near(t, "w after 100 steps", w, 1.8590, 5e-5)
		case 1000:
			near(t, "w after 1000 steps", w, 6.1801, 5e-5)
			near(t, "2η√1000", 0.2*math.Sqrt(1000), 6.3246, 5e-5)
		case 10000:
			near(t, "w after 10000 steps", w, 19.8545, 5e-5)
		}
	}
	// The ratio of travel to 2η√t tends to 1.
	for _, c := range []struct {
		t   int
		lo  float64
		max float64
	}{{100, 0.92, 0.93}, {1000, 0.97, 0.98}, {10000, 0.99, 0.995}} {
		w := 0.0
		for s := 1; s <= c.t; s++ {
			w += 0.1 * 0.5 / (0.5*math.Sqrt(float64(s)) + 1e-8)
		}
		if r := w / (0.2 * math.Sqrt(float64(c.t))); r < c.lo || r > c.max {
			t.Errorf("travel after %d steps over 2η√t = %v, want %v…%v", c.t, r, c.lo, c.max)
		}
	}
	// The table: one row per sampled step, w per η.
	if tb := d.Table(); len(tb.Rows) != len(d.Steps) || len(tb.Header) != 4 {
		t.Errorf("table: %d rows, header %v", len(tb.Rows), tb.Header)
	}
}

func TestDecayArgsTable(t *testing.T) {
	_, d, err := DecayArgs(DecayArgsDefaults())
	if err != nil {
		t.Fatal(err)
	}
	tb := d.Table()
	if len(tb.Rows) != 1000 || len(tb.Header) != 1+2*3+2+2*3 {
		t.Fatalf("table: %d rows, header %v", len(tb.Rows), tb.Header)
	}
	if tb.Header[1] != "move_lr_decay_0" || tb.Header[7] != "theta_weight_decay_0" || tb.Header[12] != "lr_init_acc_0.1" {
		t.Errorf("header %v", tb.Header)
	}
	var buf bytes.Buffer
	if err := tb.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	o := DecayArgsDefaults()
	o.Steps = 1
	if _, _, err := DecayArgs(o); err == nil {
		t.Error("Steps = 1 accepted")
	}
	o = DecayArgsDefaults()
	o.WeightDecays = []float64{-1}
	if _, _, err := DecayArgs(o); err == nil {
		t.Error("a negative weight decay accepted")
	}
}

// TestDecayArgsGolden draws the two figures of this file (not in the
// lecture set, so TestGolden does not see them) in paper style and compares
// them with testdata/decay-args_golden.png and testdata/reach_golden.png.
// After an intended change, look at the new images, then regenerate:
//
//	go test ./plots -run TestDecayArgsGolden -update
func TestDecayArgsGolden(t *testing.T) {
	st := Paper()
	do := DecayArgsDefaults()
	do.Style = st
	g, _, err := DecayArgs(do)
	if err != nil {
		t.Fatal(err)
	}
	ro := ReachDefaults()
	ro.Style = st
	p, _, err := Reach(ro)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		d    Drawer
	}{{"decay-args", g}, {"reach", p}} {
		png, err := PNG(f.d, st)
		if err != nil {
			t.Fatal(err)
		}
		again, err := PNG(f.d, st)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(png, again) {
			t.Errorf("%s: two renderings differ", f.name)
		}
		checkGolden(t, f.name, png, "go test ./plots -run TestDecayArgsGolden -update")
	}
}
