package kernel

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/adagradlab/adagradlab/internal/atomicfile"
	"github.com/adagradlab/adagradlab/pkg/display"
)

// SpecName is the kernelspec's name: `jupyter kernelspec list` shows it.
const SpecName = "adagradlab"

// GophernotesName is gophernotes' kernelspec name. Installed under it, the
// kernel runs with Options.Gophernotes.
const GophernotesName = "gophernotes"

// CheckName checks a kernelspec name: Jupyter allows letters, digits, ".",
// "-" and "_". Installing as "gophernotes" makes notebooks written for
// gophernotes open with this kernel, their metadata unchanged.
func CheckName(name string) error {
	if name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != "" || name == "." || name == ".." {
		return fmt.Errorf("kernel name %q: use letters, digits, '.', '-' and '_' only", name)
	}
	return nil
}

// Spec is the kernel.json Jupyter reads.
type Spec struct {
	Argv          []string       `json:"argv"`
	DisplayName   string         `json:"display_name"`
	Language      string         `json:"language"`
	InterruptMode string         `json:"interrupt_mode"`
	Metadata      map[string]any `json:"metadata"`
}

// NewSpec returns the spec for the binary at exe (made absolute).
func NewSpec(exe string) (Spec, error) {
	abs, err := filepath.Abs(exe)
	if err != nil {
		return Spec{}, fmt.Errorf("resolving %s: %w", exe, err)
	}
	return Spec{
		Argv:        []string{abs, "kernel", "{connection_file}"},
		DisplayName: "Go (Adagrad)",
		Language:    "go",
		// Interrupts come as messages on the control channel: a signal
		// would reach the kernel, which has nothing to interrupt itself.
		InterruptMode: "message",
		Metadata:      map[string]any{"debugger": false},
	}, nil
}

// Where says which kernels folder to install into.
type Where struct {
	User      bool
	SysPrefix bool
	Prefix    string
}

// KernelsDir resolves the kernels folder (…/share/jupyter/kernels or the
// user's data dir).
func (w Where) KernelsDir() (string, error) {
	switch {
	case w.Prefix != "":
		return filepath.Join(w.Prefix, "share", "jupyter", "kernels"), nil
	case w.SysPrefix:
		prefix, err := pythonPrefix()
		if err != nil {
			return "", err
		}
		return filepath.Join(prefix, "share", "jupyter", "kernels"), nil
	default:
		if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
			return filepath.Join(d, "kernels"), nil
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("finding the home folder: %w", err)
		}
		switch runtime.GOOS {
		case "darwin":
			return filepath.Join(home, "Library", "Jupyter", "kernels"), nil
		case "windows":
			return filepath.Join(os.Getenv("APPDATA"), "jupyter", "kernels"), nil
		}
		if x := os.Getenv("XDG_DATA_HOME"); x != "" {
			return filepath.Join(x, "jupyter", "kernels"), nil
		}
		return filepath.Join(home, ".local", "share", "jupyter", "kernels"), nil
	}
}

// pythonPrefix is sys.prefix of the active environment: $VIRTUAL_ENV, or
// what the python3 on PATH says.
func pythonPrefix() (string, error) {
	if v := os.Getenv("VIRTUAL_ENV"); v != "" {
		return v, nil
	}
	out, err := exec.Command("python3", "-c", "import sys; print(sys.prefix)").Output()
	if err != nil {
		return "", fmt.Errorf("--sys-prefix: no $VIRTUAL_ENV and python3 could not tell its prefix: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Install writes the kernelspec for exe into kernelsDir/adagradlab and
// returns that folder. Every file is written atomically.
func Install(kernelsDir, exe, name string) (string, error) {
	if err := CheckName(name); err != nil {
		return "", err
	}
	spec, err := NewSpec(exe)
	if err != nil {
		return "", err
	}
	if name == GophernotesName {
		// gophernotes' display functions too (Options.Gophernotes).
		spec.Argv = []string{spec.Argv[0], "kernel", "--gophernotes", "{connection_file}"}
		spec.DisplayName = "Go (Adagrad, as gophernotes)"
	}
	dir := filepath.Join(kernelsDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	b, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return "", err
	}
	files := map[string][]byte{"kernel.json": append(b, '\n')}
	for _, size := range []int{32, 64} {
		png, err := display.EncodePNG(Logo(size))
		if err != nil {
			return "", err
		}
		files[fmt.Sprintf("logo-%dx%d.png", size, size)] = png
	}
	for name, data := range files {
		if err := atomicfile.Write(filepath.Join(dir, name), data); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// Uninstall removes the kernelspec folder; a missing one is an error the
// user should hear about (wrong --prefix?).
func Uninstall(kernelsDir, name string) (string, error) {
	if err := CheckName(name); err != nil {
		return "", err
	}
	dir := filepath.Join(kernelsDir, name)
	if _, err := os.Stat(filepath.Join(dir, "kernel.json")); errors.Is(err, os.ErrNotExist) {
		return dir, fmt.Errorf("no %s kernel installed in %s", name, kernelsDir)
	}
	if err := os.RemoveAll(dir); err != nil {
		return dir, fmt.Errorf("removing %s: %w", dir, err)
	}
	return dir, nil
}

// Logo draws the kernel's icon: Adagrad's shrinking step size, a white
// 1/sqrt(t) curve on Go's blue, with a gray baseline. Drawn rather than
// shipped so that any size is sharp and the bytes are reproducible.
func Logo(size int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	blue := color.NRGBA{0x00, 0xAD, 0xD8, 0xFF}
	white := color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
	pale := color.NRGBA{0xCF, 0xEF, 0xF7, 0xFF}
	s := float64(size)
	r := s * 0.18 // corner radius
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			cx := math.Max(r-fx, math.Max(0, fx-(s-r)))
			cy := math.Max(r-fy, math.Max(0, fy-(s-r)))
			if cx*cx+cy*cy <= r*r {
				img.SetNRGBA(x, y, blue)
			}
		}
	}
	m := s * 0.18 // margin
	base := s - m
	thick := math.Max(1.5, s/16)
	for x := m; x <= s-m; x += 0.25 {
		t := 1 + (x-m)/(s-2*m)*15 // t from 1 to 16
		y := m + (base-m)*(1-1/math.Sqrt(t))/(1-0.25)*0.85
		disc(img, x, y, thick, white)
	}
	for x := m; x <= s-m; x += 0.5 {
		disc(img, x, base, thick/2.5, pale)
	}
	return img
}

func disc(img *image.NRGBA, cx, cy, rad float64, c color.NRGBA) {
	for y := int(cy - rad); y <= int(cy+rad)+1; y++ {
		for x := int(cx - rad); x <= int(cx+rad)+1; x++ {
			dx, dy := float64(x)+0.5-cx, float64(y)+0.5-cy
			if dx*dx+dy*dy <= rad*rad && image.Pt(x, y).In(img.Bounds()) {
				img.SetNRGBA(x, y, c)
			}
		}
	}
}
