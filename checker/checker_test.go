package checker

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/adagradlab/adagradlab/checker/jail"
	"github.com/adagradlab/adagradlab/checker/result"
	"github.com/adagradlab/adagradlab/checker/synth"
	"github.com/adagradlab/adagradlab/exercises"
)

func newChecker(t *testing.T, opts Options) *Checker {
	t.Helper()
	if opts.Seed == 0 {
		opts.Seed = 7
	}
	if opts.Jobs == 0 {
		opts.Jobs = max(2, runtime.NumCPU())
	}
	c, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// check grades a batch and reads its report into memory.
func check(t *testing.T, c *Checker, paths ...string) (*result.Report, error) {
	t.Helper()
	b, err := c.Check(context.Background(), paths)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	return b.Collect()
}

func grade(t *testing.T, c *Checker, in Input) []result.Question {
	t.Helper()
	qs, err := c.Grade(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

func statuses(qs []result.Question) map[string]result.Status {
	m := map[string]result.Status{}
	for _, q := range qs {
		m[q.ID] = q.Status
	}
	return m
}

func dump(qs []result.Question) string {
	b, _ := json.MarshalIndent(qs, "", "  ")
	return string(b)
}

// The reference solutions get full marks, under several seeds.
func TestReferencePasses(t *testing.T) {
	for _, seed := range []uint64{1, 2, 42, 1234567} {
		c := newChecker(t, Options{Seed: seed})
		qs := grade(t, c, Input{Source: synth.Correct()})
		total := 0
		for _, q := range qs {
			total += q.Score
			if q.Status != result.Passed {
				t.Errorf("seed %d: %s is %s:\n%s", seed, q.ID, q.Status, dump(qs))
			}
			if q.Review != result.NeedsReview || q.Text == "" {
				t.Errorf("seed %d: %s: the free-text answer was not collected", seed, q.ID)
			}
		}
		if total != 100 {
			t.Errorf("seed %d: total %d, want 100", seed, total)
		}
	}
}

// The starters run and fail; none is an error.
func TestStarterFails(t *testing.T) {
	qs := grade(t, newChecker(t, Options{}), Input{Source: exercises.StarterFile()})
	for _, q := range qs {
		if q.Status != result.Failed && q.Status != result.Partial {
			t.Errorf("%s: %s, want failed or partial\n%s", q.ID, q.Status, dump(qs))
		}
		if !strings.HasPrefix(q.Feedback[0], "not yet answered: ") {
			t.Errorf("%s: untouched starter's feedback starts %q, want \"not yet answered\"", q.ID, q.Feedback[0])
		}
	}
}

// The starters as notebook cells, one of them answered: only the others
// are "not yet answered", and comments or layout do not count as an answer.
func TestStarterCellsNotYetAnswered(t *testing.T) {
	var cells []string
	for _, id := range exercises.IDs {
		src := exercises.Starter(id)
		src = src[strings.Index(src, "\npackage answers\n")+len("\npackage answers\n"):]
		cells = append(cells, src)
	}
	cells[0] = "// my notes\n" + strings.ReplaceAll(cells[0], "\t", "    ")
	cells[2] = `func LRAfter(eta, g float64, steps int) float64 { return 1 }`
	qs := grade(t, newChecker(t, Options{}), Input{Name: "notebook", Cells: cells})
	for _, q := range qs {
		got := strings.HasPrefix(q.Feedback[0], "not yet answered")
		if want := q.ID != "q3"; got != want {
			t.Errorf("%s: not-yet-answered %v, want %v: %q", q.ID, got, want, q.Feedback)
		}
	}
}

// Each wrong answer loses points in its question and nowhere else.
func TestWrongAnswers(t *testing.T) {
	c := newChecker(t, Options{})
	for q, variants := range synth.Wrong {
		for v := range variants {
			qs := grade(t, c, Input{Source: synth.WrongIn(q, v)})
			for _, r := range qs {
				if r.ID == q && r.Status == result.Passed {
					t.Errorf("%s variant %d passed:\n%s", q, v, dump(qs))
				}
				if r.ID != q && r.Status != result.Passed {
					t.Errorf("%s variant %d: %s is %s:\n%s", q, v, r.ID, r.Status, dump(qs))
				}
			}
		}
	}
}

// The answers the issue says must pass or fail do so.
func TestIssueExamples(t *testing.T) {
	c := newChecker(t, Options{Questions: []string{"q2", "q3", "q5"}})
	cases := []struct {
		name, patch string
		q           string
		want        result.Status
		says        string
	}{
		{"G + g*g (Adagrad's own, the starter) earns nothing", "package answers\nfunc Accumulate(G, g float64) float64 { return G + g*g }", "q2", result.Failed, "must forget"},
		{"0.9*G + 0.1*g*g passes", "package answers\nfunc Accumulate(G, g float64) float64 { return 0.9*G + 0.1*g*g }", "q2", result.Passed, ""},
		{"the 1% rule passes", `package answers
func Diagnose(losses, gradNorms []float64) string {
	if gradNorms[len(gradNorms)-1] < 0.01*gradNorms[0] {
		return "converged"
	}
	return "stalled"
}`, "q3", result.Passed, ""},
		{"reset G and 10·lr pass", `package answers
func InterventionA(step int, lr float64, G []float64) float64 {
	for i := range G {
		G[i] = 0
	}
	return lr
}
func InterventionB(step int, lr float64, G []float64) float64 { return 10 * lr }`, "q5", result.Passed, ""},
		{"two rate schedules pass", `package answers
func InterventionA(step int, lr float64, G []float64) float64 { return 10 * lr }
func InterventionB(step int, lr float64, G []float64) float64 { return 20 * lr }`, "q5", result.Passed, ""},
		{"the same way twice is one", `package answers
func InterventionA(step int, lr float64, G []float64) float64 { return 10 * lr }
func InterventionB(step int, lr float64, G []float64) float64 { return 10 * lr }`, "q5", result.Partial, "do the same"},
		{"a hard-coded answer fails", `package answers
func LRAfter(eta, g float64, steps int) float64 { return 0.02 }`, "q3", result.Partial, "LRAfter("},
	}
	for _, tc := range cases {
		src, err := synth.Merge(synth.Correct(), tc.patch)
		if err != nil {
			t.Fatal(err)
		}
		qs := grade(t, c, Input{Source: src})
		for _, q := range qs {
			if q.ID != tc.q {
				continue
			}
			if q.Status != tc.want || !strings.Contains(strings.Join(q.Feedback, "\n"), tc.says) {
				t.Errorf("%s: %s %s, want %s saying %q:\n%s", tc.name, q.ID, q.Status, tc.want, tc.says, dump(qs))
			}
		}
	}
}

// The same seed gives the same verdicts; the inputs change with the seed.
func TestSeedReplays(t *testing.T) {
	src := synth.WrongIn("q3", 0)
	a := grade(t, newChecker(t, Options{Seed: 99, Questions: []string{"q3"}}), Input{Source: src})
	b := grade(t, newChecker(t, Options{Seed: 99, Questions: []string{"q3"}}), Input{Source: src})
	c := grade(t, newChecker(t, Options{Seed: 100, Questions: []string{"q3"}}), Input{Source: src})
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different verdicts (-first +second):\n%s", diff)
	}
	if dump(a) == dump(c) {
		t.Errorf("different seeds, same feedback (inputs not drawn from the seed?):\n%s", dump(a))
	}
}

// A notebook's code cells run in order; magics are skipped, cells with a
// forbidden import are left out and said so, markdown answers are read.
func TestNotebookCells(t *testing.T) {
	ref := synth.Correct()
	body := ref[strings.Index(ref, "import ("):]
	cells := []string{
		body,
		"%check q1",
		"import \"github.com/adagradlab/adagradlab/pkg/display\"\ndisplay.HTML(\"<b>hi</b>\")",
		"x := FirstStepLR(0.1, 0.5, 1e-8)\nx",
	}
	qs := grade(t, newChecker(t, Options{}), Input{Cells: cells, Texts: map[string]string{"q1": "my words"}})
	for _, q := range qs {
		if q.Status != result.Passed {
			t.Errorf("%s: %s\n%s", q.ID, q.Status, dump(qs))
		}
	}
	if qs[0].Text != "my words" {
		t.Errorf("q1 text %q", qs[0].Text)
	}
	// A definition in a refused cell is missing, and the feedback says why.
	cells = append(cells, "import \"os\"\nfunc Accumulate(G, g float64) float64 { os.Exit(1); return 0 }")
	cells[0] = strings.Replace(cells[0], "func Accumulate(", "func accumulateOld(", 1)
	qs = grade(t, newChecker(t, Options{Questions: []string{"q2"}}), Input{Cells: cells})
	if fb := strings.Join(qs[0].Feedback, "\n"); qs[0].Status != result.Error || !strings.Contains(fb, "missing function Accumulate") || !strings.Contains(fb, `cell 5 was not run: 1:8: forbidden import "os"`) {
		t.Errorf("q2: %s\n%s", qs[0].Status, fb)
	}
}

// Check reads .go, .ipynb, folders and zips, and every bad file is a
// per-submission error while the batch goes on.
func TestCheckBadFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("good.go", []byte(synth.Correct()))
	write("empty.go", nil)
	bin := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range bin {
		bin[i] = byte(rng.UintN(256))
	}
	write("binary.go", bin)
	huge := synth.Correct() + "\n// " + strings.Repeat("x", 10<<20) + "\n"
	write("huge.go", []byte(huge))
	nb, _ := json.Marshal(map[string]any{"nbformat": 4, "cells": []map[string]any{
		{"cell_type": "markdown", "source": []string{"## Q2: forgetting\n", "A decaying average."}},
		{"cell_type": "code", "source": []string{strings.TrimPrefix(synth.Correct(), "package answers\n")}},
	}})
	write("notebook.ipynb", nb)

	// A zip with: a good entry, ../ and absolute entries (never written
	// anywhere), a bomb that says its size, one that lies about it, and a
	// zip inside the zip.
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	add := func(name string, b []byte) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	add("class/carol.go", []byte(synth.Correct()))
	add("../escape.go", []byte(synth.Correct()))
	add("/abs/olute.go", []byte(synth.Correct()))
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "bomb.go", Method: zip.Deflate})
	zeros := make([]byte, 1<<20)
	for range 64 { // 64 MiB of zeros, about 64 KiB compressed
		w.Write(zeros)
	}
	// A bomb whose header claims 100 bytes.
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
	for range 16 {
		fw.Write(zeros)
	}
	fw.Close()
	rw, err := zw.CreateRaw(&zip.FileHeader{Name: "liar.go", Method: zip.Deflate, CompressedSize64: uint64(deflated.Len()), UncompressedSize64: 100, CRC32: 0})
	if err != nil {
		t.Fatal(err)
	}
	rw.Write(deflated.Bytes())
	var inner bytes.Buffer
	iw := zip.NewWriter(&inner)
	f, _ := iw.Create("dave.go")
	f.Write([]byte(synth.Correct()))
	iw.Close()
	add("inner.zip", inner.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	write("batch.zip", zb.Bytes())
	write("notazip.zip", []byte("PK but not really"))

	c := newChecker(t, Options{})
	rep, err := check(t, c, dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]result.Submission{}
	for _, s := range rep.Submissions {
		got[s.ID] = s
	}
	want := map[string]string{ // id → error substring ("" = graded)
		"good": "", "carol": "", "notebook": "",
		"empty": "empty file", "binary": "not a text file", "huge": "limit is 1.0 MiB",
		"escape": "unsafe path", "olute": "unsafe path", "bomb": "limit is 1.0 MiB",
		"liar": "reading", "inner": "zip inside a zip", "notazip": "not a readable zip",
	}
	for id, errWant := range want {
		s, ok := got[id]
		if !ok {
			t.Errorf("no verdict for %s (have %v)", id, keys(got))
			continue
		}
		if errWant == "" {
			if s.Error != "" || s.Score != 100 {
				t.Errorf("%s: %d/100, error %q", id, s.Score, s.Error)
			}
			continue
		}
		if !strings.Contains(s.Error, errWant) {
			t.Errorf("%s: error %q, want it to say %q", id, s.Error, errWant)
		}
		for _, q := range s.Questions {
			if q.Status != result.Error {
				t.Errorf("%s: %s is %s, want error", id, q.ID, q.Status)
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d submissions, want %d: %v", len(got), len(want), keys(got))
	}
	if q := got["notebook"].Questions[1]; q.Text != "forgetting\nA decaying average." && q.Text != "forgetting A decaying average." {
		t.Errorf("notebook q2 text %q", q.Text)
	}
	// Nothing of the zip was written next to it or above it.
	for _, p := range []string{filepath.Join(filepath.Dir(dir), "escape.go"), "/abs/olute.go", filepath.Join(dir, "class")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s exists", p)
		}
	}
}

func keys(m map[string]result.Submission) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// The hostile corpus (testdata/hostile): every file gets its verdict, the
// limit it hit is named, the other questions are graded as usual, and the
// batch finishes.
func TestHostileCorpus(t *testing.T) {
	if raceEnabled {
		t.Skip("under -race, limits are hit differently (see race_test.go)")
	}
	hs, err := synth.LoadHostile("testdata/hostile")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, h := range hs {
		if err := os.WriteFile(filepath.Join(dir, h.Name), h.Source, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The default limits: a loaded CI machine slows the recursion down
	// before it reaches the stack limit, and a shorter time limit would
	// then stop it first.
	c := newChecker(t, Options{})
	start := time.Now()
	rep, err := check(t, c, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d hostile submissions in %v", len(rep.Submissions), time.Since(start))
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
	}
}

// wantVerdicts checks a hostile file's verdicts against its want and says
// lines.
func wantVerdicts(t *testing.T, h synth.Hostile, s result.Submission) {
	t.Helper()
	var text []string
	if s.Error != "" {
		text = append(text, s.Error)
	}
	for _, q := range s.Questions {
		want := h.Want[q.ID]
		if want == nil {
			want = h.Want["rest"]
		}
		if want == nil {
			want = h.Want["all"]
		}
		if !slices.Contains(want, string(q.Status)) {
			t.Errorf("%s: %s is %s, want %v: %q", h.Name, q.ID, q.Status, want, q.Feedback)
		}
		text = append(text, q.Feedback...)
	}
	all := strings.Join(text, "\n")
	for _, say := range h.Says {
		if !strings.Contains(all, say) {
			t.Errorf("%s: feedback does not say %q:\n%s", h.Name, say, all)
		}
	}
}

// A worker that cannot start is an error of the batch, not a verdict.
func TestWorkerMissing(t *testing.T) {
	c := newChecker(t, Options{Worker: []string{"/nonexistent/adagradlab", WorkerCommand}})
	if _, err := c.Grade(context.Background(), Input{Source: synth.Correct()}); err == nil {
		t.Fatal("no error")
	}
	// A program without the subcommand (here: sh, which says so the way
	// adagradlab does) is an error too, not five crashed questions.
	c = newChecker(t, Options{Worker: []string{"/bin/sh", "-c", "echo 'adagradlab: unknown command \"check-worker\"' >&2; exit 2"}})
	if _, err := c.Grade(context.Background(), Input{Source: synth.Correct()}); err == nil || !strings.Contains(err.Error(), "did not start") || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("err = %v", err)
	}
}

func TestOptions(t *testing.T) {
	for _, bad := range [][]string{{"q6"}, {"x"}, {","}} {
		if _, err := New(Options{Questions: bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	c, err := New(Options{Questions: []string{"Q4, 1"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Options().Questions; fmt.Sprint(got) != "[q1 q4]" {
		t.Errorf("questions %v", got)
	}
}

func TestCardHTML(t *testing.T) {
	q := result.Question{ID: "q1", Score: 10, Max: 20, Status: result.Partial,
		Feedback: []string{"FirstStepLR(1, <b>, 2) = 0"}, Text: "<script>x</script>", Review: result.NeedsReview}
	h := CardHTML(q)
	for _, want := range []string{"ag-partial", "10/20", "&lt;b&gt;", "&lt;script&gt;", "needs review", "<style>"} {
		if !strings.Contains(h, want) {
			t.Errorf("card lacks %q:\n%s", want, h)
		}
	}
	if strings.Contains(h, "<script>") {
		t.Errorf("card not escaped:\n%s", h)
	}
}

// Every worker is jailed with every layer this machine has; here (Linux,
// root or user namespaces) that is all of them.
func TestIsolationReported(t *testing.T) {
	c := newChecker(t, Options{Questions: []string{"q1"}})
	grade(t, c, Input{Source: synth.Correct()})
	iso := c.Isolation()
	t.Logf("isolation: %s (%s)", iso, iso.Why())
	if runtime.GOOS == "linux" && !iso.Has(jail.Seccomp) {
		t.Errorf("no seccomp on Linux: %s", iso.Why())
	}
}

// Honest code may import both math/rand and math/rand/v2: with an alias in
// a file, as Go requires, or in two notebook cells, as the kernel allows.
func TestBothRandPackages(t *testing.T) {
	c := newChecker(t, Options{Questions: []string{"q1"}})
	q1 := "func FirstStepLR(eta, g, eps float64) float64 { return eta / (math.Sqrt(g*g) + eps) }\nfunc FirstStepRatio(g float64) float64 { return 1 / math.Abs(g) }\n"
	file := "package answers\n\nimport (\n\t\"math\"\n\t\"math/rand\"\n\trv2 \"math/rand/v2\"\n\t\"slices\"\n)\n\nvar _, _, _ = rand.Intn(3), rv2.IntN(3), slices.Contains([]int{1}, 1)\n\n" + q1
	cells := []string{"import \"math/rand\"\nvar a = rand.Intn(3)", "import \"math/rand/v2\"\nvar b = rand.IntN(3)", "import \"math\"\n" + q1}
	reversed := []string{"import \"math/rand/v2\"\nvar b = rand.IntN(3)", "import \"math/rand\"\nvar a = rand.Intn(3)", "import \"math\"\n" + q1}
	for _, in := range []Input{{Source: file}, {Cells: cells}, {Cells: reversed}} {
		if qs := grade(t, c, in); qs[0].Status != result.Passed {
			t.Errorf("%s", dump(qs))
		}
	}
}

// A report carries what re-derives its grades: the seed, the grader's
// version and toolchain, and the SHA-256 of every file's bytes (even one
// that could not be graded).
func TestReportTraceable(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{"ok.go": synth.Correct(), "empty.go": " \n"}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := newChecker(t, Options{Questions: []string{"q1"}, Seed: 7})
	rep, err := check(t, c, dir)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Seed != 7 || rep.Go != runtime.Version() || rep.Version == "" {
		t.Errorf("head: seed %d, go %q, version %q; want 7, %q and a version", rep.Seed, rep.Go, rep.Version, runtime.Version())
	}
	for _, s := range rep.Submissions {
		sum := sha256.Sum256([]byte(files[filepath.Base(s.File)]))
		if want := hex.EncodeToString(sum[:]); s.SHA256 != want {
			t.Errorf("%s: sha256 %q, want %q", s.ID, s.SHA256, want)
		}
	}
}

// A batch graded as shards and merged is the batch graded at once, byte for
// byte; Merge refuses shards that do not make one batch.
func TestShardsMergeToTheWhole(t *testing.T) {
	dir := t.TempDir()
	for i, src := range []string{synth.Correct(), "package answers\n", synth.Correct(), "", synth.Correct()} {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("s%d.go", i)), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opts := Options{Questions: []string{"q1", "q2"}, Seed: 11}
	whole, err := check(t, newChecker(t, opts), dir)
	if err != nil {
		t.Fatal(err)
	}
	shards := func(n int) []*result.Report {
		var rs []*result.Report
		for k := n; k >= 1; k-- { // given out of order
			o := opts
			o.Shard = &result.Shard{K: k, N: n}
			r, err := check(t, newChecker(t, o), dir)
			if err != nil {
				t.Fatal(err)
			}
			rs = append(rs, r)
		}
		return rs
	}
	for _, n := range []int{1, 2, 3, 7} {
		rs := shards(n)
		merged, err := Merge(rs)
		if err != nil {
			t.Fatalf("%d shards: %v", n, err)
		}
		if d := cmp.Diff(whole, merged); d != "" {
			t.Errorf("%d shards merged differ from the whole (-whole +merged):\n%s", n, d)
		}
	}
	rs := shards(3)
	other := *rs[0]
	other.Seed = 12
	for _, c := range []struct {
		give []*result.Report
		want string
	}{
		{rs[:2], "missing shard 1/3"},
		{[]*result.Report{rs[0], rs[1], rs[1]}, "given twice"},
		{[]*result.Report{&other, rs[1], rs[2]}, "seed"},
		{[]*result.Report{whole}, "not a shard"},
		// Shard fields as a hand-edited file may hold them: errors, not panics.
		{[]*result.Report{{Shard: &result.Shard{K: 1, N: -1}}}, "not between"},
		{[]*result.Report{{Shard: &result.Shard{K: 1, N: 2, Of: -1}}, {Shard: &result.Shard{K: 2, N: 2, Of: -1}}}, "a batch of -1"},
		{[]*result.Report{{Shard: &result.Shard{K: 1, N: 1 << 40}, Submissions: []result.Submission{}}}, "missing shard 2/1099511627776, 3/1099511627776, 4/1099511627776, 5/1099511627776, 6/1099511627776 and 1099511627770 more"},
	} {
		if _, err := Merge(c.give); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Merge: %v, want an error about %q", err, c.want)
		}
	}
	if _, err := New(Options{Shard: &result.Shard{K: 1, N: 2}}); err == nil {
		t.Error("a shard without a seed was accepted")
	}
}

// The lean worker is used where it lies beside the program, with the
// program's own worker to fall back on.
func TestDefaultWorker(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "adagradlab")
	if w, self := defaultWorker(exe); !slices.Equal(w, []string{exe, WorkerCommand}) || self != nil {
		t.Errorf("alone: worker %q, fallback %q", w, self)
	}
	lean := filepath.Join(dir, LeanWorker)
	if err := os.WriteFile(lean, []byte("#!/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if w, _ := defaultWorker(exe); w[0] != exe {
		t.Errorf("a lean worker that is not executable is used: %q", w)
	}
	if err := os.Chmod(lean, 0o755); err != nil {
		t.Fatal(err)
	}
	if w, self := defaultWorker(exe); !slices.Equal(w, []string{lean}) || !slices.Equal(self, []string{exe, WorkerCommand}) {
		t.Errorf("beside: worker %q, fallback %q", w, self)
	}
}

// A lean worker from another build (another protocol) is not talked to:
// grading goes on with the program's own worker, after one warning; a
// worker the options name is never replaced, and is an error.
func TestStaleLeanWorker(t *testing.T) {
	stale := filepath.Join(t.TempDir(), LeanWorker)
	script := "#!/bin/sh\necho '{\"hello\":{\"protocol\":\"0-old\",\"layers\":[]}}' >&3\nexec sleep 10\n"
	if err := os.WriteFile(stale, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var warnings []string
	c := newChecker(t, Options{Warn: func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		warnings = append(warnings, msg)
	}})
	c.worker, c.self = []string{stale}, c.worker
	for _, q := range grade(t, c, Input{Source: synth.Correct()}) {
		if q.Status != result.Passed {
			t.Errorf("%s is %s: %q", q.ID, q.Status, q.Feedback)
		}
	}
	var stale1 int
	for _, w := range warnings {
		if strings.Contains(w, "from another build") && strings.Contains(w, stale) {
			stale1++
		}
	}
	if stale1 != 1 {
		t.Errorf("want one warning about the stale worker, got %q", warnings)
	}

	named := newChecker(t, Options{Worker: []string{stale}})
	_, err := named.Grade(context.Background(), Input{Source: synth.Correct()})
	if err == nil || !strings.Contains(err.Error(), "from another build") {
		t.Errorf("a named stale worker: err = %v, want one that says it is from another build", err)
	}
}

// Feedback speaks Go, as the kernel does (cells.GoWording): a panic in the
// learner's call and a cell that does not compile read as Go would say
// them, without yaegi's own type names or reflect's panics.
func TestFeedbackSpeaksGo(t *testing.T) {
	c := newChecker(t, Options{Questions: []string{"q1"}})
	file := "package answers\n\nimport \"math\"\n\nfunc FirstStepLR(eta, g, eps float64) float64 { return eta / (math.Sqrt(g*g) + eps) }\n" +
		"func FirstStepRatio(g float64) float64 {\n\tvar xs []float64\n\treturn xs[int(g)+3]\n}\n"
	cells := []string{"import \"math\"\nfunc FirstStepLR(eta, g, eps float64) float64 { return eta / (math.Sqrt(g*g) + eps) }",
		"func FirstStepRatio(g float64) float64 {\n\tvar n int = g\n\treturn float64(n)\n}"}
	for _, in := range []Input{{Source: file}, {Cells: cells}} {
		qs := grade(t, c, in)
		all := dump(qs) + strings.Join(qs[0].Feedback, "\n")
		for _, jargon := range []string{"reflect:", "float64T", "intT"} {
			if strings.Contains(all, jargon) {
				t.Errorf("feedback has yaegi's %q: %s", jargon, all)
			}
		}
		if in.Cells == nil && !strings.Contains(all, "runtime error: index out of range") {
			t.Errorf("a panic's feedback: %s", all)
		}
	}
}
