package symbols

import (
	"slices"
	"testing"

	"github.com/adagradlab/adagradlab/internal/extracttest"
)

// TestTablesFresh regenerates every table in memory and compares it with
// the committed file: a package whose API changed must be re-extracted.
func TestTablesFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks every preloaded package from source")
	}
	if _, pkgs := extracttest.Packages(t, "."); !slices.Equal(pkgs, Packages) {
		t.Errorf("Packages = %v, but go:generate extracts %v", Packages, pkgs)
	}
	extracttest.Fresh(t, ".", "go generate ./pkg/kernel/...")
}
