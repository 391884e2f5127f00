package main

import (
	"errors"
	"io"
	"os"

	"github.com/adagradlab/adagradlab/checker"
)

func init() {
	register(command{
		name:    checker.WorkerCommand,
		summary: "the checker's sandboxed worker (internal)",
		run:     runCheckWorker,
		hidden:  true,
	})
}

// runCheckWorker is the child process `adagradlab check` and the kernel's
// %check start for each submission: the job comes on stdin, the verdicts go
// out on file descriptor 3, which the parent opened. It never returns.
func runCheckWorker(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 || os.Getenv(checker.WorkerEnv) != "1" {
		return errors.New("internal: started by adagradlab check, not by hand")
	}
	results := os.NewFile(3, "results")
	if results == nil {
		return errors.New("internal: no results pipe")
	}
	if _, err := results.Stat(); err != nil {
		return errors.New("internal: no results pipe")
	}
	os.Exit(checker.WorkerMain(os.Stdin, results))
	return nil
}
