package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/adagradlab/adagradlab/checker/result"
)

func sample() *result.Report {
	q := func(id string, score int, st result.Status, fb ...string) result.Question {
		return result.Question{ID: id, Score: score, Max: 20, Status: st, Feedback: fb}
	}
	s := []result.Submission{
		{ID: "alice", File: "alice.go", Questions: []result.Question{q("q1", 20, result.Passed), q("q3", 10, result.Partial, "LRAfter(<1>) = 0")}},
		{ID: "=cmd()", File: "x.go", Error: "empty file", Questions: []result.Question{q("q1", 0, result.Error, "not graded: empty file"), q("q3", 0, result.Error)}},
	}
	for i := range s {
		s[i].Total()
	}
	return &result.Report{Seed: 42, Questions: []string{"q1", "q3"}, TimeoutMS: 2000, Submissions: s}
}

func TestCSV(t *testing.T) {
	var b bytes.Buffer
	if err := CSV(&b, sample()); err != nil {
		t.Fatal(err)
	}
	want := "id,q1,q2,q3,q4,q5,total\nalice,20,,10,,,30\n'=cmd(),0,,0,,,0\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestJSONShape(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"seed": 42`, `"id": "alice"`, `"file": "alice.go"`, `"score": 30`, `"max": 40`, `"status": "partial"`, `"feedback": [`, `"LRAfter(<1>) = 0"`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b.String())
		}
	}
}

func TestHTMLAndSummaryAreDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	HTML(&a, sample())
	HTML(&b, sample())
	if a.String() != b.String() || !strings.Contains(a.String(), "LRAfter(&lt;1&gt;) = 0") || !strings.Contains(a.String(), "--seed 42") {
		t.Errorf("html:\n%s", a.String())
	}
	var s bytes.Buffer
	Summary(&s, sample())
	for _, want := range []string{"passed", "crashed", "q3", "2 submissions (1 unreadable), mean 15.0/40, seed 42"} {
		if !strings.Contains(s.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, s.String())
		}
	}
}

// A write that fails half-way leaves the old file as it was, and no
// temporary file behind.
func TestWriteFileIsAtomic(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "grades.csv")
	if err := WriteFile(name, func(w io.Writer) error { _, err := io.WriteString(w, "old\n"); return err }); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(name, func(w io.Writer) error {
		io.WriteString(w, "half a gradebo")
		return errors.New("interrupted")
	})
	if err == nil {
		t.Fatal("no error")
	}
	b, _ := os.ReadFile(name)
	if string(b) != "old\n" {
		t.Errorf("file is %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// JSON, written a submission at a time, is exactly the indented encoding of
// the whole report, for an empty batch too.
func TestJSONStreamsTheReport(t *testing.T) {
	for _, r := range []*result.Report{sample(), {Seed: 1, Questions: []string{"q1"}, Submissions: []result.Submission{}}} {
		var b bytes.Buffer
		if err := JSON(&b, r); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		enc.Encode(r)
		if b.String() != want.String() {
			t.Errorf("streamed:\n%s\nwhole:\n%s", b.String(), want.String())
		}
	}
}
