package questions

import (
	"fmt"
	"math"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
)

var q1 = &Question{
	ID: "q1", Title: "Adagrad's first step", Max: 20,
	Funcs: []string{"FirstStepLR", "FirstStepRatio"},
	run: func(t *T) {
		if _, ok := fn[func(eta, g, eps float64) float64](t, "FirstStepLR"); ok {
			type tc struct{ eta, g, eps float64 }
			cases := []tc{{0.1, 0.5, 1e-8}, {t.logUniform(1e-3, 1), 0, []float64{1e-8, 1e-10}[t.rng.IntN(2)]}}
			for range 10 {
				cases = append(cases, tc{t.logUniform(1e-3, 1), t.sign() * t.logUniform(1e-2, 10), []float64{1e-7, 1e-8, 1e-10}[t.rng.IntN(3)]})
			}
			t.rng.Shuffle(len(cases)-1, func(i, j int) { cases[i+1], cases[j+1] = cases[j+1], cases[i+1] })
			args := make([][]any, len(cases))
			for i, c := range cases {
				args[i] = []any{c.eta, c.g, c.eps}
			}
			t.part(10, "FirstStepLR", func() error {
				gots := each[float64](t, "FirstStepLR", args...)
				for i, c := range cases {
					got := gots[i]
					// G after step 1 is g², so the rate is η/(√(g²)+ε).
					want := c.eta / (math.Sqrt(c.g*c.g) + c.eps)
					if !close(got, want, 1e-9) {
						hint := ""
						if close(got, c.eta/math.Sqrt(c.g*c.g+c.eps), 1e-9) {
							hint = " (that is η/√(G+ε): the question puts ε outside the root, η/(√G+ε))"
						} else if close(got, c.eta/c.eps, 1e-9) || close(got, c.eta/math.Sqrt(c.eps), 1e-9) {
							hint = " (G is the accumulator after step 1, so it already holds g²)"
						}
						gs, ws := apart(got, want)
						return fmt.Errorf("FirstStepLR(%s, %s, %s) = %s, want %s%s", g17(c.eta), g17(c.g), g17(c.eps), gs, ws, hint)
					}
				}
				return nil
			})
		} else {
			t.skip(10, "FirstStepLR", "the function is missing")
		}
		if _, ok := fn[func(g float64) float64](t, "FirstStepRatio"); ok {
			gs := []float64{0.5}
			for range 10 {
				gs = append(gs, t.sign()*t.logUniform(0.05, 20))
			}
			args := make([][]any, len(gs))
			for i, x := range gs {
				args[i] = []any{x}
			}
			t.part(10, "FirstStepRatio", func() error {
				gots := each[float64](t, "FirstStepRatio", args...)
				for i, x := range gs {
					got := gots[i]
					// Adagrad moves η·g/|g|, SGD η·g: the ratio is 1/|g|.
					want := 1 / math.Abs(x)
					if !close(got, want, 1e-6) {
						hint := ""
						if close(got, 1/x, 1e-6) {
							hint = " (a ratio of step sizes: compare magnitudes)"
						}
						gs, ws := apart(got, want)
						return fmt.Errorf("FirstStepRatio(%s) = %s, want %s%s", g17(x), gs, ws, hint)
					}
				}
				return nil
			})
		} else {
			t.skip(10, "FirstStepRatio", "the function is missing")
		}
	},
}

