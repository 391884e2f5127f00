// Package worker is the jailed half of the checker: a process that jails
// itself (checker/jail) before it reads a line of the learner's code, then
// interprets that code with yaegi and answers the judge's calls
// (checker/protocol) until its input ends.
//
// It holds no test, no reference solution and no verdict: it is assumed to
// be taken over by the code it runs, so it is only ever asked for values,
// which the judge checks in a process of its own.
package worker

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/adagradlab/adagradlab/checker/jail"
	"github.com/adagradlab/adagradlab/checker/protocol"
)

// Env is the environment variable that carries a worker's limits (JSON); a
// worker refuses to run without it (nobody should start one by hand).
const Env = "ADAGRADLAB_CHECK_WORKER"

// gcPercent is the worker's GOGC: a worker lives for one submission and its
// heap is small, so collecting a quarter as often costs nothing that
// matters; its memory limit still makes the runtime collect before the heap
// reaches it.
const gcPercent = 400

// Exit codes a worker ends with on its own. They only choose the words of
// a crashed verdict: the judge never trusts them for more.
const (
	ExitBadStart = 2 // no limits, a bad request, or the jail could not be applied
	ExitOutput   = 3 // the learner's code printed more than its limit
)

// Main runs a worker: limits come from the environment, requests on in,
// replies go to out (file descriptor 3). It returns the exit status.
func Main(in io.Reader, out *os.File) int {
	var l jail.Limits
	if err := json.Unmarshal([]byte(os.Getenv(Env)), &l); err != nil {
		fmt.Fprintln(os.Stderr, "worker: no limits in $"+Env)
		return ExitBadStart
	}
	w := &worker{out: bufio.NewWriterSize(out, 64<<10), limits: l}
	rep, err := jail.Confine(l, 0, 1, 2, int(out.Fd()))
	hello := &protocol.Hello{Protocol: protocol.Version, Layers: rep.Layers, Missing: rep.Missing}
	if err != nil {
		hello.Error = err.Error()
		w.reply(&protocol.Reply{Hello: hello})
		return ExitBadStart
	}
	runtime.GOMAXPROCS(1)
	debug.SetMaxStack(max(l.StackMB, 1) << 20)
	debug.SetMemoryLimit(int64(l.MemoryMB) << 20 * 3 / 4)
	debug.SetGCPercent(gcPercent)
	w.reply(&protocol.Reply{Hello: hello})
	// A learner's code that blocks every goroutine (select {}) must end as
	// a timeout, whatever the build: without cgo the runtime would call it
	// a deadlock and crash at once, with cgo it waits. A sleeping goroutine
	// keeps the runtime from calling it either.
	go func() {
		for {
			time.Sleep(time.Hour)
		}
	}()

	rd := bufio.NewReaderSize(in, 64<<10)
	for {
		req, err := protocol.ReadRequest(rd)
		if err != nil {
			if err == io.EOF {
				return 0
			}
			w.reply(&protocol.Reply{Error: "bad request: " + err.Error()})
			return ExitBadStart
		}
		w.reply(w.serve(req))
	}
}

type worker struct {
	out    *bufio.Writer
	limits jail.Limits
	code   *code // nil until loaded
	tables map[int]*table
}

func (w *worker) reply(r *protocol.Reply) {
	if err := protocol.WriteLine(w.out, r); err != nil {
		// Only a value that cannot be encoded: say so instead.
		protocol.WriteLine(w.out, &protocol.Reply{Error: err.Error()})
	}
	w.out.Flush()
}

func (w *worker) serve(req *protocol.Request) *protocol.Reply {
	if req.Op == "load" {
		if w.code != nil || req.Load == nil {
			return &protocol.Reply{Error: "load: sent twice or empty"}
		}
		c, rep := load(req.Load, w.limits)
		w.code = c
		return rep
	}
	if w.code == nil {
		return &protocol.Reply{Error: req.Op + " before load"}
	}
	var rep *protocol.Reply
	var err error
	switch req.Op {
	case "call":
		rep, err = w.code.call(req)
	case "fold":
		rep, err = w.code.fold(req)
	case "table":
		err = w.newTable(req.Table)
		rep = &protocol.Reply{OK: true}
	case "update":
		rep, err = w.update(req)
	case "drop":
		w.dropTables()
		rep = &protocol.Reply{OK: true}
	default:
		err = fmt.Errorf("unknown op %q", req.Op)
	}
	if err != nil {
		return &protocol.Reply{Error: req.Op + ": " + err.Error()}
	}
	return rep
}

// fn is a learner's function found at load.
type fn struct {
	v reflect.Value
	t reflect.Type
}
