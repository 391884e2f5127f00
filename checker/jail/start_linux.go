package jail

import (
	"errors"
	"os"
	"os/exec"
	"sync"
	"syscall"
)

// nsFlags are the namespaces a worker starts in: inside a user namespace of
// its own, so that it needs no privilege to make them and holds none over
// the machine.
const nsFlags = syscall.CLONE_NEWUSER | syscall.CLONE_NEWPID | syscall.CLONE_NEWNET |
	syscall.CLONE_NEWNS | syscall.CLONE_NEWIPC | syscall.CLONE_NEWUTS

var nsState struct {
	sync.Mutex
	broken error // why a worker could not be started in namespaces; nil: not yet seen failing
}

// Start starts the command that build makes, in a process group of its own
// that dies with this process, and in fresh namespaces where the system
// allows them. Where it does not (a container without user namespaces, a
// kernel without them), the command is built again and started without, and
// the report says so; the first such failure is remembered, so later starts
// do not try again.
func Start(build func() *exec.Cmd) (*exec.Cmd, Report, error) {
	var rep Report
	nsState.Lock()
	broken := nsState.broken
	nsState.Unlock()
	if broken == nil {
		cmd := build()
		setup(cmd, true)
		err := cmd.Start()
		if err == nil {
			rep.add(Namespaces, nil)
			return cmd, rep, nil
		}
		if !nsRefused(err) {
			return nil, rep, err
		}
		nsState.Lock()
		nsState.broken = errors.Unwrap(err)
		if nsState.broken == nil {
			nsState.broken = err
		}
		broken = nsState.broken
		nsState.Unlock()
	}
	rep.add(Namespaces, broken)
	cmd := build()
	setup(cmd, false)
	if err := cmd.Start(); err != nil {
		return nil, rep, err
	}
	return cmd, rep, nil
}

func setup(cmd *exec.Cmd, ns bool) {
	attr := &syscall.SysProcAttr{
		Setpgid:   true,
		Pdeathsig: syscall.SIGKILL,
	}
	if ns {
		attr.Cloneflags = nsFlags
		// Root inside maps to this process's own user: the worker can read
		// the binary it runs from, and nothing this user could not. Its
		// capabilities inside the namespace cover only the namespaces it
		// owns, and Confine drops them.
		attr.UidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}}
		attr.GidMappings = []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}}
		attr.GidMappingsEnableSetgroups = false
	}
	cmd.SysProcAttr = attr
}

// nsRefused reports whether a start failed for want of namespaces rather
// than for a missing program.
func nsRefused(err error) bool {
	for _, e := range []error{syscall.EPERM, syscall.EINVAL, syscall.ENOSPC, syscall.EUSERS} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// Kill kills the worker and everything in its process group (its pid
// namespace, where it has one, dies with it).
func Kill(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Process.Kill()
}

// Signal is the signal that ended a finished worker ("SIGSYS"), or "".
func Signal(cmd *exec.Cmd) string {
	if cmd.ProcessState == nil {
		return ""
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return signalName(ws.Signal())
	}
	return ""
}

func signalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGSYS:
		return "SIGSYS"
	case syscall.SIGXCPU:
		return "SIGXCPU"
	case syscall.SIGKILL:
		return "SIGKILL"
	case syscall.SIGSEGV:
		return "SIGSEGV"
	case syscall.SIGXFSZ:
		return "SIGXFSZ"
	}
	return s.String()
}
