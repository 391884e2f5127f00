package cells

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// yaegi v0.16.1 cannot type a top-level definition whose value indexes a
// slice, array or map that came out of a compiled package's struct, such as
// p := data.Paths[0] or x := s[len(s)-1] with s := trace.Steps: it reports
// "constant definition loop" (its global type analysis has no case for an
// index of a compiled type). The same definition inside a function works,
// and so does one whose value is converted to its own type,
// p := plots.Path(data.Paths[0]). The kernel therefore finds such
// definitions (IndexDefines), runs the statements before one, asks the
// interpreter for the value's type, and converts (Chunk.Convert).

// IndexDefine is one statement x := E of a statement chunk, where E
// indexes something and calls nothing but len and cap, so that it can be
// evaluated once more to learn its type without doing anything.
type IndexDefine struct {
	Start, End int    // the statement's bytes in the chunk's Src
	Expr       string // E as written
	exprStart  int    // E's first byte in Src
}

// IndexDefines lists the chunk's top-level definitions of one name from a
// pure expression with an index in it, in order.
func IndexDefines(c Chunk) []IndexDefine {
	if c.Decl || !strings.Contains(c.Src, ":=") || !strings.Contains(c.Src, "[") {
		return nil
	}
	prefix, suffix := c.frame()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", prefix+c.Src+suffix, parser.SkipObjectResolution)
	if err != nil || len(f.Decls) == 0 {
		return nil
	}
	fn, ok := f.Decls[len(f.Decls)-1].(*ast.FuncDecl)
	if !ok || fn.Body == nil {
		return nil
	}
	off := func(p token.Pos) int { return fset.Position(p).Offset - len(prefix) }
	var out []IndexDefine
	for _, st := range fn.Body.List {
		as, ok := st.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
			continue
		}
		if id, ok := as.Lhs[0].(*ast.Ident); !ok || id.Name == "_" {
			continue
		}
		if e := as.Rhs[0]; pureIndex(e) {
			out = append(out, IndexDefine{Start: off(as.Pos()), End: off(as.End()), Expr: c.Src[off(e.Pos()):off(e.End())], exprStart: off(e.Pos())})
		}
	}
	return out
}

// pureIndex reports whether e has an index in it and no effect: names,
// selectors, literals, indexes, slices, arithmetic, len and cap.
func pureIndex(e ast.Expr) bool {
	indexed := false
	pure := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case nil:
		case *ast.IndexExpr, *ast.SliceExpr:
			indexed = true
		case *ast.CallExpr:
			id, ok := x.Fun.(*ast.Ident)
			if !ok || (id.Name != "len" && id.Name != "cap") {
				pure = false
			}
		case *ast.Ident, *ast.SelectorExpr, *ast.BasicLit, *ast.ParenExpr, *ast.BinaryExpr:
		case *ast.UnaryExpr:
			if x.Op == token.ARROW || x.Op == token.AND {
				pure = false // a receive does something; &s[i] crashes yaegi anyway
			}
		default:
			pure = false // a function literal, a composite literal, a type assertion…
		}
		return pure
	})
	return pure && indexed
}

// Cut splits c at byte at of its Src, between two statements: what runs
// before, and the rest, padded so that positions still match the cell.
func (c Chunk) Cut(at int) (before, rest Chunk) {
	before, rest = c, c
	before.Src, before.Expr, before.CallFun = c.Src[:at], false, ""
	rest.Src = padFrom(c.Src, at, len(c.Src))
	return before, rest
}

// Convert rewrites the definition d of c (found by IndexDefines on c) so
// that its value is converted to typ, a Go type expression: x := typ(E)
// ((*T)(E) for a pointer type). The columns after E's start on its line
// move; the lines stay put.
func (c Chunk) Convert(d IndexDefine, typ string) Chunk {
	if strings.HasPrefix(typ, "*") {
		typ = "(" + typ + ")"
	}
	end := d.exprStart + len(d.Expr)
	c.Src = c.Src[:d.exprStart] + typ + "(" + d.Expr + ")" + c.Src[end:]
	return c
}
