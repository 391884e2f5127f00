// Command checkerbench measures `adagradlab check`: it writes synthetic
// submissions (70% correct, 20% wrong in one question, 10% hostile, from
// checker/testdata/hostile), grades them with the real worker binary, and
// prints honest submissions per second, the cost of each hostile kind next to
// its limits, and the grading process's peak memory. `make bench-checker`
// runs it; the numbers go to BENCHMARKS.md.
//
//	go build -o bin/adagradlab ./cmd/adagradlab
//	go run ./bench/checkerbench -bin bin/adagradlab -n 1000
//	go run ./bench/checkerbench -gen DIR -n 1000     # only write the files
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/adagradlab/adagradlab/checker"
	"github.com/adagradlab/adagradlab/checker/result"
	"github.com/adagradlab/adagradlab/checker/synth"
	"github.com/adagradlab/adagradlab/exercises"
)

func main() {
	n := flag.Int("n", 1000, "submissions to generate")
	bin := flag.String("bin", "bin/adagradlab", "the adagradlab binary whose worker grades: the lean adagradlab-worker beside it, if there, else its check-worker")
	gen := flag.String("gen", "", "only write the submissions into `DIR` and exit")
	hostileDir := flag.String("hostile", "checker/testdata/hostile", "the hostile corpus")
	self := flag.Bool("self", false, "grade with -bin's own check-worker even where the lean worker lies beside it (to compare)")
	jobs := flag.Int("jobs", 0, "workers at once (default: CPUs)")
	seed := flag.Uint64("seed", 42, "the grading seed")
	flag.Parse()
	if err := run(*n, *bin, *gen, *hostileDir, *jobs, *seed, *self); err != nil {
		fmt.Fprintln(os.Stderr, "checkerbench:", err)
		os.Exit(1)
	}
}

type kind struct {
	dir, what string
}

