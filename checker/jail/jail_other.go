//go:build !linux

package jail

import (
	"os/exec"
	"runtime"
)

var notLinux = "needs Linux; this is " + runtime.GOOS

// Start starts the command build makes. Outside Linux there are no
// namespaces; a process group where the system has them (Unix).
func Start(build func() *exec.Cmd) (*exec.Cmd, Report, error) {
	cmd := build()
	setGroup(cmd)
	var rep Report
	rep.add(Namespaces, unsupported(notLinux))
	if err := cmd.Start(); err != nil {
		return nil, rep, err
	}
	return cmd, rep, nil
}

// Confine applies what this system has: resource limits on Unix, nothing
// elsewhere.
func Confine(l Limits, keep ...int) (Report, error) {
	var rep Report
	rep.add(Rlimits, setRlimits(l))
	rep.add(Landlock, unsupported(notLinux))
	rep.add(Seccomp, unsupported(notLinux))
	return rep, nil
}

var errUnsupported = unsupported("")

type unsupported string

func (u unsupported) Error() string { return string(u) }

// ErrRestart is never returned outside Linux (see the Linux Check).
var ErrRestart = unsupported("restart")

// Check merges Start's report and the worker's own: outside Linux there is
// nothing more to see from outside.
func Check(cmd *exec.Cmd, started, claimed Report) (Report, error) {
	return join(started, claimed), nil
}
