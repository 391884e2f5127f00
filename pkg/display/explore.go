package display

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
)

// ExplorerOptions sets up EffectiveRateExplorer. A zero, negative or
// non-finite field takes its default, so ExplorerOptions{} is the course's
// setting: η = 0.1, ε = 1e-8, a constant gradient of 0.5, 1000 steps.
type ExplorerOptions struct {
	LR        float64 // initial η (default 0.1)
	Eps       float64 // initial ε (default 1e-8)
	Grad      float64 // initial |g|, the same gradient at every step (default 0.5)
	Steps     int     // the t axis runs from 1 to Steps (default 1000, at least 10)
	EpsInside bool    // start with ε inside the root, η/√(G+ε), instead of η/(√G+ε)

	// The sliders' ranges, [low, high] (defaults [1e-3, 10], [1e-10, 1],
	// [1e-4, 10]). A range that does not contain its initial value is
	// widened to contain it.
	LRRange, EpsRange, GradRange [2]float64
}

// EffectiveRateExplorer shows EffectiveRateExplorerData(o).
func EffectiveRateExplorer(o ExplorerOptions) error {
	return Display(EffectiveRateExplorerData(o))
}

// EffectiveRateExplorerData is a bundle showing Adagrad's effective rate
// η/(√G_t+ε), with G_t = t·g² (a gradient g at every step), against the
// step t on log–log axes, with sliders for η, ε and |g| and a switch for
// ε's place (see pkg/adagrad: "Where ε goes"). It is self-contained HTML,
// SVG and a short script: no widgets, nothing loaded from the network.
//
// The picture and the readout under it (the rate at steps 1, 10, 100, …)
// are computed here, with adagrad.Config.EffectiveLR, for the initial
// values, so a saved notebook shows the right numbers where scripts do not
// run; the script redraws both whenever a slider moves. The sliders step
// through 1, 2, 5 × 10ᵏ (plus the initial value), on a log scale. Element
// ids carry a per-display suffix, so several explorers can share a page.
func EffectiveRateExplorerData(o ExplorerOptions) Data {
	o = o.withDefaults()
	id := fmt.Sprintf("adagradlab-explorer-%d-%d", explorerSeq.Add(1), pidNonce)
	g := explorerGeometry(o.Steps)
	cfg := adagrad.Config{LR: o.LR, Eps: o.Eps, EpsInside: o.EpsInside}
	readout := explorerReadout(cfg, o.Grad, g.Readout)

	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w(`<div id="%s" class="adagradlab-explorer" style="font:13px/1.5 sans-serif;max-width:%dpx">`+"\n", id, g.Width)
	for _, s := range []struct {
		key, label, aria string
		values           []float64
		v                float64
	}{
		{"lr", "η", "learning rate η", sliderValues(o.LRRange, o.LR), o.LR},
		{"eps", "ε", "epsilon ε", sliderValues(o.EpsRange, o.Eps), o.Eps},
		{"g", "|g|", "gradient |g|", sliderValues(o.GradRange, o.Grad), o.Grad},
	} {
		vals, _ := json.Marshal(s.values)
		w(`<div><label for="%s-%s" style="display:inline-block;width:2.5em">%s</label>`, id, s.key, s.label)
		// data-lm-suppress-shortcuts: JupyterLab's command-mode keys (ArrowLeft
		// folds a heading's section, J/K move between cells) leave the slider alone.
		w(`<input type="range" id="%s-%s" min="0" max="%d" step="1" value="%d" data-values="%s" aria-label="%s" data-lm-suppress-shortcuts="true" style="width:320px;vertical-align:middle"> `,
			id, s.key, len(s.values)-1, max(slices.Index(s.values, s.v), 0), html.EscapeString(string(vals)), s.aria)
		w(`<output id="%s-%s-value" for="%s-%s">%s</output></div>`+"\n", id, s.key, id, s.key, fmtRate(s.v))
	}
	checked := ""
	if o.EpsInside {
		checked = " checked"
	}
	w(`<div><label><input type="checkbox" id="%s-inside" data-lm-suppress-shortcuts="true"%s> ε inside the root: η/√(G+ε) (Keras 3, optax) instead of η/(√G+ε) (PyTorch)</label></div>`+"\n", id, checked)

	w(`<svg id="%s-svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="effective learning rate against step, log-log" style="display:block;max-width:100%%;height:auto">`+"\n",
		id, g.Width, g.Height, g.Width, g.Height)
	w(`<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="currentColor" stroke-opacity="0.5"/>`+"\n", g.X0, g.Y0, g.W, g.H)
	w(`<g id="%s-xaxis" fill="currentColor" font-size="12" text-anchor="middle">%s</g>`+"\n", id, g.xTicks())
	ref, curve, lo, hi := g.curves(cfg, o.Grad)
	w(`<g id="%s-yaxis" fill="currentColor" font-size="12" text-anchor="end">%s</g>`+"\n", id, g.yTicks(lo, hi))
	w(`<path id="%s-ref" d="%s" fill="none" stroke="#888" stroke-width="1.5" stroke-dasharray="5 4"/>`+"\n", id, ref)
	w(`<path id="%s-curve" d="%s" fill="none" stroke="#1f77b4" stroke-width="2.5"/>`+"\n", id, curve)
	w(`<text x="%d" y="%d" fill="currentColor" font-size="13" text-anchor="middle">step t</text>`+"\n", g.X0+g.W/2, g.Height-8)
	w(`<text id="%s-ylabel" transform="translate(16 %d) rotate(-90)" fill="currentColor" font-size="13" text-anchor="middle">%s</text>`+"\n",
		id, g.Y0+g.H/2, yLabel(o.EpsInside))
	lx, ly := g.X0+g.W-250, g.Y0+18
	w(`<g font-size="12" fill="currentColor"><line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#1f77b4" stroke-width="2.5"/><text x="%d" y="%d">Adagrad, G = t·g²</text>`,
		lx, ly, lx+28, ly, lx+34, ly+4)
	w(`<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#888" stroke-width="1.5" stroke-dasharray="5 4"/><text x="%d" y="%d">ε = 0: η/(|g|·√t)</text></g>`+"\n",
		lx, ly+18, lx+28, ly+18, lx+34, ly+22)
	w("</svg>\n")
	w(`<div id="%s-readout" style="font-family:monospace">%s</div>`+"\n", id, html.EscapeString(readout))

	geo, _ := json.Marshal(g)
	w("<script>\n(function () {\n  var id = %q, geo = %s;\n%s})();\n</script>\n</div>", id, geo, explorerJS)

	plain := fmt.Sprintf("<effective-rate explorer: lr_t = η/(√(t·g²)+ε) for η = %s, ε = %s, |g| = %s, with sliders (needs HTML and scripts); %s>",
		fmtRate(o.LR), fmtRate(o.Eps), fmtRate(o.Grad), readout)
	return MakeData3(MIMEHTML, plain, b.String())
}

