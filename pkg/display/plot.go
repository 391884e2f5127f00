package display

import (
	"bytes"
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Default size of a plot shown in a notebook.
const (
	PlotWidth  = 6 * vg.Inch
	PlotHeight = 4 * vg.Inch
)

// Drawer is anything that draws itself on a canvas: a *plot.Plot, or a
// multi-panel figure such as the course's plots.Grid.
type Drawer interface {
	Draw(draw.Canvas)
}

// PlotPNG renders a gonum plot to PNG bytes at the given size (zero means
// the default 6x4 inches).
func PlotPNG(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	return DrawPNG(p, w, h)
}

// DrawPNG renders any Drawer to PNG bytes at the given size (zero means
// the default 6x4 inches), at 96 dpi like a browser.
func DrawPNG(d Drawer, w, h vg.Length) ([]byte, error) {
	if w == 0 {
		w = PlotWidth
	}
	if h == 0 {
		h = PlotHeight
	}
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(96))}
	d.Draw(draw.New(c.Canvas))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("display: rendering plot: %w", err)
	}
	return buf.Bytes(), nil
}

// PlotData is a bundle showing a plot as PNG.
func PlotData(p *plot.Plot) (Data, error) {
	b, err := PlotPNG(p, 0, 0)
	if err != nil {
		return Data{}, err
	}
	title := p.Title.Text
	if title == "" {
		title = "plot"
	}
	return MakeData3(MIMEPNG, "<"+title+">", b), nil
}

// DrawerData is a bundle showing any Drawer as PNG, w × h (zero: 6x4 inches).
func DrawerData(d Drawer, w, h vg.Length) (Data, error) {
	b, err := DrawPNG(d, w, h)
	if err != nil {
		return Data{}, err
	}
	return MakeData3(MIMEPNG, "<figure>", b), nil
}

// Plot shows a gonum plot.
func Plot(p *plot.Plot) error {
	d, err := PlotData(p)
	if err != nil {
		return err
	}
	return Display(d)
}

// UpdatePlot shows p under h, replacing what h showed before.
func (h *Handle) UpdatePlot(p *plot.Plot) error {
	d, err := PlotData(p)
	if err != nil {
		return err
	}
	return h.Update(d)
}
