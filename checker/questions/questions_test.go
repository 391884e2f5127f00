package questions

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	a1 "github.com/adagradlab/adagradlab/exercises/q1/solution"
	a2 "github.com/adagradlab/adagradlab/exercises/q2/solution"
	a3 "github.com/adagradlab/adagradlab/exercises/q3/solution"
	a4 "github.com/adagradlab/adagradlab/exercises/q4/solution"
	a5 "github.com/adagradlab/adagradlab/exercises/q5/solution"

	"github.com/adagradlab/adagradlab/checker/result"
)

// These tests grade compiled functions, without the interpreter or a
// worker: they check the questions' logic and the data they draw.

func reference() map[string]any {
	return map[string]any{
		"FirstStepLR": a1.FirstStepLR, "FirstStepRatio": a1.FirstStepRatio,
		"Accumulate": a2.Accumulate,
		"LRAfter":    a3.LRAfter, "Diagnose": a3.Diagnose,
		"StateBytes": a4.StateBytes, "FullMatrixBytes": a4.FullMatrixBytes, "SparseUpdate": a4.SparseUpdate,
		"InterventionA": a5.InterventionA, "InterventionB": a5.InterventionB,
	}
}

func with(patch map[string]any) Code {
	m := reference()
	for k, v := range patch {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return Local(m)
}

func run(t *testing.T, id string, seed uint64, code Code) result.Question {
	t.Helper()
	var prep *Prepared
	if seed%2 == 0 { // both ways: prepared by the parent, or in the worker
		prep = Prepare(seed, IDs())
	}
	r, _, err := Run(ByID(id), seed, prep, code, time.Now().Add(10*time.Second))
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return r
}

func TestReferenceAllSeeds(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		for _, q := range All() {
			if r := run(t, q.ID, seed, with(nil)); r.Status != result.Passed || r.Score != q.Max {
				t.Errorf("seed %d %s: %s %d/%d %q", seed, q.ID, r.Status, r.Score, r.Max, r.Feedback)
			}
		}
	}
}

func TestMaxTotals100(t *testing.T) {
	total := 0
	for _, q := range All() {
		total += q.Max
	}
	if total != 100 || strings.Join(IDs(), ",") != "q1,q2,q3,q4,q5" {
		t.Fatalf("total %d, ids %v", total, IDs())
	}
}

func TestMissingAndMistyped(t *testing.T) {
	r := run(t, "q1", 1, with(map[string]any{"FirstStepRatio": nil}))
	if r.Status != result.Error || r.Score != 10 || !strings.Contains(strings.Join(r.Feedback, "\n"), "missing function FirstStepRatio: define func FirstStepRatio(float64) float64") {
		t.Errorf("missing: %s %d %q", r.Status, r.Score, r.Feedback)
	}
	r = run(t, "q3", 1, with(map[string]any{"LRAfter": func(a, b, c float64) float64 { return 0 }}))
	if r.Status != result.Error || !strings.Contains(strings.Join(r.Feedback, "\n"), "LRAfter has type func(float64, float64, float64) float64, want func(float64, float64, int) float64") {
		t.Errorf("mistyped: %s %q", r.Status, r.Feedback)
	}
}

func TestPanicsAreCaught(t *testing.T) {
	boom := func(float64) float64 { panic("boom") }
	r := run(t, "q1", 1, with(map[string]any{"FirstStepRatio": boom}))
	if r.Status != result.Partial || !strings.Contains(strings.Join(r.Feedback, "\n"), "panicked: boom") {
		t.Errorf("%s %q", r.Status, r.Feedback)
	}
	r = run(t, "q2", 1, with(map[string]any{"Accumulate": func(G, g float64) float64 { panic("boom") }}))
	if r.Status != result.Crashed {
		t.Errorf("all parts panicked: %s %q", r.Status, r.Feedback)
	}
}

func TestLearnerTextIsClipped(t *testing.T) {
	huge := strings.Repeat("é", 1<<20)
	r := run(t, "q3", 1, with(map[string]any{"Diagnose": func(a, b []float64) string { return huge }}))
	r2 := run(t, "q1", 1, with(map[string]any{"FirstStepRatio": func(float64) float64 { panic(huge) }}))
	for _, fb := range append(r.Feedback, r2.Feedback...) {
		if len(fb) > 2000 {
			t.Errorf("feedback of %d bytes", len(fb))
		}
	}
}

