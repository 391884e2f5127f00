package checker

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// The judge and its worker take turns (a call, then its reply, 45 times
// for a correct answer): on one CPU each turn is a local wake-up, while on
// two it is a cross-CPU one, which costs far more — most of all in a
// virtual machine. So each grading slot has a CPU, and the goroutine that
// drives a worker runs on a thread pinned to it, which the worker inherits
// at fork: both take turns on that CPU. A third of the CPU time per
// submission on a 2-core VM (BENCHMARKS.md).

// slotCPUs lists the CPU each of n slots runs on: the CPUs this process
// may use, in turn; nil where they cannot be read.
func slotCPUs(n int) []int {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return nil
	}
	var cpus []int
	for i := range 1024 {
		if set.IsSet(i) {
			cpus = append(cpus, i)
		}
	}
	if len(cpus) < 2 {
		return nil // nothing to choose
	}
	out := make([]int, n)
	for i := range out {
		out[i] = cpus[i%len(cpus)]
	}
	return out
}

// onCPU locks the calling goroutine to its thread and pins the thread to
// cpu (-1: does nothing). The returned function undoes both.
func onCPU(cpu int) (undo func()) {
	if cpu < 0 {
		return func() {}
	}
	runtime.LockOSThread()
	var old, set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &old); err != nil {
		runtime.UnlockOSThread()
		return func() {}
	}
	set.Set(cpu)
	if err := unix.SchedSetaffinity(0, &set); err != nil {
		runtime.UnlockOSThread()
		return func() {}
	}
	return func() {
		if unix.SchedSetaffinity(0, &old) == nil {
			runtime.UnlockOSThread()
		}
		// else the thread stays locked, and ends with its goroutine: no
		// other goroutine inherits the pin.
	}
}
