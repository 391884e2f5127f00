package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// TrajectoriesOptions are figure 4's parameters. The loss is the quadratic
// f(x, y) = A·x² + B·y², ill-conditioned when A and B differ; in the second
// panel the y gradient is seen only one step in SparseEvery (0 otherwise),
// like the seed's w₂.
type TrajectoriesOptions struct {
	A, B         float64
	Start        [2]float64
	Steps        int
	SparseSteps  int
	SparseEvery  int
	SparseCoord  int
	GDLR         float64        // plain gradient descent's η
	Adagrad      adagrad.Config // Adagrad's settings
	RMSPropLR    float64
	RMSPropAlpha float64
	RMSPropEps   float64
	Style        Style
}

// TrajectoriesDefaults is the quadratic f = 0.1x² + 2y² from "Dive into
// Deep Learning" (§12.7) started at (−5, −2) with η = 0.4 for all three
// optimizers, 20 steps; in the sparse panel the gradient of y arrives one
// step in five, like the seed's w₂, 60 steps. There RMSProp's average decays
// between y's rare gradients, so each one meets a large rate and overshoots,
// while Adagrad's G remembers them.
func TrajectoriesDefaults() TrajectoriesOptions {
	return TrajectoriesOptions{
		A: 0.1, B: 2, Start: [2]float64{-5, -2}, Steps: 20, SparseSteps: 60, SparseEvery: 5, SparseCoord: 1,
		GDLR:         0.4,
		Adagrad:      adagrad.Config{LR: 0.4, Eps: 1e-8},
		RMSPropLR:    0.4,
		RMSPropAlpha: 0.9,
		RMSPropEps:   1e-8,
		Style:        DefaultStyle(),
	}
}

// Path is one optimizer's run: θ and the loss before the first step and
// after each.
type Path struct {
	Problem   string // "dense" or "sparse"
	Optimizer string // "GD", "Adagrad", "RMSProp"
	X, Y      []float64
	Loss      []float64
}

// TrajectoriesData holds the six runs behind figure 4.
type TrajectoriesData struct {
	Paths []Path
}

// Path returns the run of optimizer on problem ("dense" or "sparse").
func (d *TrajectoriesData) Path(problem, optimizer string) *Path {
	for i := range d.Paths {
		if d.Paths[i].Problem == problem && d.Paths[i].Optimizer == optimizer {
			return &d.Paths[i]
		}
	}
	return nil
}

// Table is one row per run and step (step 0 is the start).
func (d *TrajectoriesData) Table() *Table {
	t := &Table{Header: []string{"problem", "optimizer", "step", "x", "y", "loss"}}
	for _, p := range d.Paths {
		for i := range p.X {
			t.add(p.Problem, p.Optimizer, i, p.X[i], p.Y[i], p.Loss[i])
		}
	}
	return t
}

// stepper is one update θ ← θ − …(g).
type stepper func(theta, grad []float64) error

