package worker

import (
	"go/ast"
	"go/parser"
	"go/token"
	pathpkg "path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/traefik/yaegi/stdlib"

	"github.com/adagradlab/adagradlab/pkg/kernel/symbols"
)

// yaegi's errors for a package used without its import are cryptic
// ("constant definition loop", "incomplete type math"), and forgetting the
// import is the commonest slip in a notebook. So the worker remembers what
// was imported and, when a cell fails, names the imports it lacks.

// pkgPaths maps a package name to the import paths that provide it.
var pkgPaths = func() map[string][]string {
	m := map[string][]string{}
	for _, tables := range []map[string]map[string]reflect.Value{stdlib.Symbols, symbols.Symbols} {
		for key := range tables {
			i := strings.LastIndex(key, "/")
			if i < 0 || strings.Contains(key[:i], "internal") {
				continue
			}
			m[key[i+1:]] = append(m[key[i+1:]], key[:i])
		}
	}
	for _, v := range m {
		sort.Strings(v)
	}
	return m
}()

// importName is the name an import spec binds: its alias, or the
// package's own name (from the symbol tables: "math/rand/v2" is rand).
func importName(spec *ast.ImportSpec) (name, path string, ok bool) {
	p, err := strconv.Unquote(spec.Path.Value)
	if err != nil {
		return "", "", false
	}
	if spec.Name != nil {
		return spec.Name.Name, p, true
	}
	if n, ok := pkgNames[p]; ok {
		return n, p, true
	}
	return pathpkg.Base(p), p, true
}

// pkgNames maps an import path to its package name.
var pkgNames = func() map[string]string {
	m := map[string]string{}
	for name, paths := range pkgPaths {
		for _, p := range paths {
			m[p] = name
		}
	}
	return m
}()

// noteImports records what a successfully evaluated declaration chunk imported.
func (w *worker) noteImports(src string) {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package main;"+src, parser.ImportsOnly)
	if err != nil {
		return
	}
	for _, spec := range f.Imports {
		if name, p, ok := importName(spec); ok && name != "_" && name != "." {
			w.imported[name] = p
		}
	}
}

// dropReimports blanks the imports of src that the session already has
// under the same name and path, keeping every other byte where it was.
func (w *worker) dropReimports(src string) string {
	const pre = "package main;"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", pre+src, parser.ImportsOnly)
	if err != nil {
		return src // let the interpreter report it
	}
	b := []byte(src)
	blank := func(from, to token.Pos) {
		for i := fset.Position(from).Offset - len(pre); i < fset.Position(to).Offset-len(pre) && i < len(b); i++ {
			if i >= 0 && b[i] != '\n' {
				b[i] = ' '
			}
		}
	}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		var dup []ast.Spec
		for _, sp := range gd.Specs {
			if name, p, ok := importName(sp.(*ast.ImportSpec)); ok && w.imported[name] == p {
				dup = append(dup, sp)
			}
		}
		if len(dup) == len(gd.Specs) {
			blank(gd.Pos(), gd.End())
			continue
		}
		for _, sp := range dup {
			blank(sp.Pos(), sp.End())
		}
	}
	return string(b)
}

var selectorRE = regexp.MustCompile(`\b([a-z][A-Za-z0-9_]*)\.[A-Z]`)

// importHint names packages the cell uses but the session never imported.
func (w *worker) importHint(code string) string {
	var lines []string
	seen := map[string]bool{}
	for _, m := range selectorRE.FindAllStringSubmatch(code, -1) {
		name := m[1]
		if seen[name] || w.imported[name] != "" {
			continue
		}
		seen[name] = true
		paths, ok := pkgPaths[name]
		if !ok {
			continue
		}
		quoted := make([]string, len(paths))
		for i, p := range paths {
			quoted[i] = strconv.Quote(p)
		}
		lines = append(lines, "hint: "+name+" is not imported: add import "+strings.Join(quoted, " or import "))
	}
	return strings.Join(lines, "\n")
}
