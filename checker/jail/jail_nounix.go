//go:build !unix

package jail

import "os/exec"

func setGroup(*exec.Cmd) {}

// Kill kills the worker.
func Kill(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}

// Signal is always "" here: no signals.
func Signal(*exec.Cmd) string { return "" }

func setRlimits(Limits) error { return unsupported("no resource limits on this system") }
