package checker

import "time"

// Limits bound one worker process. Every limit a submission hits is named in
// its feedback.
type Limits struct {
	MemoryMB   int `json:"memory_mb"`   // address space beyond the runtime's own (RLIMIT_AS); the Go heap is kept to ¾ of it
	StackMB    int `json:"stack_mb"`    // one goroutine's stack (debug.SetMaxStack)
	OutputKB   int `json:"output_kb"`   // what the learner's code may print, in all
	CPUSeconds int `json:"cpu_seconds"` // CPU time of the whole worker (RLIMIT_CPU)
}

// DefaultLimits are generous for any honest answer (they use a few MB and
// milliseconds) and small enough that two workers per core do no harm.
func DefaultLimits() Limits {
	return Limits{MemoryMB: 512, StackMB: 16, OutputKB: 1024}
}

// cpuSeconds is the CPU limit of a worker that grades n questions with the
// given time limit each: all of them at full speed, plus start-up.
func cpuSeconds(n int, timeout time.Duration) int {
	return int((time.Duration(n+1)*timeout + 2*time.Second + time.Second - 1) / time.Second)
}
