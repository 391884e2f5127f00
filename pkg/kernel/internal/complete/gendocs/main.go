// Command gendocs writes docs.json.gz: the Go doc of every package the
// kernel preloads (read from their sources with go/doc), for inspect.
//
//	go run ./gendocs -o docs.json.gz   (run by go generate in the parent folder)
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/adagradlab/adagradlab/pkg/kernel/symbols"
)

// Standard packages worth documenting: the ones a course notebook uses.
var std = []string{"fmt", "math", "math/rand", "strings", "strconv", "sort", "time", "errors", "os", "slices", "maps"}

func main() {
	out := flag.String("o", "docs.json.gz", "output file")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	b, err := Generate(append(append([]string(nil), std...), symbols.Packages...))
	if err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}

// Generate returns the gzipped JSON for the packages; deterministic.
func Generate(paths []string) ([]byte, error) {
	all := map[string]map[string]string{}
	for _, p := range paths {
		dir, err := exec.Command("go", "list", "-f", "{{.Dir}}", p).Output()
		if err != nil {
			return nil, fmt.Errorf("go list %s: %w", p, err)
		}
		m, err := pkgDocs(strings.TrimSpace(string(dir)))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		all[p] = m
	}
	j, err := json.Marshal(all) // map keys are sorted: same input, same bytes
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(j)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func pkgDocs(dir string) (map[string]string, error) {
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var astFiles []*ast.File
	for _, f := range files {
		// Only the files this platform builds: os has a Stat per OS.
		if ok, err := build.Default.MatchFile(dir, filepath.Base(f)); err != nil || !ok || strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ParseComments)
		if err != nil {
			continue
		}
		if af.Name.Name == "main" || strings.HasSuffix(af.Name.Name, "_test") {
			continue
		}
		astFiles = append(astFiles, af)
	}
	p, err := doc.NewFromFiles(fset, astFiles, "x")
	if err != nil {
		return nil, err
	}
	m := map[string]string{"": synopsis(p.Doc)}
	add := func(name, d string) {
		if d = strings.TrimSpace(d); d != "" && ast.IsExported(name) {
			m[name] = d
		}
	}
	for _, f := range p.Funcs {
		add(f.Name, f.Doc)
	}
	for _, t := range p.Types {
		add(t.Name, t.Doc)
		for _, f := range t.Funcs {
			add(f.Name, f.Doc)
		}
		for _, f := range t.Methods {
			add(t.Name+"."+f.Name, f.Doc)
		}
		for _, v := range append(t.Vars, t.Consts...) {
			for _, n := range v.Names {
				add(n, v.Doc)
			}
		}
	}
	for _, v := range append(p.Vars, p.Consts...) {
		for _, n := range v.Names {
			add(n, v.Doc)
		}
	}
	return m, nil
}

// synopsis keeps a package doc short: the first paragraphs up to ~1500 bytes.
func synopsis(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 1500 {
		if i := strings.LastIndex(s[:1500], "\n\n"); i > 0 {
			s = s[:i]
		}
	}
	return s
}
