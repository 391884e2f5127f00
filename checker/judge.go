package checker

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"sync"
	"time"

	"github.com/adagradlab/adagradlab/checker/jail"
	"github.com/adagradlab/adagradlab/checker/protocol"
	"github.com/adagradlab/adagradlab/checker/questions"
	"github.com/adagradlab/adagradlab/checker/worker"
)

// remote is one jailed worker process as the judge drives it: a
// questions.Code whose every call is one round trip on the worker's pipes,
// bounded in time (a deadline on every read and write) and in size
// (protocol.MaxReply). Anything out of order ends the worker, and why is
// kept for the verdict.
type remote struct {
	cmd    *exec.Cmd
	req    *os.File      // the worker's standard input, our end
	rep    *os.File      // its file descriptor 3, our end
	rd     *bufio.Reader // on rep
	stderr *tailBuffer
	jail   jail.Report
	exited chan struct{} // closed once the process is reaped

	lost   error // why the worker can no longer be used; nil while it can
	late   bool  // a deadline passed and the judge stopped it
	stop   func() bool
	loaded *protocol.Loaded
	fatal  *protocol.Fatal
}

// start starts a worker with the checker's jail and reads its hello. The
// error is the checker's own trouble (no worker binary, a jail that cannot
// be applied or is refused by RequireIsolation), which stops a batch; a
// submission can cause none of it, since none of its code has been sent.
func (c *Checker) start(ctx context.Context, l jail.Limits, cpu int) (*remote, error) {
	argv := c.workerCommand()
	r, err := c.startWith(ctx, argv, l, cpu)
	var old *staleWorker
	if errors.As(err, &old) && c.fallBack(argv, old.why) {
		return c.startWith(ctx, c.workerCommand(), l, cpu)
	}
	return r, err
}

// staleWorker is a worker that speaks another protocol version: a program
// from another build.
type staleWorker struct{ prog, why string }

func (e *staleWorker) Error() string {
	return fmt.Sprintf("the checker's worker %q is %s; rebuild it with this program (make build)", e.prog, e.why)
}

// startWith starts the worker argv on cpu (-1: any).
func (c *Checker) startWith(ctx context.Context, argv []string, l jail.Limits, cpu int) (*remote, error) {
	r := &remote{stderr: &tailBuffer{max: 4 << 10}, exited: make(chan struct{})}
	env, err := workerEnv(l)
	if err != nil {
		return nil, err
	}
	var pipes []*os.File // the child's ends, closed once it has them
	build := func() *exec.Cmd {
		for _, f := range append(pipes, r.req, r.rep) {
			if f != nil {
				f.Close()
			}
		}
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Env = env
		inR, inW, err1 := os.Pipe()
		outR, outW, err2 := os.Pipe()
		if err := errors.Join(err1, err2); err != nil {
			cmd.Err = err // makes Start fail with it
			return cmd
		}
		r.req, r.rep, pipes = inW, outR, []*os.File{inR, outW}
		cmd.Stdin = inR
		cmd.ExtraFiles = []*os.File{outW} // fd 3
		cmd.Stdout, cmd.Stderr = &tailBuffer{max: 1 << 10}, r.stderr
		// The runtime's last words are read through exec's copier; an orphan
		// holding the pipe must not keep Wait from returning.
		cmd.WaitDelay = 200 * time.Millisecond
		return cmd
	}
	undo := onCPU(cpu) // the worker inherits the pin of the thread that forks it
	cmd, ns, err := jail.Start(build)
	undo()
	for _, f := range pipes {
		f.Close()
	}
	if err != nil {
		r.closePipes()
		return nil, fmt.Errorf("starting the checker's worker %q: %w", argv[0], err)
	}
	r.cmd = cmd
	r.rd = bufio.NewReaderSize(r.rep, 64<<10)
	go func() {
		cmd.Wait()
		close(r.exited)
		// A process that is gone says nothing more, even if something it
		// left behind holds its pipe open: a read gives up shortly.
		r.rep.SetReadDeadline(time.Now().Add(exitGrace))
	}()
	r.stop = context.AfterFunc(ctx, r.kill) // a cancelled batch ends its workers at once

	rep, err := r.read(time.Now().Add(loadGrace))
	if err != nil || rep.Hello == nil {
		r.kill()
		<-r.exited
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		why := "it said nothing"
		if err != nil {
			why = err.Error()
		}
		if e := r.exitText(); e != "" {
			why += "; " + e
		}
		if l := lastLine(r.stderr.String()); l != "" {
			why += ": " + l
		}
		return nil, fmt.Errorf("the checker's worker %q did not start (%s); is it a program with the %s subcommand?", argv[0], why, WorkerCommand)
	}
	h := rep.Hello
	if h.Protocol != protocol.Version {
		r.kill()
		<-r.exited
		return nil, &staleWorker{prog: argv[0], why: fmt.Sprintf("from another build (protocol %q, this program's is %q)", clipText(h.Protocol, 40), protocol.Version)}
	}
	if h.Error != "" {
		r.kill()
		return nil, fmt.Errorf("the worker could not jail itself: %s", h.Error)
	}
	got, err := jail.Check(cmd, ns, jail.Report{Layers: h.Layers, Missing: h.Missing})
	if errors.Is(err, jail.ErrRestart) {
		r.kill()
		<-r.exited
		return c.startWith(ctx, argv, l, cpu)
	}
	if err != nil {
		r.kill()
		return nil, err
	}
	r.jail = got
	if err := c.noteIsolation(got); err != nil {
		r.kill()
		return nil, err
	}
	return r, nil
}

