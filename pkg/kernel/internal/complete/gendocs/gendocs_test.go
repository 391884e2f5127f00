package main

import (
	"bytes"
	"os"
	"testing"

	"github.com/adagradlab/adagradlab/pkg/kernel/symbols"
)

// TestDocsFresh fails when docs.json.gz no longer matches the sources.
func TestDocsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("reads every preloaded package's source")
	}
	want, err := Generate(append(append([]string(nil), std...), symbols.Packages...))
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("../docs.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, want) {
		t.Fatal("pkg/kernel/internal/complete/docs.json.gz is stale: run `go generate ./pkg/kernel/...`")
	}
}
