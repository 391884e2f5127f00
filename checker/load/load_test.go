package load

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
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
	if got := strings.Join(ids, ","); got != "alice (a/alice.go),link,alice (b/alice.go),bob" {
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

func writeZip(t *testing.T, p string, entries map[string]string) {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(entries[n]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// No file can take another's id: a zip entry named alice.go, the same name
// typed in NFC and NFD, a Cyrillic look-alike; every id in the group is
// qualified by where it came from and warned about. Ids and file names are
// printable whatever bytes the names hold.
func TestIDsAreUnambiguousAndPrintable(t *testing.T) {
	dir := t.TempDir()
	src := "package answers\n"
	for _, name := range []string{"alice.go", "jos\u00e9.go", "jose\u0301.go", "bob.go", "b\u043eb.go", "evil\x1b[2Jname\n.go", "\u202egnp.go"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeZip(t, filepath.Join(dir, "class.zip"), map[string]string{"alice.go": src, "x/carol.go": src})
	items, err := Paths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]*Item{}
	for _, it := range items {
		if _, dup := byID[it.ID]; dup {
			t.Errorf("id %q twice", it.ID)
		}
		byID[it.ID] = it
		for _, s := range []string{it.ID, it.File, it.Warning} {
			if strings.ContainsAny(s, "\x1b\n\u202e") {
				t.Errorf("unprintable: %q", s)
			}
		}
	}
	for id, claims := range map[string]string{
		"alice (alice.go)":           "class.zip:alice.go",
		"alice (class.zip:alice.go)": "alice.go",
		"jos\u00e9 (jos\u00e9.go)":   "jose\\u0301.go",
		"bob (bob.go)":               "b\u043eb.go",
		"b\u043eb (b\u043eb.go)":     "mixes Latin and Cyrillic",
		"carol":                      "",
		`evil\x1b[2Jname\x0a`:        "",
		`\u202egnp`:                  "",
	} {
		it, ok := byID[id]
		if !ok {
			t.Errorf("no id %q among %v", id, keysOf(byID))
			continue
		}
		if !strings.Contains(it.Warning, claims) {
			t.Errorf("%s: warning %q, want it to name %q", id, it.Warning, claims)
		}
	}
}

func keysOf(m map[string]*Item) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// A path swapped for a FIFO after listing is refused at once, not waited on.
func TestFIFOSwappedInIsRefused(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "alice.go")
	os.WriteFile(p, []byte("package answers\n"), 0o644)
	items, err := Paths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(p)
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan error, 1)
	go func() { _, err := items[0].Read(); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("read a FIFO: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading a FIFO blocked")
	}
}

// Zips are open only while an entry is read: 300 of them, under a limit of
// 64 descriptors, all read.
func TestManyZipsFewDescriptors(t *testing.T) {
	dir := t.TempDir()
	for i := range 300 {
		writeZip(t, filepath.Join(dir, fmt.Sprintf("z%03d.zip", i)), map[string]string{fmt.Sprintf("s%03d.go", i): "package answers\n"})
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &old); err != nil {
		t.Skip(err)
	}
	lim := old
	lim.Cur = 64
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Skip(err)
	}
	defer syscall.Setrlimit(syscall.RLIMIT_NOFILE, &old)
	items, err := Paths([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 300 {
		t.Fatalf("%d items", len(items))
	}
	for _, it := range items {
		if s, err := it.Read(); err != nil || s.Source != "package answers\n" {
			t.Fatalf("%s: %v", it.ID, err)
		}
	}
}

// A zip of more entries than MaxZipEntries is one error, found from its
// last bytes alone; a zip64 count is read too.
func TestZipEntryLimit(t *testing.T) {
	dir := t.TempDir()
	entries := map[string]string{}
	for i := range MaxZipEntries + 1 {
		entries[fmt.Sprintf("e%d.txt", i)] = ""
	}
	p := filepath.Join(dir, "many.zip")
	writeZip(t, p, entries)
	items, err := Paths([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Err == nil || !strings.Contains(items[0].Err.Error(), "entries; the limit is") {
		t.Fatalf("%d items, %v", len(items), items[0].Err)
	}
	f, _ := os.Open(p)
	defer f.Close()
	st, _ := f.Stat()
	if n, err := zipEntryCount(f, st.Size()); err != nil || n != MaxZipEntries+1 {
		t.Errorf("count %d, %v", n, err)
	}
}

// A notebook's written answer is kept to MaxText.
func TestNotebookTextBounded(t *testing.T) {
	long := strings.Repeat("word ", MaxText)
	nb := fmt.Sprintf(`{"nbformat":4,"cells":[{"cell_type":"markdown","source":%q}]}`, "## Q1\n"+long)
	s, err := parseNotebook([]byte(nb))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Texts["q1"]) > MaxText+40 || !strings.Contains(s.Texts["q1"], "cut at 16 KiB") {
		t.Errorf("text of %d bytes", len(s.Texts["q1"]))
	}
}

// In the course's notebooks only the marked answer cells are answers: the
// exercise's heading is not, and an answer cell left as released is blank.
func TestNotebookTextsFromAnswerCells(t *testing.T) {
	nb := `{"nbformat":4,"cells":[
	 {"cell_type":"markdown","source":"## Q1 · Adagrad's first step\n\nExplain why the first step has size η.","metadata":{}},
	 {"cell_type":"markdown","source":"Q1. *Your written answer here.*","metadata":{"adagradlab":{"role":"solution","starter":"Q1. *Your written answer here.*"}}},
	 {"cell_type":"markdown","source":"## Q2 · Forgetting","metadata":{}},
	 {"cell_type":"markdown","source":"Q2. A decaying average forgets.","metadata":{"adagradlab":{"role":"solution","starter":"Q2. *Your written answer here.*"}}}]}`
	s, err := parseNotebook([]byte(nb))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Texts["q1"]; ok {
		t.Errorf("q1 is blank, yet collected %q", s.Texts["q1"])
	}
	if s.Texts["q2"] != "A decaying average forgets." {
		t.Errorf("q2 = %q", s.Texts["q2"])
	}
}
