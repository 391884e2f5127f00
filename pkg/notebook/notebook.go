// Package notebook reads and writes Jupyter notebooks (.ipynb, nbformat 4)
// without losing what it does not understand: every field is kept as
// decoded JSON, numbers keep their spelling, and a notebook written back
// unchanged is byte-identical to what nbformat writes (one-space indent,
// sorted keys, no HTML escaping, trailing newline).
//
// It also makes the learners' copies of the course notebooks (Release):
// cells marked as solutions get their starter code back, and the outputs of
// exercise cells are cleared.
package notebook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/adagradlab/adagradlab/internal/atomicfile"
)

// Notebook is a decoded .ipynb file. Cells are kept as generic JSON objects
// so that unknown fields survive a round trip.
type Notebook struct {
	raw map[string]any
}

// Cell is one cell of a notebook, as decoded JSON.
type Cell map[string]any

// Parse decodes a notebook, checking the little it relies on: a JSON object
// with nbformat 4 and a list of cells, each with a cell_type.
func Parse(data []byte) (*Notebook, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("not a notebook: invalid JSON: %v", err)
	}
	if dec.More() {
		return nil, errors.New("not a notebook: data after the JSON object")
	}
	if n, ok := raw["nbformat"].(json.Number); !ok || n.String() != "4" {
		return nil, fmt.Errorf("not a notebook: nbformat is %v, want 4", raw["nbformat"])
	}
	cells, ok := raw["cells"].([]any)
	if !ok {
		return nil, errors.New("not a notebook: no list of cells")
	}
	for i, c := range cells {
		m, ok := c.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("not a notebook: cell %d is not an object", i+1)
		}
		if _, ok := m["cell_type"].(string); !ok {
			return nil, fmt.Errorf("not a notebook: cell %d has no cell_type", i+1)
		}
	}
	return &Notebook{raw: raw}, nil
}

// ReadFile parses the notebook at path; errors name the file.
func ReadFile(path string) (*Notebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	nb, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return nb, nil
}

// Cells returns the notebook's cells; changing one changes the notebook.
func (nb *Notebook) Cells() []Cell {
	list := nb.raw["cells"].([]any)
	out := make([]Cell, len(list))
	for i, c := range list {
		out[i] = Cell(c.(map[string]any))
	}
	return out
}

// Metadata returns the notebook's "adagradlab" metadata, or nil.
func (nb *Notebook) Metadata() map[string]any {
	return ourMetadata(nb.raw)
}

func ourMetadata(obj map[string]any) map[string]any {
	md, _ := obj["metadata"].(map[string]any)
	ours, _ := md["adagradlab"].(map[string]any)
	return ours
}

// Type is the cell's cell_type: "code", "markdown" or "raw".
func (c Cell) Type() string { s, _ := c["cell_type"].(string); return s }

// Source is the cell's text, joined if stored as a list of lines.
func (c Cell) Source() string { return joinSource(c["source"]) }

// SetSource replaces the cell's text, stored as nbformat stores it on disk:
// a list of lines, each but the last ending in "\n".
func (c Cell) SetSource(s string) { c["source"] = splitSource(s) }

// Metadata returns the cell's "adagradlab" metadata, or nil.
func (c Cell) Metadata() map[string]any { return ourMetadata(c) }

// ClearOutputs empties a code cell's outputs and execution count.
func (c Cell) ClearOutputs() {
	if c.Type() != "code" {
		return
	}
	c["outputs"] = []any{}
	c["execution_count"] = nil
}

func joinSource(v any) string {
	switch s := v.(type) {
	case string:
		return s
	case []any:
		var b strings.Builder
		for _, line := range s {
			if str, ok := line.(string); ok {
				b.WriteString(str)
			}
		}
		return b.String()
	}
	return ""
}

func splitSource(s string) []any {
	lines := strings.SplitAfter(s, "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	out := make([]any, len(lines))
	for i, l := range lines {
		out[i] = l
	}
	return out
}

// Marshal encodes the notebook as nbformat writes it.
func (nb *Notebook) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(nb.raw); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteFile writes the notebook atomically: to a temporary file in the same
// folder, then renamed over path, so a reader never sees half a notebook.
func (nb *Notebook) WriteFile(path string) error {
	data, err := nb.Marshal()
	if err != nil {
		return err
	}
	return atomicfile.Write(path, data)
}
