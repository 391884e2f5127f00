package worker

import (
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

// pkgName is cells.Imports' resolver: the symbol tables know "math/rand/v2"
// is rand and what every preloaded package calls itself.
func pkgName(path string) (string, bool) {
	n, ok := pkgNames[path]
	return n, ok
}

var selectorRE = regexp.MustCompile(`\b([a-z][A-Za-z0-9_]*)\.[A-Z]`)

// importHint names packages the cell uses but the session never imported.
func (w *worker) importHint(code string) string {
	var lines []string
	seen := map[string]bool{}
	for _, m := range selectorRE.FindAllStringSubmatch(code, -1) {
		name := m[1]
		if seen[name] || w.imports.Names[name] != "" {
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
