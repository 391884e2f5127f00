package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Style fixes everything about a figure's look that is not data: canvas
// size, type sizes, line widths and resolution.
type Style struct {
	Name          string    // "slide" or "paper"
	Width, Height vg.Length // canvas size
	DPI           int       // PNG resolution

	Title, Label, Tick, Legend vg.Length // font sizes
	Line                       vg.Length // data line width
	Marker                     vg.Length // marker radius
	Thin                       vg.Length // contour and reference line width

	// ASCII spells Greek letters, subscripts and symbols out in ASCII
	// ("eta", "G1", "sqrt"). The PDF back end (vgpdf) writes text bytes as
	// they come and its fonts are cp1252-encoded, so anything beyond ASCII
	// would print wrong; Build sets ASCII for PDF output.
	ASCII bool
}

// Slide is the lecture style: a 16:9 canvas of 13.33 × 7.5 inches (the size
// of a widescreen slide, so a point on the canvas is a point on the slide)
// with 28-point titles and 20-point tick labels, 150 dpi PNG (2000 × 1125).
func Slide() Style {
	return Style{
		Name: "slide", Width: 13.333 * vg.Inch, Height: 7.5 * vg.Inch, DPI: 150,
		Title: 28, Label: 24, Tick: 20, Legend: 20,
		Line: 3.5, Marker: 6, Thin: 1.5,
	}
}

// Paper is a style for a printed page: 6 × 3.7 inches, 9-point type,
// 300 dpi PNG.
func Paper() Style {
	return Style{
		Name: "paper", Width: 6 * vg.Inch, Height: 3.7 * vg.Inch, DPI: 300,
		Title: 10, Label: 9, Tick: 8, Legend: 8,
		Line: 1.25, Marker: 2.5, Thin: 0.5,
	}
}

// defaultStyle is what the *Defaults option constructors give; the
// lecture set (Figures) always names its style.
var (
	defaultMu    sync.Mutex
	defaultStyle = Slide()
)

// DefaultStyle is the style the *Defaults functions give: Slide, unless
// SetDefaultStyle chose another. The notebook kernel chooses Paper, so a
// figure made in a cell suits a notebook without a style line of its own.
func DefaultStyle() Style {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	return defaultStyle
}

// SetDefaultStyle sets what DefaultStyle returns.
func SetDefaultStyle(st Style) {
	defaultMu.Lock()
	defer defaultMu.Unlock()
	defaultStyle = st
}

// StyleNames lists the styles StyleByName knows.
func StyleNames() []string { return []string{"slide", "paper"} }

// StyleByName returns Slide for "slide" and Paper for "paper".
func StyleByName(name string) (Style, error) {
	switch name {
	case "slide":
		return Slide(), nil
	case "paper":
		return Paper(), nil
	}
	return Style{}, fmt.Errorf("plots: unknown style %q (valid: %s)", name, strings.Join(StyleNames(), ", "))
}

// The Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008),
// in the order the figures use it. Yellow is left out: it vanishes on white.
var (
	Blue          = color.RGBA{0x00, 0x72, 0xB2, 0xFF}
	Vermillion    = color.RGBA{0xD5, 0x5E, 0x00, 0xFF}
	BluishGreen   = color.RGBA{0x00, 0x9E, 0x73, 0xFF}
	Orange        = color.RGBA{0xE6, 0x9F, 0x00, 0xFF}
	ReddishPurple = color.RGBA{0xCC, 0x79, 0xA7, 0xFF}
	SkyBlue       = color.RGBA{0x56, 0xB4, 0xE9, 0xFF}
	Black         = color.RGBA{0x00, 0x00, 0x00, 0xFF}
	Grey          = color.RGBA{0x99, 0x99, 0x99, 0xFF}
)

// Palette is the colour of series i, cycling through the Okabe–Ito colours.
func Palette(i int) color.Color {
	cs := []color.Color{Blue, Vermillion, BluishGreen, Orange, ReddishPurple, SkyBlue, Black}
	return cs[i%len(cs)]
}

// LineStyle is the style of series i: its palette colour, the style's line
// width and a dash pattern of its own (solid, dashed, dotted, dash-dot), so
// that series stay apart without colour.
func (s Style) LineStyle(i int) draw.LineStyle {
	w := s.Line
	dashes := [][]vg.Length{
		nil,
		{4 * w, 2 * w},
		{1 * w, 1.5 * w},
		{4 * w, 1.5 * w, 1 * w, 1.5 * w},
	}
	return draw.LineStyle{Color: Palette(i), Width: w, Dashes: dashes[i%len(dashes)]}
}

