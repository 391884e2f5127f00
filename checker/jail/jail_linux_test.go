package jail

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	ll "github.com/landlock-lsm/go-landlock/landlock/syscall"
)

// The test binary is also the jailed child: with JAIL_TEST_CHILD set, it
// applies the layers that variable names and then does JAIL_TEST_DO, as
// compiled Go (no interpreter): what the jail allows and refuses does not
// depend on how code got to run.
func TestMain(m *testing.M) {
	if layers := os.Getenv("JAIL_TEST_CHILD"); layers != "" {
		os.Exit(child(layers, os.Getenv("JAIL_TEST_DO"), os.Getenv("JAIL_TEST_DIR")))
	}
	os.Exit(m.Run())
}

func child(layers, do, dir string) int {
	switch layers {
	case "all":
		if _, err := Confine(Limits{MemoryMB: 256}, 0, 1, 2); err != nil {
			fmt.Fprintln(os.Stderr, "confine:", err)
			return 3
		}
	case "landlock":
		if err := applyLandlock(); err != nil {
			fmt.Fprintln(os.Stderr, "landlock:", err)
			return 3
		}
	case "none":
	}
	var err error
	switch do {
	case "nothing":
	case "compute":
		// What honest grading does: goroutines, the collector, timers,
		// maps, a panic recovered, output on the pipes it has.
		var wg sync.WaitGroup
		sum := make([]float64, 8)
		for i := range sum {
			wg.Go(func() {
				m := map[int][]byte{}
				for j := range 2000 {
					m[j] = make([]byte, 1024)
					sum[i] += float64(len(m[j]))
				}
			})
		}
		wg.Wait()
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		<-time.After(time.Millisecond)
		func() {
			defer func() { recover() }()
			var a []int
			_ = a[3]
		}()
		_ = time.Now().Format(time.RFC3339)
		fmt.Println("computed", sum[0])
	case "open":
		_, err = os.Open("/etc/hostname")
	case "create":
		err = os.WriteFile(dir+"/pwned", []byte("x"), 0o644)
	case "exec":
		err = syscall.Exec("/bin/sh", []string{"sh", "-c", "echo x > " + dir + "/pwned"}, nil)
	case "fork":
		_, err = syscall.ForkExec("/bin/true", []string{"true"}, nil)
	case "socket":
		_, err = net.Dial("tcp", "127.0.0.1:9")
	case "kill-parent":
		err = syscall.Kill(os.Getppid(), syscall.SIGKILL)
	case "ptrace":
		_, _, e := syscall.RawSyscall(syscall.SYS_PTRACE, syscall.PTRACE_ATTACH, uintptr(os.Getppid()), 0)
		if e != 0 {
			err = e
		}
	default:
		err = fmt.Errorf("unknown JAIL_TEST_DO %q", do)
	}
	if err != nil {
		fmt.Println("refused:", err)
		return 4
	}
	fmt.Println("did", do)
	return 0
}

// runChild runs the test binary jailed with layers and doing do, in
// namespaces when ns, and says how it ended.
func runChild(t testing.TB, layers, do string, ns bool) (out string, sig string, code int) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var stdout bytes.Buffer
	build := func() *exec.Cmd {
		cmd := exec.Command(exe)
		cmd.Env = []string{"JAIL_TEST_CHILD=" + layers, "JAIL_TEST_DO=" + do, "JAIL_TEST_DIR=" + dir}
		stdout.Reset()
		cmd.Stdout, cmd.Stderr = &stdout, &stdout
		return cmd
	}
	var cmd *exec.Cmd
	if ns {
		cmd, _, err = Start(build)
	} else {
		cmd = build()
		setup(cmd, false)
		err = cmd.Start()
	}
	if err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if _, err := os.Stat(dir + "/pwned"); err == nil {
		t.Errorf("%s, %s: a file was written", layers, do)
	}
	return stdout.String(), Signal(cmd), cmd.ProcessState.ExitCode()
}

// Jailed, the Go runtime computes as usual, and every way out of the
// process ends it with SIGSYS before it happens.
func TestConfine(t *testing.T) {
	out, sig, code := runChild(t, "all", "compute", true)
	if code != 0 || !strings.Contains(out, "computed 2.048e+06") {
		t.Fatalf("compute: exit %d, %s: %s", code, sig, out)
	}
	for _, do := range []string{"open", "create", "exec", "fork", "socket", "kill-parent", "ptrace"} {
		out, sig, code := runChild(t, "all", do, true)
		if sig != "SIGSYS" {
			t.Errorf("%s: exit %d, signal %q, want SIGSYS: %s", do, code, sig, out)
		}
	}
	// Without the jail, the same child really does it: the test is not
	// passing for want of trying.
	if out, _, code := runChild(t, "none", "open", false); code != 0 {
		t.Errorf("unjailed open: exit %d: %s", code, out)
	}
}

// Landlock alone (under seccomp, nothing gets that far) refuses files.
func TestLandlockAlone(t *testing.T) {
	if v, err := ll.LandlockGetABIVersion(); err != nil || v < 1 {
		t.Skip("no landlock here")
	}
	for _, do := range []string{"open", "create", "exec"} {
		out, sig, code := runChild(t, "landlock", do, false)
		if code != 4 || !strings.Contains(out, "permission denied") {
			t.Errorf("%s: exit %d, %s: %s", do, code, sig, out)
		}
	}
}

// The report says what holds, and Start falls back, saying why, where
// namespaces are refused.
func TestReport(t *testing.T) {
	r := Report{Layers: []string{Rlimits, Seccomp}, Missing: map[string]string{Landlock: "not enabled in this kernel", Namespaces: "operation not permitted"}}
	if r.String() != "seccomp+rlimits" || r.Full() || !strings.Contains(r.Why(), "no landlock (not enabled in this kernel)") {
		t.Errorf("%s / %s", r, r.Why())
	}
	full := Report{Layers: append([]string(nil), All...)}
	if !full.Full() || full.String() != "seccomp+userns+landlock+rlimits" || Meet(full, r).String() != "seccomp+rlimits" {
		t.Errorf("%s, meet %s", full, Meet(full, r))
	}
}

// BenchmarkStart is the jail's cost per worker: starting a process that
// exits at once, with and without namespaces, with and without Confine.
func BenchmarkStart(b *testing.B) {
	for _, c := range []struct {
		name   string
		ns     bool
		layers string
	}{{"plain", false, "none"}, {"namespaces", true, "none"}, {"confine", false, "all"}, {"namespaces+confine", true, "all"}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, sig, code := runChild(b, c.layers, "nothing", c.ns); code != 0 {
					b.Fatalf("exit %d %s", code, sig)
				}
			}
		})
	}
}
