package adagrad

import "math"

// The seed article (shared/seeds/001 in the course material) walks Adagrad
// through five steps; these are its inputs, and the mistakes it prints.

// SeedGradients are the five gradient pairs (w₁, w₂) of the seed article's
// walkthrough: w₁ gets a gradient every step, w₂ only on steps 2 and 4.
func SeedGradients() [][]float64 {
	return [][]float64{{0.5, 0.0}, {0.4, 0.3}, {0.3, 0.0}, {0.5, 0.2}, {0.4, 0.0}}
}

// SeedConfig is the seed article's setting: η = 0.1, ε = 1e-8 outside the
// root, as its code computes (its formula puts ε inside; set EpsInside for
// that reading).
func SeedConfig() Config {
	return Config{LR: 0.1, Eps: 1e-8}
}

// Erratum is a number the seed articles print wrongly, with the value the
// reference computes for it.
type Erratum struct {
	Where    string  // where in the article
	Printed  string  // what the article prints
	Correct  string  // what it should say
	Why      string  // the slip, explained
	Computed float64 // the value pkg/adagrad computes, to compare with Printed
}

// SeedErrata lists every number the seed articles print wrongly. The
// notebooks show it; the package's tests check each Computed value.
func SeedErrata() []Erratum {
	walk := func(inside bool) *Trace {
		cfg := SeedConfig()
		cfg.EpsInside = inside
		tr, err := Run(cfg, []float64{0, 0}, SeedGradients())
		if err != nil {
			panic(err) // fixed inputs: cannot happen
		}
		return tr
	}
	formula, code := walk(true), walk(false)
	active := 0
	for _, g := range SeedGradients() {
		if g[1] != 0 {
			active++
		}
	}
	return []Erratum{
		{
			Where:    "Walkthrough step 1 and the Trace Table, eff_lr₂",
			Printed:  "lr₂ = 0.1 / √(0.0 + 1e-8) = 0.1 / 0.0001 ≈ 3162",
			Correct:  "0.1 / 0.0001 = 1000",
			Why:      "√1e-8 is 1e-4, so the quotient is 1000; 3162 is 0.1/√1e-9",
			Computed: formula.Steps[0].LR[1],
		},
		{
			Where:    "Code output, step 1, lr2",
			Printed:  "3162.3",
			Correct:  "10000000.0000",
			Why:      "the code computes eta/(sqrt(G)+eps) = 0.1/(0+1e-8) = 1e7; the printed value fits neither convention",
			Computed: code.Steps[0].LR[1],
		},
		{
			Where:    "Trace Table, step 3, w₁",
			Printed:  "−0.204",
			Correct:  "−0.205",
			Why:      "w₁ = −0.16247 − 0.14142×0.3 = −0.20490, which rounds to −0.205 (the table truncated)",
			Computed: formula.Steps[2].Theta[0],
		},
		{
			Where:    "Code output, step 5, w1",
			Printed:  "-0.3045",
			Correct:  "-0.3046",
			Why:      "w1 = -0.26263 - 0.10483×0.4 = -0.30456, which rounds to -0.3046",
			Computed: code.Steps[4].Theta[0],
		},
		{
			Where:    "Honest Limitations, initial effective lr",
			Printed:  "lr₂ ≈ η/1e-4 = 1000×η",
			Correct:  "η/1e-4 = 10,000×η (1000 for η = 0.1)",
			Why:      "dividing by 1e-4 multiplies by 10⁴; the article conflates 1000 (the step-1 rate for η = 0.1) with the factor",
			Computed: formula.Steps[0].LR[1] / formula.Config.LR,
		},
		{
			Where:    "Anchor, w₂'s frequency",
			Printed:  "w₂ (has_certification, activated 1 in 5 steps, mostly 0)",
			Correct:  "2 in 5: the walkthrough's g₂ is non-zero at steps 2 and 4",
			Why:      "the five gradient pairs (0.5,0.0) (0.4,0.3) (0.3,0.0) (0.5,0.2) (0.4,0.0) activate w₂ twice",
			Computed: float64(active),
		},
		{
			Where:    "Honest Limitations, a large first gradient",
			Printed:  "If a sparse feature has a large first gradient, the initial update can overshoot wildly.",
			Correct:  "the first step moves a parameter by η·g/(|g|+ε) ≈ η whatever g: with g = 100 it is 0.1 for η = 0.1, as with g = 0.5",
			Why:      "at step 1 G is g², so the rate is η/|g| and the step η·sign(g): a large gradient cannot make the first step large",
			Computed: firstStep(SeedConfig(), 100),
		},
		{
			Where:    "Honest Limitations, η = 1",
			Printed:  "Too large a global η (e.g., η=1.0) can cause divergence on the first step for dense features",
			Correct:  "the first step is η = 1 in every coordinate, whatever the gradient: a step of fixed size, too far or not depending on the problem's scale, never a divergence",
			Why:      "the same: G = g² at step 1, so the step is η·g/|g|; later steps only shrink (η/√t for a constant gradient)",
			Computed: firstStep(Config{LR: 1, Eps: 1e-8}, 0.5),
		},
		{
			Where:    "Test Your Understanding, question 4",
			Printed:  "a full second-moment matrix (as required by L-BFGS)",
			Correct:  "L-BFGS keeps m pairs of d-vectors (m ≈ 5–20): 2·m·d values, 25.6 million for d = 1.28 million and m = 10; the d×d matrix (1.6·10¹² values) is full-matrix AdaGrad's",
			Why:      "L-BFGS is limited-memory by construction: it never forms the d×d matrix",
			Computed: float64(2 * 10 * 10_000 * 128),
		},
		{
			Where:    "Seed 000, learning-rate decay",
			Printed:  "a large learning rate is adopted in the beginning of the training process and then it is decayed by the certain factor after pre-defined epochs",
			Correct:  "PyTorch's Adagrad lr_decay is η/(1+(t−1)·lr_decay), at every step: with η = 0.1 and lr_decay = 0.01, 0.05 at step 101",
			Why:      "the paragraph describes per-epoch step decay (a scheduler), not the lr_decay argument of the optimizer it introduces",
			Computed: Config{LR: 0.1, LRDecay: 0.01}.StepLR(101),
		},
		{
			Where:    "Seed 000, the code",
			Printed:  "optimizer = torch.optim.Adagrad(linear.parameters(), …); pred = linear(x); loss = criterion(pred, y); print('loss:', loss.item())",
			Correct:  "optimizer.zero_grad(); loss.backward(); optimizer.step() after the loss, or Adagrad never runs: the parameters are where nn.Linear put them",
			Why:      "the example builds the optimizer and computes one loss, but never takes a gradient or a step; the optimizer's steps taken, at the end, is 0",
			Computed: float64(seed000Steps()),
		},
		{
			Where:    "Seed 000, ε's default",
			Printed:  "Its value is 10^{-8} by default",
			Correct:  "1e-10 in torch.optim.Adagrad, the library its own code calls (eps=1e-10)",
			Why:      "1e-8 is Adam's and RMSProp's default in PyTorch; Keras uses 1e-7",
			Computed: Default().Eps,
		},
	}
}

// firstStep is how far one step of cfg from θ = 0 with gradient g moves.
func firstStep(cfg Config, g float64) float64 {
	tr, err := Run(cfg, []float64{0}, [][]float64{{g}})
	if err != nil {
		panic(err) // fixed inputs: cannot happen
	}
	return math.Abs(tr.Steps[0].Theta[0])
}

// seed000Steps runs seed 000's example as printed, ported: a 3→2 linear
// layer's 8 parameters, its optimizer, one forward pass and no step. It
// returns the steps the optimizer took.
func seed000Steps() int {
	opt, err := New(Config{LR: 0.01, Eps: 1e-10}, 3*2+2)
	if err != nil {
		panic(err) // fixed inputs: cannot happen
	}
	// pred = linear(x); loss = criterion(pred, y): the parameters are read,
	// and nothing calls opt.Step.
	return opt.Steps()
}
