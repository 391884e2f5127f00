package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
)

func init() {
	register(command{
		name:    "trace",
		summary: "print Adagrad's step-by-step table (g, G, effective lr, θ)",
		run:     runTrace,
	})
}

const traceUsage = `Usage: adagradlab trace [flags]

Runs Adagrad on a list of gradients and prints, for every step and
parameter, the gradient g, the accumulator G, the effective learning rate
and θ, all after the step. The defaults are the seed article's walkthrough:
two parameters, five steps, η = 0.1, ε = 1e-8 outside the root.

Examples:
  adagradlab trace
  adagradlab trace --eps-inside --format markdown
  adagradlab trace --grads "1,0.1;1,0;1,0.1" --lr 0.5 --format csv

Flags:
`

func runTrace(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("trace", flag.ContinueOnError)
	seed := adagrad.SeedConfig()
	lr := fs.Float64("lr", seed.LR, "base learning rate η")
	eps := fs.Float64("eps", seed.Eps, "ε, for numerical stability")
	inside := fs.Bool("eps-inside", false, "put ε inside the root: η/√(G+ε) (optax, the seed's formula) instead of η/(√G+ε) (PyTorch, the seed's code)")
	lrDecay := fs.Float64("lr-decay", 0, "PyTorch's lr_decay: step t uses η/(1+(t−1)·d)")
	wd := fs.Float64("weight-decay", 0, "L2 penalty λ, added to the gradient as λ·θ")
	gradsFlag := fs.String("grads", "0.5,0;0.4,0.3;0.3,0;0.5,0.2;0.4,0", "gradients: steps separated by ';', parameters by ','")
	theta0Flag := fs.String("theta0", "", "starting θ, comma-separated (default: all zero)")
	format := fs.String("format", "table", "output format: table, markdown, csv or json")
	if err := parseFlags(fs, args, traceUsage, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (trace takes flags only)", fs.Arg(0))
	}
	render, ok := traceFormats[*format]
	if !ok {
		return usagef("unknown --format %q (want table, markdown, csv or json)", *format)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"--lr", *lr}, {"--eps", *eps}, {"--lr-decay", *lrDecay}, {"--weight-decay", *wd}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v < 0 {
			return usagef("%s must be a finite number >= 0, got %v", f.name, f.v)
		}
	}
	grads, err := parseGrads(*gradsFlag)
	if err != nil {
		return usageError{err}
	}
	theta0 := make([]float64, len(grads[0]))
	if *theta0Flag != "" {
		theta0, err = parseRow(*theta0Flag, "--theta0")
		if err != nil {
			return usageError{err}
		}
		if len(theta0) != len(grads[0]) {
			return usagef("--theta0 has %d values but the gradients have %d parameters", len(theta0), len(grads[0]))
		}
	}
	cfg := adagrad.Config{LR: *lr, Eps: *eps, EpsInside: *inside, LRDecay: *lrDecay, WeightDecay: *wd}
	tr, err := adagrad.Run(cfg, theta0, grads)
	if err != nil {
		return err
	}
	warnNaN(tr, stderr)
	return render(stdout, tr)
}