func workerEnv(l jail.Limits) ([]string, error) {
	b, err := json.Marshal(l)
	if err != nil {
		return nil, err
	}
	// Nothing of the parent's environment; one thread for the runtime.
	return []string{"GOMAXPROCS=1", "GOTRACEBACK=single", "TZ=UTC", worker.Env + "=" + string(b)}, nil
}

func (r *remote) closePipes() {
	for _, f := range []*os.File{r.req, r.rep} {
		if f != nil {
			f.Close()
		}
	}
}

// kill ends the worker and its process group now.
func (r *remote) kill() {
	if r.cmd != nil {
		jail.Kill(r.cmd)
	}
}

// close ends the worker whatever state it is in and reaps it. A worker in
// good order is first let end by itself at the end of its input (briefly):
// killed, the process that holds its namespaces (jail.Start) would die
// before reaping it, and its CPU time would be missing from the accounts.
func (r *remote) close() {
	if r.stop != nil {
		r.stop()
	}
	if r.lost == nil && r.cmd != nil {
		r.req.Close()
		select {
		case <-r.exited:
		case <-time.After(endGrace):
		}
	}
	r.kill()
	r.closePipes()
	if r.cmd != nil {
		<-r.exited
	}
}

// exitText says how a reaped worker ended.
func (r *remote) exitText() string {
	select {
	case <-r.exited:
	default:
		return ""
	}
	if s := jail.Signal(r.cmd); s != "" {
		return "killed by " + s
	}
	if st := r.cmd.ProcessState; st != nil {
		return fmt.Sprintf("exit status %d", st.ExitCode())
	}
	return ""
}

// read reads one reply, waiting until deadline at most, and no longer than
// exitGrace once the process has ended.
func (r *remote) read(deadline time.Time) (*protocol.Reply, error) {
	select {
	case <-r.exited:
		deadline = time.Now().Add(exitGrace)
	default:
	}
	r.rep.SetReadDeadline(deadline)
	rep, err := protocol.ReadReply(r.rd)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		select {
		case <-r.exited:
			return nil, errDied{errors.New("it ended without an answer")}
		default:
		}
		r.late = true
		r.kill()
		return nil, fmt.Errorf("%w (waited until the time limit)", questions.ErrLate)
	}
	return rep, err
}

// exitGrace is how long a reply may still come after the worker ended;
// endGrace, how long a worker in good order may take to end at the end of
// its input.
const (
	exitGrace = 100 * time.Millisecond
	endGrace  = 100 * time.Millisecond
)

// roundTrip sends req and reads its reply; any trouble ends the worker and
// is kept as the reason it is lost.
func (r *remote) roundTrip(req *protocol.Request, deadline time.Time) (*protocol.Reply, error) {
	if r.lost != nil {
		return nil, r.lost
	}
	rep, err := r.exchange(req, deadline)
	if err != nil {
		r.lose(err)
		return nil, r.lost
	}
	return rep, nil
}

func (r *remote) exchange(req *protocol.Request, deadline time.Time) (*protocol.Reply, error) {
	b, err := protocol.Marshal(req)
	if err != nil {
		return nil, err
	}
	r.req.SetWriteDeadline(deadline)
	if _, err := r.req.Write(append(b, '\n')); err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			r.late = true
			r.kill()
			return nil, fmt.Errorf("%w (it stopped reading)", questions.ErrLate)
		}
		return nil, r.died(err)
	}
	rep, err := r.read(deadline)
	if err != nil {
		var bad *protocol.BadReply
		var died errDied
		if errors.Is(err, questions.ErrLate) || errors.As(err, &bad) || errors.As(err, &died) {
			return nil, err
		}
		return nil, r.died(err)
	}
	if rep.Error != "" {
		return nil, &protocol.BadReply{Why: "word that it could not serve the call: " + clipText(rep.Error, 200)}
	}
	return rep, nil
}

