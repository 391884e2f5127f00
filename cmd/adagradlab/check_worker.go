package main

import (
	"errors"
	"io"
	"os"

	"github.com/adagradlab/adagradlab/checker"
	"github.com/adagradlab/adagradlab/checker/worker"
)

func init() {
	register(command{
		name:    checker.WorkerCommand,
		summary: "the checker's jailed worker (internal)",
		run:     runCheckWorker,
		hidden:  true,
	})
}

// runCheckWorker is the child process `adagradlab check` and the kernel's
// %check start for each submission: it jails itself, then the requests come
// on stdin and the replies go out on file descriptor 3, which the parent
// opened. It never returns.
func runCheckWorker(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 || os.Getenv(worker.Env) == "" {
		return errors.New("internal: started by adagradlab check, not by hand")
	}
	results := os.NewFile(3, "results")
	if results == nil {
		return errors.New("internal: no results pipe")
	}
	if _, err := results.Stat(); err != nil {
		return errors.New("internal: no results pipe")
	}
	os.Exit(worker.Main(os.Stdin, results))
	return nil
}
