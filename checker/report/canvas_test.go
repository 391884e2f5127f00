package report

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/adagradlab/adagradlab/checker/result"
)

func TestCanvasUser(t *testing.T) {
	for _, c := range []struct{ file, student, id string }{
		{"subs/doejane_4821_990123_answers.ipynb", "doejane", "4821"},
		{"class.zip:doejane_late_4821_990124_answers-1.go", "doejane", "4821"},
		{`C:\dl\smith-jones_77_1_q.go`, "smith-jones", "77"},
		{"alice.go", "", ""},
		{"doejane_x_1_a.go", "", ""},
	} {
		student, id, ok := CanvasUser(c.file)
		if student != c.student || id != c.id || ok != (c.id != "") {
			t.Errorf("CanvasUser(%q) = %q, %q, %v; want %q, %q", c.file, student, id, ok, c.student, c.id)
		}
	}
}

func TestCanvasCSV(t *testing.T) {
	rep := &result.Report{Submissions: []result.Submission{
		{ID: "doejane_4821_990123_answers", File: "doejane_4821_990123_answers.ipynb", Score: 85, Max: 100},
		{ID: "=cmd", File: "=cmd.go", Score: 0, Max: 100},
	}}
	var b bytes.Buffer
	unmatched, err := CanvasCSV(&b, rep, "Adagrad exercises (1234)")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Adagrad exercises (1234)"},
		{"Points Possible", "", "", "", "", "100"},
		{"doejane", "4821", "", "", "", "85"},
		{"'=cmd", "", "", "", "", "0"},
	}
	if d := cmp.Diff(want, rows); d != "" || unmatched != 1 {
		t.Errorf("unmatched %d (want 1); rows (-want +got):\n%s", unmatched, d)
	}
}
