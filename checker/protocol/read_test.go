package protocol

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// messages are one of each kind the judge and the worker exchange.
func messages() (reqs []*Request, reps []*Reply) {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	reqs = []*Request{
		{Op: "load", Load: &Load{File: "a.go", Source: "package answers\n\nfunc F() {}\n", Funcs: []string{"F"}, Starters: map[string]string{"F": "{}"}}},
		{Op: "call", Func: "F", Calls: [][]json.RawMessage{{raw("1"), raw(`"a,]\"b\\"`)}, {raw("[[1,2],null]"), raw(`"AAAAAAAA8D8="`)}}, Back: true},
		{Op: "fold", Func: "Accumulate", Init: raw("0"), Ys: []json.RawMessage{raw("1.5"), raw(`"NaN"`)}},
		{Op: "table", Table: &Table{ID: 2, Rows: 2_000_000, List: []int{3, 9}, W: []float64{1, 2}, G: []float64{0, 0.5}, Dim: 1}},
		{Op: "update", Func: "SparseUpdate", Table: &Table{ID: 2, List: []int{3}, Grads: []float64{0.25}, Eta: 0.05, Eps: 1e-8, Dim: 1}},
		{Op: "drop"},
	}
	reps = []*Reply{
		{Hello: &Hello{Protocol: Version, Layers: []string{"seccomp"}, Missing: map[string]string{"landlock": "not enabled"}}},
		{Loaded: &Loaded{Funcs: map[string]string{"F": "func()"}, Texts: map[string]string{"q1": `a "text", {with} [brackets]`}, Notes: []string{"cell 2 did not run"}}},
		{Fatal: &Fatal{Status: "error", Msg: "does not compile"}},
		{OK: true},
		{Outs: [][]json.RawMessage{{raw("2"), raw(`"x"`)}, {}}, Panic: &Panic{At: 2, Msg: "index out of range [3]"}},
		{Back: [][]json.RawMessage{{raw("[1]")}}, Fresh: [][3]int{{0, 0, 1}}, Outs: [][]json.RawMessage{{raw("[]")}}},
		{W: Floats{1, math.Inf(-1), math.Copysign(0, -1)}, G: Floats{2}, Replaced: []int{3}},
		{Error: "call: unknown op"},
	}
	return reqs, reps
}

// What Marshal writes, ReadRequest and ReadReply read back as it was.
func TestReadWhatMarshalWrote(t *testing.T) {
	reqs, reps := messages()
	var lines bytes.Buffer
	for _, m := range reqs {
		WriteLine(&lines, m)
	}
	rd := bufio.NewReader(&lines)
	for _, want := range reqs {
		got, err := ReadRequest(rd)
		if err != nil {
			t.Fatalf("ReadRequest of %s: %v", want.Op, err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s request read back (-want +got):\n%s", want.Op, d)
		}
	}
	for _, want := range reps {
		b, _ := Marshal(want)
		got, err := ReadReply(bufio.NewReader(bytes.NewReader(append(b, '\n'))))
		if err != nil {
			t.Fatalf("ReadReply of %s: %v", b, err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("reply %s read back (-want +got):\n%s", b, d)
		}
	}
}

// The worker may write anything: a reply that is not exactly Reply's
// fields, each once and of its type, is refused with words.
func TestReadReplyRefusesMalformed(t *testing.T) {
	for _, line := range []string{
		`{"ok":true,"ok":true}`,
		`{"ok":"yes"}`,
		`{"hello":{"protocol":"x","verdict":"passed"}}`,
		`{"loaded":{"funcs":{}},"score":100}`,
		`{"outs":[[1],[2]}`,
		`{"outs":[1]}`,
		`{"outs":null}`,
		`{"outs":[["a]]}`,
		`{"w":[1,2]]}`,
		`{"ok":true}}`,
		`{"ok" true}`,
		`{"o\"k":true}`,
		`{ok:true}`,
		`{"ok":}`,
		`{"ok":true,}`,
		`[{"ok":true}]`,
		`{"error":"x"}garbage`,
	} {
		if rep, err := ReadReply(bufio.NewReader(strings.NewReader(line + "\n"))); err == nil {
			t.Errorf("ReadReply(%s) = %+v, want an error", line, rep)
		} else if _, ok := err.(*BadReply); !ok {
			t.Errorf("ReadReply(%s): %v, want a *BadReply", line, err)
		}
	}
}

// Whatever a line holds, reading it does not panic; and a reply both this
// reader and encoding/json (strictly) accept reads the same with both.
func FuzzReadReply(f *testing.F) {
	_, reps := messages()
	for _, m := range reps {
		b, _ := Marshal(m)
		f.Add(b)
	}
	f.Add([]byte(`{"outs":[["\\\""]]}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		if bytes.IndexByte(line, '\n') >= 0 {
			return
		}
		got, err := parseReply(line)
		if err != nil {
			return
		}
		var want Reply
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if dec.Decode(&want) != nil || dec.More() {
			return // our reader leaves lists' items to Decode, which checks them by type
		}
		// encoding/json keeps raw items as written; ours trims the space
		// around them: compare them compacted.
		compact := func(ls [][]json.RawMessage) {
			for _, l := range ls {
				for i, it := range l {
					var b bytes.Buffer
					json.Compact(&b, it)
					l[i] = b.Bytes()
				}
			}
		}
		for _, r := range []*Reply{got, &want} {
			compact(r.Outs)
			compact(r.Back)
		}
		if d := cmp.Diff(&want, got, cmpopts.EquateNaNs()); d != "" {
			t.Errorf("%s reads otherwise than with encoding/json (-json +ours):\n%s", line, d)
		}
	})
}

// BenchmarkReadRequest reads a call request the size of Q3's (eight curves
// of 2,000 floats, ~170 KB) with ReadRequest and, to compare, with
// encoding/json's Decoder as the worker did before.
func BenchmarkReadRequest(b *testing.B) {
	req := &Request{Op: "call", Func: "Diagnose"}
	for c := range 8 {
		xs := make([]float64, 2000)
		for i := range xs {
			xs[i] = float64(c*i) / 7
		}
		enc, _ := Encode(reflect.ValueOf(xs))
		req.Calls = append(req.Calls, []json.RawMessage{enc, enc, json.RawMessage("0.001")})
	}
	line, _ := Marshal(req)
	line = append(line, '\n')
	b.Run("ReadRequest", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		for b.Loop() {
			if _, err := ReadRequest(bufio.NewReader(bytes.NewReader(line))); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		for b.Loop() {
			var r Request
			if err := json.NewDecoder(bytes.NewReader(line)).Decode(&r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
