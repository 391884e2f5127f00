package cells

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strings"
)

// RangeInts works around yaegi v0.16.1 not knowing Go 1.22's range over an
// integer (for i := range n fails with "nil type"): each such loop whose
// range is plainly an integer — a literal, len or cap, an integer parameter
// or variable of the function, arithmetic on those, or a name isInt says
// holds one (the session's variables) — becomes the three-clause loop that
// means the same, its bound taken once: for i, n := n-n, n; i < n; i++.
// Lines stay put. A range whose operand it cannot tell is left as it is.
func RangeInts(c Chunk, isInt func(name string) bool) Chunk {
	prefix, suffix := c.frame()
	c.Src = rangeInts(c.Src, prefix, suffix, isInt)
	return c
}

// RangeIntsFile is RangeInts for a whole Go file.
func RangeIntsFile(src string) string { return rangeInts(src, "", "", nil) }

func rangeInts(text, prefix, suffix string, isInt func(name string) bool) string {
	if !strings.Contains(text, "range") {
		return text
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", prefix+text+suffix, parser.SkipObjectResolution)
	if err != nil {
		return text
	}
	ints := map[string]bool{} // names known to hold integers (by name: good enough in a cell)
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	off := func(p token.Pos) int { return fset.Position(p).Offset - len(prefix) }
	var intExpr func(e ast.Expr) bool
	intExpr = func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.BasicLit:
			return x.Kind == token.INT
		case *ast.ParenExpr:
			return intExpr(x.X)
		case *ast.Ident:
			return ints[x.Name] || (isInt != nil && isInt(x.Name))
		case *ast.CallExpr:
			if id, ok := x.Fun.(*ast.Ident); ok && len(x.Args) == 1 {
				return id.Name == "len" || id.Name == "cap" || isIntType(id.Name)
			}
		case *ast.BinaryExpr:
			switch x.Op {
			case token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.SHL, token.SHR:
				return intExpr(x.X) && intExpr(x.Y)
			}
		}
		return false
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		switch s := node.(type) {
		case *ast.FuncType:
			if s.Params != nil {
				for _, p := range s.Params.List {
					if id, ok := p.Type.(*ast.Ident); ok && isIntType(id.Name) {
						for _, name := range p.Names {
							ints[name.Name] = true
						}
					}
				}
			}
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE && len(s.Lhs) == len(s.Rhs) {
				for i, l := range s.Lhs {
					if id, ok := l.(*ast.Ident); ok && intExpr(s.Rhs[i]) {
						ints[id.Name] = true
					}
				}
			}
		case *ast.RangeStmt:
			if s.Value != nil || s.Tok == token.ASSIGN || !intExpr(s.X) {
				return true
			}
			n++
			key := fmt.Sprintf("adagradlab_i%d_", n)
			if k, ok := s.Key.(*ast.Ident); ok {
				key = k.Name
			}
			bound := fmt.Sprintf("adagradlab_n%d_", n)
			x := text[off(s.X.Pos()):off(s.X.End())]
			// From the key (or the range keyword) to the end of the operand.
			start := off(s.Range)
			if s.Key != nil {
				start = off(s.Key.Pos())
			}
			edits = append(edits, edit{start, off(s.X.End()),
				fmt.Sprintf("%s, %s := (%s)-(%s), %s; %s < %s; %s++", key, bound, x, x, x, key, bound, key)})
		}
		return true
	})
	if len(edits) == 0 {
		return text
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].start > edits[j].start })
	src := text
	for _, e := range edits {
		if e.start < 0 || e.end > len(src) || e.start > e.end || strings.Contains(src[e.start:e.end], "\n") {
			return text // an operand over several lines: leave the cell alone
		}
		src = src[:e.start] + e.text + src[e.end:]
	}
	return src
}

func isIntType(name string) bool {
	switch name {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "byte", "rune":
		return true
	}
	return false
}
