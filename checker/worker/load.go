package worker

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing/fstest"
	"unicode/utf8"

	"github.com/traefik/yaegi/interp"

	"github.com/adagradlab/adagradlab/checker/allow"
	"github.com/adagradlab/adagradlab/checker/jail"
	"github.com/adagradlab/adagradlab/checker/protocol"
	"github.com/adagradlab/adagradlab/pkg/cells"
)

// code is the learner's code, loaded.
type code struct {
	funcs map[string]fn
}

// Bounds on what a load reply carries; the judge bounds it again.
const (
	maxText  = 16 << 10 // one written answer
	maxNotes = 20
	maxNote  = 300
)

// load interprets the file or the cells and finds the functions asked for.
// Package-level code and init functions run here; an endless one is the
// judge's to stop.
func load(l *protocol.Load, lim jail.Limits) (*code, *protocol.Reply) {
	fatal := func(status, msg string) (*code, *protocol.Reply) {
		return nil, &protocol.Reply{Fatal: &protocol.Fatal{Status: status, Msg: clip(msg, 2000)}}
	}
	texts := map[string]string{}
	var notes []string
	var srcs []string // what runs: the file, or the cells
	var nums []int    // the cells' numbers in the notebook
	if l.Cells == nil {
		if _, _, err := allow.File(l.File, l.Source); err != nil {
			return fatal("error", err.Error())
		}
		srcs = []string{l.Source}
		freeTexts(l.Source, texts)
	} else {
		for i, cell := range l.Cells {
			cell = stripMagics(cell)
			if strings.TrimSpace(cell) == "" {
				continue
			}
			if err := allow.Cell(cell); err != nil {
				// Left out, as a kernel would refuse it; what it defines
				// is then missing, and the note says why.
				notes = append(notes, fmt.Sprintf("cell %d was not run: %v", i+1, err))
				continue
			}
			for _, ch := range cells.Split(cell) {
				freeTexts(cellAsFile(ch.Src), texts)
			}
			srcs = append(srcs, cell)
			nums = append(nums, i+1)
		}
		if len(srcs) == 0 && len(notes) == 0 {
			return fatal("error", "the notebook has no code to grade")
		}
	}

	out := &capWriter{left: lim.OutputKB << 10}
	it := interp.New(interp.Options{
		Stdin:                strings.NewReader(""),
		Stdout:               out,
		Stderr:               out,
		GoPath:               "/nonexistent",
		SourcecodeFilesystem: fstest.MapFS{},
	})
	if err := it.Use(allow.Symbols(out, allow.NeedsGeneric(imports(srcs)))); err != nil {
		return fatal("crashed", "worker: interpreter set-up failed: "+err.Error())
	}
	prefix := ""
	broken := map[string]bool{} // functions of cells that failed
	err := func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err = panicError{r}
			}
		}()
		if l.Cells == nil {
			prefix = "answers."
			_, err := it.Eval(cells.RangeIntsFile(cells.FixSwitchesFile(l.Source)))
			return err
		}
		imps := cells.NewImports(nil) // a cell may import again what an earlier one did
		funcs := cells.NewFuncs()     // as the kernel does: a redefinition rebinds its callers
		for i, cell := range srcs {
			for _, ch := range cellChunks(cell) {
				if ch.Decl {
					ch.Src = imps.DropRepeats(ch.Src)
				}
				if _, err := it.Eval(ch.Src); err != nil {
					// A notebook keeps going past a failing cell; so does
					// grading. The error goes into the feedback, with what
					// the cell was to define: yaegi may keep a half-made
					// function, which must count as missing, not panic.
					names := declaredFuncs(cell)
					for _, n := range names {
						broken[n] = true
					}
					what := ""
					if len(names) > 0 {
						what = " (so " + strings.Join(names, ", ") + " counts as missing)"
					}
					notes = append(notes, fmt.Sprintf("cell %d did not run%s: %s", nums[i], what, cells.GoWording(err.Error())))
					break // what follows in the cell may need what failed
				}
				for _, n := range declaredFuncs(ch.Src) {
					delete(broken, n) // defined again, and this time it worked
				}
				if ch.Decl {
					imps.Note(ch.Src)
					for _, d := range funcs.Redeclare(ch) {
						it.Eval(d.Src) // one that fails keeps the old definition, as in the kernel
					}
				}
			}
		}
		return nil
	}()
	var p panicError
	switch {
	case errors.As(err, &p):
		return fatal("crashed", "panicked while loading the code: "+p.Error())
	case err != nil:
		msg := cells.GoWording(err.Error())
		if !strings.HasPrefix(msg, "does not compile") {
			msg = "does not compile: " + msg
		}
		return fatal("error", msg)
	}

	c := &code{funcs: map[string]fn{}}
	rep := &protocol.Loaded{Funcs: map[string]string{}, Texts: texts}
	for _, name := range l.Funcs {
		if !token.IsIdentifier(name) {
			continue
		}
		if broken[name] {
			rep.Funcs[name] = ""
			continue
		}
		v, err := it.Eval(prefix + name)
		if err != nil && prefix == "" {
			// A notebook cell may hold a whole file, package clause and all.
			v, err = it.Eval("answers." + name)
		}
		switch {
		case err != nil || !v.IsValid():
			rep.Funcs[name] = ""
		case v.Kind() != reflect.Func || !v.CanInterface() || v.IsNil():
			rep.Funcs[name] = "not a function: " + v.Type().String()
		default:
			c.funcs[name] = fn{v: v, t: v.Type()}
			rep.Funcs[name] = v.Type().String()
		}
	}
	rep.Starter = stillStarter(srcs, l.Cells != nil, l.Starters)
	if len(notes) > maxNotes {
		notes = append(notes[:maxNotes], fmt.Sprintf("… and %d more", len(notes)-maxNotes))
	}
	for i, n := range notes {
		notes[i] = clip(n, maxNote)
	}
	rep.Notes = notes
	for k, v := range texts {
		texts[k] = clip(v, maxText)
	}
	return c, &protocol.Reply{Loaded: rep}
}

