// Package extracttest checks, in tests, that symbol tables made by
// `yaegi extract` (a go:generate line in the package's symbols.go) are what
// extracting the listed packages gives today: a package whose API changed,
// or a new Go toolchain, needs `go generate` again.
package extracttest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/traefik/yaegi/extract"
)

// The go:generate line's prefix; the packages follow it.
const generate = "//go:generate go run github.com/traefik/yaegi/cmd/yaegi extract -name "

// Packages reads the package name and the extracted import paths from the
// go:generate line of dir/symbols.go.
func Packages(t testing.TB, dir string) (name string, pkgs []string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "symbols.go"))
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(src), "\n") {
		if rest, ok := strings.CutPrefix(line, generate); ok {
			f := strings.Fields(rest)
			if len(f) < 2 {
				break
			}
			return f[0], f[1:]
		}
	}
	t.Fatalf("no yaegi extract go:generate line in %s/symbols.go", dir)
	return "", nil
}

// Fresh extracts every package of dir's go:generate line in memory and
// compares it with the committed file; regen is the command to tell.
func Fresh(t *testing.T, dir, regen string) {
	t.Helper()
	name, pkgs := Packages(t, dir)
	r := strings.NewReplacer("/", "-", ".", "_", "~", "_")
	ext := extract.Extractor{Dest: name}
	for _, p := range pkgs {
		var buf bytes.Buffer
		path, err := ext.Extract(p, name, &buf)
		if err != nil {
			t.Errorf("extracting %s: %v", p, err)
			continue
		}
		file := filepath.Join(dir, r.Replace(path)+".go")
		have, err := os.ReadFile(file)
		if err != nil {
			t.Errorf("%s: %v — run `%s`", file, err, regen)
			continue
		}
		if !bytes.Equal(have, buf.Bytes()) {
			t.Errorf("%s is stale: run `%s`", file, regen)
		}
	}
}
