//go:build unix && !linux

package jail

import (
	"os/exec"
	"syscall"
)

func setGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

// Kill kills the worker and its process group.
func Kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Process.Kill()
	}
}

// Signal is the signal that ended a finished worker, or "".
func Signal(cmd *exec.Cmd) string {
	if cmd.ProcessState == nil {
		return ""
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		switch ws.Signal() {
		case syscall.SIGSYS:
			return "SIGSYS"
		case syscall.SIGXCPU:
			return "SIGXCPU"
		case syscall.SIGKILL:
			return "SIGKILL"
		}
		return ws.Signal().String()
	}
	return ""
}

func setRlimits(l Limits) error {
	set := func(res int, cur, max uint64) error {
		return syscall.Setrlimit(res, &syscall.Rlimit{Cur: cur, Max: max})
	}
	if l.MemoryMB > 0 {
		// No /proc to read the runtime's own mappings from: a generous base.
		n := uint64(4<<30) + uint64(l.MemoryMB)<<20
		if err := set(syscall.RLIMIT_AS, n, n); err != nil {
			return err
		}
	}
	if l.CPUSeconds > 0 {
		if err := set(syscall.RLIMIT_CPU, uint64(l.CPUSeconds), uint64(l.CPUSeconds)+1); err != nil {
			return err
		}
	}
	return set(syscall.RLIMIT_CORE, 0, 0)
}
