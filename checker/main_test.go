package checker

import (
	"os"
	"testing"

	"github.com/adagradlab/adagradlab/checker/worker"
)

// TestMain lets the test binary be its own worker: the checker starts
// os.Executable() with the check-worker argument, as adagradlab does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == WorkerCommand && os.Getenv(worker.Env) != "" {
		os.Exit(worker.Main(os.Stdin, os.NewFile(3, "results")))
	}
	os.Exit(m.Run())
}
