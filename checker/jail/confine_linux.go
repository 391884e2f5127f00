package jail

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"github.com/landlock-lsm/go-landlock/landlock"
	ll "github.com/landlock-lsm/go-landlock/landlock/syscall"
	"golang.org/x/sys/unix"
	"kernel.org/pub/linux/libs/security/libcap/psx"
)

// Confine jails the calling process for good, before it reads a line of the
// learner's code: stray descriptors closed, limits set, capabilities
// dropped, landlock, then seccomp. keep are the descriptors it may go on
// using (its pipes). A layer the system lacks is reported missing; a layer
// the system has but that fails to apply is an error, and the worker must
// not go on.
func Confine(l Limits, keep ...int) (Report, error) {
	var rep Report
	if os.Getenv(UnshareEnv) == "1" {
		// Asked to make its namespaces before the runtime started: say
		// whether it did (the judge checks from outside, and starts
		// another worker where it did not).
		rep.add(Namespaces, unsharedEarly())
	}
	// Whatever runs after the filter must not need a file: the local time
	// zone is read now (time.Local loads it lazily).
	_ = time.Now().Local().String()
	// psx, which applies landlock and drops capabilities on every thread of a
	// cgo binary, finds the threads in /proc/<pid>/task: in a pid namespace
	// that must be a /proc of the namespace, or it waits for threads that
	// are not ours.
	allThreads := error(nil)
	if os.Getpid() == 1 {
		allThreads = mountProc()
	}
	if err := closeStray(keep); err != nil {
		return rep, fmt.Errorf("closing inherited descriptors: %w", err)
	}
	if err := setRlimits(l); err != nil {
		return rep, fmt.Errorf("resource limits: %w", err)
	}
	rep.add(Rlimits, nil)
	if allThreads == nil {
		if err := dropCaps(); err != nil {
			return rep, fmt.Errorf("dropping capabilities: %w", err)
		}
	}
	if allThreads != nil {
		rep.add(Landlock, unsupported("no /proc of its own for the pid namespace: "+allThreads.Error()))
	} else if err := applyLandlock(); err != nil {
		if !errors.Is(err, errUnsupported) {
			return rep, fmt.Errorf("landlock: %w", err)
		}
		rep.add(Landlock, err)
	} else {
		rep.add(Landlock, nil)
	}
	if err := applySeccomp(); err != nil {
		if !errors.Is(err, errUnsupported) {
			return rep, fmt.Errorf("seccomp: %w", err)
		}
		rep.add(Seccomp, err)
	} else {
		rep.add(Seccomp, nil)
	}
	return rep, nil
}

// errUnsupported marks a layer the system does not have.
var errUnsupported = errors.New("not supported")

type unsupported string

func (u unsupported) Error() string        { return string(u) }
func (u unsupported) Is(target error) bool { return target == errUnsupported }

// mountProc mounts a /proc of the worker's own pid namespace over the
// machine's, in its own mount namespace (which propagates nothing back).
func mountProc() error {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return err
	}
	return unix.Mount("proc", "/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "")
}

// closeStray closes every descriptor but keep and the runtime's own (an
// epoll or event fd): a parent that leaked one must not hand it to learner
// code.
func closeStray(keep []int) error {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return nil // no /proc: nothing to enumerate; exec closed what had CLOEXEC
	}
	names, err := d.Readdirnames(-1)
	dfd := int(d.Fd())
	d.Close()
	if err != nil {
		return err
	}
	for _, n := range names {
		fd, err := strconv.Atoi(n)
		if err != nil || fd == dfd || fd <= 2 || contains(keep, fd) {
			continue
		}
		if target, err := os.Readlink("/proc/self/fd/" + n); err == nil && strings.HasPrefix(target, "anon_inode:") {
			continue
		}
		if err := syscall.Close(fd); err != nil && err != syscall.EBADF {
			return err
		}
	}
	return nil
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func setRlimits(l Limits) error {
	set := func(res int, n uint64) error {
		return unix.Setrlimit(res, &unix.Rlimit{Cur: n, Max: n})
	}
	if l.MemoryMB > 0 {
		// The Go runtime reserves address space it never touches, several
		// hundred MB before main runs: the limit is on top of what the
		// process has mapped now.
		if err := set(unix.RLIMIT_AS, mappedBytes()+uint64(l.MemoryMB)<<20); err != nil {
			return err
		}
	}
	if l.CPUSeconds > 0 {
		// The soft limit sends SIGXCPU, which kills a Go program; the hard
		// one, a second later, SIGKILL.
		n := uint64(l.CPUSeconds)
		if err := unix.Setrlimit(unix.RLIMIT_CPU, &unix.Rlimit{Cur: n, Max: n + 1}); err != nil {
			return err
		}
	}
	if err := set(unix.RLIMIT_CORE, 0); err != nil {
		return err
	}
	// Not a byte written to any file, and few descriptors.
	if err := set(unix.RLIMIT_FSIZE, 0); err != nil {
		return err
	}
	return set(unix.RLIMIT_NOFILE, 32)
}

// mappedBytes is the process's current virtual size.
func mappedBytes() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			if pages, err := strconv.ParseUint(f[0], 10, 64); err == nil {
				return pages * uint64(os.Getpagesize())
			}
		}
	}
	return 4 << 30
}

// dropCaps empties every thread's capability sets. In a user namespace the
// worker starts as its root: that power covers only the namespaces it owns,
// and it gives that up too.
func dropCaps() error {
	hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
	var data [2]unix.CapUserData
	_, _, errno := psx.Syscall3(unix.SYS_CAPSET, uintptr(unsafe.Pointer(&hdr)), uintptr(unsafe.Pointer(&data[0])), 0)
	runtime.KeepAlive(&hdr)
	runtime.KeepAlive(&data)
	if errno != 0 {
		return errno
	}
	return nil
}

// applyLandlock forbids every file-system access, TCP bind and connect, and
// signals or abstract sockets outside the worker's own domain, as far as
// the kernel's landlock goes (BestEffort).
func applyLandlock() error {
	abi, err := ll.LandlockGetABIVersion()
	if err != nil || abi < 1 {
		why := "not enabled in this kernel"
		if err != nil && !errors.Is(err, syscall.ENOSYS) && !errors.Is(err, syscall.EOPNOTSUPP) {
			why = err.Error()
		}
		return unsupported(why)
	}
	return landlock.V7.BestEffort().Restrict()
}
