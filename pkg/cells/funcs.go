package cells

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
)

// Funcs works around a yaegi v0.16.1 bug (its issue 1673): redefining a
// function does not rebind the functions compiled earlier that call it,
// so a learner who edits lr() and reruns the cell keeps running the old
// one through step(). Funcs remembers every top-level function's
// declaration; when one is declared again, Redeclare lists the earlier
// functions that call it, directly or through one another, in the order
// they were declared, to be evaluated again — which rebinds them. Methods
// are not covered: yaegi does not take a method declared twice.
type Funcs struct {
	decls map[string]funcDecl
	seq   int
}

type funcDecl struct {
	src   string          // the declaration, as written
	calls map[string]bool // identifiers its body uses
	sels  map[string]bool // and the x.Sel selectors on a name: "os.WriteFile"
	seq   int             // when it was (last) declared
}

// NewFuncs returns an empty record.
func NewFuncs() *Funcs { return &Funcs{decls: map[string]funcDecl{}} }

// FuncDecl is a top-level function's declaration.
type FuncDecl struct {
	Name, Src string
}

// Redeclare records the functions declared by a declaration chunk that
// has just been evaluated, and returns the declarations of the earlier
// functions that must be evaluated again to call the new ones.
func (f *Funcs) Redeclare(c Chunk) []FuncDecl {
	if !c.Decl {
		return nil
	}
	prefix, _ := c.frame()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", prefix+c.Src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	var changed []string
	for _, d := range file.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || fd.Body == nil || fd.Name.Name == "init" || fd.Name.Name == "_" {
			continue
		}
		start, end := fset.Position(fd.Pos()).Offset-len(prefix), fset.Position(fd.End()).Offset-len(prefix)
		if start < 0 || end > len(c.Src) {
			continue
		}
		name := fd.Name.Name
		if _, ok := f.decls[name]; ok {
			changed = append(changed, name)
		}
		f.seq++
		ids, sels := usesIn(fd.Body)
		f.decls[name] = funcDecl{src: c.Src[start:end], calls: ids, sels: sels, seq: f.seq}
	}
	if len(changed) == 0 {
		return nil
	}
	// The callers, transitively: a function calling a caller is stale too.
	stale := map[string]bool{}
	for grew := true; grew; {
		grew = false
		for name, d := range f.decls {
			if stale[name] || slices.Contains(changed, name) {
				continue
			}
			for used := range d.calls {
				if slices.Contains(changed, used) || stale[used] {
					stale[name], grew = true, true
					break
				}
			}
		}
	}
	names := make([]string, 0, len(stale))
	for n := range stale {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int { return f.decls[a].seq - f.decls[b].seq })
	out := make([]FuncDecl, len(names))
	for i, n := range names {
		out[i] = FuncDecl{Name: n, Src: f.decls[n].src}
	}
	return out
}

// usesIn lists the identifiers n uses, and its selectors on a name
// ("os.WriteFile").
func usesIn(n ast.Node) (ids, sels map[string]bool) {
	ids, sels = map[string]bool{}, map[string]bool{}
	ast.Inspect(n, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.Ident:
			ids[x.Name] = true
		case *ast.SelectorExpr:
			if id, ok := x.X.(*ast.Ident); ok {
				sels[id.Name+"."+x.Sel.Name] = true
			}
		}
		return true
	})
	return ids, sels
}
