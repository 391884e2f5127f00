package cells

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// Effects lists what a replay must not do again: the standard-library
// functions that change the world outside the session (files, processes,
// the network), by import path and name; "os/exec." stands for all of a
// package. Reading (os.ReadFile, http.Get) is not among them: doing it
// again is what brings the data back.
var Effects = []string{
	"os.WriteFile", "os.Create", "os.CreateTemp", "os.OpenFile", "os.Remove", "os.RemoveAll",
	"os.Mkdir", "os.MkdirAll", "os.MkdirTemp", "os.Rename", "os.Truncate", "os.Chmod", "os.Chown",
	"os.Chtimes", "os.Symlink", "os.Link", "os.Lchown", "os.Exit", "os.StartProcess", "os.Setenv",
	"os.Unsetenv", "os.Clearenv", "os.Chdir",
	"io/ioutil.WriteFile", "io/ioutil.TempFile", "io/ioutil.TempDir",
	"os/exec.", "syscall.", "net.Dial", "net.DialTCP", "net.DialUDP", "net.Listen",
	"net/http.Post", "net/http.PostForm", "net/http.ListenAndServe",
}

// Replay decides what of a cell runs again when the kernel replays the
// session after a restart (an interrupt, a crash): declarations always; a
// top-level statement only if it calls none of Effects, no function
// declared in the session that does (Funcs), and uses no name that a
// statement left out defined — that name's value would be wrong, so its
// users are left out too. A replay then brings definitions back without
// writing files or starting processes a second time.
type Replay struct {
	tainted map[string]bool // names defined by statements left out
}

// NewReplay starts a replay.
func NewReplay() *Replay { return &Replay{tainted: map[string]bool{}} }

// Filter blanks the statements of a statement chunk that must not run again
// (positions stay put) and says whether it left any out. imports maps the
// session's import names to paths.
func (r *Replay) Filter(c Chunk, imports map[string]string, funcs *Funcs) (Chunk, bool) {
	if c.Decl {
		return c, false
	}
	prefix, suffix := c.frame()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", prefix+c.Src+suffix, parser.SkipObjectResolution)
	if err != nil || len(f.Decls) == 0 {
		return c, false
	}
	body := f.Decls[len(f.Decls)-1].(*ast.FuncDecl).Body
	effectful := funcs.effectful(imports)
	src := []byte(c.Src)
	dropped := false
	for _, st := range body.List {
		ids, sels := usesIn(st)
		bad := false
		for id := range ids {
			if r.tainted[id] || effectful[id] {
				bad = true
			}
		}
		for s := range sels {
			if isEffect(s, imports) {
				bad = true
			}
		}
		if !bad {
			continue
		}
		dropped = true
		for _, name := range defines(st) {
			r.tainted[name] = true
		}
		start, end := fset.Position(st.Pos()).Offset-len(prefix), fset.Position(st.End()).Offset-len(prefix)
		for i := max(start, 0); i < min(end, len(src)); i++ {
			if src[i] != '\n' {
				src[i] = ' '
			}
		}
	}
	c.Src = string(src)
	return c, dropped
}

// isEffect tells whether sel ("os.WriteFile", "exec.Command") is one of
// Effects, the name before the dot read as an import name.
func isEffect(sel string, imports map[string]string) bool {
	name, fn, _ := strings.Cut(sel, ".")
	p, ok := imports[name]
	if !ok {
		return false
	}
	for _, e := range Effects {
		i := strings.LastIndex(e, ".") // "os/exec." is the whole package
		if p == e[:i] && (e[i+1:] == "" || e[i+1:] == fn) {
			return true
		}
	}
	return false
}

// defines lists the names a top-level statement defines or assigns.
func defines(st ast.Stmt) []string {
	var out []string
	switch s := st.(type) {
	case *ast.AssignStmt:
		for _, l := range s.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
				out = append(out, id.Name)
			}
		}
	case *ast.DeclStmt:
		if g, ok := s.Decl.(*ast.GenDecl); ok {
			for _, sp := range g.Specs {
				if vs, ok := sp.(*ast.ValueSpec); ok {
					for _, n := range vs.Names {
						out = append(out, n.Name)
					}
				}
			}
		}
	}
	return out
}

// effectful lists the session's functions that call one of Effects,
// directly or through one another.
func (f *Funcs) effectful(imports map[string]string) map[string]bool {
	out := map[string]bool{}
	if f == nil {
		return out
	}
	for name, d := range f.decls {
		for s := range d.sels {
			if isEffect(s, imports) {
				out[name] = true
			}
		}
	}
	for grew := true; grew; {
		grew = false
		for name, d := range f.decls {
			if out[name] {
				continue
			}
			for id := range d.calls {
				if out[id] {
					out[name], grew = true, true
					break
				}
			}
		}
	}
	return out
}
