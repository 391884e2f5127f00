// Package session is the kernel's side of cell execution: it owns the child
// process (package worker), feeds it cells, streams what it prints, and
// brings the session back when the child has to go.
//
// A child goes when the user interrupts a cell (yaegi cannot stop an Eval
// and stay usable, so the child is killed), or when it dies (a stack
// overflow or out-of-memory is fatal in Go). Either way a new child is
// started and the cells that ran without error are replayed quietly, so the
// user's definitions come back; the error reply says what happened.
package session

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"go/scanner"
	"go/token"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/adagradlab/adagradlab/pkg/kernel/internal/ipc"
)

// Sink receives what a running cell produces. Calls come from several
// goroutines but never concurrently for one Sink.
type Sink interface {
	Stream(name, text string)
	Display(b *ipc.Bundle)
}

// InputSink is a Sink that can also ask the user for a line of input when
// the cell reads stdin (fmt.Scan, os.Stdin). Input returns io.EOF when
// there is none to be had, and must give up when stop is closed (the cell
// was stopped meanwhile). A Sink without it gives the cell EOF.
type InputSink interface {
	Sink
	Input(prompt string, password bool, stop <-chan struct{}) (string, error)
}

// Result is the outcome of one cell.
type Result struct {
	Result          *ipc.Bundle
	Error           *ipc.Error
	UserExpressions map[string]any
	Restarted       bool // the child was replaced while running this cell
}

// Options configure a Session.
type Options struct {
	// Command returns the command that starts a child (`adagradlab kernel-exec`).
	Command func() *exec.Cmd
	// Log receives diagnostics for the kernel's log (never the notebook).
	Log func(format string, args ...any)
	// MaxStackMB and MemoryMB are quoted in crash messages.
	MaxStackMB, MemoryMB int
}

// Session runs cells in a child process, one at a time.
type Session struct {
	opt Options

	mu      sync.Mutex // held while a cell runs or the child is replaced
	child   *child
	history []string // cells that ran without error, in order, for replay
	nextID  int64

	cmu         sync.Mutex // guards running and interrupted
	running     *child     // the child with a cell in flight, for Interrupt
	interrupted bool

	exports []string
	types   map[string]string
}

// New returns a session; the first child starts in the background at once,
// so that it is ready by the time the first cell arrives.
func New(opt Options) *Session {
	if opt.Log == nil {
		opt.Log = func(string, ...any) {}
	}
	s := &Session{opt: opt}
	go func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.child == nil {
			if c, err := s.start(); err != nil {
				s.opt.Log("starting the cell runner: %v", err)
			} else {
				s.child = c
			}
		}
	}()
	return s
}

// child is one running worker process and its pipes.
type child struct {
	cmd    *exec.Cmd
	req    io.WriteCloser
	events io.Reader
	nonce  string

	sinkMu sync.Mutex
	sink   Sink // nil while replaying: output is dropped

	markMu   sync.Mutex
	markCond *sync.Cond
	marks    [2]int64 // highest sync mark seen on stdout and stderr
	handled  int64    // highest event acted on; streams wait for it at marks

	crashMu sync.Mutex
	crash   bytes.Buffer // runtime's fd 2, bounded

	exited chan struct{} // closed when the process has exited and pipes drained
	state  *os.ProcessState
}

const crashLogMax = 64 << 10

