package worker

import (
	"regexp"
	"strconv"
	"strings"
)

// Errors say what Go would say (cells.GoWording), in the cell's own lines.

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
