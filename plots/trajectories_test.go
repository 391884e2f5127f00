package plots

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestR10Grid(t *testing.T) {
	g := R10Grid(0.01, 10)
	if len(g) != 31 || g[0] != 0.01 || g[len(g)-1] != 10 {
		t.Fatalf("R10Grid(0.01, 10) = %v", g)
	}
	if got := fmt.Sprint(R10Grid(0.3, 3)); got != "[0.32 0.4 0.5 0.63 0.8 1 1.25 1.6 2 2.5]" {
		t.Errorf("R10Grid(0.3, 3) = %s", got)
	}
	for i := 1; i < len(g); i++ {
		if r := g[i] / g[i-1]; r < 1.2 || r > 1.33 {
			t.Errorf("%g → %g: ratio %.3f", g[i-1], g[i], r)
		}
	}
	if R10Grid(0, 1) != nil || R10Grid(2, 1) != nil {
		t.Error("a bad range gives rates")
	}
}

// TestTrajectoriesTuned re-derives the tuned rates of figure 4 from the
// grid search written out here, independently of Trajectories' loop, and
// checks the values the legend, the doc comment and the report quote.
func TestTrajectoriesTuned(t *testing.T) {
	o := TrajectoriesDefaults()
	_, d, err := Trajectories(o)
	if err != nil {
		t.Fatal(err)
	}
	f := func(x, y float64) float64 { return o.A*x*x + o.B*y*y }
	final := func(problem, name string, lr float64) float64 {
		x, y := o.Start[0], o.Start[1]
		var G [2]float64
		var v [2]float64
		n := o.Steps
		if problem == "sparse" {
			n = o.SparseSteps
		}
		for step := 1; step <= n; step++ {
			g := [2]float64{2 * o.A * x, 2 * o.B * y}
			if problem == "sparse" && step%o.SparseEvery != 0 {
				g[1] = 0
			}
			th := [2]float64{x, y}
			for i := range th {
				switch name {
				case "GD":
					th[i] -= lr * g[i]
				case "Adagrad":
					G[i] += g[i] * g[i]
					if G[i] > 0 {
						th[i] -= lr * g[i] / (math.Sqrt(G[i]) + o.Adagrad.Eps)
					}
				case "RMSProp":
					v[i] = o.RMSPropAlpha*v[i] + (1-o.RMSPropAlpha)*g[i]*g[i]
					th[i] -= lr * g[i] / (math.Sqrt(v[i]) + o.RMSPropEps)
				}
			}
			x, y = th[0], th[1]
		}
		return f(x, y)
	}
	want := map[string]map[string]float64{
		"dense":  {"GD": 0.4, "Adagrad": 2, "RMSProp": 0.5},
		"sparse": {"GD": 0.4, "Adagrad": 1, "RMSProp": 0.16},
	}
	f0 := f(o.Start[0], o.Start[1])
	for problem, rates := range want {
		for name, eta := range rates {
			// The rule: the smallest rate whose final loss is at most
			// TuneTol·f(start); else the lowest final loss.
			choice, bestLoss := math.NaN(), math.Inf(1)
			for _, lr := range R10Grid(0.01, 10) {
				l := final(problem, name, lr)
				if l <= o.TuneTol*f0 {
					choice = lr
					break
				}
				if l < bestLoss {
					choice, bestLoss = lr, l
				}
			}
			if choice != eta {
				t.Errorf("%s %s: the grid search picks η = %g, want %g", problem, name, choice, eta)
			}
			p := d.Path(problem, name)
			if p.LR != eta {
				t.Errorf("%s %s: Trajectories ran η = %g, want %g", problem, name, p.LR, eta)
			}
			if rel := math.Abs(p.Final()-final(problem, name, eta)) / math.Max(p.Final(), 1e-300); rel > 1e-6 {
				t.Errorf("%s %s: final loss %g, independent run %g", problem, name, p.Final(), final(problem, name, eta))
			}
		}
	}
	// Tuned, Adagrad and RMSProp converge (below 1e-6 of the start) in both
	// panels; GD, held below η = 0.5 by the 2y² direction, does not in 20 steps.
	for _, problem := range []string{"dense", "sparse"} {
		for _, name := range []string{"Adagrad", "RMSProp"} {
			if p := d.Path(problem, name); p.Final() > 1e-6*f0 {
				t.Errorf("%s %s: final loss %g", problem, name, p.Final())
			}
		}
	}
	if gd := d.Path("dense", "GD").Final(); gd < 0.05 || gd > 0.1 {
		t.Errorf("dense GD: final loss %g, want ≈ 0.089", gd)
	}
	// The legends say each η.
	g, _, err := Trajectories(o)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := Encode(g, o.Style, "svg")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"GD, η = 0.4", "Adagrad, η = 2", "RMSProp, η = 0.5", "Adagrad, η = 1", "RMSProp, η = 0.16"} {
		if !strings.Contains(string(svg), s) {
			t.Errorf("no legend entry %q", s)
		}
	}
}

