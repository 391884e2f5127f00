package cells

import (
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strings"
)

// AllResults makes a chunk's trailing expression — a call with several
// results — the argument of fn, a variadic func(...any) []any: yaegi hands
// back only a call's first result, and a call spread into a variadic
// compiled function is how every result reaches the runner. The call goes
// on a line of its own, at its column, so that positions stay put;
// Inserted records the line for FixPositions.
func AllResults(c Chunk, fn string) Chunk {
	if c.Decl || !c.Expr {
		return c
	}
	stmts, err := scanStmts(c.Src)
	if err != nil || len(stmts) == 0 {
		return c
	}
	st := stmts[len(stmts)-1]
	end := st.end
	for end > st.start && strings.ContainsRune("; \t\r\n", rune(c.Src[end-1])) {
		end--
	}
	ls := strings.LastIndex(c.Src[:st.start], "\n") + 1
	lead := padFrom(c.Src[ls:st.start], st.start-ls, st.start-ls)
	c.Src = c.Src[:st.start] + fn + "(\n" + lead + c.Src[st.start:end] + ")" + c.Src[end:]
	c.Inserted = append(c.Inserted, st.line)
	return c
}

// FixSwitches works around a yaegi v0.16.1 bug: a switch with a tag whose
// init statement declares two names or more (switch a, b := f(); a + b {)
// silently takes the wrong case, at top level and in functions alike. Each
// such switch is turned into the block that means the same,
// { a, b := f(); switch a + b { … } }, which yaegi runs right. Lines stay
// put; on the switch's first line, what follows the init moves right by
// the width of "switch ".
func FixSwitches(c Chunk) Chunk {
	prefix, suffix := c.frame()
	c.Src = fixSwitches(c.Src, prefix, suffix)
	return c
}

// FixSwitchesFile is FixSwitches for a whole Go file.
func FixSwitchesFile(src string) string { return fixSwitches(src, "", "") }

// fixSwitches rewrites the switches of src, which parses as a file between
// prefix and suffix; src comes back as it was if it does not.
func fixSwitches(src, prefix, suffix string) string {
	if !strings.Contains(src, "switch") {
		return src
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", prefix+src+suffix, parser.SkipObjectResolution)
	if err != nil {
		return src
	}
	type edit struct {
		at   int
		drop int
		text string
	}
	var edits []edit
	off := func(p token.Pos) int { return fset.Position(p).Offset - len(prefix) }
	ast.Inspect(f, func(n ast.Node) bool {
		sw, ok := n.(*ast.SwitchStmt)
		if !ok || sw.Tag == nil { // a tagless switch with such an init is fine
			return true
		}
		as, ok := sw.Init.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) < 2 {
			return true
		}
		edits = append(edits,
			edit{at: off(sw.Switch), drop: len("switch"), text: "{     "}, // as wide as "switch"
			edit{at: off(sw.Tag.Pos()), text: "switch "},
			edit{at: off(sw.End()), text: " }"})
		return true
	})
	if len(edits) == 0 {
		return src
	}
	// From the last edit back, so that earlier offsets stay right; an
	// insertion at the same offset as another goes in after it (nested
	// switches that end together).
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].at > edits[j].at })
	out := src
	for _, e := range edits {
		if e.at < 0 || e.at+e.drop > len(out) {
			return src
		}
		out = out[:e.at] + e.text + out[e.at+e.drop:]
	}
	return out
}