// GlyphStyle is the marker of series i: its palette colour and a shape of its own.
func (s Style) GlyphStyle(i int) draw.GlyphStyle {
	shapes := []draw.GlyphDrawer{draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.CrossGlyph{}, draw.RingGlyph{}}
	return draw.GlyphStyle{Color: Palette(i), Radius: s.Marker, Shape: shapes[i%len(shapes)]}
}

// handler is the text handler for the style's text.
func (s Style) handler() text.Handler {
	if s.ASCII {
		return asciiHandler{text.Plain{Fonts: font.DefaultCache}}
	}
	return text.Plain{Fonts: font.DefaultCache}
}

func (s Style) textStyle(size vg.Length) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(font.Font{Typeface: "Liberation", Variant: "Sans"}, size),
		XAlign:  draw.XLeft,
		YAlign:  draw.YBottom,
		Handler: s.handler(),
	}
}

// NewPlot returns an empty plot in the style: sans-serif type at the
// style's sizes, a light grid, the legend at the top right.
func (s Style) NewPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	h := s.handler()
	p.TextHandler = h
	p.Title.Text = title
	p.Title.TextStyle = s.textStyle(s.Title)
	p.Title.TextStyle.XAlign = draw.XCenter
	p.Title.TextStyle.YAlign = draw.YTop
	p.Title.Padding = s.Tick
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle = s.textStyle(s.Label)
		ax.Label.TextStyle.XAlign = draw.XCenter
		ax.Label.Padding = s.Tick / 2
		ax.Tick.Label = s.textStyle(s.Tick)
		ax.Tick.Label.XAlign = draw.XCenter
		ax.Tick.Label.YAlign = draw.YTop
		ax.Width = s.Thin
		ax.Tick.Width = s.Thin
		ax.Tick.Length = s.Tick / 3
		ax.Padding = s.Tick / 4
	}
	p.X.Tick.Marker = plainTicks{}
	p.Y.Tick.Marker = plainTicks{}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Y.Tick.Label.XAlign = draw.XRight
	p.Y.Tick.Label.YAlign = draw.YCenter
	p.Legend.TextStyle = s.textStyle(s.Legend)
	p.Legend.Top = true
	p.Legend.ThumbnailWidth = 3 * s.Legend
	p.Legend.Padding = s.Legend / 4
	p.Legend.XOffs = -s.Tick / 2
	p.Legend.YOffs = -s.Tick / 2
	g := plotter.NewGrid()
	g.Vertical = draw.LineStyle{Color: color.Gray{0xE4}, Width: s.Thin}
	g.Horizontal = g.Vertical
	p.Add(g)
	return p
}

// LogAxis makes ax logarithmic, labelled as such: LogTicks (labelled powers
// of ten, and 1-2-5 steps between them over two decades or less), the range
// widened outward to the nearest 1, 2 or 5 times a power of ten so that both
// ends carry a label, and " (log scale)" added to the axis label unless it
// already mentions "log" (an empty label becomes "log scale"). Call it after
// setting the label and the data's range (or after adding the data). It
// also keeps gonum/plot from reserving space for the label at the
// arithmetic middle of the range, which on a log axis lies near one end.
func LogAxis(ax *plot.Axis) {
	logAxis(ax)
}

func logAxis(ax *plot.Axis) {
	ax.Scale = plot.LogScale{}
	ax.Tick.Marker = LogTicks()
	if ax.Min > 0 && ax.Max > ax.Min {
		ax.Min, ax.Max = niceDown(ax.Min), niceUp(ax.Max)
	}
	switch {
	case ax.Label.Text == "":
		ax.Label.Text = "log scale"
	case !strings.Contains(strings.ToLower(ax.Label.Text), "log"):
		ax.Label.Text += " (log scale)"
	}
	if _, ok := ax.Label.TextStyle.Handler.(centredLabel); !ok && ax.Label.TextStyle.Handler != nil {
		ax.Label.TextStyle.Handler = centredLabel{ax.Label.TextStyle.Handler}
	}
}

// centredLabel is a text handler for a log axis's label. gonum/plot draws
// an axis label at the middle of the axis but, when it lays the plot out,
// places the label's box at the axis's value (Min+Max)/2, which on a log
// scale is near the top (or right) end; a long label then shrinks the plot
// to make room beyond that end. The label's box here has no length along
// the axis, so only its depth (which the axis's size counts) is reserved;
// the text is drawn as usual, centred on the axis.
type centredLabel struct{ text.Handler }

func (h centredLabel) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	_, height, depth = h.Handler.Box(txt, fnt)
	return 0, height, depth
}

