package protocol

import (
	"bufio"
	"encoding/json"
	"math"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Marshal splices encoded values in by hand; what it writes must read back
// as encoding/json's own encoding does.
func TestMarshalAsEncodingJSON(t *testing.T) {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	msgs := []any{
		&Request{Op: "call", Func: "F", Calls: [][]json.RawMessage{{raw("1"), raw(`"a,]\"b"`)}, {}, {raw("[[1,2],null]")}}, Back: true},
		&Request{Op: "fold", Func: "Accumulate", Init: raw("0"), Ys: []json.RawMessage{raw("1.5"), raw(`"NaN"`)}},
		&Request{Op: "drop"},
		&Reply{},
		&Reply{OK: true},
		&Reply{Outs: [][]json.RawMessage{{raw("2")}}, Panic: &Panic{At: 1, Msg: "index out of range"}},
		&Reply{Back: [][]json.RawMessage{{raw("[1]")}}, Fresh: [][3]int{{0, 0, 1}}, Outs: [][]json.RawMessage{{}}},
		&Reply{W: Floats{1, math.Inf(-1)}, G: Floats{2}, Replaced: []int{3}},
	}
	for _, m := range msgs {
		got, err := Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(m)
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("Marshal wrote invalid JSON %s: %v", got, err)
		}
		json.Unmarshal(want, &w)
		if d := cmp.Diff(w, g); d != "" {
			t.Errorf("Marshal(%T) differs from encoding/json (-want +got):\n%s", m, d)
		}
	}
}

// Values cross by their Go type and come back equal, NaN and ±Inf included.
func TestEncodeDecodeRoundTrip(t *testing.T) {
	vals := []any{
		0.1, math.Inf(-1), -3, uint8(7), true, `a "quoted", [bracketed] \ string`,
		[]float64{1, math.Inf(1), -0.5, math.Copysign(0, -1), 5e-324, math.MaxFloat64}, []float64(nil), []float64{},
		[][]float64{{1, 2}, nil, {}, {3}}, []string{"x,y", "]", `"`},
	}
	for _, x := range vals {
		v := reflect.ValueOf(x)
		b, err := Encode(v)
		if err != nil {
			t.Fatalf("Encode(%#v): %v", x, err)
		}
		if !json.Valid(b) {
			t.Fatalf("Encode(%#v) = %s, not JSON", x, b)
		}
		back, err := Decode(b, v.Type())
		if err != nil {
			t.Fatalf("Decode(%s): %v", b, err)
		}
		if d := cmp.Diff(x, back.Interface()); d != "" {
			t.Errorf("round trip of %s (-want +got):\n%s", b, d)
		}
	}
	nan, err := Decode(appendFloat(nil, math.NaN()), reflect.TypeFor[float64]())
	if err != nil || !math.IsNaN(nan.Float()) {
		t.Errorf("NaN came back as %v, %v", nan, err)
	}
	// A []float64 crosses as its bits: exact to the last bit, the sign of
	// zero and a NaN's payload included.
	odd := []float64{math.Float64frombits(0x7ff8_0000_dead_beef), math.Copysign(0, -1), 0.1 + 0.2}
	b, err := Encode(reflect.ValueOf(odd))
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(b, reflect.TypeFor[[]float64]())
	if err != nil {
		t.Fatalf("Decode(%s): %v", b, err)
	}
	for i, x := range back.Interface().([]float64) {
		if math.Float64bits(x) != math.Float64bits(odd[i]) {
			t.Errorf("item %d came back as %#x, want %#x", i, math.Float64bits(x), math.Float64bits(odd[i]))
		}
	}
}

// Whatever the worker sends that is not its type is refused with words, not
// a panic: wrong kinds, broken lists, numbers JSON does not have.
func TestDecodeRefuses(t *testing.T) {
	cases := []struct {
		raw string
		typ reflect.Type
	}{
		{`[1,,2]`, reflect.TypeFor[[]float64]()},
		{`[1,2]`, reflect.TypeFor[[]float64]()},          // floats cross as bits
		{`"AAAAAAAA8D8A"`, reflect.TypeFor[[]float64]()}, // 9 bytes: not whole float64s
		{`"not base64!"`, reflect.TypeFor[[]float64]()},
		{`AAAAAAAA8D8=`, reflect.TypeFor[[]float64]()}, // unquoted
		{`[`, reflect.TypeFor[[]float64]()},
		{`[1]]`, reflect.TypeFor[[]float64]()},
		{`[[1],2`, reflect.TypeFor[[][]float64]()},
		{`["a]`, reflect.TypeFor[[]string]()},
		{`[1,2]`, reflect.TypeFor[[][]float64]()},
		{`{"a":1}`, reflect.TypeFor[[]float64]()},
		{`"1"`, reflect.TypeFor[float64]()},
		{`inf`, reflect.TypeFor[float64]()},
		{`0x10`, reflect.TypeFor[float64]()},
		{`1.5`, reflect.TypeFor[int]()},
		{`300`, reflect.TypeFor[int8]()},
		{`-1`, reflect.TypeFor[uint]()},
		{`1`, reflect.TypeFor[string]()},
		{`1`, reflect.TypeFor[map[string]int]()},
	}
	for _, c := range cases {
		if v, err := Decode(json.RawMessage(c.raw), c.typ); err == nil {
			t.Errorf("Decode(%s, %v) = %v, want an error", c.raw, c.typ, v)
		}
	}
}

// A reply is one bounded line of known fields.
func TestReadReplyRefuses(t *testing.T) {
	for _, line := range []string{
		`{"outs":[[1]],"verdict":"passed"}`,
		`{"ok":true} {"ok":true}`,
		`not json`,
		`{"outs":[[1]]` + strings.Repeat(" ", MaxReply),
	} {
		_, err := ReadReply(bufio.NewReader(strings.NewReader(line + "\n")))
		if _, ok := err.(*BadReply); !ok {
			t.Errorf("ReadReply(%.40q…) = %v, want a *BadReply", line, err)
		}
	}
	rep, err := ReadReply(bufio.NewReader(strings.NewReader(`{"ok":true}` + "\n")))
	if err != nil || !rep.OK {
		t.Errorf("ReadReply of a good line: %+v, %v", rep, err)
	}
}

// Version names the messages' shape: a change of a field's name, JSON name
// or type gives another.
func TestVersion(t *testing.T) {
	if !regexp.MustCompile(`^[0-9]+-[0-9a-f]{12}$`).MatchString(Version) {
		t.Errorf("Version = %q", Version)
	}
	// Anonymous structs: only their fields tell them apart.
	a := struct {
		X []float64 `json:"x"`
	}{}
	b := struct {
		X []float32 `json:"x"`
	}{}
	c := struct {
		X []float64 `json:"y"`
	}{}
	shape := func(v any) string {
		var sb strings.Builder
		describe(&sb, reflect.TypeOf(v), map[reflect.Type]bool{})
		return sb.String()
	}
	sa, sb, sc := shape(a), shape(b), shape(c)
	if sa == sb || sa == sc || sb == sc {
		t.Errorf("shapes collide: %s, %s, %s", sa, sb, sc)
	}
}
