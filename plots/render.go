package plots

import (
	"bytes"
	"fmt"
	"image/color"
	"image/png"
	"io"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Drawer is anything that draws itself on a canvas: a *plot.Plot or a *Grid.
type Drawer interface {
	Draw(c draw.Canvas)
}

// Grid is several plots side by side (Rows × Cols, row-major in Plots)
// under one title, their axes aligned.
type Grid struct {
	Title string
	Rows  int
	Cols  int
	Plots []*plot.Plot
	Style Style
}

// Draw implements Drawer.
func (g *Grid) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	st := g.Style
	if g.Title != "" {
		ts := st.textStyle(st.Title)
		ts.XAlign = draw.XCenter
		ts.YAlign = draw.YTop
		c.FillText(ts, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - st.Tick/2}, g.Title)
		c.Max.Y -= ts.Height(g.Title) + st.Tick
	}
	rows := make([][]*plot.Plot, g.Rows)
	for r := range rows {
		rows[r] = g.Plots[r*g.Cols : (r+1)*g.Cols]
	}
	tiles := draw.Tiles{Rows: g.Rows, Cols: g.Cols, PadX: st.Tick, PadY: st.Tick}
	canvases := plot.Align(rows, tiles, c)
	for r := range rows {
		for k, p := range rows[r] {
			p.Draw(canvases[r][k])
		}
	}
}

// Formats lists the formats Render writes.
func Formats() []string { return []string{"png", "svg", "pdf"} }

var pdfOnce sync.Once

// Render draws d on a canvas of the style's size and writes it to w as
// "png", "svg" or "pdf". The bytes depend only on d and st: SVG and PNG carry
// no time stamp, and PDF files get a fixed creation date and sorted catalogs.
// PDF text must be plain ASCII: build the figure with Style.ASCII for PDF (Build
// does).
func Render(w io.Writer, d Drawer, st Style, format string) error {
	var c interface {
		vg.CanvasSizer
		io.WriterTo
	}
	switch format {
	case "png":
		img := vgimg.NewWith(vgimg.UseWH(st.Width, st.Height), vgimg.UseDPI(st.DPI), vgimg.UseBackgroundColor(color.White))
		c = fastPNG{img}
	case "svg":
		c = vgsvg.New(st.Width, st.Height)
		w = &svgFonts{w: w}
	case "pdf":
		pdfOnce.Do(func() {
			// vgpdf gives no access to its document, so fix the defaults
			// every new fpdf document starts from.
			fpdf.SetDefaultCreationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
			fpdf.SetDefaultModificationDate(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC))
			fpdf.SetDefaultCatalogSort(true)
		})
		pc := vgpdf.New(st.Width, st.Height)
		pc.EmbedFonts(true)
		c = pc
	default:
		return fmt.Errorf("plots: unknown format %q (valid: %s)", format, strings.Join(Formats(), ", "))
	}
	// A margin keeps the outermost tick labels off the edge.
	m := st.Tick / 4
	d.Draw(draw.Crop(draw.New(c), m, -3*m, m, -m))
	_, err := c.WriteTo(w)
	if f, ok := w.(*svgFonts); ok && err == nil {
		err = f.flush()
	}
	return err
}

// fastPNG encodes with zlib's fastest level: a quarter less time than the
// default for files about 6 % larger.
type fastPNG struct{ *vgimg.Canvas }

func (c fastPNG) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(cw, c.Image())
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// svgFonts names fallbacks after the Liberation fonts, which SVG files
// reference but do not embed: Arial and Helvetica have the same metrics as
// Liberation Sans, so text keeps its place where Liberation is not installed.
type svgFonts struct {
	w   io.Writer
	buf bytes.Buffer
}

func (s *svgFonts) Write(p []byte) (int, error) { return s.buf.Write(p) }

func (s *svgFonts) flush() error {
	b := bytes.ReplaceAll(s.buf.Bytes(), []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
	_, err := s.w.Write(b)
	return err
}

// Encode is Render into a byte slice.
func Encode(d Drawer, st Style, format string) ([]byte, error) {
	var buf bytes.Buffer
	if err := Render(&buf, d, st, format); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// PNG is Encode(d, st, "png"), for a notebook's display.
func PNG(d Drawer, st Style) ([]byte, error) { return Encode(d, st, "png") }

// SVG is Encode(d, st, "svg"), for a notebook's display.
func SVG(d Drawer, st Style) ([]byte, error) { return Encode(d, st, "svg") }
