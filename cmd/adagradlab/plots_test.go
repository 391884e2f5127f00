package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func plotsCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(append([]string{"plots"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestPlotsList(t *testing.T) {
	code, out, _ := plotsCmd("--list")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 7 || !strings.HasPrefix(lines[0], "accumulation ") || !strings.HasPrefix(lines[6], "trace ") {
		t.Errorf("--list printed:\n%s", out)
	}
}

func TestPlotsHelp(t *testing.T) {
	code, _, errOut := plotsCmd("-h")
	if code != 0 || !strings.Contains(errOut, "Usage: adagradlab plots [-o DIR]") || !strings.Contains(errOut, "-format") {
		t.Errorf("exit %d, help:\n%s", code, errOut)
	}
}

// Bad names, formats and styles: exit 2 and one line naming the valid ones.
func TestPlotsUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--only", "trace,nope"}, `unknown figure "nope" (valid: accumulation, effective-lr, freeze, trajectories, zipf, loss, trace)`},
		{[]string{"--format", "png,gif"}, `unknown format "gif" (valid: png, svg, pdf)`},
		{[]string{"--style", "poster"}, `unknown style "poster" (valid: slide, paper)`},
		{[]string{"--format", ","}, `--format is empty (valid: png, svg, pdf)`},
		{[]string{"--bogus"}, `flag provided but not defined: -bogus`},
		{[]string{"trace"}, `unexpected argument "trace"`},
	} {
		out := filepath.Join(dir, "never")
		code, stdout, stderr := plotsCmd(append([]string{"-o", out}, tc.args...)...)
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		last := lines[len(lines)-1]
		if code != 2 || !strings.HasPrefix(last, "adagradlab plots: ") || !strings.Contains(last, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, stderr, tc.want)
		}
		if len(lines) != 1 {
			t.Errorf("%v: %d lines of error, want 1", tc.args, len(lines))
		}
		if stdout != "" {
			t.Errorf("%v: printed %q", tc.args, stdout)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: created %s", tc.args, out)
		}
	}
}

// Two runs write byte-identical files, in every format.
func TestPlotsWritesDeterministically(t *testing.T) {
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	for _, dir := range []string{a, b} {
		code, out, errOut := plotsCmd("-o", dir, "--only", "trace,accumulation", "--format", "png,svg,pdf", "--style", "paper")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if n := len(strings.Split(strings.TrimSpace(out), "\n")); n != 8 {
			t.Errorf("printed %d paths, want 8:\n%s", n, out)
		}
	}
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		x, _ := os.ReadFile(filepath.Join(a, e.Name()))
		y, err := os.ReadFile(filepath.Join(b, e.Name()))
		if err != nil || !bytes.Equal(x, y) || len(x) == 0 {
			t.Errorf("%s differs between two runs", e.Name())
		}
	}
	want := "accumulation.csv accumulation.pdf accumulation.png accumulation.svg trace.csv trace.pdf trace.png trace.svg"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("wrote %s, want %s", got, want)
	}
}

// An output folder that cannot be made is an error (exit 1) and leaves
// nothing behind.
func TestPlotsUnwritableOutput(t *testing.T) {
	parent := t.TempDir()
	blocker := filepath.Join(parent, "file")
	if err := os.WriteFile(blocker, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{blocker, filepath.Join(blocker, "out")} {
		code, out, errOut := plotsCmd("-o", dir, "--only", "trace")
		if code != 1 || !strings.HasPrefix(errOut, "adagradlab plots: ") || out != "" {
			t.Errorf("-o %s: exit %d, stdout %q, stderr %q", dir, code, out, errOut)
		}
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("left behind: %v", names)
	}
}