// declaredFuncs lists the top-level functions src (a cell or a chunk of
// one) declares, as far as it parses.
func declaredFuncs(src string) []string {
	var out []string
	for _, ch := range cells.Split(src) {
		if !ch.Decl {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), "", "package main;"+ch.Src, parser.SkipObjectResolution)
		if f == nil {
			continue
		}
		_ = err // a cell that does not compile may still parse in part
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				out = append(out, fd.Name.Name)
			}
		}
	}
	return out
}

type panicError struct{ v any }

func (p panicError) Error() string { return clip(cells.GoWording(fmt.Sprint(p.v)), 500) }

// stripMagics drops the kernel's magic lines (%check …, !cmd) from a cell.
func stripMagics(cell string) string {
	if !strings.Contains(cell, "%") && !strings.Contains(cell, "!") {
		return cell
	}
	lines := strings.Split(cell, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "%") || strings.HasPrefix(t, "!") {
			lines[i] = ""
		}
	}
	return strings.Join(lines, "\n")
}

// cellChunks cuts a notebook cell exactly as the kernel does (pkg/cells):
// runs of declarations and runs of statements, since yaegi evaluates a
// source as one kind or the other. Statement runs come wrapped the way the
// kernel wraps them, so a notebook is graded the way it ran.
func cellChunks(cell string) []cells.Chunk {
	chunks := cells.Split(cell)
	for i, c := range chunks {
		// As the kernel runs them (pkg/kernel/internal/worker).
		c = cells.RangeInts(cells.FixSwitches(c), nil)
		if !c.Decl {
			c = cells.Wrap(c)
		}
		chunks[i] = c
	}
	return chunks
}

// cellAsFile makes a cell's declarations parse as a file.
func cellAsFile(cell string) string {
	if strings.HasPrefix(strings.TrimSpace(cell), "package ") {
		return cell
	}
	return "package answers\n" + cell
}

// imports lists what the sources import, as far as they can be read.
func imports(srcs []string) []string {
	var out []string
	for _, src := range srcs {
		imps, _ := allow.CellImports(src)
		for _, imp := range imps {
			out = append(out, imp.Path)
		}
	}
	return out
}

// freeTexts reads the constants Q1Text … Q5Text of src, if it parses, into
// texts. It runs no code: the constants are string literals.
func freeTexts(src string, texts map[string]string) {
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		return
	}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || (gd.Tok != token.CONST && gd.Tok != token.VAR) {
			continue
		}
		for _, sp := range gd.Specs {
			vs := sp.(*ast.ValueSpec)
			for i, name := range vs.Names {
				n := name.Name
				if len(n) != 6 || n[0] != 'Q' || n[2:] != "Text" || n[1] < '1' || n[1] > '5' || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						texts["q"+n[1:2]] = s
					}
				}
			}
		}
	}
}

// FuncBodies maps each top-level function in srcs to its body, printed
// without comments (a later definition wins, as in a notebook); sources
// that do not parse contribute nothing. The judge uses it on the starters,
// the worker on the learner's code.
func FuncBodies(srcs []string, into map[string]string) {
	for _, src := range srcs {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", src, 0) // no comments kept
		if err != nil {                              // a cell: declarations without a package clause
			f, err = parser.ParseFile(fset, "", "package answers\n"+src, 0)
		}
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || fd.Body == nil {
				continue
			}
			var b bytes.Buffer
			if format.Node(&b, fset, fd.Body) == nil {
				into[fd.Name.Name] = b.String()
			}
		}
	}
}

// stillStarter lists the functions whose bodies are the starter's.
func stillStarter(srcs []string, isCells bool, starters map[string]string) []string {
	if len(starters) == 0 {
		return nil
	}
	if isCells {
		var chunks []string
		for _, s := range srcs {
			for _, c := range cells.Split(s) {
				chunks = append(chunks, c.Src)
			}
		}
		srcs = chunks
	}
	bodies := map[string]string{}
	FuncBodies(srcs, bodies)
	var out []string
	for name, body := range bodies {
		if want, ok := starters[name]; ok && want == body {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// capWriter passes nothing on: it counts what the learner's code prints
// and ends the worker when the limit is passed.
type capWriter struct {
	mu   sync.Mutex
	left int
}

func (c *capWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.left -= len(p)
	hit := c.left < 0
	c.mu.Unlock()
	if hit {
		os.Exit(ExitOutput)
	}
	return len(p), nil
}

// clip shortens text from the learner's code to max bytes.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes)", len(s))
}
