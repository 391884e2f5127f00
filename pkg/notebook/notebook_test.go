package notebook

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
)

// testdata/released.ipynb is Release's output for testdata/instructor.ipynb;
// regenerate it with
//
//	go test ./pkg/notebook -run TestReleaseGolden -update
var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRoundTrip: a notebook as nbformat writes it comes back byte for byte,
// Unicode, HTML characters and the spelling of numbers ("1.50") included.
func TestRoundTrip(t *testing.T) {
	in := readTestdata(t, "instructor.ipynb")
	nb, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := nb.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(in, out) {
		t.Errorf("round trip changed the notebook:\n%s", out)
	}
}

func TestReleaseGolden(t *testing.T) {
	nb, err := Parse(readTestdata(t, "instructor.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	st, err := nb.Release()
	if err != nil {
		t.Fatal(err)
	}
	if st.Solutions != 2 || st.Cleared != 2 {
		t.Errorf("stats %+v, want 2 solutions replaced and 2 code cells cleared", st)
	}
	out, _ := nb.Marshal()
	if *update {
		os.WriteFile("testdata/released.ipynb", out, 0o644)
	}
	if want := readTestdata(t, "released.ipynb"); !bytes.Equal(out, want) {
		t.Errorf("released notebook differs from testdata/released.ipynb (-update if intended):\n%s", out)
	}
	// Whatever the golden says, no trace of a solution may remain.
	if bytes.Contains(out, []byte("SECRET-SOLUTION")) {
		t.Error("the released notebook still contains solution text")
	}
	cells := nb.Cells()
	if got := cells[2].Source(); got != "func FirstStepLR(eta, g, eps float64) float64 {\n\t// your code here\n\treturn 0\n}\n" {
		t.Errorf("solution cell's source is %q, want the starter", got)
	}
	if cells[2].Metadata()["role"] != "starter" || cells[2].Metadata()["exercise"] != "q1" {
		t.Errorf("solution cell's metadata: %v", cells[2].Metadata())
	}
	if got := cells[1].Source(); !strings.Contains(got, "EffectiveLR") || len(cells[1]["outputs"].([]any)) != 1 {
		t.Error("a cell outside the exercises was changed")
	}
}

func TestParseRejects(t *testing.T) {
	cases := map[string]string{
		"":                                      "invalid JSON",
		"\x89PNG\r\n\x1a\n":                     "invalid JSON",
		`[1, 2]`:                                "invalid JSON",
		`{"nbformat": 3, "cells": []}`:          "nbformat is 3",
		`{"nbformat": 4}`:                       "no list of cells",
		`{"nbformat": 4, "cells": [1]}`:         "cell 1 is not an object",
		`{"nbformat": 4, "cells": [{}]}`:        "cell 1 has no cell_type",
		`{"nbformat": 4, "cells": []} trailing`: "data after",
	}
	for in, want := range cases {
		_, err := Parse([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "not a notebook") {
			t.Errorf("Parse(%q): %v, want an error containing %q", in, err, want)
		}
	}
}

func TestReleaseRejects(t *testing.T) {
	noStarter := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
		{"cell_type": "code", "metadata": {"adagradlab": {"exercise": "q2", "role": "solution"}}, "source": "x", "outputs": []}]}`
	nb, _ := Parse([]byte(noStarter))
	if _, err := nb.Release(); err == nil || !strings.Contains(err.Error(), `cell 1 (exercise "q2") is marked as a solution but has no "starter"`) {
		t.Errorf("solution without starter: %v", err)
	}
	unmarked := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {"adagradlab": {"exercises": true}}, "cells": [
		{"cell_type": "code", "metadata": {}, "source": "func FirstStepLR() {}", "outputs": []}]}`
	nb, _ = Parse([]byte(unmarked))
	if _, err := nb.Release(); err == nil || !strings.Contains(err.Error(), "no cell is marked as a solution") {
		t.Errorf("exercises notebook without solutions: %v", err)
	}
}

func TestWriteFileAtomicLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	nb, _ := Parse(readTestdata(t, "instructor.ipynb"))
	if err := nb.WriteFile(dir + "/a.ipynb"); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "a.ipynb" {
		t.Errorf("folder holds %v, want only a.ipynb", entries)
	}
	if err := nb.WriteFile(dir + "/missing/a.ipynb"); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}
