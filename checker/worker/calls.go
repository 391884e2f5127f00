package worker

import (
	"cmp"
	"encoding/json"
	"fmt"
	"reflect"
	"runtime/debug"
	"slices"

	"github.com/adagradlab/adagradlab/checker/protocol"
	"github.com/adagradlab/adagradlab/pkg/cells"
)

func (c *code) lookup(name string) (fn, error) {
	f, ok := c.funcs[name]
	if !ok {
		return fn{}, fmt.Errorf("no function %q was loaded", name)
	}
	return f, nil
}

// invoke calls f, turning a panic of the learner's code into its message.
func invoke(f reflect.Value, args []reflect.Value) (outs []reflect.Value, panicked *string) {
	defer func() {
		if r := recover(); r != nil {
			msg := clip(cells.GoWording(fmt.Sprint(r)), 500) // in Go's words, as the kernel shows it
			panicked = &msg
		}
	}()
	return f.Call(args), nil
}

func decodeArgs(t reflect.Type, raw []json.RawMessage) ([]reflect.Value, error) {
	if t.IsVariadic() || len(raw) != t.NumIn() {
		return nil, fmt.Errorf("%d arguments for %s", len(raw), t)
	}
	args := make([]reflect.Value, len(raw))
	for i, r := range raw {
		v, err := protocol.Decode(r, t.In(i))
		if err != nil {
			return nil, fmt.Errorf("argument %d: %w", i+1, err)
		}
		args[i] = v
	}
	return args, nil
}