var q2 = &Question{
	ID: "q2", Title: "An accumulator that can forget", Max: 20,
	Funcs: []string{"Accumulate"},
	run: func(t *T) {
		if _, ok := fn[func(G, g float64) float64](t, "Accumulate"); !ok {
			t.skip(20, "Accumulate's three properties", "the function is missing")
			return
		}
		acc := func(G0 float64, gs []float64) []float64 { return fold(t, "Accumulate", G0, gs) }
		const eta, eps = 0.1, 1e-8
		// 1. It falls after the gradients stop. "Stopped" is mostly tiny
		// gradients, not only exact zeros: an answer that forgets only
		// when g == 0 exactly is not the idea.
		n1 := 20 + t.rng.IntN(40)
		const quiet = 200
		grads := make([]float64, n1+quiet)
		for i := range n1 {
			grads[i] = t.sign() * t.uniform(0.5, 2)
		}
		for i := n1; i < len(grads); i++ {
			if t.rng.IntN(4) > 0 {
				grads[i] = t.sign() * t.logUniform(1e-9, 1e-6)
			}
		}
		panics := t.panics
		forgets := t.part(7, "G falls after the gradients stop", func() error {
			Gs := acc(0, grads)
			peak := Gs[n1-1]
			if !(peak > 0) || math.IsInf(peak, 0) {
				return fmt.Errorf("after %d gradients G is %s; it should have grown", n1, g(peak))
			}
			if G := Gs[len(Gs)-1]; !(G <= peak/2) {
				return fmt.Errorf("G went from %s to %s after %d steps with gradients of at most 1e-6 (most of them not exactly 0): it must forget (fall to at most half)", g(peak), g(G), quiet)
			}
			return nil
		})
		// Forgetting is the question: Adagrad's own sum, which never forgets
		// (the starter), is finite and favours sparse parameters too, and
		// must not earn points for that.
		if !forgets && t.panics == panics { // (a panic: the parts below will say so too)
			t.skip(6, "G stays finite and ≥ 0", "graded once G forgets (Adagrad's own sum already does this)")
			t.skip(7, "a parameter with a gradient one step in five keeps a larger effective lr", "graded once G forgets (Adagrad's own sum already does this)")
			return
		}
		// 2. Finite and ≥ 0, whatever the gradients.
		type run struct {
			G0 float64
			xs []float64
		}
		runs := make([]run, 4)
		for i := range runs {
			runs[i].G0 = []float64{0, t.uniform(0, 10), t.logUniform(1, 1e3), 0}[i]
			runs[i].xs = make([]float64, 100)
			for j := range runs[i].xs {
				switch t.rng.IntN(4) {
				case 0:
				case 1:
					runs[i].xs[j] = t.sign() * t.logUniform(1e-6, 1)
				default:
					runs[i].xs[j] = t.sign() * t.logUniform(1e-2, 1e3)
				}
			}
		}
		t.part(6, "G stays finite and ≥ 0", func() error {
			for _, r := range runs {
				prev := r.G0
				for step, G := range acc(r.G0, r.xs) {
					if math.IsNaN(G) || math.IsInf(G, 0) || G < 0 {
						return fmt.Errorf("Accumulate(%s, %s) = %s at step %d: G must stay finite and ≥ 0", g(prev), g(r.xs[step]), g(G), step+1)
					}
					prev = G
				}
			}
			return nil
		})
		// 3. A sparse parameter keeps a larger effective rate than a dense one.
		c := t.uniform(0.2, 2)
		phase := t.rng.IntN(5)
		t.part(7, "a parameter with a gradient one step in five keeps a larger effective lr", func() error {
			const steps = 200
			dg, sg := make([]float64, steps), make([]float64, steps)
			for s := range steps {
				dg[s] = c
				if s%5 == phase {
					sg[s] = c
				}
			}
			dense, sparse := acc(0, dg), acc(0, sg)
			sum := 0.0
			for s := range steps {
				lrD, lrS := eta/(math.Sqrt(dense[s])+eps), eta/(math.Sqrt(sparse[s])+eps)
				if s >= 10 && lrS < lrD {
					return fmt.Errorf("at step %d with g = %s: the sparse parameter's lr %s is below the dense one's %s (G %s vs %s)", s+1, g(c), g(lrS), g(lrD), g(sparse[s]), g(dense[s]))
				}
				if s >= 10 {
					sum += lrS / lrD
				}
			}
			if !(sum/float64(steps-10) > 1) {
				return fmt.Errorf("with g = %s the sparse parameter's lr is no larger than the dense one's on average", g(c))
			}
			return nil
		})
	},
}

