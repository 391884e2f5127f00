package exercises

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"
)

func TestFilesCombine(t *testing.T) {
	for _, src := range []string{Reference(), StarterFile()} {
		if _, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0); err != nil {
			t.Fatalf("%v\n%s", err, src)
		}
		if !strings.HasPrefix(src, "package answers\n") {
			t.Errorf("package clause: %q", src[:40])
		}
	}
	for _, id := range IDs {
		if !strings.Contains(README(id), "## How it is graded") {
			t.Errorf("%s: README lacks the grading section", id)
		}
	}
	if _, err := Combine("package a\n", "package b\n"); err == nil {
		t.Error("two packages combined")
	}
}
