package checker

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"testing/fstest"
	"time"

	"github.com/traefik/yaegi/interp"

	"github.com/adagradlab/adagradlab/checker/allow"
	"github.com/adagradlab/adagradlab/checker/questions"
	"github.com/adagradlab/adagradlab/checker/result"
	"github.com/adagradlab/adagradlab/pkg/cells"
)

// job is what the parent sends a worker on its standard input.
type job struct {
	File      string   `json:"file"`
	Source    string   `json:"source,omitempty"` // a .go file in package answers
	Cells     []string `json:"cells,omitempty"`  // or notebook cells, run in order
	Questions []string `json:"questions"`
	Seed      uint64   `json:"seed"`
	TimeoutMS int64    `json:"timeout_ms"`
	Limits    Limits   `json:"limits"`
	// Prepared is the answer-independent part of the tests (Q5's training
	// run up to the plateau), computed once by the parent.
	Prepared *questions.Prepared `json:"prepared,omitempty"`
}

// event is one line the worker writes on the results pipe.
type event struct {
	Ev     string           `json:"ev"` // "loaded", "start", "result", "fatal", "done"
	Q      string           `json:"q,omitempty"`
	Result *result.Question `json:"result,omitempty"`
	Status result.Status    `json:"status,omitempty"` // fatal: for every question not yet graded
	Msg    string           `json:"msg,omitempty"`
}

// WorkerMain is the hidden worker subcommand: it reads a job from stdin,
// limits its own process, interprets the learner's code and writes its
// verdicts on results, a pipe the learner's code cannot reach (the
// interpreter has no os, syscall or unsafe, so no way to name a file
// descriptor). It returns the process's exit status.
func WorkerMain(stdin io.Reader, results *os.File) int {
	w := &worker{out: bufio.NewWriter(results)}
	var j job
	if err := json.NewDecoder(io.LimitReader(stdin, maxJobBytes)).Decode(&j); err != nil {
		w.emit(event{Ev: "fatal", Status: result.Error, Msg: "worker: bad job: " + err.Error()})
		w.flush()
		return 2
	}
	if err := applyLimits(j.Limits); err != nil {
		w.emit(event{Ev: "fatal", Status: result.Crashed, Msg: "worker: cannot set limits: " + err.Error()})
		w.flush()
		return 2
	}
	runtime.GOMAXPROCS(1)
	debug.SetMaxStack(j.Limits.StackMB << 20)
	debug.SetMemoryLimit(int64(j.Limits.MemoryMB) << 20 * 3 / 4)
	w.run(&j)
	w.flush()
	return 0
}

const maxJobBytes = 64 << 20

type worker struct {
	mu      sync.Mutex
	out     *bufio.Writer
	current string // the question being graded, "" while loading
	exiting bool
}

func (w *worker) emit(e event) {
	b, _ := json.Marshal(e)
	w.out.Write(append(b, '\n'))
}

func (w *worker) flush() { w.out.Flush() }

// send writes one event now, under the lock.
func (w *worker) send(e event) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.exiting {
		return
	}
	w.emit(e)
	w.flush()
}

// stop writes e, if any, and ends the process: learner code may still be
// running (an endless loop, a runaway goroutine), and the interpreter is no
// longer safe to use. The parent starts a new worker for what is left.
func (w *worker) stop(e *event) {
	w.mu.Lock()
	if !w.exiting {
		w.exiting = true
		if e != nil {
			w.emit(*e)
		}
		w.flush()
	}
	os.Exit(0) // the lock is never released: nothing else gets written
}

// stopCurrent ends the worker with a verdict for the question being graded,
// or for all of them while the code is still loading.
func (w *worker) stopCurrent(status result.Status, msg string) {
	w.mu.Lock()
	q := w.current
	w.mu.Unlock()
	if q == "" {
		w.stop(&event{Ev: "fatal", Status: status, Msg: msg + " while loading the code"})
	}
	w.stop(&event{Ev: "result", Q: q, Result: &result.Question{ID: q, Max: questions.ByID(q).Max, Status: status, Feedback: []string{msg}}})
}

