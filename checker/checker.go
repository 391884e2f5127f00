// Package checker grades learners' answers to the five exercises
// (exercises/q1..q5). Submissions are untrusted code, and the interpreter
// that runs them (yaegi) is not memory-safe, so grading is split in two:
//
//   - the judge, in this process, draws each question's inputs, asks for
//     the learner's values, and checks them against the reference
//     (checker/questions). No verdict is ever computed anywhere else;
//   - the worker, a child process (the same binary's hidden check-worker
//     subcommand), jails itself with the operating system before it reads
//     a line of the learner's code (checker/jail: namespaces, rlimits,
//     landlock, seccomp), then interprets the code and answers calls
//     (checker/worker, over checker/protocol). It is assumed to be taken
//     over by that code: whatever it sends is data, checked, bounded in
//     size and time.
//
// Two callers: `adagradlab check` grades a batch into a report (Check), and
// the kernel's %check grades a notebook's current code (Grade, CardHTML).
package checker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/adagradlab/adagradlab/checker/jail"
	"github.com/adagradlab/adagradlab/checker/load"
	"github.com/adagradlab/adagradlab/checker/protocol"
	"github.com/adagradlab/adagradlab/checker/questions"
	"github.com/adagradlab/adagradlab/checker/report"
	"github.com/adagradlab/adagradlab/checker/result"
	"github.com/adagradlab/adagradlab/checker/worker"
	"github.com/adagradlab/adagradlab/exercises"
)

// WorkerCommand is the hidden subcommand that runs a worker.
const WorkerCommand = "check-worker"

// Options tune a grading run. The zero value grades every question with the
// defaults.
type Options struct {
	// Seed draws the test inputs; the report records it, and the same seed
	// replays the same inputs. 0 picks one at random.
	Seed uint64
	// Timeout is each question's time limit (default 2s).
	Timeout time.Duration
	// Jobs is how many workers run at once (default: the number of CPUs).
	Jobs int
	// Questions limits grading to these ids ("q3"); default all five.
	Questions []string
	// Limits bound each worker; zero fields take DefaultLimits' values.
	Limits Limits
	// Worker is the command line that starts a worker: the program, then its
	// arguments. Default: this executable with the check-worker subcommand,
	// which every binary that grades must register (adagradlab does; a test
	// binary does it in TestMain).
	Worker []string
	// Progress, if set, is called after each submission is graded.
	Progress func(done, total int, s result.Submission)
	// RequireIsolation refuses to grade (an error) where the jail lacks a
	// layer (jail.All) instead of grading with what the system has.
	RequireIsolation bool
	// Warn, if set, is told once, in one line, when the jail lacks a layer.
	Warn func(msg string)
	// Shard, if set, grades only one shard of the batch (see result.Shard;
	// Merge puts the shards' reports back together). It needs a Seed, so
	// that every shard draws the same inputs.
	Shard *result.Shard
}

// Checker grades with fixed options. It is safe for concurrent use.
type Checker struct {
	opts Options
	sem  chan int // a grading slot: the CPU it runs on, or -1 (cpu_linux.go)

	workerMu sync.Mutex
	worker   []string // the command that starts a worker
	self     []string // this program's own worker, while worker is the lean one beside it (else nil)

	prep func() *questions.Prepared // once per checker: its seed is fixed

	isoMu  sync.Mutex
	iso    *jail.Report // the weakest jail a worker has had so far
	warned bool
}

// Limits bound one worker process. Every limit a submission hits is named
// in its feedback.
type Limits = jail.Limits

// DefaultLimits are generous for any honest answer (they use a few MB and
// milliseconds) and small enough that two workers per core do no harm.
func DefaultLimits() Limits {
	return Limits{MemoryMB: 512, StackMB: 16, OutputKB: 1024}
}

// Isolation is the jail the checker's workers have had: the weakest of
// them, or nothing before the first has started.
func (c *Checker) Isolation() jail.Report {
	c.isoMu.Lock()
	defer c.isoMu.Unlock()
	if c.iso == nil {
		return jail.Report{}
	}
	return *c.iso
}

