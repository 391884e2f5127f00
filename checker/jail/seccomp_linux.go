//go:build linux && (amd64 || 386 || arm)

package jail

import (
	"os"
	"runtime"

	seccomp "github.com/elastic/go-seccomp-bpf"
	"golang.org/x/sys/unix"
)

// allowed are the system calls a jailed worker may make: what the Go
// runtime (and, in a cgo binary, the C library's thread start) needs to
// run goroutines, grow its heap, handle its own signals and read and write
// the descriptors it already has. Nothing names a file, a process, a socket
// or another program.
var allowed = []string{
	"read", "write", "close",
	"mmap", "munmap", "mprotect", "madvise", "mremap", "brk",
	"futex", "sched_yield", "nanosleep", "clock_nanosleep", "clock_gettime", "gettimeofday", "restart_syscall",
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
	"getpid", "gettid",
	"epoll_create1", "epoll_ctl", "epoll_pwait", "eventfd2",
	"sched_getaffinity", "getrandom", "rseq", "set_robust_list",
	"exit", "exit_group",
}

// applySeccomp loads the filter on every thread (TSYNC), with no_new_privs.
// Threads may be made (clone with CLONE_THREAD), processes may not; clone3,
// whose flags a filter cannot read, answers ENOSYS, so that the C library
// falls back to clone. Signals go only to this process.
func applySeccomp() error {
	if !seccomp.Supported() {
		return unsupported("not enabled in this kernel")
	}
	self := uint64(os.Getpid())
	filter := seccomp.Filter{
		NoNewPrivs: true,
		Flag:       seccomp.FilterFlagTSync,
		Policy: seccomp.Policy{
			DefaultAction: seccomp.ActionKillProcess,
			Syscalls: []seccomp.SyscallGroup{
				{Action: seccomp.ActionAllow, Names: allowed},
				{Action: seccomp.ActionAllow, NamesWithCondtions: []seccomp.NameWithConditions{
					{Name: "clone", Conditions: []seccomp.Condition{{Argument: 0, Operation: seccomp.BitsSet, Value: unix.CLONE_THREAD}}},
					{Name: "tgkill", Conditions: []seccomp.Condition{{Argument: 0, Operation: seccomp.Equal, Value: self}}},
					{Name: "kill", Conditions: []seccomp.Condition{{Argument: 0, Operation: seccomp.Equal, Value: self}}},
				}},
				{Action: seccomp.Action(unix.SECCOMP_RET_ERRNO | uint32(unix.ENOSYS)), Names: []string{"clone3"}},
			},
		},
	}
	// no_new_privs is set on this thread and TSYNC copies it to the others:
	// both calls must come from the same thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return seccomp.LoadFilter(filter)
}