var explorerSeq atomic.Int64

func (o ExplorerOptions) withDefaults() ExplorerOptions {
	pos := func(v *float64, d float64) {
		if !(*v > 0) || math.IsInf(*v, 0) {
			*v = d
		}
	}
	rng := func(r *[2]float64, v, lo, hi float64) {
		if !(r[0] > 0) || !(r[1] > r[0]) || math.IsInf(r[1], 0) {
			*r = [2]float64{lo, hi}
		}
		r[0], r[1] = min(r[0], v), max(r[1], v)
	}
	pos(&o.LR, 0.1)
	pos(&o.Eps, 1e-8)
	pos(&o.Grad, 0.5)
	if o.Steps <= 0 {
		o.Steps = 1000
	}
	o.Steps = max(o.Steps, 10)
	rng(&o.LRRange, o.LR, 1e-3, 10)
	rng(&o.EpsRange, o.Eps, 1e-10, 1)
	rng(&o.GradRange, o.Grad, 1e-4, 10)
	return o
}

// sliderValues is 1, 2, 5 × 10ᵏ within r, with r's ends and v.
func sliderValues(r [2]float64, v float64) []float64 {
	vals := []float64{r[0], r[1], v}
	for k := int(math.Floor(math.Log10(r[0]))); k <= int(math.Ceil(math.Log10(r[1]))); k++ {
		for _, m := range []int{1, 2, 5} {
			// Parsed from decimal so that 2e-8 is the double nearest 2e-8,
			// the same number the script reads back from the JSON.
			x, _ := strconv.ParseFloat(fmt.Sprintf("%de%d", m, k), 64)
			if x > r[0] && x < r[1] {
				vals = append(vals, x)
			}
		}
	}
	slices.Sort(vals)
	return slices.Compact(vals)
}

// explorerReadout is the rate at each of the given steps, as the script
// prints it.
func explorerReadout(cfg adagrad.Config, g float64, steps []int) string {
	parts := make([]string, len(steps))
	for i, t := range steps {
		parts[i] = fmt.Sprintf("step %d: %s", t, fmtRate(cfg.EffectiveLR(t, float64(t)*g*g)))
	}
	return strings.Join(parts, " · ")
}

