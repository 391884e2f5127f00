package checker

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/adagradlab/adagradlab/checker/result"
	"github.com/adagradlab/adagradlab/checker/synth"
)

// The escapes of testdata/hostile/escape take over the worker that runs
// them (checker/worker's TestEscapeWorksUnjailed shows they do, unjailed)
// and try to overwrite a neighbour's submission, run a shell, fork, open a
// connection, kill this process and forge verdicts. Jailed, each ends its
// question crashed, does none of it, and its batch neighbours get full
// marks. They are aimed at the worker that runs them: this test binary
// (its check-worker), and the lean worker program, cmd/adagradlab-worker,
// which adagradlab starts when it lies beside it.
func TestEscapes(t *testing.T) {
	if runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		t.Skip("the escapes use linux/amd64 system call numbers")
	}
	t.Run("self", func(t *testing.T) {
		exe, err := os.Executable()
		if err != nil {
			t.Fatal(err)
		}
		testEscapes(t, exe, nil)
	})
	t.Run("lean", func(t *testing.T) {
		if testing.Short() {
			t.Skip("builds cmd/adagradlab-worker")
		}
		lean := buildLeanWorker(t)
		testEscapes(t, lean, []string{lean})
	})
}

// buildLeanWorker builds cmd/adagradlab-worker into a temporary folder.
func buildLeanWorker(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), LeanWorker)
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/adagradlab-worker").CombinedOutput()
	if err != nil {
		t.Fatalf("building the lean worker: %v\n%s", err, out)
	}
	return bin
}

// testEscapes grades the escapes, aimed at the program exe, with the
// worker command worker (nil: the default).
func testEscapes(t *testing.T, exe string, worker []string) {
	delta, err := synth.EscapeDelta(exe)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	batch, out := filepath.Join(dir, "batch"), filepath.Join(dir, "out")
	for _, d := range []string{batch, out} {
		if err := os.Mkdir(d, 0o777); err != nil {
			t.Fatal(err)
		}
	}
	honest := []byte(synth.Correct())
	neighbours := []string{"honest_a.go", "honest_b.go"}
	for _, n := range neighbours {
		if err := os.WriteFile(filepath.Join(batch, n), honest, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var connected atomic.Int32
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			connected.Add(1)
			c.Close()
		}
	}()
	marker := filepath.Join(out, "marker")
	hs, err := synth.LoadEscapes("testdata/hostile/escape", synth.Escapes{
		Delta:  delta,
		Victim: filepath.Join(batch, neighbours[0]),
		Marker: marker,
		Port:   ln.Addr().(*net.TCPAddr).Port,
		Parent: os.Getpid(),
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hs {
		if err := os.WriteFile(filepath.Join(batch, h.Name), h.Source, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	c := newChecker(t, Options{Jobs: 2, Worker: worker})
	rep, err := check(t, c, batch)
	ln.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("isolation: %s", rep.Isolation)
	byFile := map[string]result.Submission{}
	for _, s := range rep.Submissions {
		byFile[filepath.Base(s.File)] = s
	}
	for _, h := range hs {
		s, ok := byFile[h.Name]
		if !ok {
			t.Errorf("%s: no verdict", h.Name)
			continue
		}
		wantVerdicts(t, h, s)
		// q1 holds the escape; the reference answers the rest.
		if want := s.Max - 20; s.Score != want {
			t.Errorf("%s: score %d/%d, want %d (nothing for q1)", h.Name, s.Score, s.Max, want)
		}
	}
	for _, n := range neighbours {
		if s := byFile[n]; s.Max == 0 || s.Score != s.Max {
			t.Errorf("neighbour %s: %d/%d, want full marks", n, s.Score, s.Max)
		}
		if b, err := os.ReadFile(filepath.Join(batch, n)); err != nil || string(b) != string(honest) {
			t.Errorf("neighbour %s was changed (%v)", n, err)
		}
	}
	if _, err := os.Stat(marker); !os.IsNotExist(err) {
		t.Errorf("an escape left %s (%v)", marker, err)
	}
	if n := connected.Load(); n != 0 {
		t.Errorf("%d connections reached the test's port", n)
	}
	if kids := children(t); len(kids) != 0 {
		t.Errorf("processes left behind: %v", kids)
	}
}

// children lists the processes whose parent is this one.
func children(t *testing.T) []string {
	t.Helper()
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		t.Fatal(err)
	}
	me := strconv.Itoa(os.Getpid())
	var out []string
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // ended meanwhile
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if f := strings.Fields(s[i+1:]); i > 0 && len(f) > 1 && f[1] == me {
			out = append(out, s[:i+1])
		}
	}
	return out
}
