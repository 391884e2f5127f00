package checker

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"github.com/adagradlab/adagradlab/checker/questions"
	"github.com/adagradlab/adagradlab/checker/result"
)

// grade runs j's questions in worker processes until every one has a
// verdict. A worker that dies or is stopped during a question takes only
// that question down: the questions after it go to a fresh worker.
func (c *Checker) grade(ctx context.Context, j job) ([]result.Question, error) {
	got := map[string]result.Question{}
	all := append([]string(nil), j.Questions...)
	pending := all
	for attempt := 0; len(pending) > 0; attempt++ {
		if attempt > len(all) {
			for _, id := range pending {
				got[id] = verdict(id, result.Crashed, "the worker stopped again and again without a verdict")
			}
			break
		}
		j.Questions = pending
		j.Limits.CPUSeconds = cpuSeconds(len(pending), time.Duration(j.TimeoutMS)*time.Millisecond)
		out, err := c.spawn(ctx, j)
		if err != nil {
			return nil, err
		}
		if !out.loaded && out.fatal == nil && strings.Contains(out.stderr, "unknown command") {
			return nil, fmt.Errorf("%q has no %s subcommand: %s", c.worker[0], WorkerCommand, lastLine(out.stderr))
		}
		for _, r := range out.results {
			got[r.ID] = r
		}
		switch {
		case out.fatal != nil:
			// The code did not load: every question left gets its verdict.
			for _, id := range pending {
				if _, ok := got[id]; !ok {
					got[id] = verdict(id, out.fatal.Status, out.fatal.Msg)
				}
			}
		case out.started != "":
			if _, ok := got[out.started]; !ok {
				st, msg := c.diagnose(out, j)
				got[out.started] = verdict(out.started, st, msg)
			}
		case !out.loaded && !out.done:
			// Died while loading, without a word.
			st, msg := c.diagnose(out, j)
			for _, id := range pending {
				got[id] = verdict(id, st, msg+" while loading the code")
			}
		}
		var next []string
		for _, id := range pending {
			if _, ok := got[id]; !ok {
				next = append(next, id)
			}
		}
		pending = next
	}
	res := make([]result.Question, 0, len(all))
	for _, q := range questions.All() {
		if r, ok := got[q.ID]; ok {
			res = append(res, r)
		}
	}
	return res, nil
}

func verdict(id string, st result.Status, msg string) result.Question {
	max := 0
	if q := questions.ByID(id); q != nil {
		max = q.Max
	}
	return result.Question{ID: id, Max: max, Status: st, Feedback: []string{msg}}
}

// outcome is what one worker process said and how it ended.
type outcome struct {
	results []result.Question
	loaded  bool
	done    bool
	started string // the question under way when the worker stopped talking
	fatal   *event
	killed  bool   // by the parent's wall-clock limit
	signal  string // the signal that ended it
	exit    string
	stderr  string // its last words (the runtime's, not the learner's)
}

