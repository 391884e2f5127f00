//go:build linux && !(amd64 || 386 || arm)

package jail

import "runtime"

// applySeccomp: go-seccomp-bpf knows the system call numbers of amd64, 386
// and arm only.
func applySeccomp() error {
	return unsupported("no system call table for " + runtime.GOARCH)
}
