//go:build !linux

package session

import "syscall"

// dieWithParent: elsewhere the child notices the closed request pipe when
// it next reads it.
func dieWithParent(*syscall.SysProcAttr) {}
