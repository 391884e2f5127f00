package main

import (
	"archive/zip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/adagradlab/adagradlab/checker"
	"github.com/adagradlab/adagradlab/internal/atomicfile"
)

func init() {
	register(command{
		name:    "autograder",
		summary: "write the autograder bundle for Gradescope or PrairieLearn",
		run:     runAutograder,
	})
}

const autograderUsage = `Usage: adagradlab autograder gradescope|prairielearn -o DIR [flags]

Writes what a platform needs to grade the five exercises with this binary:
this binary itself (Linux, amd64 as built), the platform's entry script and,
for Gradescope, DIR.zip to upload as the assignment's autograder.

  gradescope    setup.sh and run_autograder: grades /autograder/submission into
                /autograder/results/results.json (check --format gradescope)
  prairielearn  run.sh, for a question's externalGradingOptions (entrypoint):
                grades /grade/student into /grade/results/results.json

The container must allow user namespaces for the full jail; where it does
not, the results name the layers that were applied (see the README).

Examples:
  adagradlab autograder gradescope -o autograder
  adagradlab autograder prairielearn -o serverFilesCourse/adagradlab

Flags:
`

// The entry scripts. AUTOGRADER and GRADE move the platform's folders (the
// tests run them in a temporary one); the platforms leave them unset.
const (
	gradescopeSetup = `#!/usr/bin/env bash
# Gradescope runs this once, when the autograder image is built.
set -euo pipefail
chmod +x /autograder/source/adagradlab*
`
	gradescopeRun = `#!/usr/bin/env bash
# Gradescope runs this for each submission.
set -euo pipefail
root="${AUTOGRADER:-/autograder}"
mkdir -p "$root/results"
exec "$root/source/adagradlab" check --quiet %s--format gradescope --out "$root/results/results.json" "$root/submission"
`
	prairieLearnRun = `#!/usr/bin/env bash
# PrairieLearn's external grader runs this for each submission.
set -euo pipefail
root="${GRADE:-/grade}"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$root/results"
exec "$here/adagradlab" check --quiet %s--format prairielearn --out "$root/results/results.json" "$root/student"
`
)

func runAutograder(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "gradescope" && args[0] != "prairielearn" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprint(stderr, autograderUsage)
			return errHelpShown
		}
		return usagef("want gradescope or prairielearn first (see 'adagradlab autograder -h')")
	}
	platform := args[0]
	fs := flag.NewFlagSet("autograder "+platform, flag.ContinueOnError)
	dir := fs.String("o", "", "write the bundle into `DIR` (created)")
	only := fs.String("only", "", "grade only these questions, e.g. q3 or q1,q4")
	if err := parseFlags(fs, args[1:], autograderUsage, stderr); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		return usagef("want -o DIR and nothing else (see 'adagradlab autograder -h')")
	}
	extra := ""
	if *only != "" {
		// Checked here, so that only question ids reach the script.
		if _, err := checker.New(checker.Options{Questions: strings.Split(*only, ",")}); err != nil {
			return usagef("--only %q: %v", *only, err)
		}
		extra = "--only '" + *only + "' "
	}
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this binary to copy: %w", err)
	}
	bin, err := os.ReadFile(self)
	if err != nil {
		return fmt.Errorf("reading this binary to copy: %w", err)
	}
	files := map[string][]byte{"adagradlab": bin}
	order := []string{"setup.sh", "run_autograder", "adagradlab"}
	// The lean worker, where it lies beside this binary, goes too: the
	// checker finds it beside the copy.
	if b, err := os.ReadFile(filepath.Join(filepath.Dir(self), checker.LeanWorker)); err == nil {
		files[checker.LeanWorker] = b
		order = append(order, checker.LeanWorker)
	}
	if platform == "gradescope" {
		files["setup.sh"] = []byte(gradescopeSetup)
		files["run_autograder"] = []byte(fmt.Sprintf(gradescopeRun, extra))
	} else {
		files["run.sh"] = []byte(fmt.Sprintf(prairieLearnRun, extra))
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		path := filepath.Join(*dir, name)
		if err := atomicfile.Write(path, b); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := os.Chmod(path, 0o755); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", path)
	}
	if platform == "gradescope" {
		// Gradescope takes the bundle as a zip with setup.sh at its root.
		zipName := filepath.Clean(*dir) + ".zip"
		err := atomicfile.WriteFile(zipName, func(w io.Writer) error {
			zw := zip.NewWriter(w)
			for _, name := range order {
				h := &zip.FileHeader{Name: name, Method: zip.Deflate}
				h.SetMode(0o755)
				f, err := zw.CreateHeader(h)
				if err != nil {
					return err
				}
				if _, err := f.Write(files[name]); err != nil {
					return err
				}
			}
			return zw.Close()
		})
		if err != nil {
			return fmt.Errorf("writing %s: %w", zipName, err)
		}
		fmt.Fprintf(stdout, "wrote %s: upload it as the assignment's autograder\n", zipName)
	}
	return nil
}