func run(n int, bin, gen, hostileDir string, jobs int, seed uint64, self bool) error {
	hs, err := synth.LoadHostile(hostileDir)
	if err != nil {
		return err
	}
	// As adagradlab does: the lean worker beside the binary, if there.
	worker := []string{bin, checker.WorkerCommand}
	if lean := filepath.Join(filepath.Dir(bin), checker.LeanWorker); !self && fileExists(lean) {
		worker = []string{lean}
	}
	// The escapes are aimed at the program that grades them: what they aim
	// at is in the temp folder, or this process (were the jail to fail, the
	// benchmark would die of it rather than report a number). With -gen and
	// no binary built, they are left out.
	delta, err := synth.EscapeDelta(worker[0])
	withEscapes := err == nil
	if err != nil && gen == "" {
		return err
	} else if err != nil {
		fmt.Fprintf(os.Stderr, "checkerbench: no escapes among the hostile files (%v)\n", err)
	}
	dir := gen
	if dir == "" {
		dir, err = os.MkdirTemp("", "checkerbench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	honestDir, hostileOut := filepath.Join(dir, "honest"), filepath.Join(dir, "hostile")
	for _, d := range []string{honestDir, hostileOut} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	if withEscapes {
		es, err := synth.LoadEscapes(filepath.Join(hostileDir, "escape"), synth.Escapes{
			Delta: delta, Victim: filepath.Join(dir, "victim"), Marker: filepath.Join(dir, "marker"), Port: 9, Parent: os.Getpid(),
		})
		if err != nil {
			return err
		}
		for i := range es {
			es[i].Name = "escape_" + es[i].Name
		}
		hs = append(hs, es...)
	}
	correct, wrong, hostile := 0, 0, 0
	for i := range n {
		var name, src string
		switch r := i % 10; {
		case r < 7:
			name, src = fmt.Sprintf("s%04d_correct.go", i), synth.Correct()
			correct++
		case r < 9:
			q := exercises.IDs[(i/10)%5]
			name, src = fmt.Sprintf("s%04d_wrong_%s.go", i, q), synth.WrongIn(q, i/50)
			wrong++
		default:
			h := hs[(i/10)%len(hs)]
			name, src = fmt.Sprintf("s%04d_hostile_%s", i, h.Name), string(h.Source)
			hostile++
		}
		d := honestDir
		if strings.Contains(name, "hostile") {
			d = hostileOut
		}
		// A comment makes every file different, as real submissions are.
		if strings.HasSuffix(name, ".go") && !strings.Contains(name, "hostile") {
			src += fmt.Sprintf("\n// submission %d\n", i)
		}
		if err := os.WriteFile(filepath.Join(d, name), []byte(src), 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("generated %d submissions: %d correct, %d wrong in one question, %d hostile (%d kinds)\n", n, correct, wrong, hostile, len(hs))
	if gen != "" {
		return nil
	}
	if worker[0], err = filepath.Abs(worker[0]); err != nil {
		return err
	}
	fmt.Printf("worker: %s\n", strings.Join(worker, " "))
	opts := checker.Options{Seed: seed, Jobs: jobs, Worker: worker}
	c, err := checker.New(opts)
	if err != nil {
		return err
	}
	jobs = c.Options().Jobs
	ctx := context.Background()

	// Honest submissions, with --jobs at the number of CPUs (the default)
	// and at twice that: a worker spends part of its life starting and
	// ending, when its core could run another.
	for _, n := range []int{jobs, 2 * jobs} {
		hc, err := checker.New(checker.Options{Seed: seed, Jobs: n, Worker: opts.Worker})
		if err != nil {
			return err
		}
		cpu0 := cpuTime()
		start := time.Now()
		rep, err := collect(hc.Check(ctx, []string{honestDir}))
		if err != nil {
			return err
		}
		wall := time.Since(start)
		cpu := cpuTime() - cpu0
		passed := 0
		for _, s := range rep.Submissions {
			if s.Score == 100 {
				passed++
			}
		}
		perSub := cpu / time.Duration(len(rep.Submissions))
		fmt.Printf("honest, --jobs %d: %d submissions in %.2fs: %.1f submissions/s (%d with full marks); CPU (parent + workers, user + system) %.1f ms per submission, so %.0f /s on %d idle cores; load average %s\n",
			n, len(rep.Submissions), wall.Seconds(), float64(len(rep.Submissions))/wall.Seconds(), passed,
			float64(perSub.Microseconds())/1000, float64(runtime.NumCPU())/perSub.Seconds(), runtime.NumCPU(), loadAvg())
	}

	// The whole batch, hostile included.
	start := time.Now()
	rep, err := collect(c.Check(ctx, []string{honestDir, hostileOut}))
	if err != nil {
		return err
	}
	all := time.Since(start)
	fmt.Printf("all: %d submissions in %.2fs: %.1f submissions/s; every one has a verdict: %v\n",
		len(rep.Submissions), all.Seconds(), float64(len(rep.Submissions))/all.Seconds(), everyVerdict(rep))

	// One of each hostile kind alone, next to the cost of an honest one.
	one, err := checker.New(checker.Options{Seed: seed, Jobs: 1, Worker: opts.Worker})
	if err != nil {
		return err
	}
	honestOne := timeOne(one, synth.Correct(), 5)
	timeout := one.Options().Timeout
	fmt.Printf("\nan honest submission alone: %v; limit per question: %v\n\n", honestOne.Round(time.Millisecond), timeout)
	fmt.Println("| hostile | verdicts | cost | bound: honest + (questions stopped by a limit) × time limit + 1 s | within |")
	fmt.Println("| --- | --- | --- | --- | --- |")
	for _, h := range hs {
		in := checker.Input{Name: h.Name, Source: string(h.Source)}
		if strings.HasSuffix(h.Name, ".ipynb") {
			in = checker.Input{Name: h.Name, Source: "not json"} // graded by Check only
		}
		start := time.Now()
		qs, err := one.Grade(ctx, in)
		if err != nil {
			return err
		}
		cost := time.Since(start)
		timeouts, loadTimeout := 0, 0
		var vs []string
		for _, q := range qs {
			if q.Status != result.Passed {
				vs = append(vs, q.ID+" "+string(q.Status))
			}
			// A question that crashed or timed out was stopped by one of
			// its limits, at the latest by its time limit; a load that
			// timed out is one limit for all questions.
			if q.Status == result.Timeout || q.Status == result.Crashed {
				if strings.Contains(strings.Join(q.Feedback, " "), "loading the code") {
					loadTimeout = 1
				} else {
					timeouts++
				}
			}
		}
		timeouts += loadTimeout
		bound := honestOne + time.Duration(timeouts)*timeout + time.Second
		fmt.Printf("| %s | %s | %v | %v | %v |\n", h.Name, strings.Join(vs, ", "), cost.Round(time.Millisecond), bound.Round(time.Millisecond), cost <= bound)
	}
	// What the kernel's %check costs: one call, a fresh seed each time
	// (so Q5's plateau is computed each time too), all five questions.
	var lat []time.Duration
	for range 50 {
		start := time.Now()
		k, err := checker.New(checker.Options{Jobs: 1, Worker: opts.Worker}) // as GradeOnce, with -bin's worker
		if err != nil {
			return err
		}
		if _, err := k.Grade(ctx, checker.Input{Name: "notebook", Source: synth.Correct()}); err != nil {
			return err
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	fmt.Printf("\n%%check (as checker.GradeOnce: a new seed each time, all five questions, correct answer, 50 calls): median %v, p95 %v\n",
		lat[len(lat)/2].Round(time.Millisecond), lat[len(lat)*95/100].Round(time.Millisecond))
	fmt.Printf("\nparent peak RSS (VmHWM): %s\n", peakRSS())
	return nil
}

// cpuTime is the CPU time, user and system, of this process and of its
// children that have ended (the workers).
func cpuTime() time.Duration {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime)
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(b))[:3], " ")
}

func everyVerdict(r *result.Report) bool {
	for _, s := range r.Submissions {
		if len(s.Questions) != 5 {
			return false
		}
		for _, q := range s.Questions {
			if q.Status == "" {
				return false
			}
		}
	}
	return true
}

func timeOne(c *checker.Checker, src string, reps int) time.Duration {
	best := time.Duration(1<<63 - 1)
	for range reps {
		start := time.Now()
		c.Grade(context.Background(), checker.Input{Source: src})
		best = min(best, time.Since(start))
	}
	return best
}

// peakRSS is this process's high-water resident memory: the grading
// parent's, the workers not included.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(line, "VmHWM:"))
		}
	}
	return "unknown"
}

// collect reads a graded batch into memory.
func collect(b *checker.Batch, err error) (*result.Report, error) {
	if err != nil {
		return nil, err
	}
	defer b.Close()
	return b.Collect()
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
