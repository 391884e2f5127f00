package adagrad

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
			Where:    "Seed 000, ε's default",
			Printed:  "Its value is 10^{-8} by default",
			Correct:  "1e-10 in torch.optim.Adagrad, the library its own code calls (eps=1e-10)",
			Why:      "1e-8 is Adam's and RMSProp's default in PyTorch; Keras uses 1e-7",
			Computed: Default().Eps,
		},
	}
}
