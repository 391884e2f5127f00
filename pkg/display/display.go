// Package display is what a notebook cell calls to show something richer
// than text: images, HTML, Markdown, LaTeX, JSON, tables and plots.
//
// The names follow gophernotes' display package (PNG, SVG, HTML, Markdown,
// Math, Latex, JSON, JPEG, Image, MakeData, Display), but each function
// here publishes at once, as a display_data message, wherever it is called
// in the cell; package display/gophernotes has gophernotes' signatures
// (they return the Data), for its notebooks. Handles add what gophernotes lacks:
// a display that is updated in place, for live training curves.
//
// The kernel installs the publisher; outside a kernel (a plain Go program or
// a test) the functions return ErrNoKernel and do nothing else.
package display

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"image"
	"image/png"
	"strings"
	"sync"
	"sync/atomic"
)

// MIME types used by the constructors below.
const (
	MIMEPlain    = "text/plain"
	MIMEHTML     = "text/html"
	MIMEMarkdown = "text/markdown"
	MIMELatex    = "text/latex"
	MIMEPNG      = "image/png"
	MIMEJPEG     = "image/jpeg"
	MIMESVG      = "image/svg+xml"
	MIMEJSON     = "application/json"
	MIMEJS       = "application/javascript"
)

// Data is one mime bundle: several representations of the same thing, the
// front end picks the richest it can show. Binary image data is kept as
// bytes here and base64-encoded on the wire, as the protocol requires.
type Data struct {
	Data     map[string]any
	Metadata map[string]any
}

// MakeData returns a bundle with one representation.
func MakeData(mimeType string, data any) Data {
	return Data{Data: map[string]any{mimeType: data}, Metadata: map[string]any{}}
}

// MakeData3 returns a bundle with a representation and its plain-text fallback.
func MakeData3(mimeType string, plaintext string, data any) Data {
	d := MakeData(mimeType, data)
	d.Data[MIMEPlain] = plaintext
	return d
}

// Message is what the kernel receives from a publish: the bundle encoded for
// the wire, an optional display ID, and whether it replaces an earlier one.
type Message struct {
	Data      map[string]any `json:"data"`
	Metadata  map[string]any `json:"metadata"`
	DisplayID string         `json:"display_id,omitempty"`
	Update    bool           `json:"update,omitempty"`
	Clear     bool           `json:"clear,omitempty"` // clear the cell's output instead
	Wait      bool           `json:"wait,omitempty"`  // with Clear: wait for the next output
}

// ErrNoKernel is returned when nothing is there to show the output.
var ErrNoKernel = errors.New("display: not running inside the adagradlab kernel")

var (
	mu        sync.Mutex
	publisher func(Message) error
)

// SetPublisher installs the function that sends bundles to the front end.
// The kernel's cell runner calls it once; cells have no reason to.
func SetPublisher(p func(Message) error) {
	mu.Lock()
	publisher = p
	mu.Unlock()
}

func publish(d Data, id string, update bool) error {
	mu.Lock()
	p := publisher
	mu.Unlock()
	if p == nil {
		return ErrNoKernel
	}
	m, err := Encode(d)
	if err != nil {
		return err
	}
	m.DisplayID, m.Update = id, update
	return p(m)
}

// Encode turns a bundle into its wire form: []byte values become base64,
// JSON values stay structured, everything else is formatted as text.
func Encode(d Data) (Message, error) {
	m := Message{Data: map[string]any{}, Metadata: d.Metadata}
	if m.Metadata == nil {
		m.Metadata = map[string]any{}
	}
	for mime, v := range d.Data {
		switch v := v.(type) {
		case []byte:
			if strings.HasPrefix(mime, "image/") && mime != MIMESVG {
				m.Data[mime] = base64.StdEncoding.EncodeToString(v)
			} else {
				m.Data[mime] = string(v)
			}
		case string:
			m.Data[mime] = v
		default:
			if strings.Contains(mime, "json") {
				// Round-trip so that a value that cannot be encoded fails here, in the cell.
				b, err := json.Marshal(v)
				if err != nil {
					return m, fmt.Errorf("display: %s value: %w", mime, err)
				}
				m.Data[mime] = json.RawMessage(b)
			} else {
				m.Data[mime] = fmt.Sprint(v)
			}
		}
	}
	if _, ok := m.Data[MIMEPlain]; !ok {
		m.Data[MIMEPlain] = "<" + strings.Join(mimeList(d), ", ") + ">"
	}
	return m, nil
}

func mimeList(d Data) []string {
	var out []string
	for k := range d.Data {
		out = append(out, k)
	}
	return out
}

