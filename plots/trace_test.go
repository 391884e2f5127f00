package plots

import "testing"

// TestTraceNotebookClaims checks what notebooks/02-trace-table.ipynb says
// of figure 7: w₂ moves only on steps 2 and 4; G₂ is 0.09 on steps 2–3 and
// 0.13 on 4–5, its rate 0.3333 then 0.2774; w₁'s rate falls every step from
// 0.2 to 0.1048; at step 1 w₂'s rate is η/ε = 1e7.
func TestTraceNotebookClaims(t *testing.T) {
	_, d, err := Trace(TraceDefaults())
	if err != nil {
		t.Fatal(err)
	}
	s := d.Trace.Steps
	if len(s) != 5 {
		t.Fatalf("%d steps", len(s))
	}
	prev := 0.0
	for i, st := range s {
		moved := st.Theta[1] != prev
		if moved != (st.Step == 2 || st.Step == 4) {
			t.Errorf("step %d: w₂ moved = %v", st.Step, moved)
		}
		prev = st.Theta[1]
		if i > 0 && !(st.LR[0] < s[i-1].LR[0]) {
			t.Errorf("step %d: lr₁ %v did not fall", st.Step, st.LR[0])
		}
	}
	near(t, "lr₂ at step 1", s[0].LR[1], 1e7, 1e-6)
	near(t, "lr₁ at step 1", s[0].LR[0], 0.2, 1e-6)
	near(t, "lr₁ at step 5", s[4].LR[0], 0.1048, 5e-5)
	for _, c := range []struct {
		step  int
		G, lr float64
	}{{2, 0.09, 0.3333}, {3, 0.09, 0.3333}, {4, 0.13, 0.2774}, {5, 0.13, 0.2774}} {
		near(t, "G₂", s[c.step-1].Sum[1], c.G, 1e-12)
		near(t, "lr₂", s[c.step-1].LR[1], c.lr, 5e-5)
	}
}