// noteIsolation records a worker's jail; it is an error if a layer is
// missing and the options require them all.
func (c *Checker) noteIsolation(r jail.Report) error {
	c.isoMu.Lock()
	defer c.isoMu.Unlock()
	if c.iso == nil {
		c.iso = &r
	} else {
		m := jail.Meet(*c.iso, r)
		c.iso = &m
	}
	if r.Full() {
		return nil
	}
	if c.opts.RequireIsolation {
		return fmt.Errorf("refusing to grade: the worker's jail is %s, not %s (%s)", r, strings.Join(jail.All, "+"), r.Why())
	}
	if c.opts.Warn != nil && !c.warned {
		c.warned = true
		c.opts.Warn(fmt.Sprintf("isolation is %s only: %s; --require-isolation refuses to grade without every layer", r, r.Why()))
	}
	return nil
}

// New checks the options and fills in the defaults.
func New(opts Options) (*Checker, error) {
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Second
	}
	if opts.Timeout < 10*time.Millisecond {
		return nil, fmt.Errorf("timeout %v is too short", opts.Timeout)
	}
	if sh := opts.Shard; sh != nil {
		if sh.N < 1 || sh.K < 1 || sh.K > sh.N {
			return nil, fmt.Errorf("shard %d/%d: want k/n with 1 ≤ k ≤ n", sh.K, sh.N)
		}
		if opts.Seed == 0 {
			return nil, errors.New("a shard needs a seed, so that every shard draws the same inputs")
		}
	}
	if opts.Jobs <= 0 {
		opts.Jobs = runtime.NumCPU()
	}
	if opts.Seed == 0 {
		opts.Seed = uint64(time.Now().UnixNano())%1_000_000_000 + 1
	}
	if len(opts.Questions) == 0 {
		opts.Questions = questions.IDs()
	}
	ids, err := normalizeQuestions(opts.Questions)
	if err != nil {
		return nil, err
	}
	opts.Questions = ids
	d := DefaultLimits()
	if opts.Limits.MemoryMB == 0 {
		opts.Limits.MemoryMB = d.MemoryMB
	}
	if opts.Limits.StackMB == 0 {
		opts.Limits.StackMB = d.StackMB
	}
	if opts.Limits.OutputKB == 0 {
		opts.Limits.OutputKB = d.OutputKB
	}
	c := &Checker{opts: opts, worker: opts.Worker, sem: make(chan int, opts.Jobs),
		prep: sync.OnceValue(func() *questions.Prepared { return questions.Prepare(opts.Seed, opts.Questions) })}
	cpus := slotCPUs(opts.Jobs)
	for i := range opts.Jobs {
		cpu := -1
		if cpus != nil {
			cpu = cpus[i]
		}
		c.sem <- cpu
	}
	if len(c.worker) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("finding this program to start workers: %w", err)
		}
		c.worker, c.self = defaultWorker(exe)
	}
	return c, nil
}

// defaultWorker is the worker command of the program exe: the lean worker
// beside it if there is one (and exe's own to fall back on), else exe's own.
func defaultWorker(exe string) (worker, self []string) {
	own := []string{exe, WorkerCommand}
	if lean := filepath.Join(filepath.Dir(exe), LeanWorker); isProgram(lean) {
		return []string{lean}, own
	}
	return own, nil
}

// LeanWorker is the name of the worker program (cmd/adagradlab-worker)
// that the checker starts instead of itself when it lies beside it: the
// same worker without the rest of adagradlab, which starts faster.
const LeanWorker = "adagradlab-worker"

