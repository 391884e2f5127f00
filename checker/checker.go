// Package checker grades learners' answers to the five exercises
// (exercises/q1..q5). Submissions are untrusted code: each one is interpreted
// by yaegi in a child process (the same binary's hidden worker subcommand)
// with time, CPU, memory, stack and output limits, after its imports were
// checked against an allowlist, and the verdicts come back on a pipe the
// learner's code cannot reach.
//
// Two callers: `adagradlab check` grades a batch into a report (Check), and
// the kernel's %check grades a notebook's current code (Grade, CardHTML).
package checker

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/adagradlab/adagradlab/checker/allow"
	"github.com/adagradlab/adagradlab/checker/load"
	"github.com/adagradlab/adagradlab/checker/questions"
	"github.com/adagradlab/adagradlab/checker/report"
	"github.com/adagradlab/adagradlab/checker/result"
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
}

// Checker grades with fixed options. It is safe for concurrent use.
type Checker struct {
	opts   Options
	worker []string
	sem    chan struct{}
	prep   func() *questions.Prepared // once per checker: its seed is fixed
}

// New checks the options and fills in the defaults.
func New(opts Options) (*Checker, error) {
	if opts.Timeout == 0 {
		opts.Timeout = 2 * time.Second
	}
	if opts.Timeout < 10*time.Millisecond {
		return nil, fmt.Errorf("timeout %v is too short", opts.Timeout)
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
	c := &Checker{opts: opts, worker: opts.Worker, sem: make(chan struct{}, opts.Jobs),
		prep: sync.OnceValue(func() *questions.Prepared { return questions.Prepare(opts.Seed, opts.Questions) })}
	if len(c.worker) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("finding this program to start workers: %w", err)
		}
		c.worker = []string{exe, WorkerCommand}
	}
	return c, nil
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
// returns the report. Submissions are graded opts.Jobs at a time; a bad
// file or a hostile answer gets its verdict and the batch goes on. The
// error is for what stops the whole batch: a path that does not exist, a
// worker that cannot be started, a cancelled ctx.
func (c *Checker) Check(ctx context.Context, paths []string) (*result.Report, error) {
	items, err := load.Paths(paths)
	if err != nil {
		return nil, err
	}
	rep := &result.Report{Seed: c.opts.Seed, Questions: c.opts.Questions, TimeoutMS: c.opts.Timeout.Milliseconds(),
		Submissions: make([]result.Submission, len(items))}
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
				if err != nil {
					cancel(err)
					continue
				}
				mu.Lock()
				rep.Submissions[i] = s
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
		return nil, err
	}
	return rep, nil
}

func (c *Checker) gradeItem(ctx context.Context, it *load.Item) (result.Submission, error) {
	s := result.Submission{ID: it.ID, File: it.File}
	sub, err := it.Read()
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
	j := job{File: in.Name, Questions: c.opts.Questions, Seed: c.opts.Seed,
		TimeoutMS: c.opts.Timeout.Milliseconds(), Limits: c.opts.Limits, Prepared: c.prep()}
	if j.File == "" {
		j.File = "answers.go"
	}
	texts := map[string]string{} // the QnText constants of the code
	var notes []string
	if in.Cells != nil {
		// Cells with a forbidden import are left out, as a kernel would
		// refuse them; what they define is then missing, and says why.
		j.Cells = []string{}
		for i, cell := range in.Cells {
			cell = stripMagics(cell)
			if strings.TrimSpace(cell) == "" {
				continue
			}
			if err := allow.Cell(cell); err != nil {
				notes = append(notes, fmt.Sprintf("cell %d was not run: %v", i+1, err))
				continue
			}
			j.Cells = append(j.Cells, cell)
			for _, chunk := range cellSources(cell) {
				freeTexts(cellAsFile(chunk), texts)
			}
		}
	} else {
		// Refused before anything runs: a file that does not parse or
		// imports what it may not.
		if _, _, err := allow.File(j.File, in.Source); err != nil {
			var out []result.Question
			st := result.Error
			for _, id := range j.Questions {
				out = append(out, verdict(id, st, err.Error()))
			}
			return out, nil
		}
		j.Source = in.Source
		freeTexts(in.Source, texts)
	}
	if j.Cells != nil && len(j.Cells) == 0 {
		var out []result.Question
		for _, id := range j.Questions {
			out = append(out, verdict(id, result.Error, "the notebook has no code to grade"))
		}
		return out, nil
	}
	qs, err := c.grade(ctx, j)
	if err != nil {
		return nil, err
	}
	for k, v := range in.Texts { // the caller's texts (markdown cells) come first
		if strings.TrimSpace(v) != "" {
			texts[strings.ToLower(k)] = v
		}
	}
	if in.Cells != nil {
		markUntouched(qs, j.Cells, true)
	} else {
		markUntouched(qs, []string{in.Source}, false)
	}
	for i := range qs {
		if t := strings.TrimSpace(texts[qs[i].ID]); t != "" {
			qs[i].Text, qs[i].Review = t, result.NeedsReview
		}
		if qs[i].Status != result.Passed { // what was left out may explain it
			qs[i].Feedback = append(qs[i].Feedback, notes...)
		}
	}
	return qs, nil
}

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

// cellAsFile makes a cell's declarations parse as a file (a cell that holds
// a whole file already has its package clause).
func cellAsFile(cell string) string {
	if strings.HasPrefix(strings.TrimSpace(cell), "package ") {
		return cell
	}
	return "package answers\n" + cell
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
