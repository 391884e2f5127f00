package session

import "syscall"

// dieWithParent makes the kernel's death (even by SIGKILL) kill the child,
// which may be deep in a runaway loop and never read its closed pipe.
func dieWithParent(a *syscall.SysProcAttr) { a.Pdeathsig = syscall.SIGKILL }
