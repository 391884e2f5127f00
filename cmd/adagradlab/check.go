package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/adagradlab/adagradlab/checker"
	"github.com/adagradlab/adagradlab/checker/report"
	"github.com/adagradlab/adagradlab/checker/result"
)

func init() {
	register(command{
		name:    "check",
		summary: "grade learners' answers to the five exercises (sandboxed)",
		run:     runCheck,
	})
}

const checkUsage = `Usage: adagradlab check [flags] PATH...

Grades learners' answers to the five exercises (exercises/q1..q5). A PATH is
a .go file (package answers), a Jupyter notebook (.ipynb: its code cells run
in order), a folder of those, or a .zip of them. One file is one submission;
its id is the file name without the extension; where two files claim the
same id (or look-alikes), both ids name their file and the report warns.

Every submission runs in its own worker process, jailed by the operating
system before it reads the code: user, pid, network, mount and IPC
namespaces, landlock (no file, no network), seccomp (only the system calls
needed to compute), and limits on time, CPU, memory, stack and output. The
verdicts are computed here, never in the worker. Where the system lacks a
layer, one warning line says so and the report records what was applied;
--require-isolation refuses to grade instead. Whatever a submission does,
the batch goes on; the exit status is 0 when every submission got a
verdict, 1 when grading stopped (interrupted: no report is written), 2 on
bad usage.

Test inputs are random for each run; the seed is printed and recorded in the
report, and --seed replays it.

A batch can be graded in parts, on as many machines (an array job):
--shard k/n grades the k-th of n shards (with a --seed shared by all), and
'adagradlab merge' puts their JSON reports back together into the report of
the whole batch.

Examples:
  adagradlab check submissions.zip
  adagradlab check --json report.json --csv grades.csv --html report.html class/
  adagradlab check --only q3,q4 --seed 42 alice.go
  adagradlab check --seed 42 --shard 2/8 --json shard-2.json class/
  adagradlab check --canvas canvas.csv canvas-download.zip
  adagradlab check --format gradescope --out results.json submission/

Flags:
`

// batchGCPercent is the grading process's GOGC during a batch.
const batchGCPercent = 400

func runCheck(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	reports := reportFlags(fs, "write the full report (JSON) to `FILE`")
	jobs := fs.Int("jobs", 0, "grade `N` submissions at once (default: the number of CPUs)")
	timeout := fs.Duration("timeout", 2*time.Second, "time limit per question")
	seed := fs.Uint64("seed", 0, "seed of the test inputs (default: a random one, printed)")
	only := fs.String("only", "", "grade only these questions, e.g. q3 or q1,q4")
	memory := fs.Int("memory", checker.DefaultLimits().MemoryMB, "memory limit of a worker, in `MiB`")
	quiet := fs.Bool("quiet", false, "no progress output")
	requireIso := fs.Bool("require-isolation", false, "refuse to grade unless every layer of the jail is available")
	canvasOut := fs.String("canvas", "", "write a gradebook Canvas imports (Grades → Import) to `FILE`")
	canvasTitle := fs.String("canvas-assignment", "Adagrad exercises", "the Canvas assignment's column `title`, as Canvas shows it (e.g. \"Adagrad exercises (1234)\")")
	format := fs.String("format", "", "also write one submission's results for a platform: `gradescope` or prairielearn (to --out)")
	outFile := fs.String("out", "results.json", "where --format writes its results")
	shard := fs.String("shard", "", "grade only shard `k/n` of the batch (needs --seed; see 'adagradlab merge')")
	if err := parseFlags(fs, args, checkUsage, stderr); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("no PATH given (see 'adagradlab check -h')")
	}
	for _, p := range fs.Args() {
		if _, err := os.Stat(p); err != nil {
			return usagef("%v", err)
		}
	}
	platform, ok := platforms[*format]
	if !ok {
		return usagef("--format %q: want gradescope or prairielearn", *format)
	}
	if *jobs < 0 {
		return usagef("--jobs %d: want 1 or more", *jobs)
	}
	if *timeout < 10*time.Millisecond || *timeout > time.Hour {
		return usagef("--timeout %v: want between 10ms and 1h", *timeout)
	}
	if *memory < 64 {
		return usagef("--memory %d: want at least 64 (MiB)", *memory)
	}
	opts := checker.Options{Seed: *seed, Timeout: *timeout, Jobs: *jobs, Limits: checker.Limits{MemoryMB: *memory},
		RequireIsolation: *requireIso, Warn: func(msg string) { fmt.Fprintln(stderr, "warning: "+msg) }}
	if *shard != "" {
		var k, n int
		// Only the form is checked here; checker.New checks 1 ≤ k ≤ n.
		if _, err := fmt.Sscanf(*shard, "%d/%d", &k, &n); err != nil || fmt.Sprintf("%d/%d", k, n) != *shard {
			return usagef("--shard %q: want k/n with 1 ≤ k ≤ n, e.g. 2/8", *shard)
		}
		if *seed == 0 {
			return usagef("--shard needs --seed, the same for every shard, so that all of them draw the same inputs")
		}
		opts.Shard = &result.Shard{K: k, N: n}
	}
	if *only != "" {
		opts.Questions = strings.Split(*only, ",")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var bar *progressbar.ProgressBar
	progress := func(done, total int, s result.Submission) {}
	if !*quiet {
		if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
			progress = func(done, total int, s result.Submission) {
				if s.Warning != "" {
					if bar != nil {
						bar.Clear()
					}
					fmt.Fprintf(stderr, "warning: %s: %s\n", s.ID, s.Warning)
				}
				if bar == nil {
					bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(stderr),
						progressbar.OptionSetDescription("grading"), progressbar.OptionShowCount(),
						progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
				}
				bar.Add(1)
			}
		} else {
			progress = func(done, total int, s result.Submission) {
				fmt.Fprintf(stderr, "[%d/%d] %s: %d/%d%s\n", done, total, s.ID, s.Score, s.Max, statusList(s))
				if s.Warning != "" {
					fmt.Fprintf(stderr, "warning: %s: %s\n", s.ID, s.Warning)
				}
			}
		}
	}
	opts.Progress = progress
	c, err := checker.New(opts)
	if err != nil {
		return usagef("%v", err)
	}
	opts = c.Options()
	fmt.Fprintf(stderr, "seed %d (replay with --seed %d)\n", opts.Seed, opts.Seed)
	// A batch's live heap is a few MB per grading slot, turned over with
	// every submission: collecting a quarter as often saves about a tenth
	// of the judge's CPU, for a heap that stays in the tens of MB.
	defer debug.SetGCPercent(debug.SetGCPercent(batchGCPercent))
	batch, err := c.Check(ctx, fs.Args())
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return errors.New("interrupted: no report written")
		}
		return err
	}
	defer batch.Close()
	found := batch.Len() // a shard may be empty; the batch may not
	if sh := batch.Head().Shard; sh != nil {
		found = sh.Of
	}
	if found == 0 {
		return errors.New("no submissions found (.go, .ipynb or .zip)")
	}
	if err := reports.write(batch); err != nil {
		return err
	}
	if *canvasOut != "" {
		var unmatched int
		err := report.WriteFile(*canvasOut, func(w io.Writer) (err error) {
			unmatched, err = report.CanvasCSV(w, batch, *canvasTitle)
			return err
		})
		if err != nil {
			return fmt.Errorf("writing %s: %w", *canvasOut, err)
		}
		if unmatched > 0 {
			fmt.Fprintf(stderr, "warning: %d of %d submissions have no Canvas user id in their file name (Canvas's \"Download Submissions\" names them name_userid_submissionid_file): their rows in %s have an empty ID\n", unmatched, batch.Len(), *canvasOut)
		}
		defer fmt.Fprintf(stdout, "wrote %s (Canvas)\n", *canvasOut)
	}
	if platform != nil {
		if batch.Len() != 1 {
			return fmt.Errorf("--format %s writes the results of one submission (the platform grades each in its own container); found %d", *format, batch.Len())
		}
		err := report.WriteFile(*outFile, func(w io.Writer) error {
			return batch.Each(func(s result.Submission) error { return platform(w, batch.Head(), s) })
		})
		if err != nil {
			return fmt.Errorf("writing %s: %w", *outFile, err)
		}
		defer fmt.Fprintf(stdout, "wrote %s (%s)\n", *outFile, *format)
	}
	if err := report.Summary(stdout, batch); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "isolation: %s\n", batch.Head().Isolation)
	reports.printWritten(stdout)
	return nil
}

