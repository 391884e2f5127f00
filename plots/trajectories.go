package plots

import (
	"fmt"
	"image/color"
	"math"
	"sort"
	"strconv"

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
	GDLR         float64        // plain gradient descent's η (when Tune is false)
	Adagrad      adagrad.Config // Adagrad's settings (its LR is used when Tune is false)
	RMSPropLR    float64        // RMSProp's η (when Tune is false)
	RMSPropAlpha float64
	RMSPropEps   float64
	// Tune gives each optimizer, in each panel, its own η chosen from
	// TuneGrid by the loss after that panel's steps: the smallest rate whose
	// final loss is at most TuneTol times the starting loss (converged: the
	// differences below that are round-off, and the smaller rate takes the
	// tamer steps), or, when no rate gets there, the rate with the lowest
	// final loss (the smaller on a tie; runs that overflow do not count).
	// GDLR, Adagrad.LR and RMSPropLR are then not used. Without Tune every
	// optimizer runs at its own field's η in both panels.
	Tune     bool
	TuneGrid []float64 // nil: R10Grid(0.01, 10)
	TuneTol  float64   // 0: the lowest final loss, however small
	Style    Style
}

// TrajectoriesDefaults is the quadratic f = 0.1x² + 2y² from "Dive into
// Deep Learning" (§12.7) started at (−5, −2), 20 steps; in the sparse panel
// the gradient of y arrives one step in five, like the seed's w₂, 60 steps.
// Each optimizer gets its best η of R10Grid(0.01, 10) per panel (Tune), so
// that no one is shown at a rate chosen for another: an η that suits plain
// gradient descent (below 2/(2·2) = 0.5 on the 2y² direction) is far too
// small for Adagrad, whose steps have size ≈ η from the start.
// TrajectoriesD2L shows d2l's own untuned pair of rates.
func TrajectoriesDefaults() TrajectoriesOptions {
	return TrajectoriesOptions{
		A: 0.1, B: 2, Start: [2]float64{-5, -2}, Steps: 20, SparseSteps: 60, SparseEvery: 5, SparseCoord: 1,
		GDLR:         0.4,
		Adagrad:      adagrad.Config{LR: 0.4, Eps: 1e-8},
		RMSPropLR:    0.4,
		RMSPropAlpha: 0.9,
		RMSPropEps:   1e-8,
		Tune:         true,
		TuneTol:      1e-6,
		Style:        DefaultStyle(),
	}
}

// R10Grid is the log-spaced grid of learning rates from lo to hi (both
// included when on the grid): the rounded Renard series R′10 of ISO 3, ten
// rates per decade, 1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8 times a power of
// ten, each ≈ 1.26 times the one before.
func R10Grid(lo, hi float64) []float64 {
	if !(lo > 0) || !(hi >= lo) || math.IsInf(hi, 0) {
		return nil
	}
	mant := []float64{1, 1.25, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 8}
	var grid []float64
	for e := int(math.Floor(math.Log10(lo))) - 1; e <= int(math.Ceil(math.Log10(hi))); e++ {
		for _, m := range mant {
			// m·10^e rounded to 3 significant digits, so 0.4 is 0.4, not 0.4000000001
			v, _ := strconv.ParseFloat(strconv.FormatFloat(m*math.Pow(10, float64(e)), 'g', 3, 64), 64)
			if v >= lo*(1-1e-9) && v <= hi*(1+1e-9) {
				grid = append(grid, v)
			}
		}
	}
	return grid
}

// Path is one optimizer's run: θ and the loss before the first step and
// after each.
type Path struct {
	Problem   string  // "dense" or "sparse" (TrajectoriesD2L: "η = 0.4", "η = 2")
	Optimizer string  // "GD", "Adagrad", "RMSProp"
	LR        float64 // the η it ran with
	X, Y      []float64
	Loss      []float64
}

// Final is the loss after the last step.
func (p *Path) Final() float64 { return p.Loss[len(p.Loss)-1] }

