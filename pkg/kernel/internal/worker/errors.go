package worker

import (
	"regexp"
	"strconv"
	"strings"
)

// Errors say what Go would say, in the cell's own lines: yaegi's messages
// carry its internals (reflect's panics, its type names, GOPATH), which
// mean nothing to a learner.

// plain rewrites yaegi's wording of an error message into Go's.
func plain(msg string) string {
	for _, r := range wording {
		msg = r.re.ReplaceAllString(msg, r.to)
	}
	return msg
}

var wording = []struct {
	re *regexp.Regexp
	to string
}{
	// yaegi names its own types intT, stringT, float64T …
	{regexp.MustCompile(`\b(u?int(?:8|16|32|64)?|float(?:32|64)|complex(?:64|128)|string|bool|byte|rune|uintptr|error|interface)T\b`), "$1"},
	{regexp.MustCompile(`reflect: slice index out of range`), "runtime error: index out of range"},
	{regexp.MustCompile(`reflect: (?:call of reflect\.Value\.\w+ on zero Value|Elem of invalid type.*)`),
		"runtime error: invalid memory address or nil pointer dereference (a nil pointer, map or interface?)"},
	{regexp.MustCompile(`^(line \d+:\d+: )?constant definition loop$`), "${1}undefined: a name in this statement is not defined (a typo, or a cell not run yet?)"},
	{regexp.MustCompile(`import "([^"]+)" error: unable to find source related to: "[^"]+"\. Either the GOPATH environment variable, or the Interpreter\.Options\.GoPath needs to be set`),
		`package "$1" is not available: cells can import the standard library and the preloaded packages (%help lists them)`},
	{regexp.MustCompile(`^(line \d+:\d+: )?nil type$`), "${1}this statement uses something the interpreter does not support (yaegi: range over an integer, for one)"},
}

// frames turns the lines yaegi logs as a panic unwinds ("2:9: panic:
// main.inner(...)", innermost first) into the learner's frames: each
// function by name, at its line in the cell that declared it, and last
// this cell. (A panic in the cell's own statements has its line in the
// message already, where yaegi gives one.)
func frames(logged []string) []string {
	var out []string
	for _, l := range logged {
		m := frameRE.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		fn := strings.TrimSuffix(strings.TrimPrefix(m[3], "main."), "(...)")
		if fn == "main" {
			// yaegi logs the cell's own frame at its first statement, not
			// at the call: a line would mislead.
			if len(out) > 0 {
				out = append(out, "  called from this cell")
			} else {
				out = append(out, "  in this cell")
			}
			continue
		}
		line, _ := strconv.Atoi(m[1])
		out = append(out, "  in "+fn+", line "+strconv.Itoa(line)+" of the cell that declares it")
	}
	return out
}

var frameRE = regexp.MustCompile(`^(?:_\.go:)?(\d+):(\d+): panic: (.*)$`)
