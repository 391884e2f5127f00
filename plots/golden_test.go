package plots

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/ (go test ./plots -update)")

// TestGolden draws every figure in paper style and compares it with
// testdata/NAME_golden.png within the tolerance of comparePNG. The lecture
// set in plots/out covers the slide style (TestLectureSetUpToDate).
func TestGolden(t *testing.T) {
	files, err := Build(nil, Paper(), []string{"png"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".png") {
			continue
		}
		checkGolden(t, strings.TrimSuffix(f.Name, ".png"), f.Data, "go test ./plots -update")
	}
}

// checkGolden compares png with testdata/NAME_golden.png within comparePNG's
// tolerance, or rewrites the golden under -update; regen is the command
// that regenerates it, for the failure message.
func checkGolden(t *testing.T, name string, png []byte, regen string) {
	t.Helper()
	golden := filepath.Join("testdata", name+"_golden.png")
	if *update {
		if err := os.WriteFile(golden, png, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Errorf("%v (run: %s)", err, regen)
		return
	}
	if msg := comparePNG(png, want); msg != "" {
		got := filepath.Join(t.TempDir(), name+".png")
		os.WriteFile(got, png, 0o644)
		t.Errorf("%s.png does not match %s: %s\n(image written to %s; if the change is intended: %s)", name, golden, msg, got, regen)
	}
}

// TestDeterministic builds the set twice in every format and style and
// wants the same bytes.
func TestDeterministic(t *testing.T) {
	for _, st := range []Style{Slide(), Paper()} {
		names := []string{"trace", "loss"}
		a, err := Build(names, st, Formats())
		if err != nil {
			t.Fatal(err)
		}
		b, err := Build(names, st, Formats())
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != len(b) || len(a) != len(names)*(1+len(Formats())) {
			t.Fatalf("%s: %d and %d files", st.Name, len(a), len(b))
		}
		for i := range a {
			if a[i].Name != b[i].Name || !bytes.Equal(a[i].Data, b[i].Data) {
				t.Errorf("%s: %s differs between two builds", st.Name, a[i].Name)
			}
		}
	}
}

// TestNoTimestamps: PDF files carry the fixed date 2000-01-01 and SVG none.
func TestNoTimestamps(t *testing.T) {
	files, err := Build([]string{"trace"}, Paper(), []string{"svg", "pdf"})
	if err != nil {
		t.Fatal(err)
	}
	year := []byte(time.Now().Format("2006"))
	for _, f := range files {
		switch {
		case strings.HasSuffix(f.Name, ".pdf"):
			if !bytes.HasPrefix(f.Data, []byte("%PDF-")) {
				t.Errorf("%s is not a PDF", f.Name)
			}
			if !bytes.Contains(f.Data, []byte("/CreationDate (D:20000101")) {
				t.Errorf("%s: no fixed creation date", f.Name)
			}
			if bytes.Contains(f.Data, []byte("(D:"+string(year))) {
				t.Errorf("%s carries this year's date", f.Name)
			}
		case strings.HasSuffix(f.Name, ".svg"):
			if bytes.Contains(f.Data, year) {
				t.Errorf("%s mentions this year", f.Name)
			}
		}
	}
}