// spawn starts one worker, feeds it j and reads its verdicts from the
// results pipe (never from its stdout or stderr).
func (c *Checker) spawn(ctx context.Context, j job) (*outcome, error) {
	in, err := json.Marshal(j)
	if err != nil {
		return nil, err
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer pr.Close()
	cmd := exec.Command(c.worker[0], c.worker[1:]...)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr tailBuffer
	stdout.max, stderr.max = 4<<10, 4<<10
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.ExtraFiles = []*os.File{pw} // fd 3 in the worker
	cmd.Env = workerEnv()
	ownGroup(cmd)
	c.sem <- struct{}{} // bounds live processes, whatever calls grade
	defer func() { <-c.sem }()
	if err := cmd.Start(); err != nil {
		pw.Close()
		return nil, fmt.Errorf("starting the checker's worker %q: %w", c.worker[0], err)
	}
	pw.Close()

	// The worker enforces each question's limit itself. This watchdog
	// catches a worker that cannot: its timer starved by a million
	// runnable goroutines, the runtime wedged. It allows the load a few
	// seconds for start-up and each question its limit plus half a second, from
	// the moment the worker said it started it.
	timeout := time.Duration(j.TimeoutMS) * time.Millisecond
	var mu sync.Mutex
	out := &outcome{}
	deadline := time.Now().Add(timeout + loadGrace)
	quit := make(chan struct{})
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case now := <-tick.C:
				mu.Lock()
				late := now.After(deadline)
				if late {
					out.killed = true
				}
				mu.Unlock()
				if late {
					killGroup(cmd)
					return
				}
			}
		}
	}()
	stop := context.AfterFunc(ctx, func() { killGroup(cmd) })

	sc := bufio.NewScanner(io.LimitReader(pr, maxJobBytes))
	sc.Buffer(make([]byte, 64<<10), 8<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			continue
		}
		mu.Lock()
		switch e.Ev {
		case "loaded":
			out.loaded = true
			deadline = time.Now().Add(timeout + questionGrace)
		case "start":
			out.started = e.Q
			deadline = time.Now().Add(timeout + questionGrace)
		case "result":
			if e.Result != nil && e.Result.ID == e.Q && questions.ByID(e.Q) != nil {
				out.results = append(out.results, *e.Result)
			}
			out.started = ""
			deadline = time.Now().Add(timeout + questionGrace)
		case "fatal":
			ev := e
			out.fatal = &ev
		case "done":
			out.done = true
		}
		mu.Unlock()
	}
	waitErr := cmd.Wait()
	close(quit)
	stop()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	mu.Lock()
	defer mu.Unlock()
	out.signal = signalName(cmd)
	if waitErr != nil {
		out.exit = waitErr.Error()
	}
	out.stderr = stderr.String()
	return out, nil
}

// The watchdog's allowances beyond the time limit: start-up (exec, the
// runtime, the interpreter's set-up) on a loaded machine, and a question's
// hand-over.
const (
	loadGrace     = 3 * time.Second
	questionGrace = 500 * time.Millisecond
)

// diagnose names the limit a worker that died without a verdict hit.
func (c *Checker) diagnose(o *outcome, j job) (result.Status, string) {
	timeout := time.Duration(j.TimeoutMS) * time.Millisecond
	e := o.stderr
	switch {
	case o.killed:
		return result.Timeout, fmt.Sprintf("time limit hit: ran longer than %v and was stopped", timeout)
	case o.signal == "SIGXCPU":
		return result.Crashed, fmt.Sprintf("CPU limit hit: the worker used its %d s of CPU time", j.Limits.CPUSeconds)
	case o.signal == "SIGKILL":
		return result.Crashed, fmt.Sprintf("killed by the system: the CPU limit (%d s) or the machine's memory", j.Limits.CPUSeconds)
	case strings.Contains(e, "stack exceeds") || strings.Contains(e, "stack overflow"):
		return result.Crashed, fmt.Sprintf("stack limit hit: a goroutine's stack passed %d MiB (unbounded recursion?)", j.Limits.StackMB)
	case strings.Contains(e, "out of memory") || strings.Contains(e, "cannot allocate memory") ||
		strings.Contains(e, "memory limit") || strings.Contains(e, "address space"):
		return result.Crashed, fmt.Sprintf("memory limit hit: the worker may use %d MiB", j.Limits.MemoryMB)
	case strings.Contains(e, "all goroutines are asleep"):
		return result.Crashed, "deadlock: all goroutines are asleep"
	case strings.Contains(e, "panic: "):
		return result.Crashed, "panicked in a goroutine: " + firstLine(e[strings.Index(e, "panic: "):])
	}
	why := o.exit
	if why == "" {
		why = "it stopped without a verdict"
	}
	if l := lastLine(e); l != "" {
		why += ": " + l
	}
	return result.Crashed, "the worker died: " + why
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return strings.TrimSpace(s)
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return firstLine(s)
}

// WorkerEnv is set to 1 in a worker's environment: the worker subcommand
// refuses to run without it (nobody should start one by hand).
const WorkerEnv = "ADAGRADLAB_CHECK_WORKER"

// workerEnv is the worker's whole environment: nothing of the parent's.
func workerEnv() []string {
	return []string{"GOMAXPROCS=1", "GOTRACEBACK=single", WorkerEnv + "=1"}
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
