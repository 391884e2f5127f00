package questions

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
)

// Q4's efficiency test: the same update on a small table and on a huge one.
const (
	smallRows = 1_000
	bigRows   = 2_000_000
	timedRows = 16
	timedDim  = 8
	// A sparse update does the same work on both tables. An answer whose time
	// on the big table exceeds slowFactor times its time on the small one,
	// plus slowSlack, walks the table: 2,000,000 interpreted loop iterations
	// take tens of milliseconds at the very least, far above the slack.
	slowFactor = 20
	slowSlack  = 5 * time.Millisecond
)

var q4 = &Question{
	ID: "q4", Title: "Adagrad's memory for sparse embeddings", Max: 20,
	Funcs: []string{"StateBytes", "FullMatrixBytes", "SparseUpdate"},
	run: func(t *T) {
		type tc struct{ vocab, dim, bpv int }
		cases := []tc{{10000, 128, 4}}
		for range 6 {
			cases = append(cases, tc{1000 + t.rng.IntN(1_000_000), 8 + t.rng.IntN(505), []int{2, 4, 8}[t.rng.IntN(3)]})
		}
		// Each function's cases go in one round trip.
		args := make([][]any, len(cases))
		for i, c := range cases {
			args[i] = []any{c.vocab, c.dim, c.bpv}
		}
		if _, ok := fn[func(vocab, dim, bytesPerValue int) int64](t, "StateBytes"); ok {
			t.part(5, "StateBytes", func() error {
				gots := each[int64](t, "StateBytes", args...)
				for i, c := range cases {
					if got, want := gots[i], int64(c.vocab)*int64(c.dim)*int64(c.bpv); got != want {
						return fmt.Errorf("StateBytes(%d, %d, %d) = %d, want %d (one accumulator per parameter)", c.vocab, c.dim, c.bpv, got, want)
					}
				}
				return nil
			})
		} else {
			t.skip(5, "StateBytes", "the function is missing")
		}
		if _, ok := fn[func(vocab, dim, bytesPerValue int) int64](t, "FullMatrixBytes"); ok {
			t.part(5, "FullMatrixBytes", func() error {
				gots := each[int64](t, "FullMatrixBytes", args...)
				for i, c := range cases {
					n := int64(c.vocab) * int64(c.dim)
					if got, want := gots[i], n*n*int64(c.bpv); got != want {
						return fmt.Errorf("FullMatrixBytes(%d, %d, %d) = %d, want %d (an n×n matrix for n = vocab·dim parameters)", c.vocab, c.dim, c.bpv, got, want)
					}
				}
				return nil
			})
		} else {
			t.skip(5, "FullMatrixBytes", "the function is missing")
		}
		f2, ok := fn[sparseUpdate](t, "SparseUpdate")
		if !ok {
			t.skip(5, "SparseUpdate updates the listed rows", "the function is missing")
			t.skip(5, "SparseUpdate's time does not grow with the table", "the function is missing")
			return
		}
		correct := t.part(5, "SparseUpdate updates the listed rows, and only those", func() error {
			for round := range 3 {
				if err := sparseRound(t, f2, round); err != nil {
					return err
				}
			}
			return nil
		})
		if !correct {
			t.skip(5, "SparseUpdate's time does not grow with the table", "timed only once the update is right")
			return
		}
		t.part(5, "SparseUpdate's time does not grow with the table", func() error { return sparseTiming(t) })
	},
}

type sparseUpdate = func(w, G [][]float64, rows []int, grads [][]float64, eta, eps float64)