var q3 = &Question{
	ID: "q3", Title: "Convergence or failure?", Max: 20,
	Funcs: []string{"LRAfter", "Diagnose"},
	run: func(t *T) {
		if _, ok := fn[func(eta, g float64, steps int) float64](t, "LRAfter"); ok {
			type tc struct {
				eta, g float64
				steps  int
			}
			cases := []tc{{0.1, 0.5, 100}, {0.1, 0.5, 1000}}
			for range 10 {
				cases = append(cases, tc{t.logUniform(1e-3, 1), t.sign() * t.logUniform(1e-2, 5), 1 + t.rng.IntN(100000)})
			}
			args := make([][]any, len(cases))
			for i, c := range cases {
				args[i] = []any{c.eta, c.g, c.steps}
			}
			t.part(10, "LRAfter", func() error {
				gots := each[float64](t, "LRAfter", args...)
				for i, c := range cases {
					got := gots[i]
					want := c.eta / math.Sqrt(float64(c.steps)*c.g*c.g)
					if !close(got, want, 1e-6) {
						gs, ws := apart(got, want)
						return fmt.Errorf("LRAfter(%s, %s, %d) = %s, want %s (G = steps·g²)", g17(c.eta), g17(c.g), c.steps, gs, ws)
					}
				}
				return nil
			})
		} else {
			t.skip(10, "LRAfter", "the function is missing")
		}
		if _, ok := fn[func(losses, gradNorms []float64) string](t, "Diagnose"); ok {
			// Among them, one of each kind the loss alone misreads: a
			// converged run whose loss barely moves (it has a floor), a
			// stalled one whose loss came well down before it crawled, and
			// a stalled one whose loss is flat to the last digit.
			curves := make([]curve, 0, 8)
			nConv := 3 + t.rng.IntN(3)
			for i := range 8 {
				switch {
				case i == 0:
					curves = append(curves, flooredCurve(t))
				case i < nConv:
					curves = append(curves, convergedCurve(t))
				case i == nConv:
					curves = append(curves, crawlingCurve(t))
				case i == nConv+1:
					curves = append(curves, flatCurve(t))
				default:
					curves = append(curves, stalledCurve(t))
				}
			}
			t.rng.Shuffle(len(curves), func(i, j int) { curves[i], curves[j] = curves[j], curves[i] })
			right := 0
			var wrong []string
			args := make([][]any, len(curves))
			for i, c := range curves {
				args[i] = []any{c.losses, c.norms}
			}
			t.part(10, "Diagnose", func() error {
				gots := each[string](t, "Diagnose", args...)
				for i, c := range curves {
					got := gots[i]
					if got == c.want {
						right++
					} else {
						wrong = append(wrong, fmt.Sprintf("curve %d (%s): said %q, it %s", i+1, c.about, clip(got), c.want))
					}
				}
				if len(wrong) > 0 {
					return fmt.Errorf("%d of %d curves right; %s", right, len(curves), wrongList(wrong))
				}
				return nil
			})
			if right > 0 && right < len(curves) {
				// Partial credit: a point per curve beyond chance.
				pts := 10 * right / len(curves)
				t.score += pts
				t.notef("partial credit for Diagnose: %d/10", pts)
			}
		} else {
			t.skip(10, "Diagnose", "the function is missing")
		}
	},
}

func wrongList(w []string) string {
	if len(w) > 3 {
		return fmt.Sprintf("%s; … and %d more", joinSemi(w[:3]), len(w)-3)
	}
	return joinSemi(w)
}

func joinSemi(w []string) string {
	s := ""
	for i, x := range w {
		if i > 0 {
			s += "; "
		}
		s += x
	}
	return s
}

// curve is a training run of the reference Adagrad: loss and gradient norm
// before every step.
type curve struct {
	losses, norms []float64
	want          string // "converged" or "stalled"
	about         string
}

// convergedCurve runs Adagrad on a random quadratic ½Σaᵢ(θᵢ−cᵢ)² until the
// gradient norm is at most 1e-3 of the first.
func convergedCurve(t *T) curve {
	for {
		n := 2 + t.rng.IntN(5)
		a, c, th := make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			a[i] = t.uniform(0.5, 5)
			c[i] = t.uniform(-3, 3)
			th[i] = c[i] + t.sign()*t.uniform(1, 5)
		}
		cfg := adagrad.Default()
		cfg.LR = t.uniform(0.3, 1)
		steps := 300 + t.rng.IntN(500)
		cv := runCurve(cfg, th, steps, func(th, grad []float64) float64 {
			loss := 0.0
			for i := range th {
				d := th[i] - c[i]
				loss += 0.5 * a[i] * d * d
				grad[i] = a[i] * d
			}
			return loss
		})
		if cv.norms[len(cv.norms)-1] <= 1e-3*cv.norms[0] {
			cv.want, cv.about = "converged", fmt.Sprintf("a %d-parameter quadratic, η = %.2f", n, cfg.LR)
			return cv
		}
	}
}

// flooredCurve is a converged run on a loss with a floor: the quadratic
// plus a constant far above what it loses, so the loss falls by a few
// percent at most while the gradient vanishes.
func flooredCurve(t *T) curve {
	cv := convergedCurve(t)
	floor := t.uniform(20, 100) * cv.losses[0]
	for i := range cv.losses {
		cv.losses[i] += floor
	}
	cv.about += fmt.Sprintf(", plus a floor of %.3g", floor)
	return cv
}

