package display

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/adagradlab/adagradlab/pkg/adagrad"
)

func explorerHTML(t *testing.T, o ExplorerOptions) (string, string) {
	t.Helper()
	d := EffectiveRateExplorerData(o)
	h, ok := d.Data[MIMEHTML].(string)
	if !ok || h == "" {
		t.Fatalf("no text/html in %v", d.Data)
	}
	p, ok := d.Data[MIMEPlain].(string)
	if !ok || p == "" {
		t.Fatalf("no text/plain in %v", d.Data)
	}
	return h, p
}

var (
	rangeInput = regexp.MustCompile(`<input type="range" id="[^"]*-(\w+)" min="(\d+)" max="(\d+)" step="1" value="(\d+)" data-values="([^"]*)"`)
	idAttr     = regexp.MustCompile(`\bid="([^"]*)"`)
	readoutDiv = regexp.MustCompile(`id="[^"]*-readout"[^>]*>([^<]*)</div>`)
	readoutNum = regexp.MustCompile(`step (\d+): (\S+)`)
)

// sliders returns each slider's values and the value it starts at.
func sliders(t *testing.T, h string) map[string][]float64 {
	t.Helper()
	out := map[string][]float64{}
	for _, m := range rangeInput.FindAllStringSubmatch(h, -1) {
		var vals []float64
		if err := json.Unmarshal([]byte(html.UnescapeString(m[5])), &vals); err != nil {
			t.Fatalf("slider %s: data-values %q: %v", m[1], m[5], err)
		}
		lo, _ := strconv.Atoi(m[2])
		hi, _ := strconv.Atoi(m[3])
		v, _ := strconv.Atoi(m[4])
		if lo != 0 || hi != len(vals)-1 || v < 0 || v > hi {
			t.Fatalf("slider %s: min %d max %d value %d for %d values", m[1], lo, hi, v, len(vals))
		}
		out[m[1]] = append(vals, vals[v]) // last: the initial value
	}
	return out
}

func TestExplorerDefaults(t *testing.T) {
	h, plain := explorerHTML(t, ExplorerOptions{})
	s := sliders(t, h)
	for _, c := range []struct {
		key           string
		lo, hi, start float64
	}{
		{"lr", 1e-3, 10, 0.1},
		{"eps", 1e-10, 1, 1e-8},
		{"g", 1e-4, 10, 0.5},
	} {
		v := s[c.key]
		if len(v) < 3 {
			t.Fatalf("no slider %q in\n%s", c.key, h)
		}
		vals, start := v[:len(v)-1], v[len(v)-1]
		if vals[0] != c.lo || vals[len(vals)-1] != c.hi || start != c.start {
			t.Errorf("slider %s: %v … %v starting at %v, want %v … %v starting at %v",
				c.key, vals[0], vals[len(vals)-1], start, c.lo, c.hi, c.start)
		}
		for i := 1; i < len(vals); i++ {
			if !(vals[i] > vals[i-1]) || vals[i]/vals[i-1] > 2.5+1e-9 {
				t.Errorf("slider %s: values not a 1-2-5 log scale: %v", c.key, vals)
				break
			}
		}
		if !strings.Contains(h, `-`+c.key+`-value" for=`) {
			t.Errorf("slider %s: no <output> for its value", c.key)
		}
	}
	// The course's numbers, worked by hand: 0.1/(0.5·√t + 1e-8).
	want := "step 1: 0.2 · step 10: 0.0632 · step 100: 0.02 · step 1000: 0.00632"
	if m := readoutDiv.FindStringSubmatch(h); m == nil || html.UnescapeString(m[1]) != want {
		t.Errorf("readout %q, want %q", m, want)
	}
	if !strings.Contains(plain, want) || !strings.Contains(plain, "η/(√(t·g²)+ε)") {
		t.Errorf("plain text %q lacks the formula or %q", plain, want)
	}
	for _, tick := range []string{">10⁰<", ">10¹<", ">10²<", ">10³<", ">10⁻³<"} {
		if !strings.Contains(h, tick) {
			t.Errorf("no tick label %s", tick)
		}
	}
	if !strings.Contains(h, "step t") || !strings.Contains(h, "effective rate η/(√G+ε)") {
		t.Error("axis labels missing")
	}
}

// The readout printed before any script runs is the reference implementation's.
func TestExplorerReadoutIsAdagrads(t *testing.T) {
	for _, o := range []ExplorerOptions{
		{},
		{LR: 0.01, Eps: 1e-10, Grad: 3, Steps: 500},
		{Eps: 1e-2, Grad: 1e-3, EpsInside: true},
		{LR: 2, Eps: 1, Grad: 1e-4, Steps: 100000},
	} {
		h, _ := explorerHTML(t, o)
		m := readoutDiv.FindStringSubmatch(h)
		if m == nil {
			t.Fatalf("%+v: no readout", o)
		}
		o = o.withDefaults()
		cfg := adagrad.Config{LR: o.LR, Eps: o.Eps, EpsInside: o.EpsInside}
		nums := readoutNum.FindAllStringSubmatch(html.UnescapeString(m[1]), -1)
		var steps []int
		for _, n := range nums {
			step, _ := strconv.Atoi(n[1])
			got, err := strconv.ParseFloat(n[2], 64)
			if err != nil {
				t.Fatalf("%+v: readout number %q: %v", o, n[2], err)
			}
			want := cfg.EffectiveLR(step, float64(step)*o.Grad*o.Grad)
			if math.Abs(got-want) > 5e-3*want {
				t.Errorf("%+v: step %d reads %v, adagrad gives %v", o, step, got, want)
			}
			steps = append(steps, step)
		}
		if len(steps) == 0 || steps[0] != 1 || steps[len(steps)-1] != o.Steps {
			t.Errorf("%+v: readout steps %v, want 1 … %d", o, steps, o.Steps)
		}
	}
}