// sparseRound checks one update on a small random table against the
// reference's StepRows.
func sparseRound(t *T, f sparseUpdate, round int) error {
	vocab, dim := 20+t.rng.IntN(40), 2+t.rng.IntN(5)
	eta := t.logUniform(0.01, 0.5)
	eps := []float64{1e-8, 1e-10}[t.rng.IntN(2)]
	w, G := make([][]float64, vocab), make([][]float64, vocab)
	flatW, flatG := make([]float64, 0, vocab*dim), make([]float64, 0, vocab*dim)
	for r := range vocab {
		w[r], G[r] = make([]float64, dim), make([]float64, dim)
		for j := range dim {
			w[r][j] = t.uniform(-1, 1)
			if t.rng.IntN(3) > 0 { // some rows never saw a gradient
				G[r][j] = t.uniform(0, 2)
			}
		}
		flatW, flatG = append(flatW, w[r]...), append(flatG, G[r]...)
	}
	k := 3 + t.rng.IntN(6)
	rows := t.rng.Perm(vocab)[:k]
	grads := make([][]float64, k)
	flatGrad := make([]float64, 0, k*dim)
	for i := range grads {
		grads[i] = make([]float64, dim)
		for j := range dim {
			grads[i][j] = t.sign() * t.uniform(0.01, 2)
		}
		flatGrad = append(flatGrad, grads[i]...)
	}
	cfg := adagrad.Config{LR: eta, Eps: eps}
	opt, err := adagrad.New(cfg, vocab*dim)
	if err != nil {
		return err
	}
	copy(opt.Sum, flatG)
	if err := opt.StepRows(flatW, dim, slices.Clone(rows), flatGrad); err != nil {
		return err
	}
	origW, origG := slices.Clone(w), slices.Clone(G) // the row slices, to check "in place"
	f(w, G, slices.Clone(rows), grads, eta, eps)
	listed := map[int]bool{}
	for _, r := range rows {
		listed[r] = true
	}
	for r := range vocab {
		for j := range dim {
			gw, gG := origW[r][j], origG[r][j]
			ww, wG := flatW[r*dim+j], opt.Sum[r*dim+j]
			if !closeAbs(gG, wG) || !closeAbs(gw, ww) {
				what := "a listed row"
				if !listed[r] {
					what = "a row that got no gradient, which must not change"
				}
				gwS, wwS := apart(gw, ww)
				gGS, wGS := apart(gG, wG)
				return fmt.Errorf("round %d, table %d×%d, rows %v, η = %s, ε = %s: row %d (%s), column %d has θ = %s, G = %s; want θ = %s, G = %s (G += g², then θ −= η·g/(√G+ε), in place)",
					round+1, vocab, dim, rows, g17(eta), g17(eps), r, what, j, gwS, gGS, wwS, wGS)
			}
		}
	}
	return nil
}

func closeAbs(got, want float64) bool {
	return math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want))
}

// ErrLate is wrapped by a Code's error when a call was not back by its
// deadline (the worker was then stopped).
var ErrLate = errors.New("no reply in time")

// sparseTiming times the learner's update of timedRows rows on a small and on
// a huge table, both kept in the worker so that the huge one never crosses.
// The judge times each round trip itself, the two tables one after the
// other, so a loaded machine slows both alike; and it checks the rows every
// timed call returns against its own copy, so that an update that returns
// early, or does something else on a big table, is caught.
func sparseTiming(t *T) error {
	small, big := newTable(t, 1, smallRows), newTable(t, 2, bigRows)
	for _, tb := range []*table{small, big} {
		t.check(t.code.Table(tb.id, tb.n, timedDim, tb.rows, tb.w, tb.g))
	}
	defer t.code.Drop() // an error here is the worker's, already reported
	eta, eps := 0.05, 1e-8
	call := func(tb *table, deadline time.Time) (time.Duration, error) {
		start := time.Now()
		w, g, replaced, err := t.code.Update(tb.id, "SparseUpdate", tb.rows, tb.grads, eta, eps, deadline)
		d := time.Since(start)
		if err != nil {
			return d, err
		}
		return d, tb.check(w, g, replaced, eta, eps)
	}
	bestSmall, bestBig := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	timeSmall := func() error {
		d, err := call(small, t.deadline)
		if err != nil {
			var p *Panic
			if errors.As(err, &p) {
				return fmt.Errorf("on a %d-row table it panicked: %s", smallRows, clip(p.Msg))
			}
			if errors.Is(err, ErrLate) || !isCheck(err) {
				panic(gone{err})
			}
			return err
		}
		bestSmall = min(bestSmall, d)
		return nil
	}
	for range 3 {
		if err := timeSmall(); err != nil {
			return err
		}
	}
	// Up to three tries on the big table, the best kept: one fast try is
	// enough to pass; a slow one may be the machine's fault and is retried;
	// two slow ones in a row, each well over the bound, fail.
	slowRuns := 0
	for range 3 {
		// An answer walking the table must not eat the question's whole
		// time: the big call gets what is left of it, less a margin.
		budget := t.remaining() - 300*time.Millisecond
		d, err := call(big, time.Now().Add(max(budget, 0)))
		var p *Panic
		switch {
		case errors.As(err, &p):
			return fmt.Errorf("on a %d-row table where only the %d rows with a gradient hold values, it panicked: %s (it touches rows that got no gradient)", bigRows, timedRows, clip(p.Msg))
		case errors.Is(err, ErrLate):
			t.abandon = true
			return fmt.Errorf("updating %d rows of a %d-row table did not finish in %v, while a %d-row table took %v: the update walks the whole table", timedRows, bigRows, budget.Round(time.Millisecond), smallRows, bestSmall)
		case err != nil && !isCheck(err):
			panic(gone{err})
		case err != nil:
			return fmt.Errorf("on a %d-row table: %v", bigRows, err)
		}
		bestBig = min(bestBig, d)
		if err := timeSmall(); err != nil {
			return err
		}
		bound := slowFactor*bestSmall + slowSlack
		if bestBig <= bound {
			return nil
		}
		if bestBig > 4*bound {
			if slowRuns++; slowRuns == 2 {
				break
			}
		}
	}
	return fmt.Errorf("updating %d rows took %v on a %d-row table and %v on a %d-row one: the time grows with the table, so the update walks rows that got no gradient", timedRows, bestSmall, smallRows, bestBig, bigRows)
}

