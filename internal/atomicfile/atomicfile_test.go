package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteReplacesWhole(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "gradebook.csv")
	if err := Write(name, []byte("old\n")); err != nil {
		t.Fatal(err)
	}
	if err := Write(name, []byte("new\n")); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(name)
	entries, _ := os.ReadDir(dir)
	if string(got) != "new\n" || len(entries) != 1 {
		t.Errorf("content %q, folder %v", got, entries)
	}
	if info, _ := os.Stat(name); info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
}

// A writer that fails half-way leaves the old file as it was and no
// temporary file behind.
func TestFailedWriteKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "report.json")
	os.WriteFile(name, []byte("old"), 0o644)
	err := WriteFile(name, func(w io.Writer) error {
		io.WriteString(w, "half a rep")
		return errors.New("disk on fire")
	})
	if err == nil || !strings.Contains(err.Error(), "report.json") || !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("error %v should name the file and the cause", err)
	}
	got, _ := os.ReadFile(name)
	entries, _ := os.ReadDir(dir)
	if string(got) != "old" || len(entries) != 1 {
		t.Errorf("content %q, folder %v", got, entries)
	}
	if err := Write(filepath.Join(dir, "missing", "x"), nil); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}
