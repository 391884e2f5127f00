// Package synth makes submissions for the checker's tests and benchmark:
// the reference answers, answers wrong in one question, and the hostile
// corpus of checker/testdata/hostile patched into the reference.
package synth

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/adagradlab/adagradlab/exercises"
)

// Correct is a submission with full marks.
func Correct() string { return exercises.Reference() }

// Wrong lists, per question, answers that are wrong in a way learners are:
// each replaces the reference's functions of that question.
var Wrong = map[string][]string{
	"q1": {
		`package answers
import "math"
func FirstStepLR(eta, g, eps float64) float64 { return eta / math.Sqrt(g*g+eps) }
func FirstStepRatio(g float64) float64 { return 1 / g }`,
		`package answers
func FirstStepLR(eta, g, eps float64) float64 { return eta / eps }
func FirstStepRatio(g float64) float64 { return 2 }`,
	},
	"q2": {
		`package answers
func Accumulate(G, g float64) float64 { return G + g*g }`,
		`package answers
func Accumulate(G, g float64) float64 { return 0.9*G + g }`,
	},
	"q3": {
		`package answers
func LRAfter(eta, g float64, steps int) float64 { return eta / (float64(steps) * g * g) }
func Diagnose(losses, gradNorms []float64) string { return "converged" }`,
		`package answers
import "math"
func LRAfter(eta, g float64, steps int) float64 { return eta / math.Sqrt(float64(steps)*g*g) }
func Diagnose(losses, gradNorms []float64) string { return "stalled" }`,
	},
	"q4": {
		`package answers
import "math"
// walks every row of the table
func SparseUpdate(w, G [][]float64, rows []int, grads [][]float64, eta, eps float64) {
	at := map[int]int{}
	for i, r := range rows {
		at[r] = i
	}
	for r := range w {
		i, ok := at[r]
		if !ok {
			continue
		}
		for j, g := range grads[i] {
			G[r][j] += g * g
			w[r][j] -= eta * g / (math.Sqrt(G[r][j]) + eps)
		}
	}
}`,
		`package answers
func StateBytes(vocab, dim, bytesPerValue int) int64 { return int64(vocab * dim) }
func FullMatrixBytes(vocab, dim, bytesPerValue int) int64 { return int64(vocab * dim * vocab * bytesPerValue) }`,
	},
	"q5": {
		`package answers
func InterventionA(step int, lr float64, G []float64) float64 { return lr }
func InterventionB(step int, lr float64, G []float64) float64 { return lr }`,
		`package answers
func InterventionA(step int, lr float64, G []float64) float64 {
	for i := range G {
		G[i] = 0
	}
	return lr
}
func InterventionB(step int, lr float64, G []float64) float64 {
	for i := range G {
		G[i] = 0
	}
	return lr
}`, // the same way twice
	},
}

// WrongIn returns the reference with question q's answer replaced by its
// variant-th wrong answer.
func WrongIn(q string, variant int) string {
	w := Wrong[q]
	s, err := Merge(Correct(), w[variant%len(w)])
	if err != nil {
		panic(err)
	}
	return s
}

// Merge patches base with patch: every top-level name patch declares
// replaces base's declaration of it, and the imports are merged.
func Merge(base, patch string) (string, error) {
	fset := token.NewFileSet()
	pf, err := parser.ParseFile(fset, "patch.go", patch, parser.SkipObjectResolution)
	if err != nil {
		return "", err
	}
	names := map[string]bool{}
	for _, d := range pf.Decls {
		for _, n := range declNames(d) {
			names[n] = true
		}
	}
	bf, err := parser.ParseFile(fset, "base.go", base, parser.SkipObjectResolution|parser.ParseComments)
	if err != nil {
		return "", err
	}
	type cut struct{ from, to int }
	var cuts []cut
	for _, d := range bf.Decls {
		for _, n := range declNames(d) {
			if names[n] {
				start := d.Pos()
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
					start = fd.Doc.Pos()
				}
				if gd, ok := d.(*ast.GenDecl); ok && gd.Doc != nil {
					start = gd.Doc.Pos()
				}
				cuts = append(cuts, cut{fset.Position(start).Offset, fset.Position(d.End()).Offset})
				break
			}
		}
	}
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].from > cuts[j].from })
	for _, c := range cuts {
		base = base[:c.from] + base[c.to:]
	}
	// Imports the cut code alone used would be unused: drop those the rest
	// does not mention.
	out, err := exercises.Combine(base, patch)
	if err != nil {
		return "", err
	}
	return dropUnused(out)
}

func declNames(d ast.Decl) []string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			return []string{d.Name.Name}
		}
	case *ast.GenDecl:
		var out []string
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.ValueSpec:
				for _, n := range s.Names {
					out = append(out, n.Name)
				}
			case *ast.TypeSpec:
				out = append(out, s.Name.Name)
			}
		}
		return out
	}
	return nil
}

// dropUnused removes imports whose package name is not used.
func dropUnused(src string) (string, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.SkipObjectResolution)
	if err != nil {
		return "", err
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if se, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := se.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	lines := strings.Split(src, "\n")
	for _, imp := range f.Imports {
		path := strings.Trim(imp.Path.Value, `"`)
		name := path[strings.LastIndex(path, "/")+1:]
		if path == "math/rand/v2" {
			name = "rand"
		}
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if !used[name] && name != "_" {
			lines[fset.Position(imp.Pos()).Line-1] = ""
		}
	}
	return strings.Join(lines, "\n"), nil
}

// Hostile is one file of the hostile corpus.
type Hostile struct {
	Name string // file name
	// Source is what is graded: a patch merged into the reference, or the
	// file as it is for a "// standalone" file.
	Source []byte
	Want   map[string][]string // question id (or "rest") → acceptable statuses
	// Says are strings the feedback must contain (the limit, the import).
	Says []string
}

// LoadHostile reads the corpus in dir. Each file starts with comment lines:
//
//	// want: q1=timeout|crashed rest=passed
//	// says: time limit
//	// standalone            (grade the file as it is, not merged)
//
// A file named NAME.go.txt is graded as NAME.go (gofmt skips it).
func LoadHostile(dir string) ([]Hostile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Hostile
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		// A file that gofmt must not see (a syntax error) is kept as
		// NAME.go.txt and graded as NAME.go.
		h, err := parseHostile(strings.TrimSuffix(e.Name(), ".txt"), b)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}

// parseHostile reads a corpus file's comment lines (see LoadHostile) and
// merges it into the reference unless it is standalone.
func parseHostile(name string, b []byte) (Hostile, error) {
	h := Hostile{Name: name, Source: b, Want: map[string][]string{}}
	standalone := false
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "// want:"):
			for _, f := range strings.Fields(strings.TrimPrefix(line, "// want:")) {
				k, v, _ := strings.Cut(f, "=")
				h.Want[k] = strings.Split(v, "|")
			}
		case strings.HasPrefix(line, "// says:"):
			h.Says = append(h.Says, strings.TrimSpace(strings.TrimPrefix(line, "// says:")))
		case line == "// standalone":
			standalone = true
		}
	}
	if len(h.Want) == 0 {
		return h, fmt.Errorf("%s: no `// want:` line", name)
	}
	if !standalone && strings.HasSuffix(h.Name, ".go") {
		s, err := Merge(Correct(), string(b))
		if err != nil {
			return h, fmt.Errorf("%s: %v", name, err)
		}
		h.Source = []byte(s)
	}
	return h, nil
}
