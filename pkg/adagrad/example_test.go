package adagrad_test

import (
	"fmt"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
)

// The seed article's walkthrough: two parameters, w₁ dense (a gradient every
// step) and w₂ sparse (steps 2 and 4 only), η = 0.1, ε = 1e-8 as its code
// computes it. w₂ keeps the larger effective rate because its G stays small.
func Example() {
	tr, err := adagrad.Run(adagrad.SeedConfig(), []float64{0, 0}, adagrad.SeedGradients())
	if err != nil {
		panic(err)
	}
	fmt.Println("step     G1     G2    lr1     lr2      w1      w2")
	for _, s := range tr.Steps {
		fmt.Printf("%4d %6.4f %6.4f %6.4f %7.4g %7.4f %7.4f\n",
			s.Step, s.Sum[0], s.Sum[1], s.LR[0], s.LR[1], s.Theta[0], s.Theta[1])
	}
	// Step 1's lr2 is η/ε = 1e7: huge, but it multiplies g₂ = 0.
	//
	// Output:
	// step     G1     G2    lr1     lr2      w1      w2
	//    1 0.2500 0.0000 0.2000   1e+07 -0.1000  0.0000
	//    2 0.4100 0.0900 0.1562  0.3333 -0.1625 -0.1000
	//    3 0.5000 0.0900 0.1414  0.3333 -0.2049 -0.1000
	//    4 0.7500 0.1300 0.1155  0.2774 -0.2626 -0.1555
	//    5 0.9100 0.1300 0.1048  0.2774 -0.3046 -0.1555
}

// A training loop: minimise f(θ) = ½‖θ − target‖² with PyTorch's defaults.
func ExampleOptimizer_Step() {
	target := []float64{1, -2}
	theta := []float64{0, 0}
	cfg := adagrad.Default()
	cfg.LR = 0.5
	opt, err := adagrad.New(cfg, len(theta))
	if err != nil {
		panic(err)
	}
	grad := make([]float64, len(theta))
	for step := 0; step < 200; step++ {
		for i := range theta {
			grad[i] = theta[i] - target[i]
		}
		opt.Step(theta, grad)
	}
	fmt.Printf("θ = [%.3f %.3f] after %d steps\n", theta[0], theta[1], opt.Steps())
	// Output: θ = [1.000 -2.000] after 200 steps
}

// An embedding table of 5 rows × 3 columns where one step touches rows 1
// and 3 only: the other rows and their accumulators are not read or
// written, which is what makes Adagrad cheap for large vocabularies.
func ExampleOptimizer_StepRows() {
	const rows, dim = 5, 3
	table := make([]float64, rows*dim)
	opt, _ := adagrad.New(adagrad.Config{LR: 0.1, Eps: 1e-10}, rows*dim)
	grad := []float64{
		0.5, -0.5, 1, // row 1
		2, 0, -2, // row 3
	}
	if err := opt.StepRows(table, dim, []int{1, 3}, grad); err != nil {
		panic(err)
	}
	for r := 0; r < rows; r++ {
		fmt.Printf("row %d: θ %5.2f  G %v\n", r, table[r*dim:(r+1)*dim], opt.Sum[r*dim:(r+1)*dim])
	}
	// Output:
	// row 0: θ [ 0.00  0.00  0.00]  G [0 0 0]
	// row 1: θ [-0.10  0.10 -0.10]  G [0.25 0.25 1]
	// row 2: θ [ 0.00  0.00  0.00]  G [0 0 0]
	// row 3: θ [-0.10  0.00  0.10]  G [4 0 4]
	// row 4: θ [ 0.00  0.00  0.00]  G [0 0 0]
}

// Where ε sits matters only while G is tiny: a parameter's very first
// effective rate with η = 0.1, ε = 1e-8.
func ExampleConfig_EffectiveLR() {
	outside := adagrad.Config{LR: 0.1, Eps: 1e-8}
	inside := outside
	inside.EpsInside = true
	fmt.Printf("G = 0:    outside %.4g, inside %.4g\n", outside.EffectiveLR(1, 0), inside.EffectiveLR(1, 0))
	fmt.Printf("G = 0.25: outside %.4f, inside %.4f\n", outside.EffectiveLR(1, 0.25), inside.EffectiveLR(1, 0.25))
	// Output:
	// G = 0:    outside 1e+07, inside 1000
	// G = 0.25: outside 0.2000, inside 0.2000
}

// Full-matrix AdaGrad on a problem whose two coordinates are correlated.
func ExampleFullMatrix() {
	fm, _ := adagrad.NewFullMatrix(0.5, 1e-8, 2)
	theta := []float64{3, 3}
	for step := 0; step < 300; step++ {
		// f(θ) = ½ θᵀAθ with A = [[2 1] [1 2]]
		g := []float64{2*theta[0] + theta[1], theta[0] + 2*theta[1]}
		fm.Step(theta, g)
	}
	fmt.Printf("θ = [%.4f %.4f]\n", theta[0], theta[1])
	// Output: θ = [0.0000 0.0000]
}

// The seed article's arithmetic slips, each with the value the reference
// computes.
func ExampleSeedErrata() {
	for _, e := range adagrad.SeedErrata()[:4] {
		fmt.Printf("%s: printed %s, computed %.4f\n", e.Where, e.Printed, e.Computed)
	}
	// Output:
	// Walkthrough step 1 and the Trace Table, eff_lr₂: printed lr₂ = 0.1 / √(0.0 + 1e-8) = 0.1 / 0.0001 ≈ 3162, computed 1000.0000
	// Code output, step 1, lr2: printed 3162.3, computed 10000000.0000
	// Trace Table, step 3, w₁: printed −0.204, computed -0.2049
	// Code output, step 5, w1: printed -0.3045, computed -0.3046
}
