package adagrad

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// testdata/torch_adagrad.json holds runs of the real torch.optim.Adagrad
// (single-tensor CPU path), recorded by tools/goldens/run.sh; see
// tools/goldens/README.md to regenerate it. CI never needs torch.

type torchGoldens struct {
	Torch string      `json:"torch"`
	Cases []torchCase `json:"cases"`
}

type torchCase struct {
	Name                    string    `json:"name"`
	DType                   string    `json:"dtype"`
	Rows                    int       `json:"rows"`
	Cols                    int       `json:"cols"`
	Sparse                  bool      `json:"sparse"`
	LR                      float64   `json:"lr"`
	LRDecay                 float64   `json:"lr_decay"`
	WeightDecay             float64   `json:"weight_decay"`
	Eps                     float64   `json:"eps"`
	InitialAccumulatorValue float64   `json:"initial_accumulator_value"`
	Maximize                bool      `json:"maximize"`
	Theta0                  []float64 `json:"theta0"`
	Steps                   []struct {
		Rows []int     `json:"rows"`
		Grad []float64 `json:"grad"`
	} `json:"steps"`
	Checkpoints []struct {
		Step  int       `json:"step"`
		Theta []float64 `json:"theta"`
		Sum   []float64 `json:"sum"`
	} `json:"checkpoints"`
}

func (c torchCase) config() Config {
	return Config{LR: c.LR, LRDecay: c.LRDecay, WeightDecay: c.WeightDecay, Eps: c.Eps,
		InitialAccumulatorValue: c.InitialAccumulatorValue, Maximize: c.Maximize}
}

func loadTorchGoldens(t *testing.T) torchGoldens {
	t.Helper()
	b, err := os.ReadFile("testdata/torch_adagrad.json")
	if err != nil {
		t.Fatalf("%v (regenerate with tools/goldens/run.sh)", err)
	}
	var g torchGoldens
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatalf("testdata/torch_adagrad.json: %v", err)
	}
	if len(g.Cases) == 0 {
		t.Fatal("testdata/torch_adagrad.json has no cases")
	}
	return g
}

// vecErr is the relative error of a whole vector in the max norm,
// ‖got − want‖∞ / ‖want‖∞, the usual measure for a vector result. An
// element-wise ratio would blow up wherever a θ passes near zero, where a
// one-ulp difference early on (torch's sqrt is not correctly rounded) is
// large relative to the element but not to the parameters' scale.
// It also counts the elements that are bit-identical.
func vecErr(got, want []float64) (rel float64, exact int) {
	var diff, scale float64
	for i := range want {
		if got[i] == want[i] {
			exact++
		}
		diff = math.Max(diff, math.Abs(got[i]-want[i]))
		scale = math.Max(scale, math.Abs(want[i]))
	}
	if diff == 0 {
		return 0, exact
	}
	return diff / scale, exact
}

// TestTorchGoldens replays every recorded run and compares θ and G at each
// checkpoint: within 1e-12 relative in float64, 1e-6 in float32 (max norm).
func TestTorchGoldens(t *testing.T) {
	g := loadTorchGoldens(t)
	seen := map[string]bool{}
	for _, c := range g.Cases {
		seen[c.DType] = true
		if c.Sparse {
			seen["sparse"] = true
		}
		t.Run(c.Name, func(t *testing.T) {
			if len(c.Steps) < 200 {
				t.Errorf("only %d steps; the goldens promise at least 200", len(c.Steps))
			}
			var replay func() (theta, sum func(int) float64, step func(k int) error)
			switch c.DType {
			case "float64":
				replay = func() (func(int) float64, func(int) float64, func(int) error) {
					opt, err := New(c.config(), c.Rows*c.Cols)
					if err != nil {
						t.Fatal(err)
					}
					theta := append([]float64(nil), c.Theta0...)
					return func(i int) float64 { return theta[i] },
						func(i int) float64 { return opt.Sum[i] },
						func(k int) error {
							s := c.Steps[k]
							if c.Sparse {
								return opt.StepRows(theta, c.Cols, s.Rows, s.Grad)
							}
							return opt.Step(theta, s.Grad)
						}
				}
			case "float32":
				replay = func() (func(int) float64, func(int) float64, func(int) error) {
					opt, err := New32(c.config(), c.Rows*c.Cols)
					if err != nil {
						t.Fatal(err)
					}
					theta := to32(c.Theta0)
					return func(i int) float64 { return float64(theta[i]) },
						func(i int) float64 { return float64(opt.Sum[i]) },
						func(k int) error {
							s := c.Steps[k]
							if c.Sparse {
								return opt.StepRows(theta, c.Cols, s.Rows, to32(s.Grad))
							}
							return opt.Step(theta, to32(s.Grad))
						}
				}
			default:
				t.Fatalf("unknown dtype %q", c.DType)
			}
			tol := 1e-12
			if c.DType == "float32" {
				tol = 1e-6
			}
			theta, sum, step := replay()
			n := c.Rows * c.Cols
			gotTheta, gotSum := make([]float64, n), make([]float64, n)
			cp := 0
			worst, exact, total := 0.0, 0, 0
			for k := range c.Steps {
				if err := step(k); err != nil {
					t.Fatalf("step %d: %v", k+1, err)
				}
				if cp >= len(c.Checkpoints) || c.Checkpoints[cp].Step != k+1 {
					continue
				}
				want := c.Checkpoints[cp]
				cp++
				for i := range gotTheta {
					gotTheta[i], gotSum[i] = theta(i), sum(i)
				}
				for _, v := range []struct {
					name      string
					got, want []float64
				}{{"θ", gotTheta, want.Theta}, {"G", gotSum, want.Sum}} {
					e, ex := vecErr(v.got, v.want)
					worst, exact, total = math.Max(worst, e), exact+ex, total+n
					if e > tol {
						t.Fatalf("step %d: %s differs from torch by %.3g relative (max norm) > %g", want.Step, v.name, e, tol)
					}
				}
			}
			if cp != len(c.Checkpoints) {
				t.Fatalf("checkpoints out of order or beyond the last step: matched %d of %d", cp, len(c.Checkpoints))
			}
			t.Logf("%s: %d of %d values bit-identical to torch, worst relative error %.3g", c.Name, exact, total, worst)
		})
	}
	for _, want := range []string{"float64", "float32", "sparse"} {
		if !seen[want] {
			t.Errorf("the goldens have no %s case", want)
		}
	}
}

func to32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}
