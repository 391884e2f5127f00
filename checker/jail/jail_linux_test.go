package jail

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strconv"
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
	var confined Report
	switch layers {
	case "all":
		var err error
		if confined, err = Confine(Limits{MemoryMB: 256}, 0, 1, 2); err != nil {
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
	case "exit7":
		return 7
	case "hello":
		// What a worker does: say what holds it, then wait for its input
		// to end (the test checks it from outside meanwhile).
		rep := confined
		if layers != "all" && os.Getenv(UnshareEnv) == "1" {
			rep.add(Namespaces, unsharedEarly())
		}
		if claim := os.Getenv("JAIL_TEST_CLAIM"); claim != "" {
			rep.Layers = append(rep.Layers, strings.Split(claim, ",")...)
		}
		b, _ := json.Marshal(rep)
		fmt.Printf("%s %d\n", b, os.Getpid())
		io.Copy(io.Discard, os.Stdin)
		return 0
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
	cmd, _ := startChild(t, build, ns)
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

// startChild starts what build makes: with Start when ns, else plainly
// (a process group, no namespaces).
func startChild(t testing.TB, build func() *exec.Cmd, ns bool) (*exec.Cmd, Report) {
	t.Helper()
	if ns {
		cmd, rep, err := Start(build)
		if err != nil {
			t.Fatal(err)
		}
		return cmd, rep
	}
	cmd := build()
	setup(cmd, false)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, Report{}
}

// helloChild starts the test binary as a worker that says hello (see
// child), in namespaces when ns, claiming the extra layers of claim; it
// returns the process, Start's report, the hello's and the pid the child
// saw itself as.
func helloChild(t *testing.T, layers string, ns bool, claim string, env ...string) (*exec.Cmd, Report, Report, int, io.Closer) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var in io.WriteCloser
	var out io.ReadCloser
	build := func() *exec.Cmd {
		cmd := exec.Command(exe)
		cmd.Env = append([]string{"JAIL_TEST_CHILD=" + layers, "JAIL_TEST_DO=hello", "JAIL_TEST_CLAIM=" + claim}, env...)
		in, _ = cmd.StdinPipe()
		out, _ = cmd.StdoutPipe()
		return cmd
	}
	cmd, started := startChild(t, build, ns)
	t.Cleanup(func() { Kill(cmd); cmd.Wait() })
	var claimed Report
	var pid int
	line, err := bufio.NewReader(out).ReadString('\n')
	if i := strings.LastIndexByte(line, ' '); err != nil || i < 0 || json.Unmarshal([]byte(line[:i]), &claimed) != nil {
		t.Fatalf("no hello: %q, %v", line, err)
	} else {
		pid, _ = strconv.Atoi(strings.TrimSpace(line[i+1:]))
	}
	return cmd, started, claimed, pid, in
}

// A worker makes its own namespaces before its runtime starts (so that the
// judge's start is a vfork), and is pid 1 of its pid namespace; Check finds
// it from outside and sees its namespaces and its filter. A worker program
// built without cgo cannot: Check asks for a restart, and Start then makes
// the namespaces at fork.
func TestEarlyNamespaces(t *testing.T) {
	defer func() { nsState.Lock(); nsState.atForkNow = false; nsState.Unlock() }()
	cmd, started, claimed, pid, in := helloChild(t, "all", true, "")
	got, err := Check(cmd, started, claimed)
	if errors.Is(err, ErrRestart) {
		// Without cgo: the second start makes the namespaces at fork.
		Kill(cmd)
		cmd, started, claimed, pid, in = helloChild(t, "all", true, "")
		if !started.Has(Namespaces) {
			t.Fatalf("restarted without namespaces at fork: %+v", started)
		}
		got, err = Check(cmd, started, claimed)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !got.Has(Namespaces) || !got.Has(Seccomp) {
		t.Fatalf("jail %s (%s)", got, got.Why())
	}
	if pid != 1 {
		t.Errorf("the worker is pid %d in its namespace, want 1", pid)
	}
	in.Close()
	if err := cmd.Wait(); err != nil {
		t.Errorf("a worker at the end of its input: %v", err)
	}
	// Its exit status reaches the judge as it was.
	if _, sig, code := runChild(t, "none", "exit7", true); code != 7 || sig != "" {
		t.Errorf("exit %d, signal %q, want exit 7", code, sig)
	}
}

// Check believes no layer the system does not show: namespaces a plain
// start cannot have, a filter the kernel does not list.
func TestCheckCatchesLies(t *testing.T) {
	cmd, started, claimed, _, _ := helloChild(t, "none", false, Namespaces)
	if _, err := Check(cmd, started, claimed); err == nil || !strings.Contains(err.Error(), "namespaces") {
		t.Errorf("namespaces claimed by a plain process: %v", err)
	}
	cmd, started, claimed, _, _ = helloChild(t, "none", false, Seccomp)
	if _, err := Check(cmd, started, claimed); err == nil || !strings.Contains(err.Error(), "seccomp") {
		t.Errorf("seccomp claimed by a process without it: %v", err)
	}
}

// Where the early namespaces fail half-way (a user namespace made, but the
// process cannot map itself in it, as some security modules have it), the
// worker says so before any learner code, and the judge starts another
// with the namespaces made at fork.
func TestEarlyNamespacesUnmapped(t *testing.T) {
	defer func() { nsState.Lock(); nsState.atForkNow = false; nsState.Unlock() }()
	cmd, started, claimed, _, _ := helloChild(t, "all", true, "", "ADAGRADLAB_JAIL_TEST_UNMAPPED=1")
	_, err := Check(cmd, started, claimed)
	if !errors.Is(err, ErrRestart) {
		t.Fatalf("Check: %v (missing: %v), want ErrRestart", err, claimed.Missing)
	}
	if why := claimed.Missing[Namespaces]; !strings.Contains(why, "uid_map") && !strings.Contains(why, "cgo") {
		t.Errorf("the worker's reason: %q", why)
	}
	Kill(cmd)
	cmd, started, claimed, _, _ = helloChild(t, "all", true, "", "ADAGRADLAB_JAIL_TEST_UNMAPPED=1")
	got, err := Check(cmd, started, claimed)
	if err != nil || !started.Has(Namespaces) || !got.Has(Namespaces) {
		t.Fatalf("restarted: %v, started %+v, jail %s", err, started, got)
	}
}
