// Package worker is the child process that runs notebook cells on yaegi.
//
// It exists because an interpreter cannot be made safe from inside: a
// cancelled yaegi Eval leaves the interpreter hung, and unbounded recursion
// or a huge allocation is a fatal Go runtime error, not a panic. So cells
// run here, under a memory limit and a stack limit, and when this process
// is killed or dies the kernel (package session) starts another one and
// replays the cells that had worked. See package ipc for the pipes.
package worker

import (
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"reflect"
	"regexp"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/adagradlab/adagradlab/pkg/cells"
	"github.com/adagradlab/adagradlab/pkg/display"
	"github.com/adagradlab/adagradlab/pkg/kernel/internal/ipc"
	"github.com/adagradlab/adagradlab/pkg/kernel/symbols"
	"github.com/adagradlab/adagradlab/plots"
)

// Limits applied to the child; the parent's crash messages quote them.
const (
	DefaultMemoryMB = 4096 // RLIMIT_AS (address space, not RSS): enough for gonum work, far from 50 GB
	MaxStackMB      = 256  // per goroutine; Go's default is 1 GB
	EnvMemoryMB     = "ADAGRADLAB_KERNEL_MEMORY_MB"
	// EnvGophernotes set to 1: display is gophernotes' display package
	// (pkg/display/gophernotes), and Display is defined, in every cell.
	EnvGophernotes = "ADAGRADLAB_KERNEL_GOPHERNOTES"
)

type worker struct {
	in      io.Reader
	events  io.Writer
	stdout  *os.File // fd 1, kept even if a cell reassigns os.Stdout
	stderr  *os.File // fd 5
	nonce   string
	mu      sync.Mutex // one event at a time; displays may come from goroutines
	seq     int64
	interp  *interp.Interpreter
	running int64 // ID of the request being run, for displays

	imports *cells.Imports // what the session has imported, by name
	funcs   *cells.Funcs   // every function declared, to rebind callers on a redefinition
	replay  *cells.Replay  // while replaying after a restart: what is left out
	read    cells.Options  // how cells are read: gophernotes' display or ours

	// inMu guards reading the request pipe, which a cell reading stdin
	// does too (stdin.go), and whether a cell is running.
	inMu   sync.Mutex
	inCell bool
	quiet  bool // the running cell is a replay: it may not ask for input
}

// Main runs the child until the parent closes the request pipe.
func Main() error {
	if os.Getenv(ipc.EnvNonce) == "" {
		return errors.New("kernel-exec is started by `adagradlab kernel`, not by hand")
	}
	if err := setLimits(); err != nil {
		return err
	}
	// A figure made in a cell suits a notebook without a style line of its
	// own; the lecture set (adagradlab plots) names its style.
	plots.SetDefaultStyle(plots.Paper())
	w := &worker{
		in:     os.NewFile(ipc.FDRequests, "requests"),
		events: os.NewFile(ipc.FDEvents, "events"),
		stdout: os.Stdout,
		stderr: os.NewFile(ipc.FDStderr, "stderr"),
		nonce:  os.Getenv(ipc.EnvNonce),
	}
	// Cells see the streamed stderr as os.Stderr; fd 2 stays the runtime's.
	os.Stderr = w.stderr
	if err := w.reset(); err != nil {
		return err
	}
	display.SetPublisher(w.publish)
	if err := w.send(ipc.Event{Kind: "ready"}); err != nil {
		return err
	}
	for {
		var req ipc.Request
		w.inMu.Lock()
		err := ipc.ReadFrame(w.in, &req)
		w.inCell, w.quiet = err == nil && req.Input == nil, req.Quiet
		w.inMu.Unlock()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if req.Input != nil {
			continue // an answer that came too late for its cell
		}
		ev := w.run(req)
		// A goroutine of the cell may be waiting for input: its answer
		// comes before the parent reads done.
		w.inMu.Lock()
		w.inCell = false
		w.inMu.Unlock()
		if err := w.send(ev); err != nil {
			return err
		}
	}
}

func setLimits() error {
	debug.SetMaxStack(MaxStackMB << 20)
	mb := DefaultMemoryMB
	if s := os.Getenv(EnvMemoryMB); s != "" {
		n, err := strconv.Atoi(s)
		// The Go runtime alone reserves over 1 GB of address space.
		if err != nil || n < 2048 {
			return fmt.Errorf("%s=%q: want a number of MB >= 2048", EnvMemoryMB, s)
		}
		mb = n
	}
	lim := &syscall.Rlimit{Cur: uint64(mb) << 20, Max: uint64(mb) << 20}
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, lim); err != nil {
		return fmt.Errorf("setting the memory limit: %w", err)
	}
	return nil
}

