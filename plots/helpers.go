package plots

import (
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg/draw"
)

// xys pairs two equally long slices.
func xys(x, y []float64) plotter.XYs {
	pts := make(plotter.XYs, len(x))
	for i := range x {
		pts[i] = plotter.XY{X: x[i], Y: y[i]}
	}
	return pts
}

// addLine adds series i as a line (and markers when marks is true) with a
// legend entry when name is not empty.
func addLine(p *plot.Plot, st Style, i int, name string, pts plotter.XYs, marks bool) (*plotter.Line, error) {
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil, err
	}
	l.LineStyle = st.LineStyle(i)
	p.Add(l)
	thumbs := []plot.Thumbnailer{l}
	if marks {
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = st.GlyphStyle(i)
		p.Add(s)
		thumbs = append(thumbs, s)
	}
	if name != "" {
		p.Legend.Add(name, thumbs...)
	}
	return l, nil
}

// addPoints adds series i as markers only.
func addPoints(p *plot.Plot, st Style, i int, name string, pts plotter.XYs) (*plotter.Scatter, error) {
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, err
	}
	s.GlyphStyle = st.GlyphStyle(i)
	p.Add(s)
	if name != "" {
		p.Legend.Add(name, s)
	}
	return s, nil
}

// addLabels writes texts at points, aligned as given.
func addLabels(p *plot.Plot, st Style, pts plotter.XYs, texts []string, xalign draw.XAlignment, yalign draw.YAlignment) (*plotter.Labels, error) {
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: pts, Labels: texts})
	if err != nil {
		return nil, err
	}
	for i := range l.TextStyle {
		ts := st.TextStyle()
		ts.XAlign = xalign
		ts.YAlign = yalign
		l.TextStyle[i] = ts
	}
	p.Add(l)
	return l, nil
}

func steps(n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i + 1)
	}
	return x
}

// stepTicks label whole steps: every step up to 10, every 5th up to 40 (the
// others as minor ticks), gonum/plot's default beyond.
type stepTicks struct{}

func (stepTicks) Ticks(min, max float64) []plot.Tick {
	if max-min > 40 {
		return plainTicks{}.Ticks(min, max)
	}
	every := 1
	if max-min > 10 {
		every = 5
	}
	var ticks []plot.Tick
	for t := math.Ceil(min); t <= max; t++ {
		label := ""
		if int(t)%every == 0 {
			label = strconv.Itoa(int(t))
		}
		ticks = append(ticks, plot.Tick{Value: t, Label: label})
	}
	return ticks
}
