package symbols

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/traefik/yaegi/extract"
)

// generateArgs reads the package list from the go:generate line, so the
// test checks exactly what `go generate` writes.
func generateArgs(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("symbols.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(src), "\n") {
		if rest, ok := strings.CutPrefix(line, "//go:generate go run github.com/traefik/yaegi/cmd/yaegi extract -name symbols "); ok {
			return strings.Fields(rest)
		}
	}
	t.Fatal("no yaegi extract go:generate line in symbols.go")
	return nil
}

// TestTablesFresh regenerates every table in memory and compares it with
// the committed file: a package whose API changed must be re-extracted.
func TestTablesFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks every preloaded package from source")
	}
	pkgs := generateArgs(t)
	if !slices.Equal(pkgs, Packages) {
		t.Errorf("Packages = %v, but go:generate extracts %v", Packages, pkgs)
	}
	r := strings.NewReplacer("/", "-", ".", "_", "~", "_")
	ext := extract.Extractor{Dest: "symbols"}
	for _, p := range pkgs {
		var buf bytes.Buffer
		path, err := ext.Extract(p, "symbols", &buf)
		if err != nil {
			t.Errorf("extracting %s: %v", p, err)
			continue
		}
		file := r.Replace(path) + ".go"
		have, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("%s: %v — run `go generate ./pkg/kernel/...`", file, err)
			continue
		}
		if !bytes.Equal(have, buf.Bytes()) {
			t.Errorf("%s is stale: run `go generate ./pkg/kernel/...`", file)
		}
	}
}
