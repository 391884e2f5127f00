package checker

import (
	"runtime/debug"
	"sync"
)

// BuildVersion names the binary that grades, as the Go toolchain recorded
// it: the main module's version ("(devel)" for a build from a checkout),
// then the VCS revision and "+dirty" when the tree had changes. A report
// carries it so that a grade can be re-derived with the same grader.
var BuildVersion = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if rev != "" {
		v += " " + rev[:min(12, len(rev))] + dirty
	}
	return v
})