// table is the judge's copy of a timed table: only its listed rows, which
// are all it needs to check an update.
type table struct {
	id, n int
	rows  []int
	w, g  []float64 // the listed rows, row after row
	grads []float64
	calls int
}

// newTable draws a table of n rows of width timedDim in which only the
// timedRows rows that get a gradient hold values.
func newTable(t *T, id, n int) *table {
	tb := &table{id: id, n: n}
	seen := map[int]bool{}
	for len(tb.rows) < timedRows {
		r := t.rng.IntN(n)
		if seen[r] {
			continue
		}
		seen[r] = true
		tb.rows = append(tb.rows, r)
		for range timedDim {
			tb.w = append(tb.w, t.uniform(-1, 1))
			tb.g = append(tb.g, t.uniform(0, 1))
			tb.grads = append(tb.grads, t.sign()*t.uniform(0.1, 1))
		}
	}
	return tb
}

// checkError is an update whose rows came back wrong.
type checkError struct{ msg string }

func (e checkError) Error() string { return e.msg }

func isCheck(err error) bool { return errors.As(err, new(checkError)) }

// check steps the judge's copy with the reference and compares the rows
// the learner's update returned.
func (tb *table) check(w, g []float64, replaced []int, eta, eps float64) error {
	tb.calls++
	k := len(tb.rows)
	opt, err := adagrad.New(adagrad.Config{LR: eta, Eps: eps}, k*timedDim)
	if err != nil {
		return err
	}
	copy(opt.Sum, tb.g)
	local := make([]int, k)
	for i := range local {
		local[i] = i
	}
	if err := opt.StepRows(tb.w, timedDim, local, tb.grads); err != nil {
		return err
	}
	copy(tb.g, opt.Sum)
	if len(replaced) > 0 {
		return checkError{fmt.Sprintf("on the %d-row table it replaced row %d instead of updating it in place", tb.n, replaced[0])}
	}
	if len(w) != len(tb.w) || len(g) != len(tb.g) {
		return checkError{"the rows came back with the wrong size"}
	}
	for i := range tb.w {
		if !closeAbs(w[i], tb.w[i]) || !closeAbs(g[i], tb.g[i]) {
			r, j := tb.rows[i/timedDim], i%timedDim
			return checkError{fmt.Sprintf("update %d of the %d-row table left row %d, column %d at θ = %s, G = %s; want θ = %s, G = %s",
				tb.calls, tb.n, r, j, g17(w[i]), g17(g[i]), g17(tb.w[i]), g17(tb.g[i]))}
		}
	}
	return nil
}

// Q5's training run: a plateau the checker keeps to itself.
const (
	q5BaseLR     = 0.01
	q5Plateau    = 50_000
	q5Every      = 1_000
	q5Steps      = 60_000
	q5Cut        = 0.25
	q5Params     = 12
	q5HuberDelta = 0.05
)

// q5Problem is a Huber loss Σ sᵢ·huber(θᵢ−cᵢ): far from the minimum its
// gradient has a constant size, so Adagrad's G grows like t and each step
// shrinks like 1/√t. By step 50,000 the far coordinates crawl: the plateau.
type q5Problem struct{ s, c, theta0 []float64 }

func newQ5Problem(t *T) *q5Problem {
	p := &q5Problem{s: make([]float64, q5Params), c: make([]float64, q5Params), theta0: make([]float64, q5Params)}
	for i := range q5Params {
		p.s[i] = t.uniform(0.5, 2)
		p.c[i] = t.uniform(-2, 2)
		// Beyond the 2η√t ≈ 4.9 Adagrad travels in 60,000 steps; an
		// intervention that multiplies the rate by ten travels 8.7.
		d := t.uniform(7, 10)
		if i%3 == 0 {
			d = t.uniform(0.5, 3) // already learned
		}
		p.theta0[i] = p.c[i] + t.sign()*d
	}
	return p
}

func (p *q5Problem) loss(th, grad []float64) float64 {
	return huber(th, p.c, p.s, q5HuberDelta, grad)
}

