package plots

import (
	"math"
	"testing"
)

// TestAccumulationNotebookClaims checks what notebooks/04-sparse.ipynb says
// of figure 1: after 20 steps G₁ = 3.64 and G₂ = 0.52 (0.91 and 0.13 per
// pass of the seed's five gradients), w₂ has a gradient on 8 of the 20
// steps, and its rate ≈ 0.139 is √7 ≈ 2.65 times w₁'s ≈ 0.052.
func TestAccumulationNotebookClaims(t *testing.T) {
	_, d, err := Accumulation(AccumulationDefaults())
	if err != nil {
		t.Fatal(err)
	}
	steps := d.Trace.Steps
	if len(steps) != 20 {
		t.Fatalf("%d steps", len(steps))
	}
	nonzero := 0
	for _, s := range steps {
		if s.Grad[1] != 0 {
			nonzero++
		}
	}
	if nonzero != 8 {
		t.Errorf("w₂ has a gradient on %d steps, want 8", nonzero)
	}
	near(t, "G₁ after 5 steps", steps[4].Sum[0], 0.91, 1e-12)
	near(t, "G₂ after 5 steps", steps[4].Sum[1], 0.13, 1e-12)
	last := steps[19]
	near(t, "G₁ after 20", last.Sum[0], 3.64, 1e-12)
	near(t, "G₂ after 20", last.Sum[1], 0.52, 1e-12)
	near(t, "lr₁ after 20", last.LR[0], 0.0524, 5e-5)
	near(t, "lr₂ after 20", last.LR[1], 0.1387, 5e-5)
	near(t, "lr₂/lr₁", last.LR[1]/last.LR[0], math.Sqrt(7), 1e-6)
	near(t, "√7", math.Sqrt(7), 2.65, 5e-3)
}
