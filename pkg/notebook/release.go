package notebook

import (
	"errors"
	"fmt"
)

// The course notebooks mark their exercise cells in cell metadata, under
// the key "adagradlab":
//
//	{"adagradlab": {"exercise": "q1", "role": "solution", "starter": "func FirstStepLR(…) float64 {\n\t// your code\n}\n"}}
//	{"adagradlab": {"exercise": "q1", "role": "check"}}
//
// role "solution": the instructor's answer (code, or a model answer in
// Markdown); its "starter" is what learners get instead. role "check": a %check cell. Any other cell with an
// "exercise" is part of an exercise too (e.g. its free-text answer).
// A notebook whose own metadata has {"adagradlab": {"exercises": true}}
// must contain at least one solution cell.

// Release statistics, for the command's summary.
type ReleaseStats struct {
	Solutions int // solution cells replaced by their starters
	Cleared   int // exercise cells whose outputs were cleared
}

// Release turns an instructor's notebook into the learners' copy in place:
// each solution cell's source becomes its starter (and the starter leaves
// the metadata, which now only says role "starter"), and every exercise
// cell loses its outputs. Everything else is kept as it was.
func (nb *Notebook) Release() (ReleaseStats, error) {
	var st ReleaseStats
	for i, c := range nb.Cells() {
		md := c.Metadata()
		if md == nil {
			continue
		}
		ex, _ := md["exercise"].(string)
		role, _ := md["role"].(string)
		if role == "solution" {
			starter, ok := md["starter"].(string)
			if !ok {
				return st, fmt.Errorf("cell %d (exercise %q) is marked as a solution but has no \"starter\" text in its metadata", i+1, ex)
			}
			c.SetSource(starter)
			delete(md, "starter")
			md["role"] = "starter"
			st.Solutions++
		}
		if ex != "" || role != "" {
			if c.Type() == "code" {
				c.ClearOutputs()
				st.Cleared++
			}
			// Outputs can hide in attachments too (pasted images).
			delete(c, "attachments")
		}
	}
	if want, _ := nb.Metadata()["exercises"].(bool); want && st.Solutions == 0 {
		return st, errors.New("the notebook says it has exercises (metadata adagradlab.exercises) but no cell is marked as a solution")
	}
	return st, nil
}
