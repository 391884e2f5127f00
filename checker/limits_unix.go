//go:build unix

package checker

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// applyLimits is called by the worker on itself before it reads a line of
// the learner's code.
func applyLimits(l Limits) error {
	if l.MemoryMB > 0 {
		// The Go runtime reserves address space it never touches, several
		// hundred MB before main runs: the limit is on top of what the
		// process has mapped now.
		n := mappedBytes() + uint64(l.MemoryMB)<<20
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			return err
		}
	}
	if l.CPUSeconds > 0 {
		// The soft limit sends SIGXCPU, which kills a Go program; the hard
		// one, a second later, SIGKILL.
		n := uint64(l.CPUSeconds)
		if err := syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: n, Max: n + 1}); err != nil {
			return err
		}
	}
	// No core dumps of learner code.
	return syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{})
}

// ownGroup puts the worker in a process group of its own, so that killing
// the group ends it and anything it started.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Process.Kill()
	}
}

// signalName is the signal that ended a worker, or "".
func signalName(cmd *exec.Cmd) string {
	if cmd.ProcessState == nil {
		return ""
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		switch ws.Signal() {
		case syscall.SIGXCPU:
			return "SIGXCPU"
		case syscall.SIGKILL:
			return "SIGKILL"
		case syscall.SIGSEGV:
			return "SIGSEGV"
		default:
			return ws.Signal().String()
		}
	}
	return ""
}

// mappedBytes is the process's current virtual size, from /proc where there
// is one; elsewhere a conservative guess.
func mappedBytes() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			if pages, err := strconv.ParseUint(f[0], 10, 64); err == nil {
				return pages * uint64(os.Getpagesize())
			}
		}
	}
	return 4 << 30
}