// q5Run is a training run: the optimizer, θ, and the steps taken.
type q5Run struct {
	opt   *adagrad.Optimizer
	theta []float64
	step  int
}

func newQ5Run(theta, sum []float64, step int) *q5Run {
	opt, err := adagrad.New(adagrad.Config{LR: q5BaseLR, Eps: 1e-10}, q5Params)
	if err != nil {
		panic(err)
	}
	copy(opt.Sum, sum)
	return &q5Run{opt: opt, theta: slices.Clone(theta), step: step}
}

// start trains from θ₀ to the plateau.
func (p *q5Problem) start() *q5Run {
	r := newQ5Run(p.theta0, make([]float64, q5Params), 0)
	p.train(r, q5Plateau, nil, nil)
	return r
}

// clone copies a run. (Without lr_decay, which q5 does not use, the
// optimizer's own step count does not enter the update.)
func (r *q5Run) clone() *q5Run { return newQ5Run(r.theta, r.opt.Sum, r.step) }

// Q5State is the part of Q5's grading that does not depend on the answer:
// the run at the plateau and the final loss without intervention. The
// parent computes it once per seed (Prepare) and hands it to every worker,
// which then only runs the two interventions.
type Q5State struct {
	Theta    []float64 `json:"theta"`
	Sum      []float64 `json:"sum"`
	BaseLoss float64   `json:"base_loss"`
}

func q5Prepare(seed uint64) *Q5State {
	p := newQ5Problem(&T{rng: newRand(seed, "q5")})
	plateau := p.start()
	base := plateau.clone()
	p.train(base, q5Steps, nil, nil)
	return &Q5State{Theta: plateau.theta, Sum: plateau.opt.Sum, BaseLoss: p.loss(base.theta, make([]float64, q5Params))}
}

// intervention is what the learner writes for Q5.
type intervention = func(step int, lr float64, G []float64) float64

// q5Kind records what an intervention did to the run: whether it changed
// G or the rate, and what it did at each call (the rate it returned, G as
// it left it), to tell two interventions apart by what they do.
type q5Kind struct {
	changedG, changedLR bool
	lrs                 []float64
	gs                  [][]float64
}

// q5Apart is how far apart two interventions' rates, or their Gs, must be
// at some call for them to count as two interventions rather than one.
const q5Apart = 0.1

// same reports whether two interventions did the same, within q5Apart,
// at every call.
func (k q5Kind) same(o q5Kind) bool {
	near := func(a, b float64) bool { return math.Abs(a-b) <= q5Apart*math.Max(math.Abs(a), math.Abs(b)) }
	if len(k.lrs) != len(o.lrs) {
		return false
	}
	for i := range k.lrs {
		if !near(k.lrs[i], o.lrs[i]) {
			return false
		}
		for j := range k.gs[i] {
			if !near(k.gs[i][j], o.gs[i][j]) {
				return false
			}
		}
	}
	return true
}

func (k q5Kind) String() string {
	switch {
	case k.changedG && k.changedLR:
		return "changes both G and the learning rate"
	case k.changedG:
		return "changes the accumulator G"
	case k.changedLR:
		return "changes the learning rate"
	}
	return "changes nothing"
}

// train runs r from its current step to step `until`; iv, if not nil, is
// called every q5Every steps from q5Plateau on. The stretches between two
// calls go through memo (nil: none), as they depend only on the run's state.
func (p *q5Problem) train(r *q5Run, until int, iv intervention, memo *q5Memo) (q5Kind, error) {
	var kind q5Kind
	for r.step < until {
		step := r.step
		end := until
		if iv != nil {
			if step >= q5Plateau && step%q5Every == 0 {
				before := slices.Clone(r.opt.Sum)
				lr := iv(step, q5BaseLR, r.opt.Sum)
				if !slices.Equal(before, r.opt.Sum) {
					kind.changedG = true
				}
				if len(r.opt.Sum) != q5Params {
					return kind, fmt.Errorf("at step %d it changed the length of G", step)
				}
				for i, v := range r.opt.Sum {
					if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
						return kind, fmt.Errorf("at step %d it left G[%d] = %s: G must stay finite and ≥ 0", step, i, g(v))
					}
				}
				if math.IsNaN(lr) || math.IsInf(lr, 0) || lr <= 0 || lr > 100 {
					return kind, fmt.Errorf("at step %d it returned lr = %s: the learning rate must be positive and at most 100", step, g(lr))
				}
				if math.Abs(lr-q5BaseLR) > 1e-12 {
					kind.changedLR = true
				}
				kind.lrs, kind.gs = append(kind.lrs, lr), append(kind.gs, slices.Clone(r.opt.Sum))
				r.opt.LR = lr
			}
			next := max(q5Plateau, (step/q5Every+1)*q5Every)
			end = min(until, next)
		}
		memo.stretch(p, r, end)
	}
	return kind, nil
}

