package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRelease(t *testing.T) {
	in, out := t.TempDir(), filepath.Join(t.TempDir(), "learners")
	copyFile(t, "../../pkg/notebook/testdata/instructor.ipynb", filepath.Join(in, "05-exercises.ipynb"))
	stdout, stderr, code := runCmd("release", "-o", out, in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "05-exercises.ipynb") || !strings.Contains(stdout, "2 solution(s) replaced") {
		t.Errorf("summary: %q", stdout)
	}
	got, err := os.ReadFile(filepath.Join(out, "05-exercises.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile("../../pkg/notebook/testdata/released.ipynb")
	if string(got) != string(want) {
		t.Error("released file differs from pkg/notebook/testdata/released.ipynb")
	}
}

func TestReleaseBadInput(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "a.ipynb")
	copyFile(t, "../../pkg/notebook/testdata/instructor.ipynb", good)
	bad := filepath.Join(dir, "b.ipynb")
	os.WriteFile(bad, []byte("this is not json"), 0o644)
	txt := filepath.Join(dir, "notes.txt")
	os.WriteFile(txt, []byte("hi"), 0o644)
	out := filepath.Join(t.TempDir(), "out")

	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"release", good}, 2, "-o DIR is required"},
		{[]string{"release", "-o", dir, good}, 2, "would overwrite the solutions"},
		{[]string{"release", "-o", out, txt}, 2, "notes.txt is not a notebook"},
		{[]string{"release", "-o", out, filepath.Join(dir, "missing.ipynb")}, 2, "missing.ipynb"},
		{[]string{"release", "-o", out, good, bad}, 1, "b.ipynb: not a notebook: invalid JSON"},
		{[]string{"release", "-o", out, t.TempDir()}, 2, "has no notebooks"},
	}
	for _, c := range cases {
		_, stderr, code := runCmd(c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line containing %q", c.args[1:], code, stderr, c.code, c.want)
		}
	}
	// The batch with one bad notebook wrote nothing, not even the good one.
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output folder exists after a failed release: %v", err)
	}
}