// died is the error of a worker whose pipe closed: it waits (briefly) for
// the process to end, so that its end can be diagnosed.
func (r *remote) died(err error) error {
	select {
	case <-r.exited:
	case <-time.After(time.Second):
		r.kill()
		<-r.exited
	}
	return errDied{err}
}

type errDied struct{ err error }

func (e errDied) Error() string { return "the worker stopped: " + e.err.Error() }

func (r *remote) lose(err error) {
	if r.lost == nil {
		r.lost = err
	}
	r.kill()
}

// load sends the learner's code and reads what the worker found.
func (r *remote) load(l *protocol.Load, deadline time.Time) error {
	rep, err := r.roundTrip(&protocol.Request{Op: "load", Load: l}, deadline)
	if err != nil {
		return err
	}
	switch {
	case rep.Fatal != nil:
		f := *rep.Fatal
		if f.Status != "error" && f.Status != "crashed" {
			f.Status = "crashed"
		}
		f.Msg = clipText(f.Msg, 2000)
		r.fatal = &f
	case rep.Loaded != nil:
		ld := rep.Loaded
		// Bound what a worker could make the judge keep.
		if len(ld.Funcs) > len(l.Funcs) || len(ld.Texts) > 5 || len(ld.Notes) > 21 || len(ld.Starter) > len(l.Funcs) {
			err := &protocol.BadReply{Why: "a load reply larger than what was asked"}
			r.lose(err)
			return err
		}
		for k, v := range ld.Texts {
			ld.Texts[k] = clipText(v, maxTextBytes)
		}
		for i, n := range ld.Notes {
			ld.Notes[i] = clipText(n, 300)
		}
		r.loaded = ld
	default:
		err := &protocol.BadReply{Why: "a reply to load that is neither loaded nor fatal"}
		r.lose(err)
		return err
	}
	return nil
}

// maxTextBytes bounds one written answer in a report.
const maxTextBytes = 16 << 10

// Type implements questions.Code.
func (r *remote) Type(name string) string {
	if r.loaded == nil {
		return ""
	}
	return r.loaded.Funcs[name]
}

// Call implements questions.Code.
func (r *remote) Call(name string, typ reflect.Type, calls [][]reflect.Value, back bool, deadline time.Time) ([][]reflect.Value, error) {
	req := &protocol.Request{Op: "call", Func: name, Back: back, Calls: make([][]json.RawMessage, len(calls))}
	for i, args := range calls {
		enc, err := encodeAll(args)
		if err != nil {
			return nil, err
		}
		req.Calls[i] = enc
	}
	rep, err := r.roundTrip(req, deadline)
	if err != nil {
		return nil, err
	}
	n := len(calls)
	if rep.Panic != nil {
		n = rep.Panic.At
	}
	if n < 0 || n > len(calls) || len(rep.Outs) != n || (back && len(rep.Back) != n) {
		return nil, r.bad("a call reply with %d results for %d calls", len(rep.Outs), len(calls))
	}
	outs := make([][]reflect.Value, n)
	for k := range n {
		if outs[k], err = decodeAll(rep.Outs[k], typ, false); err != nil {
			return nil, r.bad("a result that does not fit %s: %v", typ, err)
		}
		if !back {
			continue
		}
		after, err := decodeAll(rep.Back[k], typ, true)
		if err != nil {
			return nil, r.bad("arguments back that do not fit %s: %v", typ, err)
		}
		fresh := map[[2]int]bool{}
		for _, f := range rep.Fresh {
			if f[0] == k {
				fresh[[2]int{f[1], f[2]}] = true
			}
		}
		for i, a := range after {
			if err := copyBack(calls[k][i], a, i, fresh); err != nil {
				return nil, r.bad("arguments back that do not fit: %v", err)
			}
		}
	}
	if rep.Panic != nil {
		return outs, &questions.Panic{At: n, Msg: clipText(rep.Panic.Msg, 500)}
	}
	return outs, nil
}

func (r *remote) bad(format string, args ...any) error {
	err := &protocol.BadReply{Why: fmt.Sprintf(format, args...)}
	r.lose(err)
	return err
}

