package checker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/adagradlab/adagradlab/checker/jail"
	"github.com/adagradlab/adagradlab/checker/protocol"
	"github.com/adagradlab/adagradlab/checker/questions"
	"github.com/adagradlab/adagradlab/checker/result"
	"github.com/adagradlab/adagradlab/checker/worker"
)

// graded is what grading one submission's code gave: a verdict per
// question and what the code's loading said.
type graded struct {
	qs     map[string]result.Question
	loaded *protocol.Loaded // from the first worker that loaded the code; nil if none did
}

// grade runs the questions ids against the code in l, in jailed workers,
// until every question has a verdict. The judge is this process: it draws
// each question's inputs, asks the worker for the learner's values and
// checks them. A worker that dies, hangs or misbehaves during a question
// takes only that question down: the questions after it go to a fresh
// worker. The error is the checker's own trouble or a cancelled ctx.
func (c *Checker) grade(ctx context.Context, l *protocol.Load, ids []string) (*graded, error) {
	out := &graded{qs: map[string]result.Question{}}
	timeout := c.opts.Timeout
	pending := ids
	for attempt := 0; len(pending) > 0; attempt++ {
		if attempt > len(ids) {
			for _, id := range pending {
				out.qs[id] = verdict(id, result.Crashed, "the worker stopped again and again without an answer")
			}
			break
		}
		lim := c.opts.Limits
		lim.CPUSeconds = cpuSeconds(len(pending), timeout)
		cpu := <-c.sem // bounds live processes, whatever calls grade
		r, err := c.start(ctx, lim, cpu)
		if err != nil {
			c.sem <- cpu
			return nil, err
		}
		pending = c.session(ctx, r, l, pending, out)
		r.close()
		c.sem <- cpu
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// session grades what it can of pending with one worker and returns the
// questions still without a verdict.
func (c *Checker) session(ctx context.Context, r *remote, l *protocol.Load, pending []string, out *graded) []string {
	timeout := c.opts.Timeout
	if err := r.load(l, time.Now().Add(timeout+questionGrace)); err != nil {
		st, msg := c.diagnose(r, "")
		for _, id := range pending {
			out.qs[id] = verdict(id, st, msg)
		}
		return nil
	}
	if r.fatal != nil {
		// The code did not load: every question gets its verdict.
		for _, id := range pending {
			out.qs[id] = verdict(id, result.Status(r.fatal.Status), r.fatal.Msg)
		}
		return nil
	}
	if out.loaded == nil {
		out.loaded = r.loaded
	}
	prep := c.prep()
	for i, id := range pending {
		if ctx.Err() != nil {
			return pending[i:]
		}
		res, abandon, err := questions.Run(questions.ByID(id), c.opts.Seed, prep, r, time.Now().Add(timeout))
		if err != nil {
			st, msg := c.diagnose(r, id)
			out.qs[id] = verdict(id, st, msg)
			return pending[i+1:]
		}
		out.qs[id] = res
		if abandon {
			return pending[i+1:]
		}
	}
	return nil
}

// cpuSeconds is the CPU limit of a worker that grades n questions with the
// given time limit each: all of them at full speed, plus start-up.
func cpuSeconds(n int, timeout time.Duration) int {
	return int((time.Duration(n+1)*timeout + 2*time.Second + time.Second - 1) / time.Second)
}

func verdict(id string, st result.Status, msg string) result.Question {
	max := 0
	if q := questions.ByID(id); q != nil {
		max = q.Max
	}
	return result.Question{ID: id, Max: max, Status: st, Feedback: []string{msg}}
}

// The allowances beyond the time limit: a worker's start-up (exec, the
// runtime, the jail) on a loaded machine, and a reply's transit.
const (
	loadGrace     = 3 * time.Second
	questionGrace = 500 * time.Millisecond
)

// diagnose names what ended a lost worker, during question id ("" while
// loading). It decides from what the judge saw itself: its own clock, the
// exit status and signal, the replies it refused. The worker's last words
// on stderr only choose the wording among crashed verdicts: they can never
// make one better, or stop the batch.
func (c *Checker) diagnose(r *remote, id string) (result.Status, string) {
	timeout := c.opts.Timeout
	lim := c.opts.Limits
	r.kill()
	<-r.exited
	what := id
	if id == "" {
		what = "loading the code (package-level variables, init functions, notebook cells)"
	}
	var bad *protocol.BadReply
	switch sig := jail.Signal(r.cmd); {
	case r.late || errors.Is(r.lost, questions.ErrLate):
		if id == "" {
			return result.Timeout, fmt.Sprintf("time limit hit: %s ran longer than %v", what, timeout)
		}
		return result.Timeout, fmt.Sprintf("time limit hit: %s ran longer than %v (an endless loop?)", what, timeout)
	case errors.As(r.lost, &bad):
		return result.Crashed, "stopped: " + bad.Error() + " (only a worker taken over by the code it runs does that)"
	case sig == "SIGSYS":
		return result.Crashed, "forbidden system call: the code tried to reach the operating system (files, processes, the network) and was stopped"
	case sig == "SIGXCPU":
		return result.Crashed, fmt.Sprintf("CPU limit hit: the worker used its %d s of CPU time", cpuSeconds(1, timeout))
	case sig == "SIGXFSZ":
		return result.Crashed, "forbidden system call: the code tried to write a file and was stopped"
	case sig == "SIGKILL":
		return result.Crashed, "killed by the system: the CPU limit or the machine's memory"
	case r.cmd.ProcessState != nil && r.cmd.ProcessState.ExitCode() == worker.ExitOutput:
		return result.Crashed, fmt.Sprintf("output limit hit: printed more than %d KiB", lim.OutputKB)
	}
	e := r.stderr.String()
	switch {
	case strings.Contains(e, "stack exceeds") || strings.Contains(e, "stack overflow"):
		return result.Crashed, fmt.Sprintf("stack limit hit: a goroutine's stack passed %d MiB (unbounded recursion?)", lim.StackMB)
	case strings.Contains(e, "out of memory") || strings.Contains(e, "cannot allocate memory") ||
		strings.Contains(e, "memory limit") || strings.Contains(e, "address space"):
		return result.Crashed, fmt.Sprintf("memory limit hit: the worker may use %d MiB", lim.MemoryMB)
	case strings.Contains(e, "all goroutines are asleep"):
		return result.Crashed, "deadlock: all goroutines are asleep"
	case strings.Contains(e, "panic: "):
		return result.Crashed, "panicked in a goroutine: " + firstLine(e[strings.Index(e, "panic: "):])
	}
	why := r.exitText()
	if why == "" {
		why = "it stopped without an answer"
	}
	if l := lastLine(e); l != "" {
		why += ": " + l
	}
	suffix := ""
	if id == "" {
		suffix = " while loading the code"
	}
	return result.Crashed, "the worker died" + suffix + ": " + why
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(clipText(s, 200))
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return firstLine(s)
}

// clipText shortens text that came from the worker to max bytes, on a
// character boundary, and makes it printable.
func clipText(s string, max int) string {
	return questions.Clip(s, max)
}
