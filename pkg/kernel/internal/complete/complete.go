// Package complete answers complete_request and inspect_request from what
// the kernel knows without asking the interpreter: the preloaded packages'
// symbol tables (with their Go doc, see docs.go), the cells that ran, and
// the globals the session reported after its last cell. That keeps Tab
// working while a cell is running and costs no round trip to the child.
//
// Positions: JupyterLab counts cursor_pos in UTF-16 code units, and course
// cells are full of η, θ and ε, so every position is converted between
// UTF-16 units and byte offsets at this package's edge.
package complete

import (
	"go/scanner"
	"go/token"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/traefik/yaegi/stdlib"

	"github.com/adagradlab/adagradlab/pkg/kernel/symbols"
)

// Env is what the session knows.
type Env struct {
	History []string          // cells that ran
	Globals []string          // variables and constants of the session
	Types   map[string]string // their types
}

// pkgInfo is one importable package.
type pkgInfo struct {
	path, name string
	syms       map[string]reflect.Value
}

var packages = func() map[string]*pkgInfo {
	out := map[string]*pkgInfo{}
	for _, tables := range []map[string]map[string]reflect.Value{stdlib.Symbols, symbols.Symbols} {
		for key, syms := range tables {
			i := strings.LastIndex(key, "/")
			if i < 0 {
				continue
			}
			path, name := key[:i], key[i+1:]
			out[path] = &pkgInfo{path: path, name: name, syms: syms}
		}
	}
	return out
}()

// ByteOffset converts a UTF-16 offset in s to a byte offset.
func ByteOffset(s string, u16 int) int {
	n := 0
	for i, r := range s {
		if n >= u16 {
			return i
		}
		n += utf16.RuneLen(r)
		if n < 0 { // invalid rune counts as one unit
			n++
		}
	}
	return len(s)
}

// UTF16Offset converts a byte offset in s to UTF-16 units.
func UTF16Offset(s string, b int) int {
	n := 0
	for _, r := range s[:min(b, len(s))] {
		l := utf16.RuneLen(r)
		if l < 0 {
			l = 1
		}
		n += l
	}
	return n
}