func (s *Session) start() (*child, error) {
	cmd := s.opt.Command()
	nb := make([]byte, 12)
	_, _ = rand.Read(nb)
	c := &child{cmd: cmd, nonce: hex.EncodeToString(nb), exited: make(chan struct{})}
	c.markCond = sync.NewCond(&c.markMu)

	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("creating pipes: %w", err)
	}
	evR, evW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("creating pipes: %w", err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("creating pipes: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("creating pipes: %w", err)
	}
	crR, crW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("creating pipes: %w", err)
	}
	cmd.Stdin = nil
	cmd.Stdout = outW
	cmd.Stderr = crW
	cmd.ExtraFiles = []*os.File{reqR, evW, errW}
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	cmd.Env = append(env, ipc.EnvNonce+"="+c.nonce)
	// Its own process group, so that a terminal's Ctrl-C reaches the kernel,
	// not the child, and killing the child never touches the kernel.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	dieWithParent(cmd.SysProcAttr)
	if err := cmd.Start(); err != nil {
		for _, f := range []*os.File{reqR, reqW, evR, evW, outR, outW, errR, errW, crR, crW} {
			f.Close()
		}
		return nil, fmt.Errorf("starting %s: %w", cmd.Path, err)
	}
	for _, f := range []*os.File{reqR, evW, outW, errW, crW} {
		f.Close()
	}
	c.req, c.events = reqW, evR

	var wg sync.WaitGroup
	wg.Add(3)
	for i, r := range []*os.File{outR, errR} {
		name := [2]string{"stdout", "stderr"}[i]
		q := &coalescer{out: func(b []byte) { c.emit(name, b) }}
		sc := ipc.NewMarkScanner(c.nonce,
			q.write,
			func(seq int64) {
				q.flush()
				// Hold this stream at the mark until its event is handled,
				// so that output printed after a display stays after it.
				c.markMu.Lock()
				c.marks[i] = seq
				c.markCond.Broadcast()
				for c.handled < seq {
					c.markCond.Wait()
				}
				c.markMu.Unlock()
			})
		go func(r *os.File) {
			defer wg.Done()
			ipc.Pump(r, sc)
			q.flush()
			if len(q.buf) > 0 { // a rune cut off by the child's death
				c.emit(name, q.buf)
			}
			r.Close()
		}(r)
	}
	go func() {
		defer wg.Done()
		buf := make([]byte, 4096)
		for {
			n, err := crR.Read(buf)
			c.crashMu.Lock()
			if c.crash.Len() < crashLogMax {
				c.crash.Write(buf[:n])
			}
			c.crashMu.Unlock()
			if err != nil {
				crR.Close()
				return
			}
		}
	}()
	go func() {
		wg.Wait() // all pipes at EOF: the child and anything it started are gone
		_ = cmd.Wait()
		c.state = cmd.ProcessState
		evR.Close()
		c.markMu.Lock()
		c.marks = [2]int64{1 << 62, 1 << 62} // release anyone waiting for a mark
		c.handled = 1 << 62
		c.markCond.Broadcast()
		c.markMu.Unlock()
		close(c.exited)
	}()

	var ev ipc.Event
	if err := ipc.ReadFrame(c.events, &ev); err != nil || ev.Kind != "ready" {
		c.kill()
		<-c.exited
		return nil, fmt.Errorf("the cell runner did not start: %v %s", err, strings.TrimSpace(c.crashLog()))
	}
	c.waitMarks(ev.Seq)
	c.handledUpTo(ev.Seq)
	return c, nil
}

func (c *child) emit(name string, b []byte) {
	c.sinkMu.Lock()
	defer c.sinkMu.Unlock()
	if c.sink != nil && len(b) > 0 {
		c.sink.Stream(name, string(b))
	}
}

func (c *child) setSink(s Sink) {
	c.sinkMu.Lock()
	c.sink = s
	c.sinkMu.Unlock()
}

// handledUpTo lets the streams go on past mark seq.
func (c *child) handledUpTo(seq int64) {
	c.markMu.Lock()
	if seq > c.handled {
		c.handled = seq
	}
	c.markCond.Broadcast()
	c.markMu.Unlock()
}

// waitMarks blocks until both streams have reached mark seq.
func (c *child) waitMarks(seq int64) {
	c.markMu.Lock()
	for c.marks[0] < seq || c.marks[1] < seq {
		c.markCond.Wait()
	}
	c.markMu.Unlock()
}

func (c *child) kill() {
	if c.cmd.Process != nil {
		// The whole group: goroutines a cell left running die with it.
		_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
		_ = c.cmd.Process.Kill()
	}
}

func (c *child) gone() bool {
	select {
	case <-c.exited:
		return true
	default:
		return false
	}
}

func (c *child) crashLog() string {
	c.crashMu.Lock()
	defer c.crashMu.Unlock()
	return c.crash.String()
}

// errChildGone is returned by exec when the child died or was killed.
var errChildGone = errors.New("cell runner exited")

