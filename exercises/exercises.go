// Package exercises holds the five questions of the course (q1 … q5): each
// folder has the question (README.md), a starter file and a reference
// solution, all in `package answers`. This package hands the solutions and
// starters to the checker's tests and benchmarks as one submission file, the
// form a learner hands in.
package exercises

import (
	"embed"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

//go:embed README.md q*/README.md q*/starter.go q*/solution/solution.go
var files embed.FS

// IDs are the questions, in order.
var IDs = []string{"q1", "q2", "q3", "q4", "q5"}

// Solution returns question id's reference solution as a source file.
func Solution(id string) string { return mustRead(id + "/solution/solution.go") }

// Starter returns question id's starter file.
func Starter(id string) string { return mustRead(id + "/starter.go") }

// README returns question id's statement.
func README(id string) string { return mustRead(id + "/README.md") }

// Reference is one submission that answers every question with the reference
// solutions: what a perfect learner hands in.
func Reference() string {
	var srcs []string
	for _, id := range IDs {
		srcs = append(srcs, Solution(id))
	}
	return MustCombine(srcs...)
}

// StarterFile is the five starters as one file: what a learner starts from.
func StarterFile() string {
	var srcs []string
	for _, id := range IDs {
		srcs = append(srcs, Starter(id))
	}
	return MustCombine(srcs...)
}

func mustRead(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// Combine merges Go files of one package into one: a single package clause,
// the union of their imports, then every file's declarations in order.
// Comments before the package clause are dropped.
func Combine(srcs ...string) (string, error) {
	fset := token.NewFileSet()
	imports := map[string]bool{}
	var bodies []string
	pkg := ""
	for i, src := range srcs {
		f, err := parser.ParseFile(fset, fmt.Sprintf("file%d.go", i), src, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return "", err
		}
		if pkg == "" {
			pkg = f.Name.Name
		} else if pkg != f.Name.Name {
			return "", fmt.Errorf("file %d is package %s, not %s", i, f.Name.Name, pkg)
		}
		end := f.Name.End()
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.IMPORT {
				continue
			}
			for _, s := range gd.Specs {
				p, _ := strconv.Unquote(s.(*ast.ImportSpec).Path.Value)
				imports[p] = true
			}
			end = gd.End()
		}
		bodies = append(bodies, strings.TrimSpace(src[fset.Position(end).Offset:]))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "package %s\n", pkg)
	if len(imports) > 0 {
		paths := make([]string, 0, len(imports))
		for p := range imports {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		b.WriteString("\nimport (\n")
		for _, p := range paths {
			fmt.Fprintf(&b, "\t%q\n", p)
		}
		b.WriteString(")\n")
	}
	for _, body := range bodies {
		b.WriteString("\n" + body + "\n")
	}
	return b.String(), nil
}

// MustCombine is Combine for sources known to parse.
func MustCombine(srcs ...string) string {
	s, err := Combine(srcs...)
	if err != nil {
		panic(err)
	}
	return s
}