// reset makes a fresh interpreter with every preloaded package.
func (w *worker) reset() error {
	// os.Stdin in a cell is stdin.go's reader only with yaegi's "special
	// stdio" (read from the environment at New); os.Stdout and os.Stderr
	// are then put back to the *os.File a cell expects (WriteString, Fd).
	os.Setenv("YAEGI_SPECIAL_STDIO", "1")
	i := interp.New(interp.Options{
		Stdin:  &stdin{w: w},
		Stdout: w.stdout,
		Stderr: &panicFilter{w: w.stderr},
		Args:   []string{"cell"},
	})
	os.Unsetenv("YAEGI_SPECIAL_STDIO")
	if err := i.Use(stdlib.Symbols); err != nil {
		return fmt.Errorf("loading the standard library: %w", err)
	}
	if err := i.Use(interp.Exports{"os/os": {"Stdout": reflect.ValueOf(&w.stdout).Elem(), "Stderr": reflect.ValueOf(&w.stderr).Elem()}}); err != nil {
		return fmt.Errorf("setting os.Stdout: %w", err)
	}
	if err := i.Use(symbols.Symbols); err != nil {
		return fmt.Errorf("loading the preloaded packages: %w", err)
	}
	// display is there in every cell, as in gophernotes.
	w.read = cells.Options{DisplayReturnsData: os.Getenv(EnvGophernotes) == "1"}
	displayPath := "github.com/adagradlab/adagradlab/pkg/display"
	if w.read.DisplayReturnsData {
		displayPath += "/gophernotes"
	}
	if _, err := i.Eval(`import display "` + displayPath + `"`); err != nil {
		return fmt.Errorf("importing display: %w", err)
	}
	if w.read.DisplayReturnsData {
		if _, err := i.Eval(`var Display = display.Display`); err != nil {
			return fmt.Errorf("defining Display: %w", err)
		}
	}
	// A trailing call with several results is spread into this compiled
	// function (cells.AllResults): yaegi alone hands back the first.
	if err := i.Use(interp.Exports{resultsPath + "/results": {"All": reflect.ValueOf(func(xs ...any) []any { return xs })}}); err != nil {
		return fmt.Errorf("loading the results helper: %w", err)
	}
	if _, err := i.Eval(`import ` + resultsName + ` "` + resultsPath + `"`); err != nil {
		return fmt.Errorf("importing the results helper: %w", err)
	}
	// Where typeOf puts a value to learn its type (defines.go).
	if _, err := i.Eval(`var ` + probeName + ` any`); err != nil {
		return fmt.Errorf("declaring the type probe: %w", err)
	}
	w.interp = i
	w.funcs = cells.NewFuncs()
	w.imports = cells.NewImports(pkgName)
	w.imports.Names["display"] = displayPath
	return nil
}

// The results helper's import path and the name it is imported as, which
// no cell is likely to use.
const (
	resultsPath = "adagradlab.kernel/results"
	resultsName = "__adagradlab_results"
)

// send writes an event after a sync mark on both streams, so the parent
// forwards everything printed before it first.
func (w *worker) send(ev ipc.Event) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.seq++
	ev.Seq = w.seq
	mark := ipc.Mark(w.nonce, w.seq)
	_, _ = w.stdout.WriteString(mark)
	_, _ = w.stderr.WriteString(mark)
	return ipc.WriteFrame(w.events, ev)
}

func (w *worker) publish(m display.Message) error {
	return w.send(ipc.Event{Kind: "display", ID: w.running, Display: &ipc.Bundle{
		Data: m.Data, Metadata: m.Metadata, DisplayID: m.DisplayID, Update: m.Update, Clear: m.Clear, Wait: m.Wait,
	}})
}

