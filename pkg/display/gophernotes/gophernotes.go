// Package gophernotes is package display with gophernotes' signatures, for
// notebooks written for gophernotes: there, display.HTML, PNG, Markdown …
// return a Data, which shows when it is the cell's last value or is passed
// to Display, where this project's display functions show at once. A
// kernel installed as gophernotes (adagradlab kernel install --name
// gophernotes) imports this package as display in every cell and defines
// Display, so that such notebooks run unchanged.
package gophernotes

import (
	"image"
	"os"
	"strings"

	"github.com/adagradlab/adagradlab/pkg/display"
)

// MIME types, by gophernotes' names.
const (
	MIMETypeHTML       = "text/html"
	MIMETypeJavaScript = "application/javascript"
	MIMETypeJPEG       = "image/jpeg"
	MIMETypeJSON       = "application/json"
	MIMETypeLatex      = "text/latex"
	MIMETypeMarkdown   = "text/markdown"
	MIMETypePNG        = "image/png"
	MIMETypePDF        = "application/pdf"
	MIMETypeSVG        = "image/svg+xml"
	MIMETypeText       = "text/plain"
)

// Data is a mime bundle (display.Data: the kernel shows it as a cell's
// value).
type Data = display.Data

// MIMEMap maps a MIME type to its representation.
type MIMEMap = map[string]any

// Display shows d now; a cell calls it as Display (the kernel defines it).
func Display(d Data) error { return display.Display(d) }

// MakeData returns a bundle with one representation, and a plain-text one
// where data is text.
func MakeData(mimeType string, data any) Data {
	d := display.MakeData(mimeType, data)
	if s, ok := data.(string); ok && mimeType != MIMETypeText {
		d.Data[MIMETypeText] = s
	}
	return d
}

// MakeData3 returns a bundle with a representation and its plain text.
func MakeData3(mimeType, plaintext string, data any) Data {
	return display.MakeData3(mimeType, plaintext, data)
}

// MIME returns a bundle of the representations in data.
func MIME(data, metadata MIMEMap) Data {
	if metadata == nil {
		metadata = MIMEMap{}
	}
	return Data{Data: data, Metadata: metadata}
}

// Any is MakeData; the MIME type names how to show data.
func Any(mimeType string, data any) Data { return MakeData(mimeType, data) }

// File returns a bundle of a file's bytes (its error as text, if it cannot
// be read).
func File(mimeType, path string) Data {
	b, err := os.ReadFile(path)
	if err != nil {
		return MakeData(MIMETypeText, err.Error())
	}
	return MakeData(mimeType, b)
}

// The constructors of gophernotes' display package, by name: each returns
// the bundle, which shows when it is the cell's value or is passed to
// Display.

func HTML(html string) Data         { return MakeData3(MIMETypeHTML, "<HTML>", html) }
func JavaScript(js string) Data     { return display.MakeData(MIMETypeJavaScript, js) }
func JPEG(jpeg []byte) Data         { return MakeData3(MIMETypeJPEG, "<JPEG image>", jpeg) }
func PNG(png []byte) Data           { return MakeData3(MIMETypePNG, "<PNG image>", png) }
func PDF(pdf []byte) Data           { return MakeData3(MIMETypePDF, "<PDF>", pdf) }
func SVG(svg string) Data           { return MakeData3(MIMETypeSVG, "<SVG image>", svg) }
func Markdown(markdown string) Data { return MakeData(MIMETypeMarkdown, markdown) }
func JSON(json map[string]any) Data { return MakeData3(MIMETypeJSON, "<JSON>", json) }
func Latex(latex string) Data {
	return MakeData3(MIMETypeLatex, latex, "$"+strings.Trim(latex, "$")+"$")
}
func Math(latex string) Data {
	return MakeData3(MIMETypeLatex, latex, "$$"+strings.Trim(latex, "$")+"$$")
}

// Image returns a bundle of an image, encoded as PNG.
func Image(img image.Image) Data {
	b, err := display.EncodePNG(img)
	if err != nil {
		return MakeData(MIMETypeText, err.Error())
	}
	return PNG(b)
}