func isProgram(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// workerCommand is the command that starts a worker now.
func (c *Checker) workerCommand() []string {
	c.workerMu.Lock()
	defer c.workerMu.Unlock()
	return c.worker
}

// fallBack makes the checker start itself as its worker, after the lean
// worker beside it (bad) turned out to be from another build; it reports
// whether there was anything to fall back to.
func (c *Checker) fallBack(bad []string, why string) bool {
	c.workerMu.Lock()
	defer c.workerMu.Unlock()
	if c.worker[0] != bad[0] {
		return true // another start has already switched
	}
	if c.self == nil {
		return false
	}
	c.worker, c.self = c.self, nil
	if c.opts.Warn != nil {
		c.opts.Warn(fmt.Sprintf("%s is %s, so this program grades with its own, slower worker; rebuild both (make build) or remove it", bad[0], why))
	}
	return true
}

// Options returns the options in use, defaults filled in (the seed too).
func (c *Checker) Options() Options { return c.opts }

func normalizeQuestions(in []string) ([]string, error) {
	want := map[string]bool{}
	for _, s := range in {
		for _, id := range strings.Split(s, ",") {
			id = strings.ToLower(strings.TrimSpace(id))
			if id == "" {
				continue
			}
			if !strings.HasPrefix(id, "q") {
				id = "q" + id
			}
			if questions.ByID(id) == nil {
				return nil, fmt.Errorf("no question %q (they are %s)", id, strings.Join(questions.IDs(), ", "))
			}
			want[id] = true
		}
	}
	var out []string
	for _, id := range questions.IDs() {
		if want[id] {
			out = append(out, id)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no question selected")
	}
	return out, nil
}

// Check grades every submission under paths (files, folders, zips) and
// returns the batch, whose submissions are read back with Each (or all at
// once with Collect); the caller closes it. Submissions are graded
// opts.Jobs at a time; a bad file or a hostile answer gets its verdict and
// the batch goes on. The error is for what stops the whole batch: a path
// that does not exist, a worker that cannot be started, a jail refused by
// RequireIsolation, a cancelled ctx. Every worker is killed before Check
// returns, on every path.
func (c *Checker) Check(ctx context.Context, paths []string) (*Batch, error) {
	items, err := load.Paths(paths)
	if err != nil {
		return nil, err
	}
	head := result.Report{Seed: c.opts.Seed, Version: BuildVersion(), Go: runtime.Version(), Questions: c.opts.Questions, TimeoutMS: c.opts.Timeout.Milliseconds()}
	if sh := c.opts.Shard; sh != nil {
		// Ids were made over the whole batch, so a shard's are the batch's.
		head.Shard = &result.Shard{K: sh.K, N: sh.N, Of: len(items)}
		var mine []*load.Item
		for i, it := range items {
			if i%sh.N == sh.K-1 {
				mine = append(mine, it)
			}
		}
		items = mine
	}
	b, err := newBatch(head, len(items))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	next := make(chan int)
	for range c.opts.Jobs {
		wg.Go(func() {
			for i := range next {
				s, err := c.gradeItem(ctx, items[i])
				if err == nil {
					err = b.put(i, s)
				}
				if err != nil {
					cancel(err)
					continue
				}
				mu.Lock()
				done++
				if c.opts.Progress != nil {
					c.opts.Progress(done, len(items), s)
				}
				mu.Unlock()
			}
		})
	}
feed:
	for i := range items {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		b.Close()
		return nil, err
	}
	b.head.Isolation = noCodeRun
	if c.Isolation().Layers != nil {
		b.head.Isolation = c.Isolation().String()
	}
	return b, nil
}

func (c *Checker) gradeItem(ctx context.Context, it *load.Item) (result.Submission, error) {
	s := result.Submission{ID: it.ID, File: it.File, Warning: it.Warning}
	sub, err := it.Read()
	if sub != nil {
		s.SHA256 = sub.SHA256
	}
	if err != nil {
		s.Error = err.Error()
		for _, id := range c.opts.Questions {
			s.Questions = append(s.Questions, verdict(id, result.Error, "not graded: "+err.Error()))
		}
		s.Total()
		return s, nil
	}
	qs, err := c.Grade(ctx, Input{Name: it.File, Source: sub.Source, Cells: sub.Cells, Texts: sub.Texts})
	if err != nil {
		return s, err
	}
	s.Questions = qs
	s.Total()
	return s, nil
}

// Input is one learner's code: a .go file (Source, in package answers) or a
// notebook's code cells (Cells, run in order as the kernel runs them).
type Input struct {
	Name   string // for messages: the file name, or "notebook"
	Source string
	Cells  []string
	// Texts are free-text answers by question id, if the caller found them
	// (e.g. in markdown cells); QnText constants in the code are read too.
	Texts map[string]string
}

// Grade grades one learner's code for the checker's questions in a fresh
// worker and returns a verdict per question, in order. It is what the
// kernel's %check calls. A bad answer is a verdict, not an error; the error
// is for a worker that cannot be started or a cancelled ctx.
func (c *Checker) Grade(ctx context.Context, in Input) ([]result.Question, error) {
	l := &protocol.Load{File: in.Name, Funcs: questions.Funcs(c.opts.Questions), Starters: map[string]string{}}
	if l.File == "" {
		l.File = "answers.go"
	}
	for _, name := range l.Funcs {
		if b, ok := starterBodies[name]; ok {
			l.Starters[name] = b
		}
	}
	if in.Cells != nil {
		l.Cells = in.Cells
	} else {
		l.Source = in.Source
	}
	g, err := c.grade(ctx, l, c.opts.Questions)
	if err != nil {
		return nil, err
	}
	var texts map[string]string
	var notes []string
	starter := map[string]bool{}
	if g.loaded != nil {
		texts, notes = g.loaded.Texts, g.loaded.Notes
		for _, name := range g.loaded.Starter {
			starter[name] = true
		}
	}
	if texts == nil {
		texts = map[string]string{}
	}
	for k, v := range in.Texts { // the caller's texts (markdown cells) come first
		if strings.TrimSpace(v) != "" {
			texts[strings.ToLower(k)] = clipText(v, maxTextBytes)
		}
	}
	qs := make([]result.Question, 0, len(c.opts.Questions))
	for _, id := range c.opts.Questions {
		q := g.qs[id]
		if t := strings.TrimSpace(texts[id]); t != "" {
			q.Text, q.Review = t, result.NeedsReview
		}
		if q.Status != result.Passed {
			q.Feedback = append(q.Feedback, notes...) // what failed or was left out may explain it
			if untouched(id, starter) {
				names := strings.Join(questions.ByID(id).Funcs, ", ")
				q.Feedback = append([]string{"not yet answered: " + names + " still hold the starter's code"}, q.Feedback...)
			}
		}
		qs = append(qs, q)
	}
	return qs, nil
}

// A learner who runs %check before writing anything should read "not yet
// answered", not a list of wrong values: the questions whose functions all
// still have the starter's bodies (comments and layout aside). The worker
// compares; the starters' bodies come from here.
var starterBodies = func() map[string]string {
	m := map[string]string{}
	for _, id := range exercises.IDs {
		worker.FuncBodies([]string{exercises.Starter(id)}, m)
	}
	return m
}()

func untouched(id string, starter map[string]bool) bool {
	q := questions.ByID(id)
	if q == nil || len(q.Funcs) == 0 {
		return false
	}
	for _, name := range q.Funcs {
		if !starter[name] {
			return false
		}
	}
	return true
}

// GradeOnce grades one learner's code with a fresh random seed and the
// default limits, for the questions only (all five when none are given):
// the one call the kernel's %check needs,
//
//	qs, err := checker.GradeOnce(ctx, checker.Input{Name: "notebook", Cells: cells}, "q3")
//	html := checker.CardsHTML(qs)
func GradeOnce(ctx context.Context, in Input, only ...string) ([]result.Question, error) {
	c, err := New(Options{Questions: only, Jobs: 1})
	if err != nil {
		return nil, err
	}
	return c.Grade(ctx, in)
}

// CardHTML renders one verdict as a self-contained HTML fragment (style
// included), the card the kernel's %check shows.
func CardHTML(q result.Question) string { return report.Card(q) }

// CardsHTML renders several verdicts as one fragment, the style once.
func CardsHTML(qs []result.Question) string { return report.Cards(qs) }
