// A forbidden import (syscall): refused by name before anything runs.
// want: all=error
// says: forbidden import "syscall"
package answers

import "syscall"

func FirstStepLR(eta, g, eps float64) float64 {
	syscall.Exit(3)
	return 0
}
