// Package magic parses the kernel's %-commands. A magic is a line starting
// with % before any Go code in a cell: "%time" (or "%%time") times the rest
// of the cell; "%help", "%reset" and "%check qN" stand alone. Magics are handled by the
// kernel, never by the interpreter, and their cells are not replayed.
package magic

import (
	"fmt"
	"sort"
	"strings"
)

// Cell is a cell with its leading magics taken off.
type Cell struct {
	Magics []Magic
	Code   string // what is left for the interpreter
}

// Magic is one %-line.
type Magic struct {
	Name string // without the % signs
	Args []string
	Line int // 1-based line in the cell
}

// Known is every magic with its one-line help.
var Known = map[string]string{
	"check": "grade your answers in place: %check q3 (no argument: all five questions)",
	"help":  "show what the kernel can do: magics, preloaded packages, display functions",
	"reset": "forget every definition and start a fresh Go session",
	"time":  "run the rest of the cell and print how long it took",
}

// Parse takes the leading magic lines off a cell. Code keeps the lines in
// place as blanks, so error positions stay those of the cell.
func Parse(src string) (Cell, error) {
	lines := strings.Split(src, "\n")
	var c Cell
	i := 0
	for ; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i])
		if t == "" || strings.HasPrefix(t, "//") {
			continue
		}
		if !strings.HasPrefix(t, "%") {
			break
		}
		f := strings.Fields(strings.TrimLeft(t, "%"))
		if len(f) == 0 {
			return c, fmt.Errorf("line %d: %% without a magic name (try %%help)", i+1)
		}
		if _, ok := Known[f[0]]; !ok {
			return c, fmt.Errorf("line %d: unknown magic %%%s (known: %s)", i+1, f[0], strings.Join(Names(), ", "))
		}
		c.Magics = append(c.Magics, Magic{Name: f[0], Args: f[1:], Line: i + 1})
		lines[i] = ""
	}
	if len(c.Magics) == 0 {
		c.Code = src
	} else {
		c.Code = strings.Join(lines, "\n")
	}
	return c, nil
}

// Names lists the known magics with their % sign, sorted.
func Names() []string {
	var out []string
	for n := range Known {
		out = append(out, "%"+n)
	}
	sort.Strings(out)
	return out
}

// Has reports whether the cell uses the named magic.
func (c Cell) Has(name string) bool {
	for _, m := range c.Magics {
		if m.Name == name {
			return true
		}
	}
	return false
}