// Clear clears the cell's output. With wait set, the front end waits for
// the next output before clearing, which makes a redraw loop flicker-free.
func Clear(wait bool) error {
	mu.Lock()
	p := publisher
	mu.Unlock()
	if p == nil {
		return ErrNoKernel
	}
	return p(Message{Clear: true, Wait: wait})
}

// Display shows a bundle.
func Display(d Data) error { return publish(d, "", false) }

// HTML shows an HTML fragment.
func HTML(s string) error { return Display(MakeData3(MIMEHTML, "<HTML>", s)) }

// Markdown shows Markdown text.
func Markdown(s string) error { return Display(MakeData3(MIMEMarkdown, s, s)) }

// Math shows a LaTeX formula, typeset as display math ($$ is added).
func Math(latex string) error {
	s := "$$" + strings.Trim(latex, "$") + "$$"
	return Display(MakeData3(MIMELatex, latex, s))
}

// Latex shows LaTeX as given (include the $ delimiters yourself).
func Latex(latex string) error { return Display(MakeData3(MIMELatex, latex, latex)) }

// JSON shows a value as an interactive JSON tree.
func JSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("display.JSON: %w", err)
	}
	return Display(MakeData3(MIMEJSON, string(b), v))
}

// JavaScript runs a script in the front end (where it allows that).
func JavaScript(js string) error { return Display(MakeData(MIMEJS, js)) }

// PNG shows PNG-encoded bytes.
func PNG(b []byte) error { return Display(MakeData3(MIMEPNG, "<PNG image>", b)) }

// JPEG shows JPEG-encoded bytes.
func JPEG(b []byte) error { return Display(MakeData3(MIMEJPEG, "<JPEG image>", b)) }

// SVG shows an SVG document.
func SVG(s string) error { return Display(MakeData3(MIMESVG, "<SVG image>", s)) }

// Image shows any image.Image, encoded as PNG.
func Image(img image.Image) error {
	b, err := EncodePNG(img)
	if err != nil {
		return err
	}
	return PNG(b)
}

// EncodePNG encodes an image as PNG bytes.
func EncodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("display: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// Text shows plain text as an output of its own (not on the stdout stream).
func Text(s string) error { return Display(MakeData(MIMEPlain, s)) }

// TableData returns a bundle that shows rows as an HTML table, with aligned
// plain text as the fallback. Numbers are formatted with %v; use strings
// for any other format.
func TableData(header []string, rows [][]any) Data {
	var h strings.Builder
	h.WriteString("<table>\n<thead><tr>")
	for _, c := range header {
		h.WriteString("<th>" + html.EscapeString(c) + "</th>")
	}
	h.WriteString("</tr></thead>\n<tbody>\n")
	cells := make([][]string, len(rows))
	for i, r := range rows {
		h.WriteString("<tr>")
		for _, v := range r {
			s := fmt.Sprint(v)
			cells[i] = append(cells[i], s)
			h.WriteString("<td>" + html.EscapeString(s) + "</td>")
		}
		h.WriteString("</tr>\n")
	}
	h.WriteString("</tbody>\n</table>")
	return MakeData3(MIMEHTML, plainTable(header, cells), h.String())
}

// Table shows rows under a header as a table.
func Table(header []string, rows [][]any) error { return Display(TableData(header, rows)) }

func plainTable(header []string, rows [][]string) string {
	width := make([]int, len(header))
	all := append([][]string{header}, rows...)
	for _, r := range all {
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	var b strings.Builder
	for _, r := range all {
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			b.WriteString(c + strings.Repeat(" ", width[i]-len([]rune(c))))
		}
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// Handle is a display that can be replaced in place: show it once, then
// Update it as training goes on and the front end redraws the same output.
type Handle struct {
	id    string
	shown bool
}

var handleSeq atomic.Int64

// NewHandle returns a handle with a fresh display ID.
func NewHandle() *Handle {
	return &Handle{id: fmt.Sprintf("adagradlab-%d-%d", handleSeq.Add(1), pidNonce)}
}

// ID is the handle's display_id.
func (h *Handle) ID() string { return h.id }

// Show publishes d under the handle's ID (a new output).
func (h *Handle) Show(d Data) error {
	h.shown = true
	return publish(d, h.id, false)
}

// Update replaces every output shown under the handle's ID with d. Before
// the first Show it shows d instead, so a loop can call Update alone.
func (h *Handle) Update(d Data) error {
	if !h.shown {
		return h.Show(d)
	}
	return publish(d, h.id, true)
}
