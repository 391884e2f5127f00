package questions

import (
	"fmt"
	"reflect"
	"slices"
	"time"
)

// Local is a Code of compiled functions in this process, by name: for
// testing the questions themselves, and the reference solutions, without an
// interpreter or a worker. It is not for learner code, which is never run
// in the judge's process.
func Local(funcs map[string]any) Code { return &local{funcs: funcs, tables: map[int]*localTable{}} }

type local struct {
	funcs  map[string]any
	tables map[int]*localTable
}

type localTable struct {
	w, g [][]float64
	orig map[int][]float64
	dim  int
}

func (l *local) Type(name string) string {
	f, ok := l.funcs[name]
	if !ok || f == nil {
		return ""
	}
	t := reflect.TypeOf(f)
	if t.Kind() != reflect.Func {
		return "not a function: " + t.String()
	}
	return t.String()
}

func (l *local) fn(name string) reflect.Value { return reflect.ValueOf(l.funcs[name]) }

func localCall(f reflect.Value, args []reflect.Value) (outs []reflect.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &Panic{Msg: fmt.Sprint(r)}
		}
	}()
	return f.Call(args), nil
}

func (l *local) Call(name string, _ reflect.Type, calls [][]reflect.Value, _ bool, _ time.Time) ([][]reflect.Value, error) {
	var outs [][]reflect.Value
	for k, args := range calls {
		o, err := localCall(l.fn(name), args)
		if err != nil {
			err.(*Panic).At = k
			return outs, err
		}
		outs = append(outs, o)
	}
	return outs, nil
}

func (l *local) Fold(name string, _ reflect.Type, x reflect.Value, ys []reflect.Value, _ time.Time) ([]reflect.Value, error) {
	var outs []reflect.Value
	for k, y := range ys {
		o, err := localCall(l.fn(name), []reflect.Value{x, y})
		if err != nil {
			err.(*Panic).At = k
			return outs, err
		}
		x = o[0]
		outs = append(outs, x)
	}
	return outs, nil
}

func (l *local) Table(id, rows, dim int, list []int, w, g []float64) error {
	tb := &localTable{w: make([][]float64, rows), g: make([][]float64, rows), orig: map[int][]float64{}, dim: dim}
	for i, r := range list {
		tb.w[r] = slices.Clone(w[i*dim : (i+1)*dim])
		tb.g[r] = slices.Clone(g[i*dim : (i+1)*dim])
		tb.orig[r] = tb.w[r]
	}
	l.tables[id] = tb
	return nil
}

func (l *local) Update(id int, name string, list []int, grads []float64, eta, eps float64, _ time.Time) (w, g []float64, replaced []int, err error) {
	tb := l.tables[id]
	gr := make([][]float64, len(list))
	for i := range gr {
		gr[i] = grads[i*tb.dim : (i+1)*tb.dim]
	}
	if _, err := localCall(l.fn(name), []reflect.Value{reflect.ValueOf(tb.w), reflect.ValueOf(tb.g),
		reflect.ValueOf(slices.Clone(list)), reflect.ValueOf(gr), reflect.ValueOf(eta), reflect.ValueOf(eps)}); err != nil {
		return nil, nil, nil, err
	}
	for _, r := range list {
		if len(tb.w[r]) != tb.dim || len(tb.g[r]) != tb.dim || &tb.w[r][0] != &tb.orig[r][0] {
			replaced = append(replaced, r)
			continue
		}
		w, g = append(w, tb.w[r]...), append(g, tb.g[r]...)
	}
	return w, g, replaced, nil
}

func (l *local) Drop() error {
	clear(l.tables)
	return nil
}
