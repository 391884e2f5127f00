package checker

import (
	"fmt"
	"slices"
	"strings"

	"github.com/adagradlab/adagradlab/checker/result"
)

// noCodeRun is a report's isolation when none of its submissions got as far
// as a worker.
const noCodeRun = "no code was run"

// Merge puts the reports of a batch's shards (Options.Shard) back together,
// in any order given: the result is the report the batch graded in one run
// would have been, submission for submission. The shards must be all of
// one batch, each once, graded alike (seed, questions, time limit, grader
// and toolchain); anything else is an error naming what differs.
func Merge(shards []*result.Report) (*result.Report, error) {
	if len(shards) == 0 {
		return nil, fmt.Errorf("no shard reports to merge")
	}
	first := shards[0]
	byK := map[int]*result.Report{}
	var isos []string
	for i, r := range shards {
		if r.Shard == nil {
			return nil, fmt.Errorf("report %d is not a shard's (no \"shard\" field)", i+1)
		}
		n, of := first.Shard.N, first.Shard.Of
		where := fmt.Sprintf("shard %d/%d (report %d)", r.Shard.K, r.Shard.N, i+1)
		switch {
		case r.Shard.Of < 0:
			return nil, fmt.Errorf("%s: a batch of %d submissions", where, r.Shard.Of)
		case r.Shard.N != n || r.Shard.Of != of:
			return nil, fmt.Errorf("%s is of a batch of %d in %d shards, not of %d in %d like report 1", where, r.Shard.Of, r.Shard.N, of, n)
		case r.Shard.K < 1 || r.Shard.K > n:
			return nil, fmt.Errorf("%s: k is not between 1 and %d", where, n)
		case byK[r.Shard.K] != nil:
			return nil, fmt.Errorf("%s: shard %d/%d is given twice", where, r.Shard.K, n)
		case r.Seed != first.Seed:
			return nil, fmt.Errorf("%s was graded with seed %d, report 1 with %d", where, r.Seed, first.Seed)
		case !slices.Equal(r.Questions, first.Questions) || r.TimeoutMS != first.TimeoutMS:
			return nil, fmt.Errorf("%s graded questions %v in %d ms each, report 1 %v in %d ms", where, r.Questions, r.TimeoutMS, first.Questions, first.TimeoutMS)
		case r.Version != first.Version || r.Go != first.Go:
			return nil, fmt.Errorf("%s was graded by adagradlab %s (%s), report 1 by %s (%s)", where, r.Version, r.Go, first.Version, first.Go)
		}
		// Shard k holds the indices k-1, k-1+n, …: that many.
		if want := (of - r.Shard.K + n) / n; len(r.Submissions) != want {
			return nil, fmt.Errorf("%s holds %d submissions, want %d", where, len(r.Submissions), want)
		}
		byK[r.Shard.K] = r
		if r.Isolation != noCodeRun && !slices.Contains(isos, r.Isolation) {
			isos = append(isos, r.Isolation)
		}
	}
	n, of := first.Shard.N, first.Shard.Of
	if len(byK) < n {
		// Named up to a few: n comes from a file and may be anything.
		var missing []string
		for k := 1; k <= n && len(missing) < 5; k++ {
			if byK[k] == nil {
				missing = append(missing, fmt.Sprintf("%d/%d", k, n))
			}
		}
		more := ""
		if left := n - len(byK) - len(missing); left > 0 {
			more = fmt.Sprintf(" and %d more", left)
		}
		return nil, fmt.Errorf("missing shard %s%s", strings.Join(missing, ", "), more)
	}
	out := *first
	out.Shard = nil
	// Different machines may have jailed differently: say all of it.
	out.Isolation = strings.Join(isos, "; ")
	if len(isos) == 0 {
		out.Isolation = noCodeRun
	}
	// Every shard is here and holds its count, so of is what they hold.
	out.Submissions = make([]result.Submission, of)
	for i := range of {
		out.Submissions[i] = byK[i%n+1].Submissions[i/n]
	}
	return &out, nil
}
