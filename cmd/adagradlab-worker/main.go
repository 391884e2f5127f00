// Command adagradlab-worker is the checker's jailed worker on its own: the
// same code as `adagradlab check-worker` (package checker/worker), linked
// without the kernel, the plots and yaegi's table of the whole standard
// library, so that it starts in a third of the time. adagradlab runs it
// for every submission when it lies beside the adagradlab binary (make
// build puts both in bin/), and itself otherwise. It is not for starting
// by hand.
package main

import (
	"fmt"
	"os"

	"github.com/adagradlab/adagradlab/checker/worker"
)

func main() {
	results := os.NewFile(3, "results")
	if len(os.Args) != 1 || os.Getenv(worker.Env) == "" || results == nil {
		fmt.Fprintln(os.Stderr, "adagradlab-worker: started by adagradlab check, not by hand")
		os.Exit(worker.ExitBadStart)
	}
	if _, err := results.Stat(); err != nil {
		fmt.Fprintln(os.Stderr, "adagradlab-worker: no results pipe (file descriptor 3)")
		os.Exit(worker.ExitBadStart)
	}
	os.Exit(worker.Main(os.Stdin, results))
}