func TestQ1Hints(t *testing.T) {
	inside := func(eta, g, eps float64) float64 { return eta / math.Sqrt(g*g+eps) }
	r := run(t, "q1", 3, with(map[string]any{"FirstStepLR": inside}))
	if r.Score != 10 || !strings.Contains(strings.Join(r.Feedback, "\n"), "ε outside the root") {
		t.Errorf("%d %q", r.Score, r.Feedback)
	}
}

func TestQ2Properties(t *testing.T) {
	cases := []struct {
		name  string
		acc   func(G, g float64) float64
		score int
	}{
		// Forgetting is the question: the starter, Adagrad's own sum, earns
		// nothing for its other properties (issue 9).
		{"Adagrad's sum never forgets", func(G, g float64) float64 { return G + g*g }, 0},
		{"RMSProp's average passes", func(G, g float64) float64 { return 0.9*G + 0.1*g*g }, 20},
		{"a slower average passes", func(G, g float64) float64 { return 0.99*G + 0.01*g*g }, 20},
		{"a leaky sum passes", func(G, g float64) float64 { return 0.95*G + g*g }, 20},
		{"a signed sum goes negative", func(G, g float64) float64 { return 0.9*G + g }, -6},
		{"forgetting everything", func(G, g float64) float64 { return 0 }, 0},
	}
	for _, tc := range cases {
		for seed := uint64(1); seed <= 5; seed++ {
			r := run(t, "q2", seed, with(map[string]any{"Accumulate": tc.acc}))
			if tc.score < 0 { // the part worth -score must fail, whatever the others do
				if !strings.Contains(strings.Join(r.Feedback, "\n"), fmt.Sprintf("(0/%d)", -tc.score)) {
					t.Errorf("%s, seed %d: %q", tc.name, seed, r.Feedback)
				}
				continue
			}
			if r.Score != tc.score {
				t.Errorf("%s, seed %d: %d, want %d: %q", tc.name, seed, r.Score, tc.score, r.Feedback)
			}
		}
	}
}

// The curves Diagnose is graded on have the properties the issue states.
func TestQ3Curves(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		tt := &T{rng: newRand(seed, "q3")}
		c := convergedCurve(tt)
		if c.norms[len(c.norms)-1] > 1e-3*c.norms[0] || c.want != "converged" {
			t.Errorf("seed %d: converged curve ends at %g of its first norm", seed, c.norms[len(c.norms)-1]/c.norms[0])
		}
		s := stalledCurve(tt)
		first, last := s.losses[0], s.losses[len(s.losses)-1]
		if s.norms[len(s.norms)-1] < 0.1*s.norms[0] || (first-last) > 0.01*first || s.want != "stalled" {
			t.Errorf("seed %d: stalled curve: norms %g → %g, loss %g → %g", seed, s.norms[0], s.norms[len(s.norms)-1], first, last)
		}
	}
	for seed := uint64(1); seed <= 20; seed++ {
		tt := &T{rng: newRand(seed, "q3")}
		f := flooredCurve(tt)
		if f.norms[len(f.norms)-1] > 1e-3*f.norms[0] || f.losses[len(f.losses)-1] < 0.95*f.losses[0] || f.want != "converged" {
			t.Errorf("seed %d: floored curve: norms %g → %g, loss %g → %g", seed, f.norms[0], f.norms[len(f.norms)-1], f.losses[0], f.losses[len(f.losses)-1])
		}
		c := crawlingCurve(tt)
		if drop := 1 - c.losses[len(c.losses)-1]/c.losses[0]; drop < 0.3 || c.norms[len(c.norms)-1] < 0.9*c.norms[0] || c.want != "stalled" {
			t.Errorf("seed %d: crawling curve: loss down %.0f%%, norms %g → %g", seed, 100*drop, c.norms[0], c.norms[len(c.norms)-1])
		}
	}
	// Rules that read the gradient, as the lesson says, get full marks,
	// whatever their reasonable threshold.
	for name, rule := range map[string]func(losses, norms []float64) string{
		"the norm fell below 1% of the first": func(_, g []float64) string {
			return map[bool]string{true: "converged", false: "stalled"}[g[len(g)-1] < 0.01*g[0]]
		},
		"the norm fell below 5% of the largest": func(_, g []float64) string {
			top := 0.0
			for _, x := range g {
				top = math.Max(top, x)
			}
			return map[bool]string{true: "converged", false: "stalled"}[g[len(g)-1] < 0.05*top]
		},
		"the last ten norms are tiny next to the first": func(_, g []float64) string {
			worst := 0.0
			for _, x := range g[len(g)-10:] {
				worst = math.Max(worst, x)
			}
			return map[bool]string{true: "converged", false: "stalled"}[worst < 1e-3*g[0]]
		},
	} {
		for seed := uint64(1); seed <= 5; seed++ {
			r := run(t, "q3", seed, with(map[string]any{"Diagnose": rule}))
			if !strings.Contains(strings.Join(r.Feedback, "\n"), "ok: Diagnose (10/10)") {
				t.Errorf("%s, seed %d: %q", name, seed, r.Feedback)
			}
		}
	}
	// A rule that reads the loss alone misses the idea (issue 9): it does
	// not get the part's full marks, whatever its threshold.
	for name, rule := range map[string]func(losses, norms []float64) string{
		"the loss halved": func(l, _ []float64) string {
			return map[bool]string{true: "converged", false: "stalled"}[l[len(l)-1] < l[0]/2]
		},
		"the loss moved by more than 1%": func(l, _ []float64) string {
			return map[bool]string{true: "converged", false: "stalled"}[l[0]-l[len(l)-1] > 0.01*l[0]]
		},
		"the loss flattened": func(l, _ []float64) string {
			n := len(l)
			return map[bool]string{true: "converged", false: "stalled"}[math.Abs(l[n-1]-l[n-11]) < 1e-6*math.Abs(l[n-1])]
		},
	} {
		for seed := uint64(1); seed <= 5; seed++ {
			r := run(t, "q3", seed, with(map[string]any{"Diagnose": rule}))
			if strings.Contains(strings.Join(r.Feedback, "\n"), "ok: Diagnose (10/10)") {
				t.Errorf("%s, seed %d: full marks for Diagnose from the loss alone: %q", name, seed, r.Feedback)
			}
		}
	}
	r := run(t, "q3", 4, with(map[string]any{"Diagnose": func(a, b []float64) string { return "converged" }}))
	if r.Status != result.Partial || r.Score <= 10 || r.Score >= 20 {
		t.Errorf("always converged: %s %d %q", r.Status, r.Score, r.Feedback)
	}
	r = run(t, "q3", 4, with(map[string]any{"LRAfter": func(eta, g float64, steps int) float64 { return 0.02 }}))
	if r.Score != 10 {
		t.Errorf("hard-coded LRAfter: %d %q", r.Score, r.Feedback)
	}
}