// Trajectories is figure 4: gradient descent, Adagrad and RMSProp on the
// contours of an ill-conditioned quadratic (left), and on the same
// quadratic when y's gradient is sparse (right).
func Trajectories(o TrajectoriesOptions) (*Grid, *TrajectoriesData, error) {
	if o.A <= 0 || o.B <= 0 || o.Steps < 1 || o.SparseSteps < 1 || o.SparseEvery < 1 || o.SparseCoord < 0 || o.SparseCoord > 1 {
		return nil, nil, fmt.Errorf("plots: need A, B > 0, positive step counts and SparseCoord 0 or 1")
	}
	f := func(x, y float64) float64 { return o.A*x*x + o.B*y*y }
	d := &TrajectoriesData{}
	optimizers := []string{"GD", "Adagrad", "RMSProp"}
	for _, problem := range []string{"dense", "sparse"} {
		n := o.Steps
		if problem == "sparse" {
			n = o.SparseSteps
		}
		for _, name := range optimizers {
			step, err := o.stepper(name)
			if err != nil {
				return nil, nil, err
			}
			theta := []float64{o.Start[0], o.Start[1]}
			p := Path{Problem: problem, Optimizer: name}
			record := func() {
				p.X = append(p.X, theta[0])
				p.Y = append(p.Y, theta[1])
				p.Loss = append(p.Loss, f(theta[0], theta[1]))
			}
			record()
			for t := 1; t <= n; t++ {
				g := []float64{2 * o.A * theta[0], 2 * o.B * theta[1]}
				if problem == "sparse" && t%o.SparseEvery != 0 {
					g[o.SparseCoord] = 0
				}
				if err := step(theta, g); err != nil {
					return nil, nil, err
				}
				record()
			}
			d.Paths = append(d.Paths, p)
		}
	}

	st := o.Style
	titles := map[string]string{
		"dense":  fmt.Sprintf("f = %g·x² + %g·y², %d steps", o.A, o.B, o.Steps),
		"sparse": fmt.Sprintf("%s's gradient only 1 step in %d, %d steps", []string{"x", "y"}[o.SparseCoord], o.SparseEvery, o.SparseSteps),
	}
	var panels []*plot.Plot
	for _, problem := range []string{"dense", "sparse"} {
		p := st.NewPlot(titles[problem], "x", "y")
		p.Title.TextStyle.Font.Size = st.Label
		if problem == "dense" {
			p.Legend.Top, p.Legend.Left = false, false
			p.Legend.YOffs = st.Tick / 2
		} else {
			p.Legend.Top, p.Legend.Left = true, true
			p.Legend.XOffs = st.Tick / 2
		}
		xmin, xmax, ymin, ymax := o.Start[0], o.Start[0], o.Start[1], o.Start[1]
		for _, path := range d.Paths {
			if path.Problem != problem {
				continue
			}
			for i := range path.X {
				xmin, xmax = math.Min(xmin, path.X[i]), math.Max(xmax, path.X[i])
				ymin, ymax = math.Min(ymin, path.Y[i]), math.Max(ymax, path.Y[i])
			}
		}
		xmin, xmax = math.Min(xmin, 0), math.Max(xmax, 0)
		ymin, ymax = math.Min(ymin, 0), math.Max(ymax, 0)
		padX, padY := 0.08*(xmax-xmin), 0.08*(ymax-ymin)
		xmin, xmax, ymin, ymax = xmin-padX, xmax+padX, ymin-padY, ymax+padY
		c := plotter.NewContour(gridFunc{xmin, xmax, ymin, ymax, 120, f}, contourLevels(f(o.Start[0], o.Start[1]), 8), nil)
		c.LineStyles = []draw.LineStyle{{Color: color.Gray{0xB0}, Width: st.Thin}}
		p.Add(c)
		for i, name := range optimizers {
			path := d.Path(problem, name)
			if _, err := addLine(p, st, i, name, xys(path.X, path.Y), true); err != nil {
				return nil, nil, err
			}
		}
		mark, err := plotter.NewScatter(plotter.XYs{{X: 0, Y: 0}})
		if err != nil {
			return nil, nil, err
		}
		mark.GlyphStyle = draw.GlyphStyle{Color: Black, Radius: 1.5 * st.Marker, Shape: draw.CrossGlyph{}}
		p.Add(mark)
		p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xmin, xmax, ymin, ymax
		panels = append(panels, p)
	}
	title := fmt.Sprintf("Paths from (%g, %g), η = %g", o.Start[0], o.Start[1], o.GDLR)
	if o.GDLR != o.Adagrad.LR || o.GDLR != o.RMSPropLR {
		title = fmt.Sprintf("Paths from (%g, %g): GD η = %g, Adagrad η = %g, RMSProp η = %g", o.Start[0], o.Start[1], o.GDLR, o.Adagrad.LR, o.RMSPropLR)
	}
	return &Grid{Title: title, Rows: 1, Cols: 2, Plots: panels, Style: st}, d, nil
}

func (o TrajectoriesOptions) stepper(name string) (stepper, error) {
	switch name {
	case "GD":
		// Plain gradient descent, which pkg/adagrad does not provide.
		return func(theta, grad []float64) error {
			for i := range theta {
				theta[i] -= o.GDLR * grad[i]
			}
			return nil
		}, nil
	case "Adagrad":
		a, err := adagrad.New(o.Adagrad, 2)
		if err != nil {
			return nil, err
		}
		return a.Step, nil
	case "RMSProp":
		r, err := adagrad.NewRMSProp(o.RMSPropLR, o.RMSPropAlpha, o.RMSPropEps, 2)
		if err != nil {
			return nil, err
		}
		return r.Step, nil
	}
	return nil, fmt.Errorf("plots: unknown optimizer %q", name)
}

// contourLevels are n levels from top down, each a quarter of the one above.
func contourLevels(top float64, n int) []float64 {
	levels := make([]float64, n)
	for i := range levels {
		levels[n-1-i] = top * math.Pow(0.25, float64(i))
	}
	return levels
}

// gridFunc samples f on an n × n grid over a rectangle, for plotter.Contour.
type gridFunc struct {
	x0, x1, y0, y1 float64
	n              int
	f              func(x, y float64) float64
}

func (g gridFunc) Dims() (c, r int)   { return g.n, g.n }
func (g gridFunc) X(c int) float64    { return g.x0 + (g.x1-g.x0)*float64(c)/float64(g.n-1) }
func (g gridFunc) Y(r int) float64    { return g.y0 + (g.y1-g.y0)*float64(r)/float64(g.n-1) }
func (g gridFunc) Z(c, r int) float64 { return g.f(g.X(c), g.Y(r)) }
