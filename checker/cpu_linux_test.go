package checker

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// Slots take the CPUs in turn, and a worker runs on its slot's CPU only.
func TestWorkerOnSlotCPU(t *testing.T) {
	cpus := slotCPUs(3)
	if cpus == nil {
		t.Skip("fewer than two CPUs to choose from")
	}
	if cpus[0] == cpus[1] {
		t.Errorf("slots on %v: want the CPUs in turn", cpus)
	}
	c := newChecker(t, Options{})
	r, err := c.start(context.Background(), c.opts.Limits, cpus[1])
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", r.cmd.Process.Pid))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Cpus_allowed_list:"); ok {
			if got := strings.TrimSpace(v); got != fmt.Sprint(cpus[1]) {
				t.Errorf("the worker may run on CPUs %s, want %d only", got, cpus[1])
			}
			return
		}
	}
	t.Error("no Cpus_allowed_list in /proc")
}
