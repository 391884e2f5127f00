package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/adagradlab/adagradlab/checker"
	"github.com/adagradlab/adagradlab/checker/report"
	"github.com/adagradlab/adagradlab/checker/result"
)

func init() {
	register(command{
		name:    "merge",
		summary: "merge the JSON reports of a batch graded in shards (check --shard)",
		run:     runMerge,
	})
}

const mergeUsage = `Usage: adagradlab merge [flags] SHARD.json...

Puts the JSON reports of 'adagradlab check --shard k/n' back together into
the report of the whole batch, as if it had been graded in one run: the
same submissions in the same order with the same verdicts. Every shard
must be given once, graded with the same seed, questions, time limit and
adagradlab version; otherwise nothing is written and the error says which
report differs.

Examples:
  adagradlab merge --json report.json --csv grades.csv shard-*.json

Flags:
`

// maxShardReport bounds one shard's report, read whole: a report is a few KiB
// a submission, written answers clipped at 16 KiB each.
const maxShardReport = 512 << 20

func runMerge(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	reports := reportFlags(fs, "write the merged report (JSON) to `FILE`")
	if err := parseFlags(fs, args, mergeUsage, stderr); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("no shard report given (see 'adagradlab merge -h')")
	}
	var shards []*result.Report
	for _, name := range fs.Args() {
		r, err := readReport(name)
		if err != nil {
			return err
		}
		shards = append(shards, r)
	}
	merged, err := checker.Merge(shards)
	if err != nil {
		return err
	}
	if err := reports.write(merged); err != nil {
		return err
	}
	if err := report.Summary(stdout, merged); err != nil {
		return err
	}
	reports.printWritten(stdout)
	return nil
}

// readReport reads a check --json report, strictly: a file that is not one
// is named in a one-line error.
func readReport(name string) (*result.Report, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxShardReport+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if len(b) > maxShardReport {
		return nil, fmt.Errorf("%s: larger than any report adagradlab writes", name)
	}
	var r result.Report
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: not a report of 'adagradlab check --json': %v", name, err)
	}
	return &r, nil
}
