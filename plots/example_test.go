package plots_test

import (
	"bytes"
	"fmt"
	"log"

	"github.com/adagradlab/adagradlab/plots"
)

// Figure 2 with the lecture's values: the effective learning rate at the
// seed's checkpoints.
func ExampleEffectiveLR() {
	_, d, err := plots.EffectiveLR(plots.EffectiveLRDefaults())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("step 100: %.4f\nstep 1000: %.4f\n", d.At(100), d.At(1000))
	// Output:
	// step 100: 0.0200
	// step 1000: 0.0063
}

// Changing an option redraws the figure for another setting: with η = 1
// the rates are ten times larger.
func ExampleEffectiveLR_options() {
	o := plots.EffectiveLRDefaults()
	o.Config.LR = 1
	o.Style = plots.Paper()
	p, d, err := plots.EffectiveLR(o)
	if err != nil {
		log.Fatal(err)
	}
	png, err := plots.PNG(p, o.Style)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("step 100: %.2f\nPNG: %v\n", d.At(100), bytes.HasPrefix(png, []byte("\x89PNG")))
	// Output:
	// step 100: 0.20
	// PNG: true
}

// Figure 7's data is the seed's trace table.
func ExampleTrace() {
	_, d, err := plots.Trace(plots.TraceDefaults())
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range d.Trace.Steps {
		fmt.Printf("%d  G=(%.2f, %.2f)  w=(%.4f, %.4f)\n", s.Step, s.Sum[0], s.Sum[1], s.Theta[0], s.Theta[1])
	}
	// Output:
	// 1  G=(0.25, 0.00)  w=(-0.1000, 0.0000)
	// 2  G=(0.41, 0.09)  w=(-0.1625, -0.1000)
	// 3  G=(0.50, 0.09)  w=(-0.2049, -0.1000)
	// 4  G=(0.75, 0.13)  w=(-0.2626, -0.1555)
	// 5  G=(0.91, 0.13)  w=(-0.3046, -0.1555)
}

// The lecture set, as `adagradlab plots --list` prints it.
func ExampleFigures() {
	for _, f := range plots.Figures() {
		fmt.Println(f.Name)
	}
	// Output:
	// accumulation
	// effective-lr
	// freeze
	// trajectories
	// zipf
	// loss
	// trace
}