// statusList is " (q3 timeout, q4 crashed)" for the questions that did not
// simply pass or fail, or "".
func statusList(s result.Submission) string {
	if s.Error != "" {
		return " (error: " + s.Error + ")"
	}
	var odd []string
	for _, q := range s.Questions {
		switch q.Status {
		case result.Error, result.Timeout, result.Crashed:
			odd = append(odd, q.ID+" "+string(q.Status))
		}
	}
	if len(odd) == 0 {
		return ""
	}
	return " (" + strings.Join(odd, ", ") + ")"
}

// reportFiles are the --json, --csv and --html files of check and merge.
type reportFiles struct{ json, csv, html *string }

// reportFlags defines them on fs; jsonHelp says what the JSON holds.
func reportFlags(fs *flag.FlagSet, jsonHelp string) reportFiles {
	return reportFiles{
		json: fs.String("json", "", jsonHelp),
		csv:  fs.String("csv", "", "write the gradebook (id, q1…q5, total) to `FILE`"),
		html: fs.String("html", "", "write the report as one HTML page to `FILE`"),
	}
}

func (r reportFiles) each(f func(name string, write func(io.Writer, report.Source) error) error) error {
	for _, out := range []struct {
		name  string
		write func(io.Writer, report.Source) error
	}{{*r.json, report.JSON}, {*r.csv, report.CSV}, {*r.html, report.HTML}} {
		if out.name != "" {
			if err := f(out.name, out.write); err != nil {
				return err
			}
		}
	}
	return nil
}

// write writes src to each file named (each atomically).
func (r reportFiles) write(src report.Source) error {
	return r.each(func(name string, write func(io.Writer, report.Source) error) error {
		if err := report.WriteFile(name, func(w io.Writer) error { return write(w, src) }); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
		return nil
	})
}

// printWritten says which files were written.
func (r reportFiles) printWritten(w io.Writer) {
	r.each(func(name string, _ func(io.Writer, report.Source) error) error {
		fmt.Fprintf(w, "wrote %s\n", name)
		return nil
	})
}

// platforms are the --format values: a writer of one submission's results
// in the platform's own file format ("" is no platform).
var platforms = map[string]func(io.Writer, result.Report, result.Submission) error{
	"":             nil,
	"gradescope":   report.Gradescope,
	"prairielearn": report.PrairieLearn,
}