func (w *worker) run(j *job) {
	timeout := time.Duration(j.TimeoutMS) * time.Millisecond
	outCap := &capWriter{left: j.Limits.OutputKB << 10, over: func() {
		w.stopCurrent(result.Crashed, fmt.Sprintf("output limit hit: printed more than %d KiB", j.Limits.OutputKB))
	}}
	it := interp.New(interp.Options{
		Stdin:                strings.NewReader(""),
		Stdout:               outCap,
		Stderr:               outCap,
		GoPath:               "/nonexistent",
		SourcecodeFilesystem: fstest.MapFS{},
	})
	if err := it.Use(allow.Symbols(outCap, allow.NeedsGeneric(jobImports(j)))); err != nil {
		w.send(event{Ev: "fatal", Status: result.Crashed, Msg: "worker: interpreter set-up failed: " + err.Error()})
		return
	}

	// Load: interpret the file or the cells, under the same time limit as a
	// question (package-level code and init functions run here).
	prefix := ""
	loadErr := w.guard(timeout, func() error {
		if j.Cells == nil {
			if _, _, err := allow.File(j.File, j.Source); err != nil {
				return err
			}
			prefix = "answers."
			_, err := it.Eval(j.Source)
			return err
		}
		var errs []string
		imports := cells.NewImports(nil) // a cell may import again what an earlier one did
		for i, c := range j.Cells {
			if err := allow.Cell(c); err != nil {
				return fmt.Errorf("cell %d: %v", i+1, err)
			}
			for _, chunk := range cellChunks(c) {
				src := chunk.Src
				if chunk.Decl {
					src = imports.DropRepeats(src)
				}
				if _, err := it.Eval(src); err != nil {
					errs = append(errs, questions.Clip(fmt.Sprintf("cell %d: %v", i+1, err)))
					break // what follows in the cell may need what failed
				}
				if chunk.Decl {
					imports.Note(src)
				}
			}
		}
		if len(errs) > 0 {
			return &cellErrors{errs}
		}
		return nil
	})
	var notes []string
	var ce *cellErrors
	switch {
	case errors.As(loadErr, &ce):
		// A notebook keeps going past a failing cell; so does grading. The
		// errors go into every question's feedback.
		notes = ce.list
	case loadErr != nil:
		w.send(event{Ev: "fatal", Status: loadStatus(loadErr), Msg: questions.Clip(loadMessage(loadErr))})
		return
	}
	w.send(event{Ev: "loaded"})

	lookup := func(name string) (reflect.Value, error) {
		v, err := it.Eval(prefix + name)
		if err != nil && prefix == "" {
			// A notebook cell may hold a whole file, package clause and all.
			if v2, err2 := it.Eval("answers." + name); err2 == nil {
				return v2, nil
			}
		}
		return v, err
	}
	for _, id := range j.Questions {
		q := questions.ByID(id)
		if q == nil {
			continue
		}
		w.mu.Lock()
		w.current = id
		w.mu.Unlock()
		w.send(event{Ev: "start", Q: id})
		deadline := time.Now().Add(timeout)
		done := make(chan struct{})
		var res result.Question
		var abandon bool
		go func() {
			defer close(done)
			res, abandon = questions.Run(q, j.Seed, j.Prepared, lookup, deadline)
		}()
		select {
		case <-done:
		case <-time.After(time.Until(deadline)):
			w.stopCurrent(result.Timeout, fmt.Sprintf("time limit hit: %s ran longer than %v (an endless loop?)", id, timeout))
		}
		if len(notes) > 0 && res.Status != result.Passed {
			res.Feedback = append(res.Feedback, notes...)
		}
		if abandon {
			w.stop(&event{Ev: "result", Q: id, Result: &res})
		}
		w.send(event{Ev: "result", Q: id, Result: &res})
	}
	w.send(event{Ev: "done"})
}

type cellErrors struct{ list []string }

func (c *cellErrors) Error() string { return strings.Join(c.list, "; ") }

type panicError struct{ v any }

func (p panicError) Error() string { return fmt.Sprint(p.v) }

type timeoutError struct{ d time.Duration }

func (t timeoutError) Error() string { return fmt.Sprintf("time limit hit: ran longer than %v", t.d) }

// guard runs f with a time limit; a panic becomes an error.
func (w *worker) guard(d time.Duration, f func() error) error {
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- panicError{r}
			}
		}()
		done <- f()
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		w.stop(&event{Ev: "fatal", Status: result.Timeout, Msg: fmt.Sprintf("time limit hit: loading the code (package-level variables, init functions, notebook cells) ran longer than %v", d)})
		return nil
	}
}

func loadStatus(err error) result.Status {
	var p panicError
	if errors.As(err, &p) || strings.Contains(err.Error(), "panic") {
		return result.Crashed
	}
	return result.Error
}

func loadMessage(err error) string {
	var ie *allow.ImportError
	var p panicError
	switch {
	case errors.As(err, &ie):
		return err.Error()
	case errors.As(err, &p):
		return "panicked while loading the code: " + p.Error()
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "does not compile") || strings.Contains(msg, "package answers") {
		return msg
	}
	return "does not compile: " + msg
}

// capWriter passes nothing on: it counts what the learner's code prints and
// calls over once when the limit is passed.
type capWriter struct {
	mu   sync.Mutex
	left int
	over func()
}

func (c *capWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.left -= len(p)
	hit := c.left < 0
	c.mu.Unlock()
	if hit {
		c.over()
	}
	return len(p), nil
}

// jobImports lists what the job's code imports, as far as it can be read;
// code that does not parse is refused later anyway.
func jobImports(j *job) []string {
	var out []string
	srcs := j.Cells
	if j.Cells == nil {
		srcs = []string{j.Source}
	}
	for _, src := range srcs {
		imps, _ := allow.CellImports(src)
		for _, imp := range imps {
			out = append(out, imp.Path)
		}
	}
	return out
}