// crawlingCurve is a stalled run that first made real progress: a Huber
// loss far from its minimum, with η such that Adagrad's travel (2η√t, the
// gradient's size being constant there) covers half the distance or so.
// The loss comes down by a third to three quarters; the gradient does not
// shrink at all.
func crawlingCurve(t *T) curve {
	for {
		n := 2 + t.rng.IntN(5)
		s, c, th := make([]float64, n), make([]float64, n), make([]float64, n)
		num, den := 0.0, 0.0
		for i := range n {
			s[i] = t.uniform(0.5, 2)
			c[i] = t.uniform(-3, 3)
			d := t.uniform(40, 60)
			th[i] = c[i] + t.sign()*d
			num, den = num+s[i]*d, den+s[i]
		}
		steps := 300 + t.rng.IntN(500)
		u := t.uniform(0.4, 0.6)
		cfg := adagrad.Default()
		cfg.LR = u * (num / den) / (2 * math.Sqrt(float64(steps)))
		cv := runCurve(cfg, th, steps, func(th, grad []float64) float64 {
			return huber(th, c, s, 0.05, grad)
		})
		first, last := cv.losses[0], cv.losses[len(cv.losses)-1]
		if drop := (first - last) / first; drop >= 0.3 && drop <= 0.75 && cv.norms[len(cv.norms)-1] >= 0.9*cv.norms[0] {
			cv.want = "stalled"
			cv.about = fmt.Sprintf("a Huber loss that came down by %.0f%% and now crawls (η = %.2g): its gradient has not shrunk", 100*drop, cfg.LR)
			return cv
		}
	}
}

// flatCurve is a stalled run whose loss does not move at all: G starts so
// large (1e12 and more) that Adagrad's steps vanish, far from the minimum,
// with the gradient as large as ever. Flat is not converged.
func flatCurve(t *T) curve {
	s, c, th := farHuber(t)
	cfg := adagrad.Default()
	cfg.LR = 0.1
	cfg.InitialAccumulatorValue = t.logUniform(1e12, 1e14)
	cv := runCurve(cfg, th, 300+t.rng.IntN(500), func(th, grad []float64) float64 {
		return huber(th, c, s, 0.05, grad)
	})
	cv.want = "stalled"
	cv.about = fmt.Sprintf("a Huber loss, G starting at %.1e: the loss is flat, the gradient as large as ever", cfg.InitialAccumulatorValue)
	return cv
}

// farHuber draws a Huber loss of 2–6 parameters, slopes s and minimum c,
// and a start θ 20–60 from it in every coordinate.
func farHuber(t *T) (s, c, th []float64) {
	n := 2 + t.rng.IntN(5)
	s, c, th = make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		s[i] = t.uniform(0.5, 2)
		c[i] = t.uniform(-3, 3)
		th[i] = c[i] + t.sign()*t.uniform(20, 60)
	}
	return s, c, th
}

// stalledCurve runs Adagrad where its rate is already tiny far from the
// minimum: a random Huber loss (constant gradient far away) with a small η or
// a huge starting accumulator. The loss barely moves, the gradient does not
// shrink.
func stalledCurve(t *T) curve {
	for {
		s, c, th := farHuber(t)
		cfg := adagrad.Default()
		about := ""
		if t.rng.IntN(2) == 0 {
			cfg.LR = t.logUniform(1e-4, 1e-3)
			about = fmt.Sprintf("a Huber loss far from its minimum, η = %.1e", cfg.LR)
		} else {
			cfg.LR = 0.1
			cfg.InitialAccumulatorValue = t.logUniform(1e6, 1e8)
			about = fmt.Sprintf("a Huber loss, G starting at %.1e", cfg.InitialAccumulatorValue)
		}
		steps := 300 + t.rng.IntN(500)
		cv := runCurve(cfg, th, steps, func(th, grad []float64) float64 {
			return huber(th, c, s, 0.05, grad)
		})
		first, last := cv.losses[0], cv.losses[len(cv.losses)-1]
		if cv.norms[len(cv.norms)-1] >= 0.1*cv.norms[0] && (first-last) <= 0.01*first {
			cv.want, cv.about = "stalled", about
			return cv
		}
	}
}

// huber is Σ sᵢ·huber_δ(θᵢ−cᵢ); it writes the gradient into grad.
func huber(th, c, s []float64, delta float64, grad []float64) float64 {
	loss := 0.0
	for i := range th {
		x := th[i] - c[i]
		if math.Abs(x) <= delta {
			loss += s[i] * x * x / (2 * delta)
			grad[i] = s[i] * x / delta
		} else {
			loss += s[i] * (math.Abs(x) - delta/2)
			grad[i] = s[i] * math.Copysign(1, x)
		}
	}
	return loss
}

func runCurve(cfg adagrad.Config, th []float64, steps int, f func(th, grad []float64) float64) curve {
	opt, err := adagrad.New(cfg, len(th))
	if err != nil {
		panic(err)
	}
	grad := make([]float64, len(th))
	var cv curve
	for range steps {
		loss := f(th, grad)
		norm := 0.0
		for _, x := range grad {
			norm += x * x
		}
		cv.losses = append(cv.losses, loss)
		cv.norms = append(cv.norms, math.Sqrt(norm))
		if err := opt.Step(th, grad); err != nil {
			panic(err)
		}
	}
	return cv
}