// exec sends one request and waits for its done event, passing displays
// and output to sink.
func (c *child) exec(req ipc.Request, sink Sink) (ipc.Event, error) {
	c.setSink(sink)
	defer c.setSink(nil)
	if err := ipc.WriteFrame(c.req, req); err != nil {
		return ipc.Event{}, errChildGone
	}
	for {
		var ev ipc.Event
		if err := ipc.ReadFrame(c.events, &ev); err != nil {
			return ipc.Event{}, errChildGone
		}
		c.waitMarks(ev.Seq)
		switch ev.Kind {
		case "display":
			if sink != nil && ev.Display != nil {
				sink.Display(ev.Display)
			}
		case "input":
			c.handledUpTo(ev.Seq) // the prompt printed before it is out
			in := c.input(sink)
			if err := ipc.WriteFrame(c.req, ipc.Request{Input: &in}); err != nil {
				return ipc.Event{}, errChildGone
			}
		case "done":
			if ev.ID == req.ID {
				// Output after done (a goroutine the cell left running)
				// goes to the next cell's sink, or nowhere.
				c.setSink(nil)
				c.handledUpTo(ev.Seq)
				return ev, nil
			}
		}
		c.handledUpTo(ev.Seq)
	}
}

// input asks sink for the line a cell waits for; EOF if it cannot say, or
// if the child goes meanwhile (an interrupt).
func (c *child) input(sink Sink) ipc.Input {
	is, ok := sink.(InputSink)
	if !ok {
		return ipc.Input{EOF: true}
	}
	line, err := is.Input("", false, c.exited)
	if err != nil {
		return ipc.Input{EOF: true}
	}
	return ipc.Input{Value: line}
}

// Execute runs a cell. store decides whether a successful cell joins the
// replay history (silent cells and magics do not).
func (s *Session) Execute(code string, userExprs map[string]string, store bool, sink Sink) Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.child != nil && s.child.gone() {
		// It died between cells: a goroutine's panic, or an interrupt that
		// came just as the last cell finished. Bring the definitions back
		// before running anything, and say so.
		why := s.explain(s.child, false)
		s.child = nil
		// A goroutine did it, so replaying the cells that start goroutines
		// would likely do it again.
		kept := s.history[:0]
		dropped := 0
		for _, h := range s.history {
			if startsGoroutine(h) {
				dropped++
			} else {
				kept = append(kept, h)
			}
		}
		s.history = kept
		note := s.restore()
		if dropped > 0 {
			note += fmt.Sprintf(" %d cell(s) that start goroutines were left out; run them again if you need them.", dropped)
		}
		if sink != nil {
			sink.Stream("stderr", why.text+" "+note+"\n")
		}
	}
	c, err := s.ensureChild()
	if err != nil {
		return Result{Error: runnerError(err)}
	}
	s.nextID++
	s.cmu.Lock()
	s.running, s.interrupted = c, false
	s.cmu.Unlock()
	ev, err := c.exec(ipc.Request{ID: s.nextID, Code: code, UserExpressions: userExprs}, sink)
	s.cmu.Lock()
	interrupted := s.interrupted
	s.running = nil
	s.cmu.Unlock()
	if err == nil {
		switch {
		case ev.Error == nil && store:
			s.history = append(s.history, code)
		case ev.Partial != "" && store:
			s.history = append(s.history, ev.Partial)
		}
		s.exports, s.types = ev.Exports, ev.Types
		if interrupted {
			// The interrupt came as the cell finished: its child is being
			// killed, so replace it now rather than surprise the next cell.
			<-c.exited
			s.child = nil
			if sink != nil {
				sink.Stream("stderr", "The interrupt arrived as the cell finished. "+s.restore()+"\n")
			}
		}
		return Result{Result: ev.Result, Error: ev.Error, UserExpressions: ev.UserExpressions}
	}
	// The child is gone: find out why, then bring the session back. Kill
	// its group too, in case a process the cell started holds a pipe open.
	c.kill()
	<-c.exited
	why := s.explain(c, interrupted)
	s.child = nil
	note := s.restore()
	return Result{Error: &ipc.Error{
		Name:      why.name,
		Value:     why.text + " " + note,
		Traceback: []string{why.text, note},
	}, Restarted: true}
}

type reason struct{ name, text string }

