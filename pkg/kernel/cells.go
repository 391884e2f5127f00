package kernel

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/adagradlab/adagradlab/pkg/kernel/internal/session"
	"github.com/adagradlab/adagradlab/pkg/kernel/internal/wire"
)

// %check grades what the notebook holds now, not what the session last
// ran without error: a cell edited into code that does not compile must
// cost the answer it held, as batch grading of the saved notebook would.
// So the kernel keeps each notebook cell's latest run — JupyterLab names
// the cell in the execute_request's metadata (cellId) — and %check grades
// those, in the order they last ran, saying which of them failed.

// notebookCell is the latest run of one cell.
type notebookCell struct {
	code  string
	ok    bool
	err   string // the first line of its error
	count int    // its execution count, as the notebook shows it
	order int    // when it last ran
}

// noteCell records a cell's run (a cell without a cellId is a cell of its
// own each time it runs).
func (k *Kernel) noteCell(m *wire.Message, code string, count int, res session.Result) {
	var md struct {
		CellID string `json:"cellId"`
	}
	_ = json.Unmarshal(m.Metadata, &md)
	id := md.CellID
	if id == "" {
		id = fmt.Sprintf("run %d", count)
	}
	if k.cells == nil {
		k.cells = map[string]*notebookCell{}
	}
	k.cellSeq++
	c := &notebookCell{code: code, ok: res.Error == nil, count: count, order: k.cellSeq}
	if res.Error != nil {
		c.err, _, _ = strings.Cut(res.Error.Value, "\n")
	}
	k.cells[id] = c
}

// notebookCells returns the cells' latest code in the order they last
// ran, and a line for each whose last run failed.
func (k *Kernel) notebookCells() (codes, failed []string) {
	cs := make([]*notebookCell, 0, len(k.cells))
	for _, c := range k.cells {
		cs = append(cs, c)
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].order < cs[j].order })
	for _, c := range cs {
		codes = append(codes, c.code)
		if !c.ok {
			failed = append(failed, fmt.Sprintf("cell [%d] failed when it last ran (%s): %%check grades it as it is now, so what it should define counts as missing; fix it and run it again", c.count, c.err))
		}
	}
	return codes, failed
}
