package main

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/adagradlab/adagradlab/checker/result"
	"github.com/adagradlab/adagradlab/checker/synth"
)

// The checker starts this test binary as its worker (os.Executable() with
// check-worker); this init answers before the test framework starts. It runs
// the worker directly, whatever order the files' init functions run in.
// With ADAGRADLAB_TEST_MAIN set, the test binary is adagradlab itself, for
// tests that need a whole process (signals).
func init() {
	if len(os.Args) > 1 && os.Args[1] == "check-worker" && os.Getenv("ADAGRADLAB_CHECK_WORKER") != "" {
		runCheckWorker(nil, os.Stdout, os.Stderr) // exits
	}
	if os.Getenv("ADAGRADLAB_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
}

func runCheckCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheckUsage(t *testing.T) {
	for _, args := range [][]string{
		{"check"},
		{"check", "--jobs", "-1", "x.go"},
		{"check", "--only", "q9", "."},
		{"check", "--timeout", "1ns", "."},
		{"check", "--bogus", "."},
		{"check", "/nonexistent/path.go"},
		{"check", "--shard", "1/2", "."},                 // no seed
		{"check", "--seed", "3", "--shard", "3/2", "."},  // k > n
		{"check", "--seed", "3", "--shard", "1/2x", "."}, // not k/n
		{"merge"},
	} {
		if code, _, errOut := runCheckCmd(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errOut)
		}
	}
	code, _, errOut := runCheckCmd("check", "-h")
	if code != 0 || !strings.Contains(errOut, "Usage: adagradlab check") || !strings.Contains(errOut, "-seed") {
		t.Errorf("-h: exit %d\n%s", code, errOut)
	}
	if code, _, _ := runCheckCmd("check-worker"); code == 0 {
		t.Error("check-worker by hand succeeded")
	}
	var help bytes.Buffer
	printHelp(&help)
	if !strings.Contains(help.String(), "check ") || strings.Contains(help.String(), "check-worker") {
		t.Errorf("help:\n%s", help.String())
	}
}

// A batch end to end: reports written, summary printed, exit 0, and a
// fake report printed by a submission changes nothing.
func TestCheckBatch(t *testing.T) {
	dir := t.TempDir()
	subs := filepath.Join(dir, "subs")
	os.Mkdir(subs, 0o755)
	fake, err := synth.LoadHostile("../../checker/testdata/hostile")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"alice.go": synth.Correct(), "bob.go": synth.WrongIn("q2", 0), "carol.go": ""}
	for _, h := range fake {
		if h.Name == "fake_report.go" || h.Name == "forbidden_os.go" {
			files[h.Name] = string(h.Source)
		}
	}
	for name, src := range files {
		os.WriteFile(filepath.Join(subs, name), []byte(src), 0o644)
	}
	j, c, h := filepath.Join(dir, "r.json"), filepath.Join(dir, "g.csv"), filepath.Join(dir, "r.html")
	code, out, errOut := runCheckCmd("check", "--seed", "5", "--jobs", "2", "--json", j, "--csv", c, "--html", h, subs)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "seed 5") || !strings.Contains(errOut, "[5/5]") {
		t.Errorf("progress:\n%s", errOut)
	}
	if !strings.Contains(out, "5 submissions (1 unreadable)") || !strings.Contains(out, "wrote "+c) {
		t.Errorf("summary:\n%s", out)
	}
	var rep result.Report
	b, _ := os.ReadFile(j)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	scores := map[string]int{}
	for _, s := range rep.Submissions {
		scores[s.ID] = s.Score
	}
	want := map[string]int{"alice": 100, "bob": 80, "carol": 0, "fake_report": 80, "forbidden_os": 0}
	for id, w := range want {
		if scores[id] != w {
			t.Errorf("%s: %d, want %d", id, scores[id], w)
		}
	}
	csv, _ := os.ReadFile(c)
	if !strings.HasPrefix(string(csv), "id,q1,q2,q3,q4,q5,total\nalice,20,20,20,20,20,100\n") {
		t.Errorf("csv:\n%s", csv)
	}
	if html, _ := os.ReadFile(h); !bytes.Contains(html, []byte("<!DOCTYPE html>")) {
		t.Error("no html")
	}
	// --only and the same seed: the same verdicts for that question.
	j2 := filepath.Join(dir, "r2.json")
	if code, out, errOut := runCheckCmd("check", "--quiet", "--seed", "5", "--only", "q2", "--json", j2, filepath.Join(subs, "bob.go")); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var rep2 result.Report
	b, _ = os.ReadFile(j2)
	json.Unmarshal(b, &rep2)
	if len(rep2.Submissions) != 1 || len(rep2.Submissions[0].Questions) != 1 || rep2.Submissions[0].Score != 0 { // bob left the starter: it does not forget
		t.Errorf("--only q2: %+v", rep2.Submissions)
	}
}

