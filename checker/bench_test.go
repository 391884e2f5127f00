package checker

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/adagradlab/adagradlab/checker/synth"
)

// BenchmarkGradeCorrect grades one correct submission, all five questions,
// in a jailed worker: the judge's and the worker's whole cost, with this
// test binary as the worker (self, as fat as adagradlab) and with the lean
// worker (cmd/adagradlab-worker). Profile the judge with -cpuprofile; the
// workers are child processes (perf sees them).
//
//	go test -run '^$' -bench GradeCorrect -benchtime 200x ./checker
func BenchmarkGradeCorrect(b *testing.B) {
	b.Run("self", func(b *testing.B) { benchGrade(b, nil) })
	b.Run("lean", func(b *testing.B) {
		benchGrade(b, []string{buildLeanWorker(b)})
	})
}

func benchGrade(b *testing.B, worker []string) {
	c, err := New(Options{Seed: 42, Jobs: 1, Worker: worker})
	if err != nil {
		b.Fatal(err)
	}
	in := Input{Source: synth.Correct()}
	self0, kids0 := cpuTimes(b)
	for b.Loop() {
		qs, err := c.Grade(context.Background(), in)
		if err != nil {
			b.Fatal(err)
		}
		for _, q := range qs {
			if q.Score != q.Max {
				b.Fatalf("%s: %d/%d %v", q.ID, q.Score, q.Max, q.Feedback)
			}
		}
	}
	self1, kids1 := cpuTimes(b)
	per := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / float64(b.N) }
	b.ReportMetric(per(self1-self0), "judge-cpu-ms/op")
	b.ReportMetric(per(kids1-kids0), "worker-cpu-ms/op")
}

// cpuTimes is the CPU time, user and system, of this process and of its
// reaped children.
func cpuTimes(b *testing.B) (self, children time.Duration) {
	var s, c syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &s); err != nil {
		b.Skip("no getrusage:", err)
	}
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &c); err != nil {
		b.Skip("no getrusage:", err)
	}
	sum := func(r *syscall.Rusage) time.Duration {
		return time.Duration(r.Utime.Nano() + r.Stime.Nano())
	}
	return sum(&s), sum(&c)
}
