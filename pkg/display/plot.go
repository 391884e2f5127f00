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

// ScreenDPI is the resolution plots are shown at, in CSS pixels per inch;
// they are drawn at twice that (PixelRatio), so that they are sharp on a
// high-density screen, and the bundle's metadata gives the front end the
// size to show them at.
const (
	ScreenDPI  = 96
	PixelRatio = 2
)

// DrawPNG renders any Drawer to PNG bytes at the given size (zero means
// the default 6x4 inches), at PixelRatio × ScreenDPI.
func DrawPNG(d Drawer, w, h vg.Length) ([]byte, error) {
	w, h = size(w, h)
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(PixelRatio*ScreenDPI))}
	d.Draw(draw.New(c.Canvas))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("display: rendering plot: %w", err)
	}
	return buf.Bytes(), nil
}

func size(w, h vg.Length) (vg.Length, vg.Length) {
	if w == 0 {
		w = PlotWidth
	}
	if h == 0 {
		h = PlotHeight
	}
	return w, h
}

// pngData is the bundle of a drawing: the PNG and the size in CSS pixels
// to show it at (half its pixels: see PixelRatio).
func pngData(d Drawer, w, h vg.Length, plain string) (Data, error) {
	b, err := DrawPNG(d, w, h)
	if err != nil {
		return Data{}, err
	}
	w, h = size(w, h)
	data := MakeData3(MIMEPNG, plain, b)
	data.Metadata[MIMEPNG] = map[string]any{
		"width":  int(float64(w/vg.Inch)*ScreenDPI + 0.5),
		"height": int(float64(h/vg.Inch)*ScreenDPI + 0.5),
	}
	return data, nil
}

// PlotData is a bundle showing a plot as PNG.
func PlotData(p *plot.Plot) (Data, error) {
	title := p.Title.Text
	if title == "" {
		title = "plot"
	}
	return pngData(p, 0, 0, "<"+title+">")
}

// DrawerData is a bundle showing any Drawer as PNG, w × h (zero: 6x4 inches).
func DrawerData(d Drawer, w, h vg.Length) (Data, error) {
	return pngData(d, w, h, "<figure>")
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