// TestTrajectoriesD2L: d2l's claim. On f = 0.1x² + 2y², gradient descent
// multiplies y by 1 − 4η per step, so at η = 2 (|1 − 8| = 7 > 1) it
// diverges, while Adagrad at η = 2 converges; at η = 0.4 Adagrad stops short.
func TestTrajectoriesD2L(t *testing.T) {
	o := TrajectoriesD2LDefaults()
	_, d, err := TrajectoriesD2L(o)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Paths) != 4 {
		t.Fatalf("%d paths", len(d.Paths))
	}
	gd := d.Path("η = 2", "GD")
	for i := 1; i < len(gd.Y); i++ {
		near(t, fmt.Sprintf("GD η = 2: y[%d]/y[%d]", i, i-1), gd.Y[i]/gd.Y[i-1], 1-4*2, 1e-12)
	}
	if math.Abs(1-4*2.0) <= 1 || gd.Final() < 1e30 {
		t.Errorf("GD at η = 2 should diverge: final loss %g", gd.Final())
	}
	ada := d.Path("η = 2", "Adagrad")
	if ada.Final() > 1e-6 || ada.Final() >= ada.Loss[0]*1e-6 {
		t.Errorf("Adagrad at η = 2: final loss %g", ada.Final())
	}
	// Adagrad's path is d2l's adagrad_2d: s += g²; x -= η/√(s+ε)·g.
	x, y, s1, s2 := -5.0, -2.0, 0.0, 0.0
	for i := 1; i <= o.Steps; i++ {
		g1, g2 := 0.2*x, 4*y
		s1 += g1 * g1
		s2 += g2 * g2
		x -= 2 / math.Sqrt(s1+1e-6) * g1
		y -= 2 / math.Sqrt(s2+1e-6) * g2
		near(t, fmt.Sprintf("Adagrad η = 2, x[%d]", i), ada.X[i], x, 1e-12)
		near(t, fmt.Sprintf("Adagrad η = 2, y[%d]", i), ada.Y[i], y, 1e-12)
	}
	slow := d.Path("η = 0.4", "Adagrad")
	if slow.Final() < 0.5 {
		t.Errorf("Adagrad at η = 0.4: final loss %g, d2l's run ends short of the minimum", slow.Final())
	}
	if gd4 := d.Path("η = 0.4", "GD"); gd4.Final() > 0.1 {
		t.Errorf("GD at η = 0.4: final loss %g", gd4.Final())
	}
}

// The claims notebook 03 makes of figure 4 and of d2l's case: tuned,
// Adagrad ends below gradient descent in both panels and RMSProp below
// Adagrad; at d2l's η = 0.4 Adagrad stops short (0.618) where GD reaches
// 0.089, and at η = 2 GD diverges while Adagrad converges.
func TestTrajectoriesNotebookClaims(t *testing.T) {
	_, d, err := Trajectories(TrajectoriesDefaults())
	if err != nil {
		t.Fatal(err)
	}
	for problem, want := range map[string][3]float64{"dense": {0.089, 5.3e-7, 1.2e-8}, "sparse": {1.5e-4, 1.0e-5, 1.7e-7}} {
		gd, ada, rms := d.Path(problem, "GD").Final(), d.Path(problem, "Adagrad").Final(), d.Path(problem, "RMSProp").Final()
		if !(rms < ada && ada < gd) {
			t.Errorf("%s: final losses GD %g, Adagrad %g, RMSProp %g: want RMSProp < Adagrad < GD", problem, gd, ada, rms)
		}
		for i, got := range []float64{gd, ada, rms} {
			if math.Abs(got-want[i]) > 0.05*want[i] {
				t.Errorf("%s: final loss %d is %.3g, the notebook says %.2g", problem, i, got, want[i])
			}
		}
	}
	_, dd, err := TrajectoriesD2L(TrajectoriesD2LDefaults())
	if err != nil {
		t.Fatal(err)
	}
	finals := map[string]float64{}
	for _, p := range dd.Paths {
		finals[fmt.Sprintf("%s %g", p.Optimizer, p.LR)] = p.Final()
	}
	if a, g := finals["Adagrad 0.4"], finals["GD 0.4"]; math.Abs(a-0.618) > 0.001 || math.Abs(g-0.089) > 0.001 {
		t.Errorf("η = 0.4: Adagrad %g, GD %g; the notebook says 0.618 and 0.089", a, g)
	}
	if a, g := finals["Adagrad 2"], finals["GD 2"]; a > 1e-6 || g < 1e30 {
		t.Errorf("η = 2: Adagrad %g (converges?), GD %g (diverges?)", a, g)
	}
}
