// Command adagradlab is the course's one binary. Each subcommand lives in a
// file of its own in this folder and registers itself in init, so adding a
// subcommand never touches this file.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand: run gets the arguments after its name and
// returns an error for the user; a usageError makes the exit status 2.
type command struct {
	name    string
	summary string // one line for the top-level help
	run     func(args []string, stdout, stderr io.Writer) error
	hidden  bool // internal subcommands (e.g. the checker's worker) stay out of the help
}

var commands = map[string]command{}

func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("adagradlab: subcommand registered twice: " + c.name)
	}
	commands[c.name] = c
}

// usageError marks bad invocations: wrong flags, malformed values. They exit 2.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: tests call it directly.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printHelp(stderr)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printHelp(stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "adagradlab: unknown command %q (try: %s)\n", args[0], strings.Join(visibleNames(), ", "))
		return 2
	}
	err := c.run(args[1:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelpShown):
		return 0
	default:
		fmt.Fprintf(stderr, "adagradlab %s: %v\n", c.name, err)
		var u usageError
		if errors.As(err, &u) {
			return 2
		}
		return 1
	}
}

// errHelpShown is returned by a subcommand that printed its help on -h.
var errHelpShown = errors.New("help shown")

func visibleNames() []string {
	var names []string
	for name, c := range commands {
		if !c.hidden {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "adagradlab: a toolkit for teaching the Adagrad optimizer")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: adagradlab COMMAND [flags] [args]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, name := range visibleNames() {
		fmt.Fprintf(w, "  %-10s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'adagradlab COMMAND -h' for a command's flags.")
}

// parseFlags parses a subcommand's flags with one-line errors: the flag
// package's own reaction to a bad flag is to print the whole usage, which
// buries the message. -h prints usage (its text, then the flag list) and
// returns errHelpShown.
func parseFlags(fs *flag.FlagSet, args []string, usage string, stderr io.Writer) error {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stderr, usage)
		fs.SetOutput(stderr)
		fs.PrintDefaults()
		return errHelpShown
	}
	if err != nil {
		return usagef("%v (see 'adagradlab %s -h')", err, fs.Name())
	}
	return nil
}
