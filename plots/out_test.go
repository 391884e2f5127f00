package plots

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// regenerate is the command written down next to plots/out.
const regenerate = "make plots  (or: go run ./cmd/adagradlab plots -o plots/out)"

// TestLectureSetUpToDate rebuilds the lecture set (slide style, PNG and
// SVG, with CSVs) and compares it with what is committed in plots/out: the
// same files, CSV and SVG equal up to rounding in the last digits, PNG within
// comparePNG's tolerance.
func TestLectureSetUpToDate(t *testing.T) {
	files, err := Build(nil, Slide(), []string{"png", "svg"})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir("out")
	if err != nil {
		t.Fatalf("plots/out is missing: %v\nregenerate it: %s", err, regenerate)
	}
	var have []string
	for _, e := range entries {
		if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
			have = append(have, e.Name())
		}
	}
	var want []string
	for _, f := range files {
		want = append(want, f.Name)
	}
	sort.Strings(want)
	missing, extra := difference(want, have), difference(have, want)
	if len(missing) > 0 {
		t.Errorf("plots/out lacks %s\nregenerate it: %s", strings.Join(missing, ", "), regenerate)
	}
	if len(extra) > 0 {
		t.Errorf("plots/out holds %s, which the lecture set no longer has: delete it", strings.Join(extra, ", "))
	}
	for _, f := range files {
		old, err := os.ReadFile(filepath.Join("out", f.Name))
		if err != nil {
			continue // reported above
		}
		var msg string
		switch filepath.Ext(f.Name) {
		case ".png":
			msg = comparePNG(f.Data, old)
		case ".svg":
			msg = compareText(f.Data, old, 1e-3, 0.02)
		default:
			msg = compareText(f.Data, old, 1e-8, 1e-12)
		}
		if msg != "" {
			t.Errorf("plots/out/%s is stale: %s\nregenerate it: %s", f.Name, msg, regenerate)
		}
	}
}

// difference lists the names in a that are not in b.
func difference(a, b []string) []string {
	in := map[string]bool{}
	for _, s := range b {
		in[s] = true
	}
	var d []string
	for _, s := range a {
		if !in[s] {
			d = append(d, s)
		}
	}
	return d
}