func yLabel(inside bool) string {
	if inside {
		return "effective rate η/√(G+ε)"
	}
	return "effective rate η/(√G+ε)"
}

// fmtRate prints 3 significant digits, as the script's fmt does: plain
// decimals from 0.001 to 9999, else 6.32e-8.
func fmtRate(x float64) string {
	if a := math.Abs(x); x == 0 || (a >= 1e-3 && a < 1e4) {
		r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'e', 2, 64), 64)
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	s := strconv.FormatFloat(x, 'e', 2, 64)
	i := strings.IndexByte(s, 'e')
	m, _ := strconv.ParseFloat(s[:i], 64)
	e, _ := strconv.Atoi(s[i+1:])
	return strconv.FormatFloat(m, 'f', -1, 64) + "e" + strconv.Itoa(e)
}

// geometry is the drawing's layout, shared with the script as JSON.
type geometry struct {
	Width   int   `json:"-"`
	Height  int   `json:"-"`
	X0      int   `json:"x0"` // the plot area's left
	Y0      int   `json:"y0"` // and top edge
	W       int   `json:"w"`
	H       int   `json:"h"`
	N       int   `json:"n"` // points per curve
	Steps   int   `json:"steps"`
	Readout []int `json:"readout"`
}

func explorerGeometry(steps int) geometry {
	g := geometry{Width: 620, Height: 360, X0: 70, Y0: 14, N: 121, Steps: steps}
	g.W, g.H = g.Width-g.X0-18, g.Height-g.Y0-52
	for t := 1; t < steps; t *= 10 {
		g.Readout = append(g.Readout, t)
	}
	g.Readout = append(g.Readout, steps)
	return g
}

// curves returns the paths of the ε = 0 reference η/(|g|√t) and of the rate,
// and the decades lo, hi of the y axis. Keep in step with the script's draw.
func (g geometry) curves(cfg adagrad.Config, grad float64) (ref, curve string, lo, hi int) {
	L := math.Log10(float64(g.Steps))
	ts := make([]float64, g.N)
	r := make([]float64, g.N)
	q := make([]float64, g.N)
	for i := range ts {
		ts[i] = math.Pow(10, L*float64(i)/float64(g.N-1))
		// Step 1's decayed rate is η itself (no LRDecay here), so t only enters through G.
		r[i] = cfg.EffectiveLR(1, ts[i]*grad*grad)
		q[i] = cfg.LR / (grad * math.Sqrt(ts[i]))
	}
	lo = int(math.Floor(math.Log10(min(r[g.N-1], q[g.N-1]))))
	hi = int(math.Ceil(math.Log10(max(r[0], q[0]))))
	if hi-lo < 2 {
		lo = hi - 2
	}
	path := func(v []float64) string {
		var b strings.Builder
		for i, x := range v {
			if i == 0 {
				b.WriteByte('M')
			} else {
				b.WriteByte('L')
			}
			px := float64(g.X0) + float64(g.W)*float64(i)/float64(g.N-1)
			py := float64(g.Y0) + float64(g.H)*(float64(hi)-math.Log10(x))/float64(hi-lo)
			b.WriteString(strconv.FormatFloat(px, 'f', 1, 64) + "," + strconv.FormatFloat(py, 'f', 1, 64))
		}
		return b.String()
	}
	return path(q), path(r), lo, hi
}

// xTicks is the t axis: a tick, a grid line and a label 10ᵏ at each decade.
func (g geometry) xTicks() string {
	var b strings.Builder
	L := math.Log10(float64(g.Steps))
	every := max(1, int(math.Ceil(L/8)))
	for k := 0; float64(k) <= L+1e-9; k++ {
		x := float64(g.X0) + float64(g.W)*float64(k)/L
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="currentColor" stroke-opacity="0.15"/>`, x, g.Y0, x, g.Y0+g.H)
		if k%every == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d">%s</text>`, x, g.Y0+g.H+18, decade(k))
		}
	}
	return b.String()
}

// yTicks is the rate axis from 10^lo to 10^hi. Keep in step with the
// script's yTicks, which redraws it.
func (g geometry) yTicks(lo, hi int) string {
	var b strings.Builder
	every := max(1, (hi-lo+7)/8)
	for k := lo; k <= hi; k++ {
		y := float64(g.Y0) + float64(g.H)*float64(hi-k)/float64(hi-lo)
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="currentColor" stroke-opacity="0.15"/>`, g.X0, y, g.X0+g.W, y)
		if (k-lo)%every == 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%.1f">%s</text>`, g.X0-6, y+4, decade(k))
		}
	}
	return b.String()
}