// TrajectoriesData holds the runs behind figure 4.
type TrajectoriesData struct {
	Paths []Path
	// Grid holds, when the rates were tuned, every rate tried and the final
	// loss of each optimizer's run at it, per problem:
	// Grid[problem][optimizer][i] belongs to Rates[i].
	Rates []float64
	Grid  map[string]map[string][]float64
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
	t := &Table{Header: []string{"problem", "optimizer", "eta", "step", "x", "y", "loss"}}
	for _, p := range d.Paths {
		for i := range p.X {
			t.add(p.Problem, p.Optimizer, p.LR, i, p.X[i], p.Y[i], p.Loss[i])
		}
	}
	return t
}

// loss is the quadratic A·x² + B·y².
func (o TrajectoriesOptions) loss(x, y float64) float64 { return o.A*x*x + o.B*y*y }

// stepper is one update θ ← θ − …(g).
type stepper func(theta, grad []float64) error

// run is one optimizer at rate lr on problem for n steps.
func (o TrajectoriesOptions) run(problem, name string, lr float64, n int) (Path, error) {
	step, err := o.stepper(name, lr)
	if err != nil {
		return Path{}, err
	}
	f := o.loss
	theta := []float64{o.Start[0], o.Start[1]}
	p := Path{Problem: problem, Optimizer: name, LR: lr}
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
			return Path{}, err
		}
		record()
	}
	return p, nil
}

// rate is optimizer name's untuned η.
func (o TrajectoriesOptions) rate(name string) float64 {
	switch name {
	case "GD":
		return o.GDLR
	case "Adagrad":
		return o.Adagrad.LR
	}
	return o.RMSPropLR
}

// Trajectories is figure 4: gradient descent, Adagrad and RMSProp on the
// contours of an ill-conditioned quadratic (left), and on the same
// quadratic when y's gradient is sparse (right), each at its best η of a
// grid when o.Tune is set (the legend gives the η).
func Trajectories(o TrajectoriesOptions) (*Grid, *TrajectoriesData, error) {
	if o.A <= 0 || o.B <= 0 || o.Steps < 1 || o.SparseSteps < 1 || o.SparseEvery < 1 || o.SparseCoord < 0 || o.SparseCoord > 1 {
		return nil, nil, fmt.Errorf("plots: need A, B > 0, positive step counts and SparseCoord 0 or 1")
	}
	d := &TrajectoriesData{}
	grid := o.TuneGrid
	if o.Tune {
		if grid == nil {
			grid = R10Grid(0.01, 10)
		}
		grid = append([]float64(nil), grid...)
		sort.Float64s(grid)
		if len(grid) == 0 {
			return nil, nil, fmt.Errorf("plots: Tune needs a non-empty TuneGrid")
		}
		d.Rates = append([]float64(nil), grid...)
		d.Grid = map[string]map[string][]float64{}
	}
	optimizers := []string{"GD", "Adagrad", "RMSProp"}
	for _, problem := range []string{"dense", "sparse"} {
		n := o.Steps
		if problem == "sparse" {
			n = o.SparseSteps
		}
		if o.Tune {
			d.Grid[problem] = map[string][]float64{}
		}
		for _, name := range optimizers {
			if !o.Tune {
				p, err := o.run(problem, name, o.rate(name), n)
				if err != nil {
					return nil, nil, err
				}
				d.Paths = append(d.Paths, p)
				continue
			}
			var best, converged *Path
			for _, lr := range grid {
				p, err := o.run(problem, name, lr, n)
				if err != nil {
					return nil, nil, err
				}
				final := p.Final()
				d.Grid[problem][name] = append(d.Grid[problem][name], final)
				if math.IsNaN(final) || math.IsInf(final, 0) {
					continue
				}
				if best == nil || final < best.Final() {
					best = &p
				}
				if converged == nil && final <= o.TuneTol*p.Loss[0] {
					converged = &p
				}
			}
			if converged != nil {
				best = converged
			}
			if best == nil {
				return nil, nil, fmt.Errorf("plots: %s diverges on the %s problem at every rate of the grid", name, problem)
			}
			d.Paths = append(d.Paths, *best)
		}
	}

	st := o.Style
	titles := map[string]string{
		"dense":  fmt.Sprintf("f = %g·x² + %g·y², %d steps", o.A, o.B, o.Steps),
		"sparse": fmt.Sprintf("%s's gradient only 1 step in %d, %d steps", []string{"x", "y"}[o.SparseCoord], o.SparseEvery, o.SparseSteps),
	}
	var panels []*plot.Plot
	for _, problem := range []string{"dense", "sparse"} {
		var paths []*Path
		for _, name := range optimizers {
			paths = append(paths, d.Path(problem, name))
		}
		p, err := trajectoryPanel(st, titles[problem], o, paths, paths, nil)
		if err != nil {
			return nil, nil, err
		}
		panels = append(panels, p)
	}
	title := fmt.Sprintf("Paths from (%g, %g), each optimizer at its own η, tuned on a log grid", o.Start[0], o.Start[1])
	if !o.Tune {
		title = fmt.Sprintf("Paths from (%g, %g), η = %g", o.Start[0], o.Start[1], o.GDLR)
		if o.GDLR != o.Adagrad.LR || o.GDLR != o.RMSPropLR {
			title = fmt.Sprintf("Paths from (%g, %g): GD η = %g, Adagrad η = %g, RMSProp η = %g", o.Start[0], o.Start[1], o.GDLR, o.Adagrad.LR, o.RMSPropLR)
		}
	}
	return &Grid{Title: title, Rows: 1, Cols: 2, Plots: panels, Style: st}, d, nil
}

