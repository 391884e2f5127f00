package symbols_test

import (
	"maps"
	"path"
	"slices"
	"testing"

	"github.com/adagradlab/adagradlab/checker/allow"
	"github.com/adagradlab/adagradlab/checker/allow/symbols"
	"github.com/adagradlab/adagradlab/internal/extracttest"
)

// The tables are those of the allowlist, no more and no fewer.
func TestSameAsAllowed(t *testing.T) {
	if _, pkgs := extracttest.Packages(t, "."); !slices.Equal(pkgs, allow.Packages) {
		t.Errorf("go:generate extracts %v, but allow.Packages is %v", pkgs, allow.Packages)
	}
	have := map[string]bool{}
	for key := range symbols.Symbols { // "math/rand/v2/rand": the import path, then the name
		have[path.Dir(key)] = true
	}
	if got := slices.Sorted(maps.Keys(have)); !slices.Equal(got, allow.Packages) {
		t.Errorf("tables for %v, want %v", got, allow.Packages)
	}
}

func TestTablesFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the allowed packages from source")
	}
	extracttest.Fresh(t, ".", "go generate ./checker/allow/...")
}