func encodeAll(vs []reflect.Value) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, len(vs))
	for i, v := range vs {
		b, err := protocol.Encode(v)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// call makes each call of the request in order, stopping at a panic.
func (c *code) call(req *protocol.Request) (*protocol.Reply, error) {
	f, err := c.lookup(req.Func)
	if err != nil {
		return nil, err
	}
	rep := &protocol.Reply{Outs: [][]json.RawMessage{}}
	for k, raw := range req.Calls {
		args, err := decodeArgs(f.t, raw)
		if err != nil {
			return nil, err
		}
		rows := rowsOf(args)
		outs, panicked := invoke(f.v, args)
		if panicked != nil {
			rep.Panic = &protocol.Panic{At: k, Msg: *panicked}
			return rep, nil
		}
		enc, err := encodeAll(outs)
		if err != nil {
			return nil, err
		}
		rep.Outs = append(rep.Outs, enc)
		if req.Back {
			back, err := encodeAll(args)
			if err != nil {
				return nil, err
			}
			rep.Back = append(rep.Back, back)
			for _, f := range rows.fresh(args) {
				rep.Fresh = append(rep.Fresh, [3]int{k, f[0], f[1]})
			}
		}
	}
	return rep, nil
}

// rowsSnapshot remembers the rows of every [][]T argument, to tell a row the
// function wrote into from one it replaced.
type rowsSnapshot map[int][]uintptr

func rowsOf(args []reflect.Value) rowsSnapshot {
	s := rowsSnapshot{}
	for i, a := range args {
		if a.Kind() == reflect.Slice && a.Type().Elem().Kind() == reflect.Slice {
			ptrs := make([]uintptr, a.Len())
			for r := range a.Len() {
				ptrs[r] = rowID(a.Index(r))
			}
			s[i] = ptrs
		}
	}
	return s
}

func rowID(row reflect.Value) uintptr {
	if row.Len() == 0 {
		return 0
	}
	return row.Pointer() ^ uintptr(row.Len())<<48
}

// fresh lists (argument, row) pairs whose row is no longer the one passed.
func (s rowsSnapshot) fresh(args []reflect.Value) [][2]int {
	var out [][2]int
	for i, ptrs := range s {
		a := args[i]
		for r := range min(a.Len(), len(ptrs)) {
			if rowID(a.Index(r)) != ptrs[r] {
				out = append(out, [2]int{i, r})
			}
		}
	}
	slices.SortFunc(out, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	return out
}

// fold computes x ← f(x, y) for each y, for a function of type func(T, U) T.
func (c *code) fold(req *protocol.Request) (*protocol.Reply, error) {
	f, err := c.lookup(req.Func)
	if err != nil {
		return nil, err
	}
	t := f.t
	if t.NumIn() != 2 || t.NumOut() != 1 || t.Out(0) != t.In(0) || t.IsVariadic() {
		return nil, fmt.Errorf("cannot fold %s", t)
	}
	x, err := protocol.Decode(req.Init, t.In(0))
	if err != nil {
		return nil, err
	}
	rep := &protocol.Reply{Outs: [][]json.RawMessage{}}
	for k, raw := range req.Ys {
		y, err := protocol.Decode(raw, t.In(1))
		if err != nil {
			return nil, err
		}
		outs, panicked := invoke(f.v, []reflect.Value{x, y})
		if panicked != nil {
			rep.Panic = &protocol.Panic{At: k, Msg: *panicked}
			return rep, nil
		}
		x = outs[0]
		enc, err := protocol.Encode(x)
		if err != nil {
			return nil, err
		}
		rep.Outs = append(rep.Outs, []json.RawMessage{enc})
	}
	return rep, nil
}

// table is a sparse table kept between calls: rows nobody listed are nil,
// so a huge table costs only its row headers, and an update that walks it
// pays for every row.
type table struct {
	w, g [][]float64
	list []int
	dim  int
	orig [][]float64 // the listed rows of w as made, to spot replaced ones
}

func (w *worker) newTable(t *protocol.Table) error {
	if t == nil || t.Rows <= 0 || t.Dim <= 0 || len(t.W) != len(t.List)*t.Dim || len(t.G) != len(t.W) {
		return fmt.Errorf("a malformed table")
	}
	if w.tables == nil {
		w.tables = map[int]*table{}
	}
	if t.Rows > 100_000 {
		// No collection while a huge table lives, nor while it is made:
		// marking its row headers would cost more than the update timed
		// on it. The memory limit still bounds the heap.
		debug.SetGCPercent(-1)
	}
	tb := &table{w: make([][]float64, t.Rows), g: make([][]float64, t.Rows), list: t.List, dim: t.Dim}
	for i, r := range t.List {
		if r < 0 || r >= t.Rows {
			return fmt.Errorf("row %d out of range", r)
		}
		tb.w[r] = slices.Clone(t.W[i*t.Dim : (i+1)*t.Dim])
		tb.g[r] = slices.Clone(t.G[i*t.Dim : (i+1)*t.Dim])
		tb.orig = append(tb.orig, tb.w[r])
	}
	w.tables[t.ID] = tb
	return nil
}

func (w *worker) dropTables() {
	if len(w.tables) > 0 {
		w.tables = nil
		debug.SetGCPercent(gcPercent)
	}
}

// update calls a SparseUpdate-shaped function on a table with the
// gradients of its listed rows, and sends those rows back.
func (w *worker) update(req *protocol.Request) (*protocol.Reply, error) {
	t := req.Table
	if t == nil {
		return nil, fmt.Errorf("no table")
	}
	tb, ok := w.tables[t.ID]
	if !ok {
		return nil, fmt.Errorf("no table %d", t.ID)
	}
	f, err := w.code.lookup(req.Func)
	if err != nil {
		return nil, err
	}
	if len(t.Grads) != len(t.List)*tb.dim {
		return nil, fmt.Errorf("%d gradient values for %d rows", len(t.Grads), len(t.List))
	}
	grads := make([][]float64, len(t.List))
	for i := range grads {
		grads[i] = t.Grads[i*tb.dim : (i+1)*tb.dim]
	}
	args := []reflect.Value{reflect.ValueOf(tb.w), reflect.ValueOf(tb.g), reflect.ValueOf(slices.Clone(t.List)),
		reflect.ValueOf(grads), reflect.ValueOf(t.Eta), reflect.ValueOf(t.Eps)}
	if f.t.NumIn() != len(args) {
		return nil, fmt.Errorf("%s is not an update", f.t)
	}
	for i, a := range args {
		if a.Type() != f.t.In(i) {
			return nil, fmt.Errorf("%s is not an update", f.t)
		}
	}
	_, panicked := invoke(f.v, args)
	if panicked != nil {
		return &protocol.Reply{Panic: &protocol.Panic{Msg: *panicked}}, nil
	}
	rep := &protocol.Reply{}
	var wv, gv []float64
	for i, r := range t.List {
		if r < 0 || r >= len(tb.w) {
			return nil, fmt.Errorf("row %d out of range", r)
		}
		rowW, rowG := tb.w[r], tb.g[r]
		if len(rowW) != tb.dim || len(rowG) != tb.dim {
			// Rows that changed length cannot be compared: send what
			// there is, padded, and say they were replaced.
			rep.Replaced = append(rep.Replaced, r)
			rowW, rowG = fit(rowW, tb.dim), fit(rowG, tb.dim)
		} else if i < len(tb.orig) && tb.list[i] == r && &tb.orig[i][0] != &rowW[0] {
			rep.Replaced = append(rep.Replaced, r)
		}
		wv, gv = append(wv, rowW...), append(gv, rowG...)
	}
	rep.W, rep.G = wv, gv
	return rep, nil
}

func fit(row []float64, n int) []float64 {
	out := make([]float64, n)
	copy(out, row)
	return out
}