func TestQ4WalkerFails(t *testing.T) {
	walker := func(w, G [][]float64, rows []int, grads [][]float64, eta, eps float64) {
		at := map[int]int{}
		for i, r := range rows {
			at[r] = i
		}
		for r := range w {
			if i, ok := at[r]; ok {
				for j, g := range grads[i] {
					G[r][j] += g * g
					w[r][j] -= eta * g / (math.Sqrt(G[r][j]) + eps)
				}
			}
		}
	}
	r := run(t, "q4", 1, with(map[string]any{"SparseUpdate": walker}))
	if r.Score != 15 || !strings.Contains(strings.Join(r.Feedback, "\n"), "walks") {
		t.Errorf("walker: %s %d %q", r.Status, r.Score, r.Feedback)
	}
	dense := func(w, G [][]float64, rows []int, grads [][]float64, eta, eps float64) {
		listed := map[int]bool{}
		for k, r := range rows {
			listed[r] = true
			for j, g := range grads[k] {
				G[r][j] += g * g
				w[r][j] -= eta * g / (math.Sqrt(G[r][j]) + eps)
			}
		}
		for r := range w { // and one row that got no gradient
			if !listed[r] {
				w[r][0] += 1
				break
			}
		}
	}
	r = run(t, "q4", 1, with(map[string]any{"SparseUpdate": dense}))
	if r.Score != 10 || !strings.Contains(strings.Join(r.Feedback, "\n"), "must not change") {
		t.Errorf("touches row 0: %s %d %q", r.Status, r.Score, r.Feedback)
	}
}

