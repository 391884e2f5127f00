package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKernelInstallAndUninstall(t *testing.T) {
	prefix := t.TempDir()
	var out, errb bytes.Buffer
	if code := run([]string{"kernel", "install", "--prefix", prefix}, &out, &errb); code != 0 {
		t.Fatalf("install exit %d: %s", code, errb.String())
	}
	dir := filepath.Join(prefix, "share", "jupyter", "kernels", "adagradlab")
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Argv          []string `json:"argv"`
		DisplayName   string   `json:"display_name"`
		Language      string   `json:"language"`
		InterruptMode string   `json:"interrupt_mode"`
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	if spec.DisplayName != "Go (Adagrad)" || spec.Language != "go" || spec.InterruptMode != "message" ||
		!filepath.IsAbs(spec.Argv[0]) || strings.Join(spec.Argv[1:], " ") != "kernel {connection_file}" {
		t.Fatalf("spec %+v", spec)
	}
	for _, size := range []int{32, 64} {
		f, err := os.Open(filepath.Join(dir, fmt.Sprintf("logo-%dx%d.png", size, size)))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() != size {
			t.Fatalf("logo %d: %v %v", size, err, img.Bounds())
		}
	}
	if code := run([]string{"kernel", "uninstall", "--prefix", prefix}, &out, &errb); code != 0 {
		t.Fatalf("uninstall exit %d: %s", code, errb.String())
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("kernelspec still there: %v", err)
	}
	if code := run([]string{"kernel", "uninstall", "--prefix", prefix}, &out, &errb); code != 1 {
		t.Fatalf("second uninstall exit %d, want 1", code)
	}
}

func TestKernelUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"kernel"}, &out, &errb); code != 2 {
		t.Fatalf("exit %d", code)
	}
	if code := run([]string{"kernel", "install", "--user", "--prefix", "x"}, &out, &errb); code != 2 {
		t.Fatalf("exit %d", code)
	}
	if code := run([]string{"kernel", "/nonexistent/connection.json"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "connection file") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	errb.Reset()
	if code := run([]string{"kernel-exec"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "started by") {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
}

// Installed as "gophernotes", the kernel is what a gophernotes notebook's
// metadata names; a name Jupyter would not take is refused.
func TestKernelInstallAsGophernotes(t *testing.T) {
	prefix := t.TempDir()
	var out, errb bytes.Buffer
	if code := run([]string{"kernel", "install", "--prefix", prefix, "--name", "gophernotes"}, &out, &errb); code != 0 {
		t.Fatalf("install exit %d: %s", code, errb.String())
	}
	spec := filepath.Join(prefix, "share", "jupyter", "kernels", "gophernotes", "kernel.json")
	if _, err := os.Stat(spec); err != nil || !strings.Contains(out.String(), "installed kernelspec gophernotes") {
		t.Fatalf("%v; said %q", err, out.String())
	}
	if code := run([]string{"kernel", "uninstall", "--prefix", prefix, "--name", "gophernotes"}, &out, &errb); code != 0 {
		t.Fatalf("uninstall exit %d: %s", code, errb.String())
	}
	errb.Reset()
	if code := run([]string{"kernel", "install", "--prefix", prefix, "--name", "../evil"}, &out, &errb); code != 1 || !strings.Contains(errb.String(), "kernel name") {
		t.Fatalf("a bad name: exit %d: %s", code, errb.String())
	}
}