// run evaluates one cell, chunk by chunk (see package cells).
func (w *worker) run(req ipc.Request) (ev ipc.Event) {
	ev = ipc.Event{Kind: "done", ID: req.ID}
	w.running = req.ID
	// A replay is the quiet requests a fresh child gets first; it ends at
	// the first cell the user runs.
	switch {
	case !req.Quiet:
		w.replay = nil
	case w.replay == nil:
		w.replay = cells.NewReplay()
	}
	chunks := w.read.Split(req.Code)
	for n, c := range chunks {
		last := n == len(chunks)-1
		outs := -1 // the trailing call's results, where it is one
		if c.Decl {
			// Importing twice is an error to yaegi; in a notebook it is
			// what rerunning the first cell does.
			c.Src = w.imports.DropRepeats(c.Src)
			if strings.TrimSpace(c.Src) == "" {
				continue
			}
			c = cells.RangeInts(cells.FixSwitches(c), w.isInt)
		} else {
			if w.replay != nil {
				// No file written, no process started a second time.
				var left bool
				c, left = w.replay.Filter(c, w.imports.Names, w.funcs)
				ev.LeftOut = ev.LeftOut || left
			}
			c = cells.Wrap(cells.RangeInts(cells.FixSwitches(c), w.isInt))
			if last && c.Expr && !req.Quiet {
				if outs = w.numOut(c.CallFun); outs > 1 {
					c = cells.AllResults(c, resultsName+".All")
				}
			}
		}
		v, err := w.evalChunk(c)
		if err != nil {
			if n > 0 {
				var ran []string
				for _, done := range chunks[:n] {
					ran = append(ran, strings.TrimSpace(done.Src))
				}
				ev.Partial = strings.Join(ran, "\n")
			}
			ev.Error = describe(err, c)
			if h := w.importHint(req.Code); h != "" {
				ev.Error.Value += "\n" + h
				ev.Error.Traceback = append(ev.Error.Traceback, h)
			}
			break
		}
		if c.Decl {
			w.imports.Note(c.Src)
			w.rebind(c)
		}
		switch {
		case !last || !c.Expr || req.Quiet || outs == 0:
			// Nothing to show (a call with no results: yaegi hands back a
			// meaningless value).
		case strings.TrimSpace(c.Src) == "nil":
			ev.Result = text("<nil>") // yaegi hands back a stale value for a bare nil
		case outs > 1:
			ev.Result = text(formatAll(v))
		default:
			if b, err := bundleOf(v); err != nil {
				ev.Error = &ipc.Error{Name: "DisplayError", Value: err.Error(), Traceback: []string{err.Error()}}
			} else {
				ev.Result = b
			}
		}
	}
	if ev.Error == nil && len(req.UserExpressions) > 0 {
		ev.UserExpressions = w.userExpressions(req.UserExpressions)
	}
	ev.Exports, ev.Types = w.globals()
	return ev
}

// eval runs one chunk; a panic that escapes yaegi (in a preloaded package
// called from the cell) becomes an error, not a dead child.
func (w *worker) eval(src string) (v reflect.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = interp.Panic{Value: r, Stack: debug.Stack()}
		}
	}()
	return w.interp.Eval(src)
}

// rebind evaluates again the earlier functions that call a function the
// chunk declared again, so that they call the new one (cells.Funcs). One
// that no longer compiles keeps the old one, and the cell's stderr says so.
func (w *worker) rebind(c cells.Chunk) {
	for _, d := range w.funcs.Redeclare(c) {
		if _, err := w.eval(d.Src); err != nil {
			// The error's positions are in the old declaration, not this cell.
			msg := positionRE.ReplaceAllString(err.Error(), "")
			fmt.Fprintf(w.stderr, "note: %s (from an earlier cell) still calls the old definition: with the new one it does not compile: %s\n", d.Name, msg)
		}
	}
}

var positionRE = regexp.MustCompile(`(?:_\.go:)?\d+:\d+: `)