// parseGrads reads "0.5,0;0.4,0.3": one row per step. A trailing ';' is
// forgiven; an empty row in the middle is not.
func parseGrads(s string) ([][]float64, error) {
	parts := strings.Split(strings.TrimSuffix(strings.TrimSpace(s), ";"), ";")
	var rows [][]float64
	for i, p := range parts {
		row, err := parseRow(p, fmt.Sprintf("--grads step %d", i+1))
		if err != nil {
			return nil, err
		}
		if len(rows) > 0 && len(row) != len(rows[0]) {
			return nil, fmt.Errorf("--grads step %d has %d values but step 1 has %d (every step needs one gradient per parameter)", i+1, len(row), len(rows[0]))
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func parseRow(s, where string) ([]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("%s is empty", where)
	}
	var row []float64
	for j, field := range strings.Split(s, ",") {
		field = strings.TrimSpace(field)
		v, err := strconv.ParseFloat(field, 64)
		if err != nil {
			return nil, fmt.Errorf("%s, value %d: %q is not a number", where, j+1, field)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s, value %d: %q is not finite", where, j+1, field)
		}
		row = append(row, v)
	}
	return row, nil
}

// warnNaN explains the one way a valid trace goes non-finite: ε = 0 with a
// parameter whose G is still 0 divides 0 by 0.
func warnNaN(tr *adagrad.Trace, stderr io.Writer) {
	for _, s := range tr.Steps {
		for i, th := range s.Theta {
			if math.IsNaN(th) || math.IsInf(th, 0) {
				fmt.Fprintf(stderr, "warning: θ%d is %v from step %d: with ε = %g and G = %g the step divides by zero\n", i+1, th, s.Step, tr.Config.Eps, s.Sum[i])
				return
			}
		}
	}
}

var traceFormats = map[string]func(io.Writer, *adagrad.Trace) error{
	"table":    traceTable,
	"markdown": traceMarkdown,
	"csv":      traceCSV,
	"json":     traceJSON,
}

// traceHeader names the columns: step, then g, G, lr and θ per parameter.
func traceHeader(n int, theta string) []string {
	h := []string{"step"}
	for _, name := range []string{"g", "G", "lr", theta} {
		for i := 1; i <= n; i++ {
			h = append(h, fmt.Sprintf("%s%d", name, i))
		}
	}
	return h
}

func traceRow(s adagrad.TraceStep, format func(float64) string) []string {
	row := []string{strconv.Itoa(s.Step)}
	for _, col := range [][]float64{s.Grad, s.Sum, s.LR, s.Theta} {
		for _, v := range col {
			row = append(row, format(v))
		}
	}
	return row
}

// fixed4 is the seeds' precision; values too large for it (step 1's rate of
// a parameter with G = 0) switch to exponent form instead of widening the
// column to 13 characters.
func fixed4(v float64) string {
	if math.Abs(v) >= 1e5 {
		return strconv.FormatFloat(v, 'e', 4, 64)
	}
	return strconv.FormatFloat(v, 'f', 4, 64)
}

func describe(c adagrad.Config) string {
	rule := "θ ← θ − η·g/(√G + ε)"
	if c.EpsInside {
		rule = "θ ← θ − η·g/√(G + ε)"
	}
	s := fmt.Sprintf("η = %g, ε = %g: %s", c.LR, c.Eps, rule)
	if c.LRDecay != 0 {
		s += fmt.Sprintf(", η decays as η/(1+(t−1)·%g)", c.LRDecay)
	}
	if c.WeightDecay != 0 {
		s += fmt.Sprintf(", g ← g + %g·θ", c.WeightDecay)
	}
	return s
}

func traceTable(w io.Writer, tr *adagrad.Trace) error {
	fmt.Fprintf(w, "# %s\n", describe(tr.Config))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	n := len(tr.Theta0)
	fmt.Fprintln(tw, strings.Join(traceHeader(n, "w"), "\t")+"\t")
	for _, s := range tr.Steps {
		fmt.Fprintln(tw, strings.Join(traceRow(s, fixed4), "\t")+"\t")
	}
	return tw.Flush()
}

func traceMarkdown(w io.Writer, tr *adagrad.Trace) error {
	n := len(tr.Theta0)
	fmt.Fprintf(w, "%s\n\n", describe(tr.Config))
	h := traceHeader(n, "w")
	fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(h, " | "), strings.Repeat("---:|", len(h)))
	for _, s := range tr.Steps {
		fmt.Fprintf(w, "| %s |\n", strings.Join(traceRow(s, fixed4), " | "))
	}
	return nil
}

// traceCSV keeps full precision: it is for spreadsheets and scripts.
func traceCSV(w io.Writer, tr *adagrad.Trace) error {
	cw := csv.NewWriter(w)
	cw.Write(traceHeader(len(tr.Theta0), "w"))
	for _, s := range tr.Steps {
		cw.Write(traceRow(s, func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }))
	}
	cw.Flush()
	return cw.Error()
}

// jsonFloat writes non-finite values as strings ("+Inf", "NaN"), which
// encoding/json refuses as numbers; a trace with ε = 0 can produce them.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte(strconv.Quote(strconv.FormatFloat(v, 'g', -1, 64))), nil
	}
	return []byte(strconv.FormatFloat(v, 'g', -1, 64)), nil
}

func jsonFloats(v []float64) []jsonFloat {
	out := make([]jsonFloat, len(v))
	for i, x := range v {
		out[i] = jsonFloat(x)
	}
	return out
}

func traceJSON(w io.Writer, tr *adagrad.Trace) error {
	type step struct {
		Step  int         `json:"step"`
		Grad  []jsonFloat `json:"g"`
		Sum   []jsonFloat `json:"G"`
		LR    []jsonFloat `json:"lr"`
		Theta []jsonFloat `json:"theta"`
	}
	out := struct {
		Config struct {
			LR          float64 `json:"lr"`
			Eps         float64 `json:"eps"`
			EpsInside   bool    `json:"eps_inside"`
			LRDecay     float64 `json:"lr_decay"`
			WeightDecay float64 `json:"weight_decay"`
		} `json:"config"`
		Theta0 []jsonFloat `json:"theta0"`
		Steps  []step      `json:"steps"`
	}{Theta0: jsonFloats(tr.Theta0)}
	c := tr.Config
	out.Config.LR, out.Config.Eps, out.Config.EpsInside, out.Config.LRDecay, out.Config.WeightDecay = c.LR, c.Eps, c.EpsInside, c.LRDecay, c.WeightDecay
	for _, s := range tr.Steps {
		out.Steps = append(out.Steps, step{s.Step, jsonFloats(s.Grad), jsonFloats(s.Sum), jsonFloats(s.LR), jsonFloats(s.Theta)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