func encodeAll(vs []reflect.Value) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, len(vs))
	for i, v := range vs {
		b, err := protocol.Encode(v)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// decodeAll decodes a function's results (or, with in, its arguments).
func decodeAll(raw []json.RawMessage, typ reflect.Type, in bool) ([]reflect.Value, error) {
	n := typ.NumOut()
	if in {
		n = typ.NumIn()
	}
	if len(raw) != n {
		return nil, fmt.Errorf("%d values, want %d", len(raw), n)
	}
	out := make([]reflect.Value, n)
	for i, b := range raw {
		var t reflect.Type
		if in {
			t = typ.In(i)
		} else {
			t = typ.Out(i)
		}
		v, err := protocol.Decode(b, t)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// copyBack writes what a call left in its argument into the judge's own
// argument, as if the call had run here: in place for slices, and a row
// the function replaced (fresh) replaced here too, so that the question
// sees the difference. Lengths are the caller's, as in Go.
func copyBack(dst, src reflect.Value, arg int, fresh map[[2]int]bool) error {
	if dst.Kind() != reflect.Slice {
		return nil
	}
	if dst.Len() != src.Len() {
		return fmt.Errorf("a slice of %d came back as %d", dst.Len(), src.Len())
	}
	if dst.Type().Elem().Kind() != reflect.Slice {
		reflect.Copy(dst, src)
		return nil
	}
	for i := range dst.Len() {
		if fresh[[2]int{arg, i}] {
			dst.Index(i).Set(src.Index(i))
			continue
		}
		if err := copyBack(dst.Index(i), src.Index(i), -1, nil); err != nil {
			return err
		}
	}
	return nil
}

// Fold implements questions.Code.
func (r *remote) Fold(name string, typ reflect.Type, init reflect.Value, ys []reflect.Value, deadline time.Time) ([]reflect.Value, error) {
	req := &protocol.Request{Op: "fold", Func: name}
	var err error
	if req.Init, err = protocol.Encode(init); err != nil {
		return nil, err
	}
	if req.Ys, err = encodeAll(ys); err != nil {
		return nil, err
	}
	rep, err := r.roundTrip(req, deadline)
	if err != nil {
		return nil, err
	}
	n := len(ys)
	if rep.Panic != nil {
		n = rep.Panic.At
	}
	if n < 0 || n > len(ys) || len(rep.Outs) != n {
		return nil, r.bad("a fold reply with %d values for %d steps", len(rep.Outs), len(ys))
	}
	out := make([]reflect.Value, n)
	for k, o := range rep.Outs {
		if len(o) != 1 {
			return nil, r.bad("a fold step with %d values", len(o))
		}
		if out[k], err = protocol.Decode(o[0], typ.Out(0)); err != nil {
			return nil, r.bad("a fold value that does not fit %s: %v", typ, err)
		}
	}
	if rep.Panic != nil {
		return out, &questions.Panic{At: n, Msg: clipText(rep.Panic.Msg, 500)}
	}
	return out, nil
}

// Table implements questions.Code.
func (r *remote) Table(id, rows, dim int, list []int, w, g []float64) error {
	rep, err := r.roundTrip(&protocol.Request{Op: "table", Table: &protocol.Table{ID: id, Rows: rows, Dim: dim, List: list, W: w, G: g}},
		time.Now().Add(questionGrace+time.Second))
	if err == nil && !rep.OK {
		err = r.bad("a table reply without ok")
	}
	return err
}

// Update implements questions.Code.
func (r *remote) Update(id int, name string, list []int, grads []float64, eta, eps float64, deadline time.Time) (w, g []float64, replaced []int, err error) {
	rep, err := r.roundTrip(&protocol.Request{Op: "update", Func: name, Table: &protocol.Table{ID: id, List: list, Grads: grads, Eta: eta, Eps: eps, Dim: len(grads) / max(len(list), 1)}}, deadline)
	if err != nil {
		return nil, nil, nil, err
	}
	if rep.Panic != nil {
		return nil, nil, nil, &questions.Panic{Msg: clipText(rep.Panic.Msg, 500)}
	}
	if len(rep.W) != len(grads) || len(rep.G) != len(grads) || len(rep.Replaced) > len(list) {
		return nil, nil, nil, r.bad("an update reply of the wrong size")
	}
	return rep.W, rep.G, rep.Replaced, nil
}

// Drop implements questions.Code.
func (r *remote) Drop() error {
	_, err := r.roundTrip(&protocol.Request{Op: "drop"}, time.Now().Add(questionGrace+time.Second))
	return err
}

// tailBuffer keeps the first and the last max bytes written to it: the
// runtime's fatal message ends what the worker writes.
type tailBuffer struct {
	mu         sync.Mutex
	max        int
	head, tail []byte
	dropped    int64
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := len(p)
	if len(t.head) < t.max {
		k := min(t.max-len(t.head), len(p))
		t.head = append(t.head, p[:k]...)
		p = p[k:]
	}
	if len(p) > 0 {
		t.tail = append(t.tail, p...)
		if over := len(t.tail) - t.max; over > 0 {
			t.dropped += int64(over)
			t.tail = append(t.tail[:0], t.tail[over:]...)
		}
	}
	return n, nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dropped > 0 {
		return string(t.head) + "\n…\n" + string(t.tail)
	}
	return string(t.head) + string(t.tail)
}
