// Package allow decides which packages graded code may import, checks a
// submission's imports before anything is interpreted, and builds the only
// symbol table the interpreter gets.
//
// The allowlist is the whole policy: packages that compute (math, sorting,
// strings, formatting to a string). Anything that can reach the file system,
// the network, other processes, the runtime or memory directly (os, io/fs,
// net, syscall, unsafe, reflect, runtime, plugin, os/exec, …) and the
// project's own packages are refused, with a message naming the import.
package allow

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/traefik/yaegi/interp"

	"github.com/adagradlab/adagradlab/checker/allow/symbols"
)

// Packages is the allowlist: the standard packages graded code may import.
var Packages = []string{
	"cmp",
	"container/heap",
	"container/list",
	"errors",
	"fmt",
	"maps",
	"math",
	"math/bits",
	"math/cmplx",
	"math/rand",
	"math/rand/v2",
	"slices",
	"sort",
	"strconv",
	"strings",
	"unicode",
	"unicode/utf8",
}

var allowed = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range Packages {
		m[p] = true
	}
	return m
}()

// Allowed reports whether graded code may import path.
func Allowed(path string) bool { return allowed[path] }

// Generic lists the allowed packages yaegi compiles from source at set-up
// (it has no symbol table for generic code). Compiling them costs a few
// milliseconds per worker, so Symbols only asks for it when the code
// imports one of them.
var Generic = []string{"cmp", "maps", "slices"}

// NeedsGeneric reports whether code with these imports needs Generic.
func NeedsGeneric(imports []string) bool {
	for _, p := range imports {
		for _, g := range Generic {
			if p == g {
				return true
			}
		}
	}
	return false
}

// Symbols returns the interpreter's symbol table: the allowlist's packages
// (package symbols, generated), printing to stdout and reading nothing.
//
// yaegi redirects fmt's Print functions to the interpreter's output, and
// compiles its generic packages, whenever a symbol table has the key
// "fmt/fmt". Without generic, fmt is registered under "fmt/./fmt" (the same
// import path, "fmt") with the redirection done here, and that compile is
// skipped.
func Symbols(stdout io.Writer, generic bool) interp.Exports {
	out := interp.Exports{}
	for key, syms := range symbols.Symbols {
		// Keys are "import/path/name", e.g. "math/rand/rand".
		i := strings.LastIndexByte(key, '/')
		if i < 0 || !allowed[key[:i]] {
			continue
		}
		out[key] = syms
	}
	mapTypes := map[reflect.Value][]reflect.Type{}
	for k, v := range symbols.MapTypes {
		mapTypes[k] = v
	}
	out["."] = map[string]reflect.Value{"MapTypes": reflect.ValueOf(mapTypes)}
	if generic {
		return out
	}
	stdin := strings.NewReader("")
	f := map[string]reflect.Value{}
	for k, v := range out["fmt/fmt"] {
		f[k] = v
	}
	for name, fn := range map[string]any{
		"Print":   func(a ...any) (int, error) { return fmt.Fprint(stdout, a...) },
		"Printf":  func(format string, a ...any) (int, error) { return fmt.Fprintf(stdout, format, a...) },
		"Println": func(a ...any) (int, error) { return fmt.Fprintln(stdout, a...) },
		"Scan":    func(a ...any) (int, error) { return fmt.Fscan(stdin, a...) },
		"Scanf":   func(format string, a ...any) (int, error) { return fmt.Fscanf(stdin, format, a...) },
		"Scanln":  func(a ...any) (int, error) { return fmt.Fscanln(stdin, a...) },
	} {
		v := reflect.ValueOf(fn)
		mapTypes[v] = symbols.MapTypes[f[name]]
		f[name] = v
	}
	delete(out, "fmt/fmt")
	out["fmt/./fmt"] = f
	return out
}

// ImportError is a refused import.
type ImportError struct {
	Path string
	Pos  string // "line:col" in the source, or "cell N, line:col"
}

func (e *ImportError) Error() string {
	why := "it is not on the checker's allowlist"
	switch {
	case strings.HasPrefix(e.Path, "github.com/adagradlab/"):
		why = "graded code may not call the course's own packages; write the code yourself"
	case e.Path == "C":
		why = "cgo is not available"
	}
	return fmt.Sprintf("%s: forbidden import %q: %s (allowed: %s)", e.Pos, e.Path, why, strings.Join(Packages, ", "))
}

// File parses a .go submission: it must be valid Go in package answers,
// and import only allowed packages. It returns the parsed file for the
// caller's further use (e.g. the free-text constants).
func File(name, src string) (*ast.File, *token.FileSet, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution|parser.ParseComments)
	if err != nil {
		return nil, nil, fmt.Errorf("does not compile: %v", firstError(err))
	}
	if f.Name.Name != "answers" {
		return nil, nil, fmt.Errorf("%s: the file must be `package answers`, not `package %s`", fset.Position(f.Package), f.Name.Name)
	}
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			return nil, nil, fmt.Errorf("does not compile: bad import %s", imp.Path.Value)
		}
		if !allowed[p] {
			pos := fset.Position(imp.Pos())
			return nil, nil, &ImportError{Path: p, Pos: fmt.Sprintf("%s:%d:%d", name, pos.Line, pos.Column)}
		}
	}
	return f, fset, nil
}

// firstError keeps a parse error list short.
func firstError(err error) error {
	if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
		if len(list) > 1 {
			return fmt.Errorf("%v (and %d more errors)", list[0], len(list)-1)
		}
		return list[0]
	}
	return err
}

// CellImports returns the imports of a notebook cell. Cells mix
// declarations and statements, which go/parser does not accept as a file, so
// this reads tokens: every `import` followed by a path or a parenthesised
// list of them.
func CellImports(cell string) ([]ImportError, error) {
	fset := token.NewFileSet()
	file := fset.AddFile("cell", -1, len(cell))
	var s scanner.Scanner
	var scanErr error
	s.Init(file, []byte(cell), func(pos token.Position, msg string) {
		if scanErr == nil {
			scanErr = fmt.Errorf("%d:%d: %s", pos.Line, pos.Column, msg)
		}
	}, 0)
	var out []ImportError
	next := func() (token.Pos, token.Token, string) { return s.Scan() }
	for {
		pos, tok, lit := next()
		if tok == token.EOF {
			break
		}
		if tok != token.IMPORT {
			continue
		}
		pos, tok, lit = next()
		paren := tok == token.LPAREN
		if paren {
			pos, tok, lit = next()
		}
		for {
			if tok == token.IDENT || tok == token.PERIOD { // a named or dot import
				pos, tok, lit = next()
			}
			if tok != token.STRING {
				break
			}
			p, err := strconv.Unquote(lit)
			if err != nil {
				return nil, fmt.Errorf("bad import %s", lit)
			}
			position := fset.Position(pos)
			out = append(out, ImportError{Path: p, Pos: fmt.Sprintf("%d:%d", position.Line, position.Column)})
			if !paren {
				break
			}
			pos, tok, lit = next()
			if tok == token.SEMICOLON {
				pos, tok, lit = next()
			}
			if tok == token.RPAREN {
				break
			}
		}
	}
	return out, scanErr
}

// Cell checks a cell's imports: nil when all are allowed, else the first
// refused one.
func Cell(cell string) error {
	imps, err := CellImports(cell)
	if err != nil {
		return fmt.Errorf("does not compile: %v", err)
	}
	for _, imp := range imps {
		if !allowed[imp.Path] {
			return &imp
		}
	}
	return nil
}

// Sorted returns the keys of m in order (for stable messages).
func Sorted(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