// stretch trains r to step end with no intervention.
func (p *q5Problem) stretch(r *q5Run, end int) {
	grad := make([]float64, q5Params)
	for ; r.step < end; r.step++ {
		p.loss(r.theta, grad)
		if err := r.opt.Step(r.theta, grad); err != nil {
			panic(err) // lengths are q5Params, checked
		}
	}
}

// q5Memo remembers the stretches of Q5's training between two
// interventions, by the run's exact state (step, rate, θ and G to the bit):
// answers that intervene alike — most do, from the same lesson — share
// them, and the judge trains each only once per seed. A pure function's
// memo: what it returns is what training would give.
type q5Memo struct {
	mu sync.Mutex
	m  map[q5Key][2 * q5Params]float64
}

type q5Key struct {
	step, end int
	lr        uint64
	state     [2 * q5Params]uint64 // θ, then G
}

// q5MemoMax bounds the memo (an entry is ~0.4 KB): past it, stretches are
// trained and not kept.
const q5MemoMax = 20_000

func newQ5Memo() *q5Memo { return &q5Memo{m: map[q5Key][2 * q5Params]float64{}} }

// stretch trains r to step end, from the memo where it can; m may be nil.
func (m *q5Memo) stretch(p *q5Problem, r *q5Run, end int) {
	if m == nil || len(r.theta) != q5Params || len(r.opt.Sum) != q5Params {
		p.stretch(r, end)
		return
	}
	k := q5Key{step: r.step, end: end, lr: math.Float64bits(r.opt.LR)}
	for i := range q5Params {
		k.state[i], k.state[q5Params+i] = math.Float64bits(r.theta[i]), math.Float64bits(r.opt.Sum[i])
	}
	m.mu.Lock()
	after, ok := m.m[k]
	m.mu.Unlock()
	if !ok {
		p.stretch(r, end)
		copy(after[:q5Params], r.theta)
		copy(after[q5Params:], r.opt.Sum)
		m.mu.Lock()
		if len(m.m) < q5MemoMax {
			m.m[k] = after
		}
		m.mu.Unlock()
		return
	}
	copy(r.theta, after[:q5Params])
	copy(r.opt.Sum, after[q5Params:])
	r.step = end
}

var q5 = &Question{
	ID: "q5", Title: "Two ways off the plateau", Max: 20,
	Funcs: []string{"InterventionA", "InterventionB"},
	run: func(t *T) {
		p := newQ5Problem(t)
		st := t.prep.Q5
		if st == nil || len(st.Theta) != q5Params || len(st.Sum) != q5Params {
			st = q5Prepare(t.seed)
		}
		plateau := newQ5Run(st.Theta, st.Sum, q5Plateau)
		grad := make([]float64, q5Params)
		baseLoss := st.BaseLoss
		kinds := map[string]q5Kind{}
		for _, name := range []string{"InterventionA", "InterventionB"} {
			iv, ok := fn[intervention](t, name)
			if !ok {
				t.skip(8, name, "the function is missing")
				continue
			}
			t.part(8, name+" cuts the final loss by ≥ 25%", func() error {
				r := plateau.clone()
				kind, err := p.train(r, q5Steps, iv, t.prep.q5memo)
				if err != nil {
					return err
				}
				kinds[name] = kind
				loss := p.loss(r.theta, grad)
				cut := 1 - loss/baseLoss
				if !(cut >= q5Cut) {
					return fmt.Errorf("final loss %s against %s without intervention: a cut of %.1f%%, need ≥ 25%% (it %s)", g(loss), g(baseLoss), 100*cut, kind)
				}
				t.notef("%s: final loss %s against %s without intervention (−%.0f%%); it %s", name, g(loss), g(baseLoss), 100*cut, kind)
				return nil
			})
		}
		a, okA := kinds["InterventionA"]
		b, okB := kinds["InterventionB"]
		if !okA || !okB {
			t.skip(4, "the two interventions are two", "both must run first")
			return
		}
		t.part(4, "the two interventions are two", func() error {
			// Two ways: what they do differs — the kind (G or the rate), or
			// within a kind the schedule (two rate schedules are two ways).
			if a.same(b) {
				return fmt.Errorf("InterventionA and InterventionB do the same (within %.0f%% at every call: both %s); give two different ways off the plateau", 100*q5Apart, a)
			}
			return nil
		})
	},
}