// A batch interrupted with SIGTERM ends at once (the bound is 2 s),
// exits 1 saying no report was written, writes none, and leaves no process
// behind: every worker, and anything a worker started, is gone.
func TestCheckSIGTERM(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	dir := t.TempDir()
	subs := filepath.Join(dir, "subs")
	os.Mkdir(subs, 0o755)
	slow := "package answers\n\nfunc init() {\n\tfor {\n\t}\n}\n"
	for i := range 6 {
		os.WriteFile(filepath.Join(subs, fmt.Sprintf("slow%d.go", i)), []byte(slow), 0o644)
	}
	os.WriteFile(filepath.Join(subs, "alice.go"), []byte(synth.Correct()), 0o644)
	out := filepath.Join(dir, "r.json")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "check", "--jobs", "2", "--timeout", "30s", "--json", out, subs)
	cmd.Env = append(os.Environ(), "ADAGRADLAB_TEST_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until both workers run the endless loops.
	var workers []int
	for start := time.Now(); len(workers) < 2; {
		if time.Since(start) > time.Minute {
			cmd.Process.Kill()
			t.Fatalf("no workers started: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
		workers = descendants(cmd.Process.Pid)
	}
	time.Sleep(200 * time.Millisecond) // into the loops
	workers = descendants(cmd.Process.Pid)
	sent := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	err = cmd.Wait()
	took := time.Since(sent)
	t.Logf("%d processes below the batch; it ended %v after SIGTERM", len(workers), took)
	if took > 2*time.Second {
		t.Errorf("SIGTERM: the batch took %v to end", took)
	}
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(stderr.String(), "interrupted: no report written") {
		t.Errorf("exit %d (%v):\n%s", code, err, stderr.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a report was written")
	}
	if matches, _ := filepath.Glob(filepath.Join(dir, ".r.json*")); len(matches) > 0 {
		t.Errorf("half a report left: %v", matches)
	}
	time.Sleep(100 * time.Millisecond)
	for _, pid := range workers {
		if alive(pid) {
			t.Errorf("process %d outlived the batch", pid)
		}
	}
}

// descendants lists the processes below pid (from /proc).
func descendants(pid int) []int {
	parent := map[int]int{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: comm may hold spaces, so cut after ")".
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) > 1 {
			parent[p], _ = strconv.Atoi(f[1])
		}
	}
	var out []int
	var walk func(int)
	walk = func(p int) {
		for c, pp := range parent {
			if pp == p {
				out = append(out, c)
				walk(c)
			}
		}
	}
	walk(pid)
	return out
}

// alive reports whether pid is a live process (not a zombie).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	return len(f) > 0 && f[0] != "Z"
}

// check --shard on each shard, then merge: the same bytes as the batch
// graded at once. A missing shard or a file that is not a report is a
// one-line error and nothing is written.
func TestShardAndMerge(t *testing.T) {
	dir, out := t.TempDir(), t.TempDir()
	for i, src := range []string{synth.Correct(), "package answers\n", synth.Correct(), synth.Correct()} {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("s%d.go", i)), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	grade := func(json string, more ...string) {
		args := append([]string{"check", "--quiet", "--only", "q1", "--seed", "9", "--json", filepath.Join(out, json)}, more...)
		if code, _, errOut := runCheckCmd(append(args, dir)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
	}
	grade("whole.json")
	for _, k := range []string{"1", "2", "3"} {
		grade("shard-"+k+".json", "--shard", k+"/3")
	}
	merged := filepath.Join(out, "merged.json")
	shard := func(k string) string { return filepath.Join(out, "shard-"+k+".json") }
	if code, _, errOut := runCheckCmd("merge", "--json", merged, shard("3"), shard("1"), shard("2")); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, errOut)
	}
	want, _ := os.ReadFile(filepath.Join(out, "whole.json"))
	got, _ := os.ReadFile(merged)
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("merged shards differ from the whole batch (-whole +merged):\n%s", d)
	}
	bad := filepath.Join(out, "bad.json")
	os.WriteFile(bad, []byte(`{"seed": "x"}`), 0o644)
	again := filepath.Join(out, "again.json")
	for _, args := range [][]string{{shard("1"), shard("2")}, {shard("1"), shard("2"), bad}} {
		code, _, errOut := runCheckCmd(append([]string{"merge", "--json", again}, args...)...)
		if code != 1 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
			t.Errorf("merge %v: exit %d, want 1 and one line: %q", args, code, errOut)
		}
		if _, err := os.Stat(again); err == nil {
			t.Errorf("merge %v wrote a report", args)
		}
	}
}

