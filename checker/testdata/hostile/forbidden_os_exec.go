// A forbidden import (os/exec): refused by name before anything runs.
// want: all=error
// says: forbidden import "os/exec"
package answers

import "os/exec"

func FirstStepLR(eta, g, eps float64) float64 {
	exec.Command("sh").Run()
	return 0
}