// explain reads the dead child's runtime log for the cause.
func (s *Session) explain(c *child, interrupted bool) reason {
	log := c.crashLog()
	s.opt.Log("cell runner exited (%v); runtime said: %.2000s", c.state, log)
	switch {
	case interrupted:
		return reason{"Interrupted", "Interrupted: the cell was stopped (what it had defined is not kept)."}
	case strings.Contains(log, "stack overflow") || strings.Contains(log, "stack exceeds"):
		return reason{"StackOverflow", fmt.Sprintf("stack overflow: the cell's recursion went deeper than the %d MB stack limit (is a base case missing?).", s.opt.MaxStackMB)}
	case strings.Contains(log, "out of memory") || strings.Contains(log, "cannot allocate"):
		return reason{"OutOfMemory", fmt.Sprintf("out of memory: the cell tried to use more than the %d MB memory limit.", s.opt.MemoryMB)}
	}
	first := ""
	for _, l := range strings.Split(log, "\n") {
		if strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "panic:") {
			first = l
			break
		}
	}
	if first == "" {
		first = fmt.Sprint(c.state)
	}
	return reason{"KernelDied", "The Go session died: " + first + "."}
}

// restore starts a new child and replays the history into it.
func (s *Session) restore() string {
	c, err := s.ensureChild()
	if err != nil {
		return "The session could not be restarted: " + err.Error()
	}
	if len(s.history) == 0 {
		return "A fresh Go session is ready."
	}
	start := time.Now()
	leftOut := 0
	for i, code := range s.history {
		s.nextID++
		ev, err := c.exec(ipc.Request{ID: s.nextID, Code: code, Quiet: true}, nil)
		if err != nil || ev.Error != nil {
			lost := len(s.history) - i
			s.history = s.history[:i]
			if err != nil {
				s.child = nil
			}
			return fmt.Sprintf("The session was restarted; replaying earlier cells stopped at cell %d of %d, so the definitions of the last %d are lost: run them again.", i+1, len(s.history)+lost, lost)
		}
		s.exports, s.types = ev.Exports, ev.Types
		if ev.LeftOut {
			leftOut++
		}
	}
	s.opt.Log("replayed %d cells in %v", len(s.history), time.Since(start))
	note := fmt.Sprintf("The session was restored: %d earlier cell(s) replayed quietly.", len(s.history))
	if leftOut > 0 {
		note += fmt.Sprintf(" In %d of them, what writes files or starts processes (and what it defined) was not run again.", leftOut)
	}
	return note
}

func (s *Session) ensureChild() (*child, error) {
	if s.child != nil {
		select {
		case <-s.child.exited:
			s.child = nil // died between cells (a goroutine's panic): start afresh
		default:
			return s.child, nil
		}
	}
	c, err := s.start()
	if err != nil {
		return nil, err
	}
	s.child = c
	return c, nil
}

func runnerError(err error) *ipc.Error {
	return &ipc.Error{Name: "KernelError", Value: err.Error(), Traceback: []string{err.Error()}}
}

// Interrupt stops the running cell, if any, by killing its child. Execute
// then restores the session and replies. It returns at once.
func (s *Session) Interrupt() bool {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	if s.running == nil {
		return false
	}
	s.interrupted = true
	s.running.kill()
	return true
}

// Reset forgets every definition: a fresh child, an empty history.
func (s *Session) Reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.child != nil {
		s.child.kill()
		<-s.child.exited
		s.child = nil
	}
	s.history = nil
	s.exports, s.types = nil, nil
	_, err := s.ensureChild()
	return err
}

// Close stops the child.
func (s *Session) Close() {
	s.cmu.Lock()
	if s.running != nil {
		s.running.kill()
	}
	s.cmu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.child != nil {
		s.child.req.Close() // EOF: the child exits on its own
		select {
		case <-s.child.exited:
		case <-time.After(time.Second):
			s.child.kill()
		}
		s.child = nil
	}
}

// History returns the cells that ran without error, for completion.
func (s *Session) History() []string {
	if !s.mu.TryLock() {
		return nil
	}
	defer s.mu.Unlock()
	return append([]string(nil), s.history...)
}

// Globals returns the variables and constants the session holds, with
// their types, as of the last finished cell.
func (s *Session) Globals() ([]string, map[string]string) {
	if !s.mu.TryLock() {
		return nil, nil
	}
	defer s.mu.Unlock()
	return s.exports, s.types
}

// startsGoroutine reports whether a cell has a go statement.
func startsGoroutine(code string) bool {
	var sc scanner.Scanner
	fset := token.NewFileSet()
	sc.Init(fset.AddFile("", -1, len(code)), []byte(code), func(token.Position, string) {}, 0)
	for {
		_, tok, _ := sc.Scan()
		switch tok {
		case token.EOF:
			return false
		case token.GO:
			return true
		}
	}
}
