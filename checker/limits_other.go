//go:build !unix

package checker

import "os/exec"

// applyLimits has no rlimits to set outside Unix; the parent's wall-clock
// limit and the worker's own stack and heap limits still hold.
func applyLimits(Limits) error { return nil }

func ownGroup(*exec.Cmd) {}

func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		cmd.Process.Kill()
	}
}

func signalName(*exec.Cmd) string { return "" }
