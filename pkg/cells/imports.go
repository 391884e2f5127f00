package cells

import (
	"go/ast"
	"go/parser"
	"go/token"
	pathpkg "path"
	"strconv"
	"strings"
)

// Imports is what a session has imported, by the name each import binds.
// yaegi refuses a second import of a package in the same scope
// ("fmt/_.go redeclared in this block"), but re-running a notebook's import
// cell, or importing in two cells what both need, is ordinary. DropRepeats
// blanks the imports a session already has; the kernel and the checker both
// keep one, so a notebook is graded the way it ran.
type Imports struct {
	Names map[string]string // name → import path
	// PkgName gives the name an import path's package declares, when the
	// caller knows it (from its symbol tables); otherwise the path's last
	// element is taken, skipping a major-version suffix ("math/rand/v2" is
	// rand).
	PkgName func(path string) (string, bool)
}

// NewImports returns an empty set that resolves package names with pkgName
// (nil: from the path).
func NewImports(pkgName func(path string) (string, bool)) *Imports {
	return &Imports{Names: map[string]string{}, PkgName: pkgName}
}

// Name is the name an import spec binds: its alias, or the package's name.
func (im *Imports) Name(spec *ast.ImportSpec) (name, path string, ok bool) {
	p, err := strconv.Unquote(spec.Path.Value)
	if err != nil {
		return "", "", false
	}
	if spec.Name != nil {
		return spec.Name.Name, p, true
	}
	if im.PkgName != nil {
		if n, ok := im.PkgName(p); ok {
			return n, p, true
		}
	}
	base := pathpkg.Base(p)
	if len(base) > 1 && base[0] == 'v' && strings.Trim(base[1:], "0123456789") == "" && pathpkg.Dir(p) != "." {
		base = pathpkg.Base(pathpkg.Dir(p))
	}
	return base, p, true
}

// Note records what a declaration chunk that evaluated successfully imported.
func (im *Imports) Note(src string) {
	f, err := parser.ParseFile(token.NewFileSet(), "", declPrefix+src, parser.ImportsOnly)
	if err != nil {
		return
	}
	for _, spec := range f.Imports {
		if name, p, ok := im.Name(spec); ok && name != "_" && name != "." {
			im.Names[name] = p
		}
	}
}

// DropRepeats blanks the imports of src that the session already has under
// the same name and path, keeping every other byte where it was so that
// error positions still point into the cell. An import of another path
// under a taken name is left for the interpreter to refuse.
func (im *Imports) DropRepeats(src string) string {
	const pre = declPrefix
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
			if name, p, ok := im.Name(sp.(*ast.ImportSpec)); ok && im.Names[name] == p {
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
