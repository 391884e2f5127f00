package jail

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// nsFlags are the namespaces a worker starts in: inside a user namespace of
// its own, so that it needs no privilege to make them and holds none over
// the machine.
const nsFlags = syscall.CLONE_NEWUSER | syscall.CLONE_NEWPID | syscall.CLONE_NEWNET |
	syscall.CLONE_NEWNS | syscall.CLONE_NEWIPC | syscall.CLONE_NEWUTS

// UnshareEnv asks a worker program to make its namespaces itself, before
// its runtime starts (unshare_cgo_linux.go): the judge then starts it with
// a vfork, which costs the same whatever the judge's size. A fork into a
// new user namespace cannot be a vfork, and copying the page tables of a
// judge holding tens of MB, then taking a fault on each page it writes
// afterwards, cost more than the worker's whole jail.
const UnshareEnv = "ADAGRADLAB_JAIL_UNSHARE"

// NoEarlyUnshare begins a worker's word that it could not make its own
// namespaces (it was built without cgo, or the system refused a step):
// Check asks for a restart, and later workers get theirs at fork instead.
const NoEarlyUnshare = "the worker could not make its namespaces itself"

// ErrRestart is Check's answer for a worker that must be started again
// (see NoEarlyUnshare); nothing of the learner's has reached it.
var ErrRestart = errors.New("the worker must be started again with its namespaces made at fork")

var nsState struct {
	sync.Mutex
	broken    error // why a worker could not be started in namespaces; nil: not yet seen failing
	atForkNow bool  // the worker program cannot unshare itself: namespaces are made at fork
}

// Start starts the command that build makes, in a process group of its own
// that dies with this process, and in fresh namespaces where the system
// allows them: made by the worker itself before its runtime starts, or,
// for a worker program that cannot (see NoEarlyUnshare), by the fork. In
// the first case the report is empty and the worker's hello says what it
// made (Check verifies it from outside). Where namespaces are refused at
// fork (a container without user namespaces, a kernel without them), the
// command is built again and started without, and the report says so; the
// first such failure is remembered, so later starts do not try again.
func Start(build func() *exec.Cmd) (*exec.Cmd, Report, error) {
	var rep Report
	nsState.Lock()
	broken, atFork := nsState.broken, nsState.atForkNow
	nsState.Unlock()
	if broken == nil && !atFork {
		cmd := build()
		setup(cmd, false)
		cmd.Env = append(cmd.Env, UnshareEnv+"=1")
		if err := cmd.Start(); err != nil {
			return nil, rep, err
		}
		return cmd, rep, nil
	}
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

// Check is what holds a worker started by Start, once it has said hello:
// the layers of started (Start's report) and of claimed (the hello's,
// written before the worker read any learner code, so still the
// checker's own word), with the namespaces and the seccomp filter checked
// from outside wherever /proc shows them. A worker that cannot make its
// own namespaces gets ErrRestart, and later starts make them at fork.
func Check(cmd *exec.Cmd, started, claimed Report) (Report, error) {
	got := join(started, claimed)
	early := slices.Contains(cmd.Env, UnshareEnv+"=1")
	if early && strings.HasPrefix(claimed.Missing[Namespaces], NoEarlyUnshare) {
		nsState.Lock()
		nsState.atForkNow = true
		nsState.Unlock()
		return got, ErrRestart
	}
	if early && started.Has(Namespaces) || !early && claimed.Has(Namespaces) {
		return got, errors.New("a worker that claims namespaces it was not asked to make")
	}
	pid := cmd.Process.Pid
	if early && got.Has(Namespaces) {
		// The worker is the only child of the process that mirrors it.
		inner, err := onlyChild(pid)
		if err != nil {
			return got, fmt.Errorf("the worker says it made its namespaces, but: %w", err)
		}
		pid = inner
	}
	if got.Has(Namespaces) {
		if ns, ok := sameNamespace(pid); ok {
			return got, fmt.Errorf("the worker says it runs in namespaces of its own, but its %s namespace is the checker's", ns)
		}
	}
	if got.Has(Seccomp) && !seccompOn(pid) {
		return got, errors.New("the worker says it is under seccomp, but the system says it is not")
	}
	if len(got.Missing) == 0 {
		got.Missing = nil
	}
	return got, nil
}

// onlyChild is the one child of process pid.
func onlyChild(pid int) (int, error) {
	var kids []string
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", pid, pid)); err == nil {
		kids = strings.Fields(string(b))
	} else {
		// A kernel that does not list children: look for the processes
		// whose parent is pid.
		ents, err := os.ReadDir("/proc")
		if err != nil {
			return 0, err
		}
		for _, e := range ents {
			b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
			if err != nil {
				continue
			}
			// pid (comm) state ppid …; comm may hold spaces and parentheses.
			rest := string(b[bytes.LastIndexByte(b, ')')+1:])
			if f := strings.Fields(rest); len(f) > 1 && f[1] == strconv.Itoa(pid) {
				kids = append(kids, e.Name())
			}
		}
	}
	if len(kids) != 1 {
		return 0, fmt.Errorf("the process that holds it has %d children, not one", len(kids))
	}
	return strconv.Atoi(kids[0])
}

// sameNamespace names a namespace that process pid shares with this one;
// ok is false when it shares none (or /proc cannot tell).
func sameNamespace(pid int) (string, bool) {
	for _, ns := range []string{"user", "pid", "net", "mnt", "ipc", "uts"} {
		mine, err1 := os.Readlink("/proc/self/ns/" + ns)
		its, err2 := os.Readlink(fmt.Sprintf("/proc/%d/ns/%s", pid, ns))
		if err1 == nil && err2 == nil && mine == its {
			return ns, true
		}
	}
	return "", false
}

// seccompOn checks, from outside, that a process runs under a seccomp
// filter (where /proc says; elsewhere there is nothing to check).
func seccompOn(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return true
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Seccomp:"); ok {
			return strings.TrimSpace(v) == "2"
		}
	}
	return true
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
