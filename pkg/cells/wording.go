package cells

import (
	"regexp"
	"sync"
)

// GoWording rewrites yaegi's wording of an error or panic message into
// Go's: yaegi's messages carry its internals (reflect's panics, its own
// type names, GOPATH), which mean nothing to a learner. The kernel and the
// checker both show messages through it, so that a learner reads the same
// words in a notebook and in feedback.
func GoWording(msg string) string {
	for _, r := range wording() {
		msg = r.re.ReplaceAllString(msg, r.to)
	}
	return msg
}

// wording is compiled on first use: most processes that link it (a
// checker worker grading an honest answer) never need it.
var wording = sync.OnceValue(func() []rewording {
	return []rewording{
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
})

type rewording struct {
	re *regexp.Regexp
	to string
}