// trajectoryPanel draws paths over the contours of o's quadratic, with a
// legend entry per path ("GD, η = 0.4") and the lines of notes after them,
// at the bottom right. The view fits the paths of fit, the start and the
// minimum, with room for the legend below them.
func trajectoryPanel(st Style, title string, o TrajectoriesOptions, paths, fit []*Path, notes []string) (*plot.Plot, error) {
	f := o.loss
	p := st.NewPlot(title, "x", "y")
	p.Title.TextStyle.Font.Size = st.Label
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.YOffs = st.Tick / 2
	xmin, xmax, ymin, ymax := o.Start[0], o.Start[0], o.Start[1], o.Start[1]
	for _, path := range fit {
		for i := range path.X {
			xmin, xmax = math.Min(xmin, path.X[i]), math.Max(xmax, path.X[i])
			ymin, ymax = math.Min(ymin, path.Y[i]), math.Max(ymax, path.Y[i])
		}
	}
	xmin, xmax = math.Min(xmin, 0), math.Max(xmax, 0)
	ymin, ymax = math.Min(ymin, 0), math.Max(ymax, 0)
	// Room at the bottom for the legend, below the paths.
	padX, padY, legendY := 0.08*(xmax-xmin), 0.08*(ymax-ymin), 0.085*float64(len(paths)+len(notes))*(ymax-ymin)
	xmin, xmax, ymin, ymax = xmin-padX, xmax+padX, ymin-padY-legendY, ymax+padY
	c := plotter.NewContour(gridFunc{xmin, xmax, ymin, ymax, 120, f}, contourLevels(f(o.Start[0], o.Start[1]), 8), nil)
	c.LineStyles = []draw.LineStyle{{Color: color.Gray{0xB0}, Width: st.Thin}}
	p.Add(c)
	for _, path := range paths {
		i := map[string]int{"GD": 0, "Adagrad": 1, "RMSProp": 2}[path.Optimizer]
		name := fmt.Sprintf("%s, η = %g", path.Optimizer, path.LR)
		if _, err := addLine(p, st, i, name, xys(path.X, path.Y), true); err != nil {
			return nil, err
		}
	}
	for _, n := range notes {
		p.Legend.Add(n)
	}
	mark, err := plotter.NewScatter(plotter.XYs{{X: 0, Y: 0}})
	if err != nil {
		return nil, err
	}
	mark.GlyphStyle = draw.GlyphStyle{Color: Black, Radius: 1.5 * st.Marker, Shape: draw.CrossGlyph{}}
	p.Add(mark)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xmin, xmax, ymin, ymax
	if ymax-ymin <= 10 {
		p.Y.Tick.Marker = stepTicks{} // every whole y labelled (0 among them)
	}
	return p, nil
}