func TestQ5(t *testing.T) {
	reset := func(step int, lr float64, G []float64) float64 {
		for i := range G {
			G[i] = 0
		}
		return lr
	}
	tenfold := func(step int, lr float64, G []float64) float64 { return 10 * lr }
	none := func(step int, lr float64, G []float64) float64 { return lr }
	halve := func(step int, lr float64, G []float64) float64 {
		for i := range G {
			G[i] /= 2
		}
		return lr
	}
	negative := func(step int, lr float64, G []float64) float64 { G[0] = -1; return lr }
	cases := []struct {
		name string
		a, b any
		want int
	}{
		{"reset G and 10·lr", reset, tenfold, 20},
		{"10·lr and reset G", tenfold, reset, 20},
		{"no intervention", none, none, 0},
		// Two ways that change G differently, or two rate schedules, are two
		// ways off the plateau; the same way twice (within 10%) is one.
		{"reset G and halve G", reset, halve, 20},
		{"two rate schedules", tenfold, func(step int, lr float64, G []float64) float64 { return lr * float64(step-49_000) / 100 }, 20},
		{"the same twice", reset, reset, 16},
		{"nearly the same rate", tenfold, func(step int, lr float64, G []float64) float64 { return 10.5 * lr }, 16},
		{"G made negative", negative, tenfold, 8},
	}
	for _, tc := range cases {
		for seed := uint64(1); seed <= 5; seed++ {
			r := run(t, "q5", seed, with(map[string]any{"InterventionA": tc.a, "InterventionB": tc.b}))
			if r.Score != tc.want {
				t.Errorf("%s, seed %d: %d, want %d: %q", tc.name, seed, r.Score, tc.want, r.Feedback)
			}
		}
	}
}

// The problem really is a plateau: without intervention, the run's own
// progress after step 50,000 is less than the 25% an intervention must add.
func TestQ5Plateau(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		p := newQ5Problem(&T{rng: newRand(seed, "q5")})
		r := p.start()
		grad := make([]float64, q5Params)
		at := p.loss(r.theta, grad)
		p.train(r, q5Steps, nil, nil)
		end := p.loss(r.theta, grad)
		if cut := 1 - end/at; cut >= q5Cut {
			t.Errorf("seed %d: the run itself cuts the loss by %.0f%% after step %d", seed, 100*cut, q5Plateau)
		}
	}
}

// Q5's memo of training stretches gives, to the bit, what training gives,
// whether it is filling or answering.
func TestQ5Memo(t *testing.T) {
	p := newQ5Problem(&T{rng: newRand(3, "q5")})
	plateau := p.start()
	ivs := map[string]intervention{
		"boost": func(step int, lr float64, G []float64) float64 { return 10 * lr },
		"reset": func(step int, lr float64, G []float64) float64 {
			for i := range G {
				G[i] *= 0.01
			}
			return lr
		},
	}
	memo := newQ5Memo()
	for name, iv := range ivs {
		want := plateau.clone()
		if _, err := p.train(want, q5Steps, iv, nil); err != nil {
			t.Fatal(err)
		}
		for pass := range 2 { // the first fills the memo, the second reads it
			got := plateau.clone()
			if _, err := p.train(got, q5Steps, iv, memo); err != nil {
				t.Fatal(err)
			}
			if got.step != want.step || !slices.Equal(bitsOf(got.theta), bitsOf(want.theta)) || !slices.Equal(bitsOf(got.opt.Sum), bitsOf(want.opt.Sum)) {
				t.Errorf("%s, pass %d: memo gives θ %v G %v at step %d, training θ %v G %v at step %d",
					name, pass+1, got.theta, got.opt.Sum, got.step, want.theta, want.opt.Sum, want.step)
			}
		}
	}
	if n := len(memo.m); n != 2*(q5Steps-q5Plateau)/q5Every {
		t.Errorf("memo holds %d stretches, want one per intervention and answer (%d)", n, 2*(q5Steps-q5Plateau)/q5Every)
	}
}

func bitsOf(xs []float64) []uint64 {
	out := make([]uint64, len(xs))
	for i, x := range xs {
		out[i] = math.Float64bits(x)
	}
	return out
}

// Feedback tells a wrong value from the right one: as many digits as that
// takes.
func TestApart(t *testing.T) {
	for _, tc := range []struct{ got, want float64 }{
		{0.19029100001, 0.190291},
		{0.190291, 0.19029100000000003}, // one ulp apart
		{0.5, 0.25},
		{1, 1},
	} {
		gs, ws := apart(tc.got, tc.want)
		if tc.got != tc.want && gs == ws {
			t.Errorf("apart(%v, %v) = %q, %q: they read the same", tc.got, tc.want, gs, ws)
		}
		if tc.got == tc.want && gs != ws {
			t.Errorf("apart(%v, %v) = %q, %q", tc.got, tc.want, gs, ws)
		}
	}
	if gs, _ := apart(0.5, 0.25); gs != "0.5" {
		t.Errorf("short values stay short: %q", gs)
	}
}