func isIdentRune(r rune) bool {
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// wordBefore returns the identifier that ends at byte offset pos and,
// if it is preceded by "X.", that qualifier.
func wordBefore(code string, pos int) (qual, word string, start int) {
	start = pos
	for start > 0 {
		r, size := utf8.DecodeLastRuneInString(code[:start])
		if !isIdentRune(r) {
			break
		}
		start -= size
	}
	word = code[start:pos]
	if start > 0 && code[start-1] == '.' {
		q := start - 1
		for q > 0 {
			r, size := utf8.DecodeLastRuneInString(code[:q])
			if !isIdentRune(r) {
				break
			}
			q -= size
		}
		qual = code[q : start-1]
	}
	return qual, word, start
}

// Complete returns the matches for the cursor (UTF-16 units) and the range
// they replace, in UTF-16 units.
func Complete(code string, cursor int, env Env) (matches []string, start, end int) {
	pos := ByteOffset(code, cursor)
	qual, word, wstart := wordBefore(code, pos)
	var cands []string
	if qual != "" {
		if p := lookupPkg(qual, code, env); p != nil {
			for name := range p.syms {
				cands = append(cands, name)
			}
		} else if t, _ := typeOfVar(qual, env); t != nil {
			cands = members(t)
		}
	} else if isImportString(code, pos) {
		return importMatches(code, pos)
	} else {
		cands = append(cands, keywords...)
		cands = append(cands, builtins...)
		cands = append(cands, env.Globals...)
		cands = append(cands, declared(append(append([]string(nil), env.History...), code))...)
		for _, p := range importedPkgs(code, env) {
			cands = append(cands, p.name)
		}
	}
	seen := map[string]bool{}
	for _, c := range cands {
		if strings.HasPrefix(c, word) && !seen[c] && c != "" {
			seen[c] = true
			matches = append(matches, c)
		}
	}
	sort.Strings(matches)
	return matches, UTF16Offset(code, wstart), UTF16Offset(code, pos)
}

// isImportString reports whether pos is inside a string literal on an
// import line, where package paths complete.
func isImportString(code string, pos int) bool {
	ls := strings.LastIndex(code[:pos], "\n") + 1
	line := code[ls:pos]
	return strings.Count(line, `"`)%2 == 1 && (strings.HasPrefix(strings.TrimSpace(line), "import") || strings.HasPrefix(strings.TrimSpace(line), `"`))
}

func importMatches(code string, pos int) ([]string, int, int) {
	q := strings.LastIndex(code[:pos], `"`) + 1
	prefix := code[q:pos]
	var out []string
	for path := range packages {
		if strings.HasPrefix(path, prefix) {
			out = append(out, path)
		}
	}
	sort.Strings(out)
	return out, UTF16Offset(code, q), UTF16Offset(code, pos)
}

// importedPkgs finds the import paths named in the history and the cell;
// an import line that does not parse is skipped.
func importedPkgs(code string, env Env) []*pkgInfo {
	var out []*pkgInfo
	for _, src := range append(append([]string(nil), env.History...), code) {
		for _, path := range importPaths(src) {
			if p, ok := packages[path]; ok {
				out = append(out, p)
			}
		}
	}
	return out
}

func importPaths(src string) []string {
	var out []string
	var s scanner.Scanner
	fset := token.NewFileSet()
	s.Init(fset.AddFile("", -1, len(src)), []byte(src), func(token.Position, string) {}, 0)
	inImport, depth := false, 0
	for {
		_, tok, lit := s.Scan()
		switch tok {
		case token.EOF:
			return out
		case token.IMPORT:
			inImport = true
		case token.LPAREN:
			if inImport {
				depth++
			}
		case token.RPAREN:
			if inImport {
				depth--
				if depth == 0 {
					inImport = false
				}
			}
		case token.STRING:
			if inImport {
				if p, err := strconv.Unquote(lit); err == nil {
					out = append(out, p)
				}
				if depth == 0 {
					inImport = false
				}
			}
		}
	}
}

// lookupPkg resolves a qualifier: an imported package first, then any
// preloaded package of that name (so `adagrad.` completes before the
// import line is written).
func lookupPkg(name, code string, env Env) *pkgInfo {
	for _, p := range importedPkgs(code, env) {
		if p.name == name {
			return p
		}
	}
	var best *pkgInfo
	for _, p := range packages {
		if p.name == name && (best == nil || len(p.path) < len(best.path)) {
			best = p
		}
	}
	return best
}

// declared collects names the cells declare: x := ..., var/const/type/func.
func declared(srcs []string) []string {
	var out []string
	for _, src := range srcs {
		var s scanner.Scanner
		fset := token.NewFileSet()
		s.Init(fset.AddFile("", -1, len(src)), []byte(src), func(token.Position, string) {}, 0)
		var prev []string // identifiers since the last statement start
		var prevTok token.Token
		for {
			_, tok, lit := s.Scan()
			if tok == token.EOF {
				break
			}
			switch {
			case tok == token.IDENT && (prevTok == token.VAR || prevTok == token.CONST || prevTok == token.TYPE || prevTok == token.FUNC):
				out = append(out, lit)
			case tok == token.IDENT:
				if prevTok == token.COMMA || len(prev) == 0 || prevTok != token.IDENT {
					prev = append(prev, lit)
				}
			case tok == token.DEFINE:
				out = append(out, prev...)
			}
			if tok == token.SEMICOLON || tok == token.LBRACE || tok == token.RBRACE || tok == token.LPAREN {
				prev = nil
			} else if tok != token.IDENT && tok != token.COMMA && tok != token.DEFINE {
				prev = nil
			}
			prevTok = tok
		}
	}
	return out
}

var keywords = []string{"break", "case", "chan", "const", "continue", "default", "defer", "else",
	"fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map", "package",
	"range", "return", "select", "struct", "switch", "type", "var"}

var builtins = []string{"append", "cap", "clear", "close", "complex", "copy", "delete", "imag", "len",
	"make", "max", "min", "new", "panic", "print", "println", "real", "recover",
	"bool", "byte", "complex128", "complex64", "error", "float32", "float64", "int", "int16", "int32",
	"int64", "int8", "rune", "string", "uint", "uint16", "uint32", "uint64", "uint8", "uintptr", "any",
	"true", "false", "nil", "iota"}

// typeOfVar resolves a session variable's type when it is one of the
// preloaded packages' types ("*adagrad.Optimizer"), with its package.
func typeOfVar(name string, env Env) (reflect.Type, *pkgInfo) {
	ts, ok := env.Types[name]
	if !ok {
		return nil, nil
	}
	ts = strings.TrimPrefix(ts, "*")
	pkgName, typeName, ok := strings.Cut(ts, ".")
	if !ok {
		return nil, nil
	}
	for _, p := range packages {
		if p.name != pkgName {
			continue
		}
		if v, ok := p.syms[typeName]; ok && v.IsValid() && v.Kind() == reflect.Pointer && v.IsNil() {
			return v.Type().Elem(), p
		}
	}
	return nil, nil
}

// members lists the exported methods (of *T) and fields of t.
func members(t reflect.Type) []string {
	var out []string
	pt := reflect.PointerTo(t)
	for i := 0; i < pt.NumMethod(); i++ {
		out = append(out, pt.Method(i).Name)
	}
	if t.Kind() == reflect.Struct {
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() {
				out = append(out, f.Name)
			}
		}
	}
	return out
}