func TestExplorerSelfContainedAndUniqueIDs(t *testing.T) {
	h1, _ := explorerHTML(t, ExplorerOptions{})
	h2, _ := explorerHTML(t, ExplorerOptions{})
	for _, bad := range []string{"http", "src=", "href", "<link", "@import", "url("} {
		if strings.Contains(h1, bad) {
			t.Errorf("the HTML contains %q: it must load nothing", bad)
		}
	}
	ids := func(h string) map[string]bool {
		seen := map[string]bool{}
		for _, m := range idAttr.FindAllStringSubmatch(h, -1) {
			if seen[m[1]] {
				t.Errorf("id %q twice in one explorer", m[1])
			}
			seen[m[1]] = true
		}
		return seen
	}
	a, b := ids(h1), ids(h2)
	if len(a) < 10 {
		t.Fatalf("only %d ids: %v", len(a), a)
	}
	for id := range a {
		if b[id] {
			t.Errorf("id %q in both explorers", id)
		}
	}
	// Every element the script looks up exists (el('name') is id + '-' + name).
	root := regexp.MustCompile(`<div id="([^"]+)" class="adagradlab-explorer"`).FindStringSubmatch(h1)
	if root == nil {
		t.Fatal("no root div")
	}
	for _, m := range regexp.MustCompile(`el\('([\w-]+)'\)|el\(k \+ '(-value)'\)`).FindAllStringSubmatch(explorerJS, -1) {
		name := m[1]
		if name == "" {
			for _, k := range []string{"lr", "eps", "g"} {
				if !a[root[1]+"-"+k+m[2]] {
					t.Errorf("the script looks up %s-%s%s, which is not there", root[1], k, m[2])
				}
			}
			continue
		}
		if !a[root[1]+"-"+name] {
			t.Errorf("the script looks up %s-%s, which is not there", root[1], name)
		}
	}
	if !strings.Contains(h1, fmt.Sprintf("var id = %q", root[1])) {
		t.Error("the script does not get the display's id")
	}
}

func TestExplorerOptions(t *testing.T) {
	// An initial value outside its range widens the range; nonsense takes the default.
	h, _ := explorerHTML(t, ExplorerOptions{LR: 30, Eps: math.NaN(), Grad: -1, Steps: 3, EpsRange: [2]float64{1, 1e-3}})
	s := sliders(t, h)
	if lr := s["lr"]; lr[len(lr)-2] != 30 || lr[len(lr)-1] != 30 {
		t.Errorf("η slider %v: want it to end and start at 30", lr)
	}
	if eps := s["eps"]; eps[0] != 1e-10 || eps[len(eps)-1] != 1e-8 {
		t.Errorf("ε slider %v: want the default range and 1e-8", eps)
	}
	if g := s["g"]; g[len(g)-1] != 0.5 {
		t.Errorf("g slider starts at %v, want 0.5", g[len(g)-1])
	}
	if m := readoutDiv.FindStringSubmatch(h); m == nil || !strings.HasSuffix(m[1], "step 10: "+fmtRate(30/(0.5*math.Sqrt(10)+1e-8))) {
		t.Errorf("readout %q: want it to end at step 10 (Steps raised to 10)", m)
	}
	h, _ = explorerHTML(t, ExplorerOptions{EpsInside: true, LR: 0.15})
	if !strings.Contains(h, `-inside" data-lm-suppress-shortcuts="true" checked>`) || !strings.Contains(h, "effective rate η/√(G+ε)") {
		t.Error("EpsInside: the switch is not on or the label is not η/√(G+ε)")
	}
	if lr := sliders(t, h)["lr"]; lr[len(lr)-1] != 0.15 {
		t.Errorf("η slider starts at %v, want 0.15 (added to the 1-2-5 values)", lr[len(lr)-1])
	}
}

func TestFmtRate(t *testing.T) {
	for x, want := range map[float64]string{
		0: "0", 0.2: "0.2", 0.19999999: "0.2", 0.0063245553: "0.00632", 0.001: "0.001",
		1234.5: "1230", 9999: "10000", 1e7: "1e7", 1e-8: "1e-8", 6.3245e-8: "6.32e-8",
		0.000999: "9.99e-4", 2.5e-10: "2.5e-10", 1: "1", 12.345: "12.3",
	} {
		if got := fmtRate(x); got != want {
			t.Errorf("fmtRate(%v) = %q, want %q", x, got, want)
		}
	}
}

func TestExplorerPublishes(t *testing.T) {
	got := capture(t)
	if err := EffectiveRateExplorer(ExplorerOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(*got) != 1 || (*got)[0].Data[MIMEHTML] == nil || (*got)[0].Data[MIMEPlain] == nil {
		t.Fatalf("%+v", *got)
	}
}

func ExampleEffectiveRateExplorerData() {
	d := EffectiveRateExplorerData(ExplorerOptions{})
	fmt.Println(d.Data[MIMEPlain])
	// Output:
	// <effective-rate explorer: lr_t = η/(√(t·g²)+ε) for η = 0.1, ε = 1e-8, |g| = 0.5, with sliders (needs HTML and scripts); step 1: 0.2 · step 10: 0.0632 · step 100: 0.02 · step 1000: 0.00632>
}
