package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/adagradlab/adagradlab/pkg/notebook"
)

func init() {
	register(command{
		name:    "release",
		summary: "write the learners' copies of the notebooks (solutions replaced by starters)",
		run:     runRelease,
	})
}

const releaseUsage = `Usage: adagradlab release -o DIR [NOTEBOOK.ipynb | FOLDER]...

Writes the learners' copies of the course notebooks into DIR: every cell
marked as a solution (cell metadata adagradlab.role = "solution") gets its
starter text back (adagradlab.starter), and exercise cells lose their
outputs. Everything else is copied as it is. With no arguments it reads
notebooks/. DIR must not be a folder it reads from.

Example:
  adagradlab release -o dist/notebooks

Flags:
`

func runRelease(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("release", flag.ContinueOnError)
	out := fs.String("o", "", "output folder for the learners' notebooks (required)")
	if err := parseFlags(fs, args, releaseUsage, stderr); err != nil {
		return err
	}
	if *out == "" {
		return usagef("-o DIR is required (where to write the learners' notebooks)")
	}
	inputs := fs.Args()
	if len(inputs) == 0 {
		inputs = []string{"notebooks"}
	}
	files, err := notebookFiles(inputs)
	if err != nil {
		return usageError{err}
	}
	absOut, err := filepath.Abs(*out)
	if err != nil {
		return err
	}
	for _, f := range files {
		if d, _ := filepath.Abs(filepath.Dir(f)); d == absOut {
			return usagef("-o %s is where %s comes from: releasing there would overwrite the solutions", *out, f)
		}
	}
	// Transform everything before writing anything: one bad notebook must
	// not leave a half-released folder.
	type result struct {
		name string
		nb   *notebook.Notebook
		st   notebook.ReleaseStats
	}
	var results []result
	seen := map[string]string{}
	for _, f := range files {
		nb, err := notebook.ReadFile(f)
		if err != nil {
			return err
		}
		st, err := nb.Release()
		if err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		name := filepath.Base(f)
		if prev, dup := seen[name]; dup {
			return usagef("%s and %s would both be written as %s", prev, f, name)
		}
		seen[name] = f
		results = append(results, result{name, nb, st})
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	var solutions int
	for _, r := range results {
		if err := r.nb.WriteFile(filepath.Join(*out, r.name)); err != nil {
			return err
		}
		solutions += r.st.Solutions
		fmt.Fprintf(stdout, "%-28s %d solution(s) replaced, %d exercise cell(s) cleared\n", r.name, r.st.Solutions, r.st.Cleared)
	}
	fmt.Fprintf(stdout, "wrote %d notebook(s) to %s (%d solution cell(s) replaced in all)\n", len(results), *out, solutions)
	return nil
}

// notebookFiles expands folders into the .ipynb files directly inside them
// (sorted), and checks that named files are notebooks.
func notebookFiles(inputs []string) ([]string, error) {
	var files []string
	for _, in := range inputs {
		info, err := os.Stat(in)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			if !strings.HasSuffix(in, ".ipynb") {
				return nil, fmt.Errorf("%s is not a notebook (.ipynb)", in)
			}
			files = append(files, in)
			continue
		}
		found, err := filepath.Glob(filepath.Join(in, "*.ipynb"))
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s has no notebooks (.ipynb)", in)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	if len(files) == 0 {
		return nil, errors.New("no notebooks to release")
	}
	return files, nil
}
