package plots

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// Figure is one figure of the lecture set, built with its default options.
type Figure struct {
	Name  string // file name stem, e.g. "effective-lr"
	Title string // one line for --list
	// Build draws the figure in style st with the lecture's values.
	Build func(st Style) (Drawer, *Table, error)
}

var figures = []Figure{
	{"accumulation", "1. G accumulation for a dense and a sparse parameter", func(st Style) (Drawer, *Table, error) {
		o := AccumulationDefaults()
		o.Style = st
		p, d, err := Accumulation(o)
		return nilOr(p, d, err)
	}},
	{"effective-lr", "2. Effective learning rate η/√G on log-log axes, the seed's checkpoints marked", func(st Style) (Drawer, *Table, error) {
		o := EffectiveLRDefaults()
		o.Style = st
		p, d, err := EffectiveLR(o)
		return nilOr(p, d, err)
	}},
	{"freeze", "3. The long-run freeze: Adagrad against RMSProp and Adam over 100,000 steps", func(st Style) (Drawer, *Table, error) {
		o := FreezeDefaults()
		o.Style = st
		p, d, err := Freeze(o)
		return nilOr(p, d, err)
	}},
	{"trajectories", "4. GD, Adagrad and RMSProp on an ill-conditioned quadratic, dense and sparse", func(st Style) (Drawer, *Table, error) {
		o := TrajectoriesDefaults()
		o.Style = st
		g, d, err := Trajectories(o)
		return nilOr(g, d, err)
	}},
	{"zipf", "5. Per-row effective rate against token frequency in a Zipf embedding table", func(st Style) (Drawer, *Table, error) {
		o := ZipfDefaults()
		o.Style = st
		p, d, err := Zipf(o)
		return nilOr(p, d, err)
	}},
	{"loss", "6. Loss curves: a run that converges against one that stalls (question 3)", func(st Style) (Drawer, *Table, error) {
		o := LossDefaults()
		o.Style = st
		p, d, err := Loss(o)
		return nilOr(p, d, err)
	}},
	{"trace", "7. The seed's five-step trace: θ, G and the effective rate per step", func(st Style) (Drawer, *Table, error) {
		o := TraceDefaults()
		o.Style = st
		g, d, err := Trace(o)
		return nilOr(g, d, err)
	}},
}

type tabler interface{ Table() *Table }

func nilOr[P Drawer, D tabler](p P, d D, err error) (Drawer, *Table, error) {
	if err != nil {
		return nil, nil, err
	}
	return p, d.Table(), nil
}

// Figures returns the lecture set in lecture order.
func Figures() []Figure { return append([]Figure(nil), figures...) }

// Names returns the figures' names in lecture order.
func Names() []string {
	var n []string
	for _, f := range figures {
		n = append(n, f.Name)
	}
	return n
}

// Lookup returns the figure called name.
func Lookup(name string) (Figure, bool) {
	for _, f := range figures {
		if f.Name == name {
			return f, true
		}
	}
	return Figure{}, false
}

// File is one output file of WriteFiles, held in memory.
type File struct {
	Name string // base name, e.g. "trace.png"
	Data []byte
}

// Build renders the named figures (all when names is empty) in the given
// formats, each with a CSV of its data, and returns the files in a fixed
// order. Figures are built in parallel; the bytes do not depend on it.
func Build(names []string, st Style, formats []string) ([]File, error) {
	var figs []Figure
	if len(names) == 0 {
		figs = Figures()
	}
	for _, n := range names {
		f, ok := Lookup(n)
		if !ok {
			return nil, fmt.Errorf("plots: unknown figure %q (valid: %s)", n, strings.Join(Names(), ", "))
		}
		figs = append(figs, f)
	}
	for _, f := range formats {
		if !contains(Formats(), f) {
			return nil, fmt.Errorf("plots: unknown format %q (valid: %s)", f, strings.Join(Formats(), ", "))
		}
	}
	out := make([][]File, len(figs))
	errs := make([]error, len(figs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, f := range figs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			// gonum/plot reports some failures by panicking (vgpdf when it
			// cannot write its font files, plot.Align on a bad grid); in a
			// goroutine that would end the process, so turn them into errors.
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("%v", r)
				}
			}()
			out[i], errs[i] = buildOne(f, st, formats)
		}()
	}
	wg.Wait()
	var files []File
	for i := range figs {
		if errs[i] != nil {
			return nil, fmt.Errorf("plots: figure %s: %w", figs[i].Name, errs[i])
		}
		files = append(files, out[i]...)
	}
	return files, nil
}

func buildOne(f Figure, st Style, formats []string) ([]File, error) {
	d, table, err := f.Build(st)
	if err != nil {
		return nil, err
	}
	var files []File
	var buf bytes.Buffer
	if err := table.WriteCSV(&buf); err != nil {
		return nil, err
	}
	files = append(files, File{f.Name + ".csv", buf.Bytes()})
	for _, format := range formats {
		d := d
		st := st
		if format == "pdf" && !st.ASCII {
			st.ASCII = true
			if d, _, err = f.Build(st); err != nil {
				return nil, err
			}
		}
		b, err := Encode(d, st, format)
		if err != nil {
			return nil, err
		}
		files = append(files, File{f.Name + "." + format, b})
	}
	return files, nil
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// WriteFiles builds the named figures (all when names is empty) and writes
// them, with their CSVs, into dir, which it creates if needed. Nothing is
// left behind on failure: the files are first written to a temporary folder
// beside dir, then renamed into place. It returns the paths written, sorted.
func WriteFiles(dir string, names []string, st Style, formats []string) ([]string, error) {
	files, err := Build(names, st, formats)
	if err != nil {
		return nil, err
	}
	dir = filepath.Clean(dir)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, ".adagradlab-plots-*")
	if err != nil {
		return nil, fmt.Errorf("cannot write to %s: %w", dir, err)
	}
	defer os.RemoveAll(tmp)
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(tmp, f.Name), f.Data, 0o644); err != nil {
			return nil, err
		}
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(dir, f.Name))
	}
	sort.Strings(paths)
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		if err := os.Chmod(tmp, 0o755); err != nil {
			return nil, err
		}
		if err := os.Rename(tmp, dir); err != nil {
			return nil, err
		}
		return paths, nil
	}
	// dir exists: move file by file, each rename atomic. Should one fail,
	// remove the new files that replaced nothing.
	var fresh []string
	for _, f := range files {
		dst := filepath.Join(dir, f.Name)
		_, statErr := os.Lstat(dst)
		if err := os.Rename(filepath.Join(tmp, f.Name), dst); err != nil {
			for _, m := range fresh {
				os.Remove(m)
			}
			return nil, err
		}
		if os.IsNotExist(statErr) {
			fresh = append(fresh, dst)
		}
	}
	return paths, nil
}