// isInt reports whether name is a variable of the session holding an
// integer (for cells.RangeInts). Evaluating a name has no effect.
func (w *worker) isInt(name string) bool {
	v, err := w.eval(name)
	if err != nil || !v.IsValid() {
		return false
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}

// numOut is the number of results of name (f, pkg.F, x.M) when it is a
// function, else -1. Evaluating the name has no effect of its own.
func (w *worker) numOut(name string) int {
	if name == "" {
		return -1
	}
	v, err := w.eval(name)
	if err != nil || !v.IsValid() {
		return -1
	}
	if v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Func {
		return -1
	}
	return v.Type().NumOut()
}

// formatAll shows a call's several results (a []any) on one line, as
// fmt.Println would, each formatted as a single result is.
func formatAll(v reflect.Value) string {
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Slice {
		return format(v)
	}
	parts := make([]string, v.Len())
	for i := range parts {
		e := v.Index(i)
		for e.Kind() == reflect.Interface && !e.IsNil() {
			e = e.Elem()
		}
		switch {
		case e.Kind() == reflect.Interface: // a nil interface: a nil error, mostly
			parts[i] = "<nil>"
		case e.Type().Implements(reflect.TypeFor[error]()) && !(e.Kind() == reflect.Pointer && e.IsNil()):
			parts[i] = e.Interface().(error).Error()
		default:
			parts[i] = format(e)
		}
	}
	return strings.Join(parts, " ")
}

func (w *worker) userExpressions(exprs map[string]string) map[string]any {
	out := map[string]any{}
	for name, src := range exprs {
		v, err := w.eval(src)
		if err != nil {
			out[name] = map[string]any{"status": "error", "ename": "EvalError", "evalue": err.Error(), "traceback": []string{err.Error()}}
			continue
		}
		b, err := bundleOf(v)
		if err != nil || b == nil {
			b = &ipc.Bundle{Data: map[string]any{"text/plain": ""}, Metadata: map[string]any{}}
		}
		out[name] = map[string]any{"status": "ok", "data": b.Data, "metadata": b.Metadata}
	}
	return out
}

func (w *worker) globals() (names []string, types map[string]string) {
	// yaegi's Globals can index past its frame after some declarations; a
	// missing completion list is better than a dead session.
	defer func() {
		if recover() != nil {
			names, types = nil, nil
		}
	}()
	g := w.interp.Globals()
	names = make([]string, 0, len(g))
	types = map[string]string{}
	for n, v := range g {
		names = append(names, n)
		if v.IsValid() {
			t := v.Type()
			if v.Kind() == reflect.Interface && !v.IsNil() {
				t = v.Elem().Type()
			}
			types[n] = t.String()
		}
	}
	sort.Strings(names)
	return names, types
}

// bundleOf turns a trailing expression's value into a mime bundle: plots and
// images as PNG, display.Data as given, anything else as text.
func bundleOf(v reflect.Value) (*ipc.Bundle, error) {
	if !v.IsValid() {
		return nil, nil
	}
	for v.Kind() == reflect.Interface && !v.IsNil() {
		v = v.Elem()
	}
	if !v.CanInterface() {
		return text(fmt.Sprint(v)), nil
	}
	var d display.Data
	switch x := v.Interface().(type) {
	case *plot.Plot:
		pd, err := display.PlotData(x)
		if err != nil {
			return nil, err
		}
		d = pd
	case display.Data:
		d = x
	case display.Drawer:
		// Multi-panel figures (plots.Grid) get a wider canvas.
		dd, err := display.DrawerData(x, 10*vg.Inch, 4.5*vg.Inch)
		if err != nil {
			return nil, err
		}
		d = dd
	case image.Image:
		b, err := display.EncodePNG(x)
		if err != nil {
			return nil, err
		}
		d = display.MakeData3(display.MIMEPNG, "<image>", b)
	case error:
		return text(x.Error()), nil
	default:
		return text(format(v)), nil
	}
	m, err := display.Encode(d)
	if err != nil {
		return nil, err
	}
	return &ipc.Bundle{Data: m.Data, Metadata: m.Metadata}, nil
}

func text(s string) *ipc.Bundle {
	return &ipc.Bundle{Data: map[string]any{"text/plain": s}, Metadata: map[string]any{}}
}

// format prints a value the way a REPL user expects: %v, but functions and
// nil pointers by type, since their addresses mean nothing.
func format(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Func:
		return v.Type().String()
	case reflect.Pointer:
		if v.IsNil() {
			return "<nil>"
		}
		if v.Elem().Kind() == reflect.Struct {
			return fmt.Sprintf("&%+v", v.Elem().Interface())
		}
	case reflect.Struct:
		// Field names: a learner reading cfg wants LR:0.01, not 0.01.
		return fmt.Sprintf("%+v", v.Interface())
	}
	return fmt.Sprintf("%v", v.Interface())
}

// describe turns an evaluation error into the error reply: compile errors
// with positions in the cell's own lines, panics with their value.
func describe(err error, c cells.Chunk) *ipc.Error {
	var p interp.Panic
	if errors.As(err, &p) {
		val := cells.GoWording(fmt.Sprint(p.Value))
		tb := append([]string{"panic: " + val}, frames(takePanicLines())...)
		return &ipc.Error{Name: "panic", Value: val, Traceback: tb}
	}
	takePanicLines() // a panic while compiling logs nothing we show
	msg := cells.GoWording(cells.FixPositions(err.Error(), c))
	return &ipc.Error{Name: "CompileError", Value: msg, Traceback: strings.Split(msg, "\n")}
}

// panicFilter passes the cell's stderr through, except yaegi's own
// "1:28: panic: main(...)" lines, which it keeps to put into the error
// reply with positions fixed.
type panicFilter struct {
	w  io.Writer
	mu sync.Mutex
}

var (
	panicLineRE = regexp.MustCompile(`^(?:_\.go:)?\d+:\d+: panic: .*\n?$`)
	lastPanicMu sync.Mutex
	lastPanic   []string
)

func (f *panicFilter) Write(p []byte) (int, error) {
	if panicLineRE.Match(p) {
		lastPanicMu.Lock()
		lastPanic = append(lastPanic, strings.TrimSpace(string(p)))
		lastPanicMu.Unlock()
		return len(p), nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.w.Write(p)
}

// takePanicLines returns the lines yaegi logged for the latest panic,
// innermost frame first, and forgets them.
func takePanicLines() []string {
	lastPanicMu.Lock()
	defer lastPanicMu.Unlock()
	l := lastPanic
	lastPanic = nil
	return l
}