// As Gradescope runs it: the learner's file in /autograder/submission, the
// results in /autograder/results/results.json (here under a temporary
// folder). More than one submission is refused: a platform grades one.
func TestFormatGradescope(t *testing.T) {
	root := t.TempDir()
	sub, res := filepath.Join(root, "submission"), filepath.Join(root, "results")
	for _, d := range []string{sub, res} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(sub, "answers.go"), []byte(synth.Correct()), 0o644)
	out := filepath.Join(res, "results.json")
	for _, format := range []string{"gradescope", "prairielearn"} {
		if code, _, errOut := runCheckCmd("check", "--quiet", "--only", "q1", "--format", format, "--out", out, sub); code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		var r map[string]any
		b, _ := os.ReadFile(out)
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		want := map[string]float64{"gradescope": 20, "prairielearn": 1}[format]
		if r["score"] != want || len(r["tests"].([]any)) != 1 {
			t.Errorf("%s: score %v with %d tests, want %v with 1:\n%s", format, r["score"], len(r["tests"].([]any)), want, b)
		}
	}
	os.WriteFile(filepath.Join(sub, "more.go"), []byte(synth.Correct()), 0o644)
	if code, _, _ := runCheckCmd("check", "--quiet", "--only", "q1", "--format", "gradescope", "--out", out, sub); code != 1 {
		t.Errorf("two submissions with --format: exit %d, want 1", code)
	}
	if code, _, _ := runCheckCmd("check", "--format", "canvas", sub); code != 2 {
		t.Errorf("--format canvas: exit %d, want 2", code)
	}
}

// The bundles end to end, as the platforms run them: the bundle written,
// its entry script run on a submission in the platform's folders (here
// under a temporary one), results.json read back.
func TestAutograderBundles(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	for _, c := range []struct{ platform, script, env, subdir, want string }{
		{"gradescope", "source/run_autograder", "AUTOGRADER", "submission", `"score": 20,`},
		{"prairielearn", "source/run.sh", "GRADE", "student", `"score": 1,`},
	} {
		root := t.TempDir()
		if code, _, errOut := runCheckCmd("autograder", c.platform, "-o", filepath.Join(root, "source"), "--only", "q1"); code != 0 {
			t.Fatalf("%s: exit %d: %s", c.platform, code, errOut)
		}
		os.Mkdir(filepath.Join(root, c.subdir), 0o755)
		os.WriteFile(filepath.Join(root, c.subdir, "answers.go"), []byte(synth.Correct()), 0o644)
		if c.platform == "gradescope" {
			// What is uploaded: the three files at the zip's root.
			zr, err := zip.OpenReader(filepath.Join(root, "source.zip"))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range zr.File {
				names = append(names, f.Name)
			}
			zr.Close()
			if d := cmp.Diff([]string{"setup.sh", "run_autograder", "adagradlab"}, names); d != "" {
				t.Errorf("source.zip (-want +got):\n%s", d)
			}
		}
		cmd := exec.Command("bash", filepath.Join(root, c.script))
		// The copied binary is this test binary, which runs as adagradlab
		// with ADAGRADLAB_TEST_MAIN (see init).
		cmd.Env = append(os.Environ(), c.env+"="+root, "ADAGRADLAB_TEST_MAIN=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", c.script, err, out)
		}
		b, err := os.ReadFile(filepath.Join(root, "results", "results.json"))
		if err != nil || !strings.Contains(string(b), c.want) {
			t.Errorf("%s: results.json (%v) does not hold %s:\n%s", c.platform, err, c.want, b)
		}
	}
}
