package worker

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/adagradlab/adagradlab/pkg/cells"
)

// evalChunk evaluates a statement chunk, working around yaegi's failure to
// type a top-level x := s[i] whose s came out of a compiled package (see
// cells.IndexDefines): where the chunk fails so, the statements before such
// a definition run, the definition's value is converted to its own type,
// and the rest is evaluated again, the next such definition likewise.
func (w *worker) evalChunk(c cells.Chunk) (reflect.Value, error) {
	v, err := w.eval(c.Src)
	if err == nil || c.Decl || !definitionLoop.MatchString(err.Error()) {
		return v, err
	}
	defs := cells.IndexDefines(c)
	if len(defs) == 0 {
		return v, err
	}
	d := defs[0]
	before, rest := c.Cut(d.Start)
	if strings.TrimSpace(before.Src) != "" {
		if _, err := w.eval(before.Src); err != nil {
			return reflect.Value{}, err
		}
	}
	typ, ok := w.typeOf(d.Expr)
	if !ok {
		// The statements before ran; what stops the rest is yaegi's own
		// error, at this definition.
		_, err := w.eval(rest.Src)
		return reflect.Value{}, err
	}
	return w.evalChunk(rest.Convert(d, typ))
}

const probeName = "__adagradlab_probe"

var definitionLoop = regexp.MustCompile(`(constant|variable) definition loop`)

// typeOf evaluates the pure expression expr and spells its value's type as
// Go source the session can use, importing (under a name of its own) a
// package the session has not.
func (w *worker) typeOf(expr string) (string, bool) {
	// Into a variable of type any (which needs no inference), then read.
	if _, err := w.eval(probeName + " = " + expr); err != nil {
		return "", false
	}
	defer w.eval(probeName + " = nil") // keep nothing alive
	v, err := w.eval(probeName)
	if err != nil || !v.IsValid() {
		return "", false
	}
	if v.Kind() == reflect.Interface {
		if v.IsNil() {
			return "", false
		}
		v = v.Elem()
	}
	return w.typeExpr(v.Type())
}

// typeExpr writes t as a Go type expression, or says it cannot (a type
// yaegi made, a struct or function type, a generic type).
func (w *worker) typeExpr(t reflect.Type) (string, bool) {
	if t.Name() != "" {
		if t.PkgPath() == "" {
			return t.Name(), true // int, float64, string…
		}
		if strings.ContainsAny(t.Name(), "[.") {
			return "", false
		}
		name, ok := w.importName(t.PkgPath())
		return name + "." + t.Name(), ok
	}
	switch t.Kind() {
	case reflect.Slice:
		elem, ok := w.typeExpr(t.Elem())
		return "[]" + elem, ok
	case reflect.Array:
		elem, ok := w.typeExpr(t.Elem())
		return "[" + strconv.Itoa(t.Len()) + "]" + elem, ok
	case reflect.Pointer:
		elem, ok := w.typeExpr(t.Elem())
		return "*" + elem, ok
	case reflect.Map:
		k, ok1 := w.typeExpr(t.Key())
		e, ok2 := w.typeExpr(t.Elem())
		return "map[" + k + "]" + e, ok1 && ok2
	}
	return "", false
}

// importName is the session's name for the package at path, importing it
// under a name no learner would write where the session has none.
func (w *worker) importName(path string) (string, bool) {
	for name, p := range w.imports.Names {
		if p == path {
			return name, true
		}
	}
	name := fmt.Sprintf("__adagradlab_pkg%d", len(w.imports.Names))
	decl := "import " + name + " " + strconv.Quote(path)
	if _, err := w.eval(decl); err != nil {
		return "", false
	}
	w.imports.Note(decl)
	return name, true
}
