package synth

import (
	"bytes"
	"debug/elf"
	"debug/gosym"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
)

// Escapes are the submissions of checker/testdata/hostile/escape: each
// imports nothing, breaks the interpreter's memory safety and calls the
// operating system directly, as an attacker who has read yaegi's source
// would. They are templates, filled for the binary that will run them.
type Escapes struct {
	// Delta is syscall.Syscall6's address minus reflect.makeFuncStub's in
	// the worker's binary (EscapeDelta): the escape leaks the second at
	// run time and adds Delta to reach the first.
	Delta int64
	// What the payloads aim at: a file to overwrite, a file to create, a
	// port on 127.0.0.1 to connect to, a process to kill.
	Victim, Marker string
	Port, Parent   int
}

// EscapeDelta reads Escapes.Delta from the executable at exe. It reads the
// function table the Go runtime itself needs (.gopclntab), so it works on a
// binary stripped of its symbols, as go test builds them.
func EscapeDelta(exe string) (int64, error) {
	f, err := elf.Open(exe)
	if err != nil {
		return 0, fmt.Errorf("escape offsets: %w", err)
	}
	defer f.Close()
	pcln, text := f.Section(".gopclntab"), f.Section(".text")
	if pcln == nil || text == nil {
		return 0, fmt.Errorf("escape offsets: %s is not a Go binary", exe)
	}
	data, err := pcln.Data()
	if err != nil {
		return 0, fmt.Errorf("escape offsets: %s: %w", exe, err)
	}
	tab, err := gosym.NewTable(nil, gosym.NewLineTable(data, text.Addr))
	if err != nil {
		return 0, fmt.Errorf("escape offsets: %s: %w", exe, err)
	}
	var entry [2]uint64
	for i, name := range []string{"syscall.Syscall6", "reflect.makeFuncStub"} {
		fn := tab.LookupFunc(name)
		if fn == nil {
			return 0, fmt.Errorf("escape offsets: %s has no function %s", exe, name)
		}
		entry[i] = fn.Entry
	}
	return int64(entry[0]) - int64(entry[1]), nil
}

// LoadEscapes fills every NAME.go.tmpl in dir but the shared prelude with
// e and returns them as NAME.go, merged into the reference like the rest
// of the hostile corpus (LoadHostile).
func LoadEscapes(dir string, e Escapes) ([]Hostile, error) {
	t, err := template.ParseGlob(filepath.Join(dir, "*.go.tmpl"))
	if err != nil {
		return nil, fmt.Errorf("escapes: %w", err)
	}
	var out []Hostile
	tts := t.Templates()
	slices.SortFunc(tts, func(a, b *template.Template) int { return strings.Compare(a.Name(), b.Name()) })
	for _, tt := range tts {
		name := tt.Name()
		if !strings.HasSuffix(name, ".go.tmpl") || name == "prelude.go.tmpl" {
			continue
		}
		var b bytes.Buffer
		if err := tt.Execute(&b, e); err != nil {
			return nil, fmt.Errorf("escapes: %w", err)
		}
		h, err := parseHostile(strings.TrimSuffix(name, ".tmpl"), b.Bytes())
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("escapes: no templates in %s", dir)
	}
	return out, nil
}
