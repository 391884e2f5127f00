package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/adagradlab/adagradlab/plots"
)

func init() {
	register(command{name: "plots", summary: "write the lecture figures (PNG, SVG, PDF) and their data (CSV)", run: runPlots})
}

func runPlots(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("plots", flag.ContinueOnError)
	dir := fs.String("o", "figures", "write the files into `DIR` (created if missing)")
	formats := fs.String("format", "png,svg", "comma-separated `LIST` of formats: "+strings.Join(plots.Formats(), ", "))
	only := fs.String("only", "", "comma-separated `NAMES` of the figures to write (default: all; see --list)")
	style := fs.String("style", "slide", "the look, `STYLE` slide (16:9, large type) or paper (6×3.7 in)")
	list := fs.Bool("list", false, "list the figures and exit")
	usage := "Usage: adagradlab plots [-o DIR] [--format png,svg,pdf] [--only NAME,…] [--style slide|paper] [--list]\n\n" +
		"Writes the lecture figures, each with a CSV of the data behind it, computed from pkg/adagrad.\n" +
		"The same inputs give the same bytes. Figures: " + strings.Join(plots.Names(), ", ") + "\n\n"
	if err := parseFlags(fs, args, usage, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (figures are chosen with --only)", fs.Arg(0))
	}
	if *list {
		for _, f := range plots.Figures() {
			fmt.Fprintf(stdout, "%-14s %s\n", f.Name, f.Title)
		}
		return nil
	}
	st, err := plots.StyleByName(*style)
	if err != nil {
		return usagef("unknown style %q (valid: %s)", *style, strings.Join(plots.StyleNames(), ", "))
	}
	fmts, err := splitList(*formats, "format", plots.Formats())
	if err != nil {
		return err
	}
	if len(fmts) == 0 {
		return usagef("--format is empty (valid: %s)", strings.Join(plots.Formats(), ", "))
	}
	var names []string
	if *only != "" {
		if names, err = splitList(*only, "figure", plots.Names()); err != nil {
			return err
		}
	}
	paths, err := plots.WriteFiles(*dir, names, st, fmts)
	if err != nil {
		return err
	}
	for _, p := range paths {
		fmt.Fprintln(stdout, p)
	}
	return nil
}

// splitList splits a comma-separated flag value, checking every item
// against valid and dropping duplicates.
func splitList(s, what string, valid []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" || seen[item] {
			continue
		}
		ok := false
		for _, v := range valid {
			ok = ok || v == item
		}
		if !ok {
			return nil, usagef("unknown %s %q (valid: %s)", what, item, strings.Join(valid, ", "))
		}
		seen[item] = true
		out = append(out, item)
	}
	return out, nil
}
