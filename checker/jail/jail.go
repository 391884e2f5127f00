// Package jail confines the checker's worker with the operating system,
// not with the interpreter: yaegi is not memory-safe, so a submission can
// take over the worker process with no import at all, and whatever holds
// must hold against arbitrary code running in it.
//
// The layers, outermost first (each one alone stops the attacks the issue
// tracker has seen; together they leave a process that can only compute
// and talk on the pipes it was given):
//
//   - namespaces (Start): a fresh user namespace and, inside it, fresh pid,
//     network, mount, IPC and UTS namespaces. The worker holds no privilege
//     over the machine, sees no other process, has no network, and
//     everything it might start dies with it. The worker makes them itself
//     before its runtime starts (unshare_cgo_linux.go), so that the judge's
//     start is a vfork; Check verifies them from outside;
//   - a process group of its own, killed whole (Kill), and a parent-death
//     signal, for where namespaces are not available;
//   - resource limits (Confine): address space, CPU seconds, no core dumps,
//     no file writes, few descriptors; descriptors it inherited by mistake
//     are closed;
//   - landlock (Confine): no file can be opened, executed or created, no
//     TCP port bound or connected, no signal sent out of its domain;
//   - seccomp-bpf (Confine): an allowlist of the few system calls the Go
//     runtime needs to compute and use its pipes; anything else (open,
//     execve, fork, socket, ptrace, kill of another process…) kills the
//     process at once with SIGSYS, which the parent reports as a forbidden
//     system call.
//
// A layer the system lacks (not Linux, an old kernel, a container without
// user namespaces) is reported, never silently skipped: Report.String says
// what was really applied, Report.Missing why the rest was not.
package jail

import "strings"

// Limits bound one worker process.
type Limits struct {
	MemoryMB   int `json:"memory_mb"`   // address space beyond the runtime's own (RLIMIT_AS)
	StackMB    int `json:"stack_mb"`    // one goroutine's stack (the worker sets debug.SetMaxStack)
	OutputKB   int `json:"output_kb"`   // what the learner's code may print, in all (the worker counts)
	CPUSeconds int `json:"cpu_seconds"` // CPU time of the whole worker (RLIMIT_CPU)
}

// The layers' names, as reports print them.
const (
	Namespaces = "userns" // user namespace, with pid, net, mount, ipc and uts ones inside it
	Seccomp    = "seccomp"
	Landlock   = "landlock"
	Rlimits    = "rlimits"
)

// All are the layers of a full jail, in the order reports print them.
var All = []string{Seccomp, Namespaces, Landlock, Rlimits}

// Report says which layers hold a worker.
type Report struct {
	Layers  []string          `json:"layers"`
	Missing map[string]string `json:"missing,omitempty"` // layer → why it is not applied
}

// String is the layers applied, joined by '+' in the order of All:
// "seccomp+userns+landlock+rlimits", or "none".
func (r Report) String() string {
	var out []string
	for _, l := range All {
		if r.Has(l) {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return "none"
	}
	return strings.Join(out, "+")
}

// Has reports whether layer l was applied.
func (r Report) Has(l string) bool {
	for _, x := range r.Layers {
		if x == l {
			return true
		}
	}
	return false
}

// Full reports whether every layer of All was applied.
func (r Report) Full() bool {
	for _, l := range All {
		if !r.Has(l) {
			return false
		}
	}
	return true
}

// Why lists the missing layers and their reasons in one line:
// "no landlock (not supported by the kernel); no userns (operation not permitted)".
func (r Report) Why() string {
	var out []string
	for _, l := range All {
		if r.Has(l) {
			continue
		}
		why := r.Missing[l]
		if why == "" {
			why = "not applied"
		}
		out = append(out, "no "+l+" ("+why+")")
	}
	return strings.Join(out, "; ")
}

// Meet is what both reports applied: the weaker of two workers' jails.
func Meet(a, b Report) Report {
	out := Report{Missing: map[string]string{}}
	for _, l := range All {
		switch {
		case a.Has(l) && b.Has(l):
			out.Layers = append(out.Layers, l)
		case !a.Has(l):
			out.Missing[l] = a.Missing[l]
		default:
			out.Missing[l] = b.Missing[l]
		}
	}
	if len(out.Missing) == 0 {
		out.Missing = nil
	}
	return out
}

// join is what two reports of one worker say together: Start's and its
// hello's.
func join(a, b Report) Report {
	out := Report{Layers: append(append([]string(nil), a.Layers...), b.Layers...), Missing: map[string]string{}}
	for _, r := range []Report{a, b} {
		for k, v := range r.Missing {
			out.Missing[k] = v
		}
	}
	return out
}

// add records a layer, or why it is missing.
func (r *Report) add(layer string, err error) {
	if err == nil {
		r.Layers = append(r.Layers, layer)
		return
	}
	if r.Missing == nil {
		r.Missing = map[string]string{}
	}
	r.Missing[layer] = err.Error()
}