// decade is 10ᵏ with a superscript exponent.
func decade(k int) string {
	const sup = "⁰¹²³⁴⁵⁶⁷⁸⁹"
	digits := []rune(sup)
	s := "10"
	if k < 0 {
		s += "⁻"
		k = -k
	}
	for _, c := range strconv.Itoa(k) {
		s += string(digits[c-'0'])
	}
	return s
}

// explorerJS redraws an explorer in the page; the Go code above draws its
// first picture, and the two must agree (the browser test checks that they
// do). It finds its elements by the display's id, set just before it.
const explorerJS = `  var el = function (name) { return document.getElementById(id + '-' + name); };
  if (!el('svg')) return; // the output was cleared before the script ran
  var sliders = ['lr', 'eps', 'g'].map(function (k) {
    var input = el(k);
    // The sliders move an index; the values (1, 2, 5 × 10^k) come from Go,
    // which keeps the log scale and the round numbers out of this script.
    return { input: input, out: el(k + '-value'), values: JSON.parse(input.dataset.values) };
  });
  var inside = el('inside');

  // 3 significant digits, as fmtRate in Go: 0.00632, 1230, 6.32e-8.
  function fmt(x) {
    var a = Math.abs(x);
    if (x === 0 || (a >= 1e-3 && a < 1e4)) return String(Number(x.toExponential(2)));
    var p = x.toExponential(2).split('e');
    return String(Number(p[0])) + 'e' + Number(p[1]);
  }
  // The effective rate for an accumulator G, as adagrad.Config.EffectiveLR.
  function rate(lr, eps, G) {
    return inside.checked ? lr / Math.sqrt(G + eps) : lr / (Math.sqrt(G) + eps);
  }
  function decade(k) {
    var sup = '⁰¹²³⁴⁵⁶⁷⁸⁹';
    return '10' + (k < 0 ? '⁻' : '') + String(Math.abs(k)).split('').map(function (d) { return sup[d]; }).join('');
  }
  function yTicks(lo, hi) {
    var s = '', every = Math.max(1, Math.floor((hi - lo + 7) / 8));
    for (var k = lo; k <= hi; k++) {
      var y = (geo.y0 + geo.h * (hi - k) / (hi - lo)).toFixed(1);
      s += '<line x1="' + geo.x0 + '" y1="' + y + '" x2="' + (geo.x0 + geo.w) + '" y2="' + y +
        '" stroke="currentColor" stroke-opacity="0.15"/>';
      if ((k - lo) % every === 0) {
        s += '<text x="' + (geo.x0 - 6) + '" y="' + (Number(y) + 4).toFixed(1) + '">' + decade(k) + '</text>';
      }
    }
    return s;
  }

  function draw() {
    var v = sliders.map(function (s) {
      var x = s.values[Number(s.input.value)];
      s.out.textContent = fmt(x);
      return x;
    });
    var lr = v[0], eps = v[1], g = v[2], L = Math.log10(geo.steps);
    var r = [], q = [];
    for (var i = 0; i < geo.n; i++) {
      var t = Math.pow(10, L * i / (geo.n - 1));
      r.push(rate(lr, eps, t * g * g));
      q.push(lr / (g * Math.sqrt(t))); // the ε = 0 reference, to see where ε matters
    }
    // Whole decades that hold both curves: the axes follow the sliders, so
    // the curve never leaves the picture, whatever η, ε and g are.
    var hi = Math.ceil(Math.log10(Math.max(r[0], q[0])));
    var lo = Math.floor(Math.log10(Math.min(r[geo.n - 1], q[geo.n - 1])));
    if (hi - lo < 2) lo = hi - 2;
    var path = function (vals) {
      return vals.map(function (x, i) {
        var px = geo.x0 + geo.w * i / (geo.n - 1);
        var py = geo.y0 + geo.h * (hi - Math.log10(x)) / (hi - lo);
        return (i ? 'L' : 'M') + px.toFixed(1) + ',' + py.toFixed(1);
      }).join('');
    };
    el('curve').setAttribute('d', path(r));
    el('ref').setAttribute('d', path(q));
    el('yaxis').innerHTML = yTicks(lo, hi);
    el('ylabel').textContent = inside.checked ? 'effective rate η/√(G+ε)' : 'effective rate η/(√G+ε)';
    // The readout uses whole steps, G = t·g², as the optimizer would.
    el('readout').textContent = geo.readout.map(function (t) {
      return 'step ' + t + ': ' + fmt(rate(lr, eps, t * g * g));
    }).join(' · ');
  }

  sliders.forEach(function (s) { s.input.addEventListener('input', draw); });
  inside.addEventListener('change', draw);
  draw();
`
