package load

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFolders(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"a/alice.go":       "package answers\n",
		"b/alice.go":       "package answers\n",
		"b/bob.ipynb":      `{"cells":[{"cell_type":"code","source":"x := 1"},{"cell_type":"markdown","source":["**Q3.** it ", "stalled"]}],"nbformat":4}`,
		".git/config.go":   "package answers\n",
		"a/notes.txt":      "not a submission",
		"a/helper_test.go": "package answers\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "a", "link.go")); err != nil {
		t.Fatal(err)
	}
	items, err := Paths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, it := range items {
		ids = append(ids, it.ID)
	}
	if got := strings.Join(ids, ","); got != "alice,link,alice-2,bob" {
		t.Fatalf("ids %s", got)
	}
	if _, err := items[1].Read(); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("symlink: %v", err)
	}
	s, err := items[3].Read()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Cells) != 1 || s.Cells[0] != "x := 1" || s.Texts["q3"] != "it stalled" {
		t.Errorf("notebook: %q %q", s.Cells, s.Texts)
	}
	if _, err := Paths([]string{filepath.Join(dir, "nope")}); err == nil {
		t.Error("a missing path is no error")
	}
}

func TestUnsafePath(t *testing.T) {
	for name, want := range map[string]bool{"a/b.go": false, "../b.go": true, "a/../../b.go": true, "/etc/b.go": true, "C:/b.go": true, "a..b.go": false} {
		if unsafePath(name) != want {
			t.Errorf("%s: %v", name, !want)
		}
	}
}
