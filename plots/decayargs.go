package plots

import (
	"fmt"
	"math"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// This file holds two figures of notebook 03 that are not in the lecture set:
//
//   - DecayArgs: what PyTorch's lr_decay, weight_decay and
//     initial_accumulator_value each do to Adagrad under a constant gradient;
//   - Reach: how far Adagrad gets under a constant gradient, ≈ 2η√t after t
//     steps, so that a too-small η for the distance to the minimum looks like
//     a stall (figure 6's 0.5·|w − 50|).

// DecayArgsOptions are the parameters of the DecayArgs figure. Every curve
// is one parameter, started at Theta0 and given the gradient Grad at every
// step (the loss Grad·θ, whose gradient never shrinks); pkg/adagrad adds
// λ·θ to it where the weight decay λ is not 0. Each panel starts from Config
// and changes one argument.
type DecayArgsOptions struct {
	Config              adagrad.Config // the seed's: η = 0.1, ε = 1e-8 outside the root, nothing else on
	Grad                float64        // the constant gradient g (0.5, the seed's)
	Theta0              float64        // where θ starts (0)
	Steps               int            // steps per run (1000)
	LRDecays            []float64      // the first panel's lr_decay values d (0, 0.01, 0.1)
	WeightDecays        []float64      // the second panel's weight_decay values λ (0, 0.1)
	InitialAccumulators []float64      // the third panel's initial_accumulator_value G₀ (0, 0.1, 1)
	Style               Style
}

// DecayArgsDefaults: the seed's η = 0.1 and g = 0.5 over 1000 steps, with
// lr_decay 0, 0.01 and 0.1; weight_decay 0 and 0.1; G₀ = 0 (PyTorch's
// default), 0.1 (Keras 3's) and 1.
func DecayArgsDefaults() DecayArgsOptions {
	return DecayArgsOptions{Config: adagrad.SeedConfig(), Grad: 0.5, Steps: 1000,
		LRDecays: []float64{0, 0.01, 0.1}, WeightDecays: []float64{0, 0.1},
		InitialAccumulators: []float64{0, 0.1, 1}, Style: DefaultStyle()}
}

// DecayRun is one curve of DecayArgs: a run of pkg/adagrad with one setting.
// Index k of each slice is step k+1.
type DecayRun struct {
	Config adagrad.Config // the setting it ran with
	Theta  []float64      // θ after the step
	Move   []float64      // |Δθ|, how far the step moved θ
	G      []float64      // the accumulator after the step
	LR     []float64      // the effective rate Config.EffectiveLR(t, G) after the step
}

// StepAt is |Δθ| at step t (1-based).
func (r *DecayRun) StepAt(t int) float64 { return r.Move[t-1] }

// LRAt is the effective rate at step t (1-based).
func (r *DecayRun) LRAt(t int) float64 { return r.LR[t-1] }

// ThetaAt is θ after step t (1-based).
func (r *DecayRun) ThetaAt(t int) float64 { return r.Theta[t-1] }

// DecayArgsData holds the three panels' runs, in the order of the options'
// values.
type DecayArgsData struct {
	Steps              []float64 // 1 … Steps
	Grad               float64
	LRDecay            []DecayRun // one per LRDecays value
	WeightDecay        []DecayRun // one per WeightDecays value
	InitialAccumulator []DecayRun // one per InitialAccumulators value
}

// Table is one row per step: for each lr_decay and each G₀ the step |Δθ| and
// the effective rate, for each weight_decay θ.
func (d *DecayArgsData) Table() *Table {
	t := &Table{Header: []string{"step"}}
	for _, r := range d.LRDecay {
		t.Header = append(t.Header, "move_lr_decay_"+formatNumber(r.Config.LRDecay), "lr_lr_decay_"+formatNumber(r.Config.LRDecay))
	}
	for _, r := range d.WeightDecay {
		t.Header = append(t.Header, "theta_weight_decay_"+formatNumber(r.Config.WeightDecay))
	}
	for _, r := range d.InitialAccumulator {
		v := formatNumber(r.Config.InitialAccumulatorValue)
		t.Header = append(t.Header, "move_init_acc_"+v, "lr_init_acc_"+v)
	}
	for i := range d.Steps {
		row := []any{i + 1}
		for _, r := range d.LRDecay {
			row = append(row, r.Move[i], r.LR[i])
		}
		for _, r := range d.WeightDecay {
			row = append(row, r.Theta[i])
		}
		for _, r := range d.InitialAccumulator {
			row = append(row, r.Move[i], r.LR[i])
		}
		t.add(row...)
	}
	return t
}

// runConstant runs pkg/adagrad for steps steps on one parameter started at
// theta0 with the gradient g every step (plus λ·θ, which the optimizer adds).
func runConstant(cfg adagrad.Config, theta0, g float64, steps int) (DecayRun, error) {
	grads := make([][]float64, steps)
	for i := range grads {
		grads[i] = []float64{g}
	}
	tr, err := adagrad.Run(cfg, []float64{theta0}, grads)
	if err != nil {
		return DecayRun{}, err
	}
	r := DecayRun{Config: cfg}
	before := theta0
	for _, s := range tr.Steps {
		r.Theta = append(r.Theta, s.Theta[0])
		r.Move = append(r.Move, math.Abs(s.Theta[0]-before))
		r.G = append(r.G, s.Sum[0])
		r.LR = append(r.LR, s.LR[0])
		before = s.Theta[0]
	}
	return r, nil
}

// DecayArgs is the figure of PyTorch's three extra arguments, three panels
// under one constant gradient: the step |Δθ| for each lr_decay (log-log:
// slope −½ without decay, steeper with it); θ for each weight_decay (without
// it θ runs off like −2η√t, with it θ settles where g + λθ = 0); and the step
// for each initial accumulator G₀ (only the first steps differ: G₀ > 0 makes
// the first step η·g/√(G₀ + g²) instead of η).
func DecayArgs(o DecayArgsOptions) (*Grid, *DecayArgsData, error) {
	if o.Steps < 2 {
		return nil, nil, fmt.Errorf("plots: Steps must be at least 2, got %d", o.Steps)
	}
	if o.Grad <= 0 {
		return nil, nil, fmt.Errorf("plots: Grad must be > 0, got %g", o.Grad)
	}
	d := &DecayArgsData{Steps: steps(o.Steps), Grad: o.Grad}
	// One run per value of each argument, the others as in o.Config.
	sweep := func(values []float64, set func(*adagrad.Config, float64)) ([]DecayRun, error) {
		var runs []DecayRun
		for _, v := range values {
			cfg := o.Config
			set(&cfg, v)
			r, err := runConstant(cfg, o.Theta0, o.Grad, o.Steps)
			if err != nil {
				return nil, err
			}
			runs = append(runs, r)
		}
		return runs, nil
	}
	var err error
	if d.LRDecay, err = sweep(o.LRDecays, func(c *adagrad.Config, v float64) { c.LRDecay = v }); err != nil {
		return nil, nil, err
	}
	if d.WeightDecay, err = sweep(o.WeightDecays, func(c *adagrad.Config, v float64) { c.WeightDecay = v }); err != nil {
		return nil, nil, err
	}
	if d.InitialAccumulator, err = sweep(o.InitialAccumulators, func(c *adagrad.Config, v float64) { c.InitialAccumulatorValue = v }); err != nil {
		return nil, nil, err
	}

	st := o.Style
	panels := []*plot.Plot{
		st.NewPlot("lr_decay d", "step t", "step |Δθ|"),
		st.NewPlot("weight_decay λ", "step t", "θ"),
		st.NewPlot("initial accumulator G₀", "step t", "step |Δθ|"),
	}
	for _, p := range panels {
		p.Title.TextStyle.Font.Size = st.Label
		p.Legend.Top, p.Legend.Left = false, true
		p.Legend.XOffs, p.Legend.YOffs = st.Tick/2, st.Tick/2
	}
	for i, r := range d.LRDecay {
		if _, err := addLine(panels[0], st, i, "d = "+tickLabel(r.Config.LRDecay), xys(d.Steps, r.Move), false); err != nil {
			return nil, nil, err
		}
	}
	for i, r := range d.WeightDecay {
		if _, err := addLine(panels[1], st, i, "λ = "+tickLabel(r.Config.WeightDecay), xys(d.Steps, r.Theta), false); err != nil {
			return nil, nil, err
		}
	}
	// Where weight decay stops θ: the gradient g + λθ is 0 at θ = −g/λ.
	var rest plotter.XYs
	var restText []string
	for _, r := range d.WeightDecay {
		if lam := r.Config.WeightDecay; lam > 0 {
			y := -o.Grad / lam
			panels[1].Add(hline(st, y))
			rest = append(rest, plotter.XY{X: 0, Y: y})
			restText = append(restText, fmt.Sprintf("θ = −g/λ = −%s", tickLabel(-y)))
		}
	}
	if len(rest) > 0 {
		l, err := addLabels(panels[1], st, rest, restText, draw.XLeft, draw.YBottom)
		if err != nil {
			return nil, nil, err
		}
		l.Offset.X, l.Offset.Y = st.Tick/2, st.Tick/4
	}
	panels[1].Legend.Top, panels[1].Legend.Left = true, false
	panels[1].Legend.XOffs, panels[1].Legend.YOffs = -2*st.Tick, -st.Tick/2
	panels[1].Add(hline(st, 0))
	for i, r := range d.InitialAccumulator {
		if _, err := addLine(panels[2], st, i, "G₀ = "+tickLabel(r.Config.InitialAccumulatorValue), xys(d.Steps, r.Move), false); err != nil {
			return nil, nil, err
		}
	}
	for _, k := range []int{0, 2} {
		logAxis(&panels[k].X)
		logAxis(&panels[k].Y)
	}
	panels[1].X.Min = 0
	// θ starts at Theta0; a labelled top edge lines the panel's title up
	// with its neighbours', whose top ticks are labelled too.
	panels[1].Y.Max = math.Max(panels[1].Y.Max, math.Ceil(panels[1].Y.Max))
	cfg := o.Config
	title := fmt.Sprintf("Adagrad's other arguments, g = %g every step (η = %g, ε = %s)", o.Grad, cfg.LR, tickLabel(cfg.Eps))
	return &Grid{Title: title, Rows: 1, Cols: 3, Plots: panels, Style: st}, d, nil
}

// ReachOptions are the parameters of the Reach figure: Adagrad on the
// figure-6 problem f(w) = Slope·|w − Target| from w = 0, whose gradient is
// −Slope every step until w passes Target, once for each base rate η in LRs.
type ReachOptions struct {
	Config  adagrad.Config // the seed's (η is replaced by each of LRs)
	LRs     []float64      // 0.1 (figure 6's), 0.5, 2
	Slope   float64        // 0.5
	Target  float64        // 50
	Steps   int            // 100,000
	Samples int            // points per curve, spaced evenly in log t (200)
	Style   Style
}

// ReachDefaults: figure 6's stalling problem 0.5·|w − 50| with the seed's
// Adagrad at η = 0.1, 0.5 and 2, over 100,000 steps.
func ReachDefaults() ReachOptions {
	lo := LossDefaults()
	return ReachOptions{Config: lo.Config, LRs: []float64{0.1, 0.5, 2}, Slope: lo.Slope, Target: lo.AbsTarget,
		Steps: 100000, Samples: 200, Style: DefaultStyle()}
}

// ReachRun is one η's run.
type ReachRun struct {
	LR       float64
	W        []float64 // w at the sampled steps
	Reached  int       // the first step after which w ≥ Target; 0 if none within Steps
	Estimate float64   // (Target/(2η))²: the steps 2η√t ≈ Target predicts
}

// ReachData holds the runs at the sampled steps.
type ReachData struct {
	Steps  []float64 // the sampled steps
	Target float64
	Runs   []ReachRun
}

// Table is one row per sampled step, w for each η.
func (d *ReachData) Table() *Table {
	t := &Table{Header: []string{"step"}}
	for _, r := range d.Runs {
		t.Header = append(t.Header, "w_lr_"+formatNumber(r.LR))
	}
	for i := range d.Steps {
		row := []any{int(d.Steps[i])}
		for _, r := range d.Runs {
			row = append(row, r.W[i])
		}
		t.add(row...)
	}
	return t
}

// Reach is the figure of how far Adagrad gets under a constant gradient: w
// against t on log-log axes for each η, with the target drawn across. Before
// the target the gradient is the same every step, so the t-th step is
// η/√t and w_t = η·Σ 1/√s ≈ 2η√t, a line of slope ½: reaching Target takes
// about (Target/(2η))² steps, 62,500 for figure 6's η = 0.1 and 50. The
// decay makes the distance grow like √t, so too small an η for the
// distance is a stall that more steps cure only slowly.
func Reach(o ReachOptions) (*plot.Plot, *ReachData, error) {
	if o.Steps < 2 || o.Samples < 2 {
		return nil, nil, fmt.Errorf("plots: need Steps ≥ 2 and Samples ≥ 2")
	}
	if o.Target <= 0 || o.Slope <= 0 {
		return nil, nil, fmt.Errorf("plots: Target and Slope must be > 0")
	}
	sample := sampleSteps(o.Steps, o.Samples)
	d := &ReachData{Target: o.Target}
	for _, t := range sample {
		d.Steps = append(d.Steps, float64(t))
	}
	for _, lr := range o.LRs {
		cfg := o.Config
		cfg.LR = lr
		opt, err := adagrad.New(cfg, 1)
		if err != nil {
			return nil, nil, err
		}
		r := ReachRun{LR: lr, Estimate: math.Pow(o.Target/(2*lr), 2)}
		w, g := []float64{0}, []float64{0}
		next := 0
		for t := 1; t <= o.Steps; t++ {
			g[0] = o.Slope * sign(w[0]-o.Target)
			if err := opt.Step(w, g); err != nil {
				return nil, nil, err
			}
			if r.Reached == 0 && w[0] >= o.Target {
				r.Reached = t
			}
			if next < len(sample) && t == sample[next] {
				next++
				r.W = append(r.W, w[0])
			}
		}
		d.Runs = append(d.Runs, r)
	}

	st := o.Style
	p := st.NewPlot(fmt.Sprintf("%g·|w − %g| from w = 0: w ≈ 2η√t until it arrives", o.Slope, o.Target), "step t", "w")
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.XOffs, p.Legend.YOffs = -st.Tick/2, st.Tick/2
	var marks plotter.XYs
	var texts []string
	for i, r := range d.Runs {
		name := fmt.Sprintf("η = %g", r.LR)
		if r.Reached == 0 {
			name += fmt.Sprintf(": not there after %s steps", thousands(o.Steps))
		} else {
			name += fmt.Sprintf(": %s steps (≈ %s)", thousands(r.Reached), thousands(int(math.Round(r.Estimate))))
			marks = append(marks, plotter.XY{X: float64(r.Reached), Y: o.Target})
			texts = append(texts, thousands(r.Reached))
		}
		if _, err := addLine(p, st, i, name, xys(d.Steps, r.W), false); err != nil {
			return nil, nil, err
		}
	}
	p.Add(hline(st, o.Target))
	if len(marks) > 0 {
		if _, err := addPoints(p, st, len(d.Runs), "", marks); err != nil {
			return nil, nil, err
		}
		l, err := addLabels(p, st, marks, texts, draw.XCenter, draw.YBottom)
		if err != nil {
			return nil, nil, err
		}
		l.Offset.Y = 1.5 * st.Marker
	}
	logAxis(&p.X)
	logAxis(&p.Y)
	p.Y.Max = math.Max(p.Y.Max, 2*o.Target)
	return p, d, nil
}