// TrajectoriesD2LOptions are the parameters of TrajectoriesD2L.
type TrajectoriesD2LOptions struct {
	Steps int        // d2l's train_2d: 20
	Rates [2]float64 // the two panels' η: d2l's 0.4, then 2
	Eps   float64    // d2l's adagrad_2d: 1e-6 inside the root
	Style Style
}

// TrajectoriesD2LDefaults are "Dive into Deep Learning"'s §12.7 values.
func TrajectoriesD2LDefaults() TrajectoriesD2LOptions {
	return TrajectoriesD2LOptions{Steps: 20, Rates: [2]float64{0.4, 2}, Eps: 1e-6, Style: DefaultStyle()}
}

// TrajectoriesD2L is the case "Dive into Deep Learning" (§12.7, Adagrad)
// shows on f = 0.1x² + 2y² from (−5, −2): Adagrad (d2l's form, ε = 1e-6
// inside the root) and gradient descent at η = 0.4, where Adagrad's path
// falls short of the minimum, then at η = 2, where Adagrad gets there.
// Gradient descent at η = 2 diverges (each step multiplies y by
// 1 − 2·2·η = −7), so the second panel names it in the legend instead of
// drawing it; its run is in the data.
func TrajectoriesD2L(o TrajectoriesD2LOptions) (*Grid, *TrajectoriesData, error) {
	if o.Steps < 1 {
		return nil, nil, fmt.Errorf("plots: Steps must be at least 1, got %d", o.Steps)
	}
	q := TrajectoriesDefaults()
	q.Adagrad = adagrad.Config{Eps: o.Eps, EpsInside: true}
	q.Tune = false
	d := &TrajectoriesData{}
	drawn := make([][]*Path, len(o.Rates))
	notes := make([][]string, len(o.Rates))
	var fit []*Path
	for k, lr := range o.Rates {
		problem := fmt.Sprintf("η = %g", lr)
		for _, name := range []string{"GD", "Adagrad"} {
			p, err := q.run(problem, name, lr, o.Steps)
			if err != nil {
				return nil, nil, err
			}
			d.Paths = append(d.Paths, p)
			if end := math.Abs(p.Y[len(p.Y)-1]); !(end <= math.Abs(q.Start[1])) {
				notes[k] = append(notes[k], fmt.Sprintf("%s, η = %g: diverges (y ×(%s) a step)", name, lr, tickLabel(1-2*q.B*lr)))
			}
		}
	}
	for i := range d.Paths {
		path := &d.Paths[i]
		if end := math.Abs(path.Y[len(path.Y)-1]); end <= math.Abs(q.Start[1]) {
			k := i / 2
			drawn[k] = append(drawn[k], path)
			fit = append(fit, path)
		}
	}
	var panels []*plot.Plot
	for k, lr := range o.Rates {
		title := fmt.Sprintf("η = %g, %d steps", lr, o.Steps)
		p, err := trajectoryPanel(o.Style, title, q, drawn[k], fit, notes[k])
		if err != nil {
			return nil, nil, err
		}
		panels = append(panels, p)
	}
	title := fmt.Sprintf("d2l §12.7: f = %g·x² + %g·y² from (%g, %g), Adagrad with ε = %s inside the root", q.A, q.B, q.Start[0], q.Start[1], tickLabel(o.Eps))
	return &Grid{Title: title, Rows: 1, Cols: 2, Plots: panels, Style: o.Style}, d, nil
}

func (o TrajectoriesOptions) stepper(name string, lr float64) (stepper, error) {
	switch name {
	case "GD":
		// Plain gradient descent, which pkg/adagrad does not provide.
		return func(theta, grad []float64) error {
			for i := range theta {
				theta[i] -= lr * grad[i]
			}
			return nil
		}, nil
	case "Adagrad":
		c := o.Adagrad
		c.LR = lr
		a, err := adagrad.New(c, 2)
		if err != nil {
			return nil, err
		}
		return a.Step, nil
	case "RMSProp":
		r, err := adagrad.NewRMSProp(lr, o.RMSPropAlpha, o.RMSPropEps, 2)
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