func niceDown(v float64) float64 {
	d := math.Pow(10, math.Floor(math.Log10(v)+1e-12))
	for _, m := range []float64{5, 2, 1} {
		if m*d <= v*(1+1e-9) {
			return m * d
		}
	}
	return d
}

func niceUp(v float64) float64 {
	d := math.Pow(10, math.Floor(math.Log10(v)-1e-12))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*d >= v*(1-1e-9) {
			return m * d
		}
	}
	return 10 * d
}

// TextStyle is the style's text at the legend's size, for annotations.
func (s Style) TextStyle() text.Style { return s.textStyle(s.Legend) }

// plainTicks are gonum/plot's default ticks with their labels written
// briefly (−2.5 rather than -2.50).
type plainTicks struct{}

func (plainTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = tickLabel(ticks[i].Value)
		}
	}
	return ticks
}

// LogTicks returns a tick marker for a log axis: labelled ticks at 1, 2, 5
// times a power of ten when the axis spans two decades or less, at powers of
// ten otherwise, with unlabelled minor ticks between.
func LogTicks() plot.Ticker { return logTicks{} }

type logTicks struct{}

func (logTicks) Ticks(min, max float64) []plot.Tick {
	if min <= 0 || max <= min {
		return nil
	}
	lo := int(math.Floor(math.Log10(min)))
	hi := int(math.Ceil(math.Log10(max)))
	labelled := []float64{1}
	if max/min <= 300 {
		labelled = []float64{1, 2, 5}
	}
	step := 1
	if hi-lo > 8 {
		step = 2
	}
	var ticks []plot.Tick
	for e := lo; e <= hi; e++ {
		decade := math.Pow(10, float64(e))
		for m := 1; m <= 9; m++ {
			v := float64(m) * decade
			if v < min*(1-1e-9) || v > max*(1+1e-9) {
				continue
			}
			label := ""
			for _, l := range labelled {
				if float64(m) == l && (m != 1 || (e-lo)%step == 0) {
					label = tickLabel(v)
				}
			}
			if len(labelled) == 1 && m > 1 && hi-lo > 5 {
				continue // too dense for minor ticks
			}
			ticks = append(ticks, plot.Tick{Value: v, Label: label})
		}
	}
	return ticks
}

// tickLabel writes a tick value briefly: 0.02, 1000, 1e-05.
func tickLabel(v float64) string {
	a := math.Abs(v)
	if a != 0 && (a < 1e-3 || a >= 1e6) {
		e := int(math.Floor(math.Log10(a) + 1e-9))
		m := v / math.Pow(10, float64(e))
		if math.Abs(m-math.Round(m)) < 1e-9 {
			if math.Round(m) == 1 {
				return "1e" + strconv.Itoa(e)
			}
			return strconv.Itoa(int(math.Round(m))) + "e" + strconv.Itoa(e)
		}
		return strconv.FormatFloat(m, 'f', -1, 64) + "e" + strconv.Itoa(e)
	}
	return strconv.FormatFloat(math.Round(v*1e9)/1e9, 'f', -1, 64)
}

// asciiHandler is text.Plain with non-cp1252 characters spelled out.
type asciiHandler struct{ text.Plain }

func (h asciiHandler) Lines(txt string) []string { return h.Plain.Lines(ASCII(txt)) }
func (h asciiHandler) Box(txt string, fnt font.Font) (vg.Length, vg.Length, vg.Length) {
	return h.Plain.Box(ASCII(txt), fnt)
}
func (h asciiHandler) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	h.Plain.Draw(c, ASCII(txt), sty, pt)
}

var asciiReplacer = strings.NewReplacer(
	"η", "eta", "θ", "theta", "ε", "eps", "α", "alpha", "β", "beta", "λ", "lambda",
	"σ", "sigma", "Σ", "sum ", "√", "sqrt", "₀", "0", "₁", "1", "₂", "2", "₃", "3",
	"ₜ", "t", "ᵢ", "i", "⁻", "-", "−", "-", "–", "-", "—", "-", "≈", "~", "→", "->",
	"∝", "~", "≤", "<=", "≥", ">=", "…", "...", "²", "^2", "³", "^3", "·", "*",
	"×", "x", "÷", "/", "½", "1/2",
)

// ASCII spells out the characters the figures use in plain ASCII (η → eta,
// G₁ → G1, g² → g^2); any other non-ASCII character becomes "?".
func ASCII(s string) string {
	s = asciiReplacer.Replace(s)
	return strings.Map(func(r rune) rune {
		if r > 127 {
			return '?'
		}
		return r
	}, s)
}
