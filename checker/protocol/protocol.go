// Package protocol is what the checker's judge and its jailed worker say to
// each other: one JSON object a line, requests on the worker's standard
// input, replies on its file descriptor 3.
//
// The worker is assumed compromised (yaegi is not memory-safe), so the
// protocol carries data only: the judge asks "call FirstStepLR with these
// arguments" and gets values back, which it checks against the reference
// itself. No verdict, score or test ever crosses. A reply that does not
// decode, is longer than MaxReply or does not fit the function's declared
// types is the worker's fault, never the judge's: it ends the worker.
//
// A conversation:
//
//	worker: {"hello":{"layers":["rlimits","seccomp","landlock"]}}   jailed, before reading any learner code
//	judge:  {"op":"load","load":{"source":"package answers…","funcs":["FirstStepLR"]}}
//	worker: {"loaded":{"funcs":{"FirstStepLR":"func(float64, float64, float64) float64"}}}
//	judge:  {"op":"call","func":"FirstStepLR","calls":[[0.1,0.5,1e-08]]}
//	worker: {"outs":[[0.19999999600000008]]}
//
// Values are encoded by the function's Go type (Encode, Decode): numbers as
// JSON numbers (NaN and ±Inf as the strings "NaN", "+Inf", "-Inf"), slices
// as arrays, a nil slice as null — except a []float64, which is one base64
// string of its values' bits, little-endian: exact, and far cheaper to
// write and read than shortest decimals (most of what crosses is long
// lists of floats).
package protocol

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
)

// MaxReply is the longest reply line the judge reads. The largest honest
// reply (a notebook's notes and written answers) is far smaller.
const MaxReply = 1 << 20

// Request is one message from the judge.
type Request struct {
	Op string `json:"op"` // "load", "call", "fold", "table", "update"

	Load *Load `json:"load,omitempty"`

	// call, fold, update: the learner's function.
	Func string `json:"func,omitempty"`
	// call: one argument list per call, made in order in one round trip.
	Calls [][]json.RawMessage `json:"calls,omitempty"`
	// call: send the arguments back as the calls left them (the function
	// may write into slices it was given).
	Back bool `json:"back,omitempty"`
	// fold: x ← f(x, ys[i]) for each i; the reply holds every x.
	Init json.RawMessage   `json:"init,omitempty"`
	Ys   []json.RawMessage `json:"ys,omitempty"`

	// table, update: a sparse embedding table kept in the worker between
	// calls, so that a huge table never crosses the pipe.
	Table *Table `json:"table,omitempty"`
}

// Load is the learner's code: a .go file or a notebook's code cells.
type Load struct {
	File   string   `json:"file"`
	Source string   `json:"source,omitempty"`
	Cells  []string `json:"cells,omitempty"`
	// Funcs are the names the judge will call; the reply gives their types.
	Funcs []string `json:"funcs"`
	// Starters maps a function name to its starter body (as go/format
	// prints it); the reply says which still hold it.
	Starters map[string]string `json:"starters,omitempty"`
}

// Table describes a sparse table of Rows rows in which only the listed rows
// hold values (the others are nil), or an update of its listed rows.
type Table struct {
	ID   int    `json:"id"`
	Rows int    `json:"rows,omitempty"` // table: its size
	List []int  `json:"list"`           // the rows that hold values (table) or get a gradient (update)
	W    Floats `json:"w,omitempty"`    // table: the listed rows' values, row after row
	G    Floats `json:"g,omitempty"`
	Dim  int    `json:"dim"`
	// update: the gradients of the listed rows, row after row, and the
	// rate; the reply's W and G are the listed rows after the call.
	Grads Floats  `json:"grads,omitempty"`
	Eta   float64 `json:"eta,omitempty"`
	Eps   float64 `json:"eps,omitempty"`
}

// Reply is one message from the worker. Exactly one of its groups is set.
type Reply struct {
	Hello  *Hello  `json:"hello,omitempty"`
	Loaded *Loaded `json:"loaded,omitempty"`
	Fatal  *Fatal  `json:"fatal,omitempty"`

	// call, fold: the results of each call made, in order.
	Outs [][]json.RawMessage `json:"outs,omitempty"`
	// call with Back: each call's arguments after it, and which rows of a
	// [][]float64 argument the function replaced rather than wrote into
	// (call index, argument index, row).
	Back  [][]json.RawMessage `json:"back,omitempty"`
	Fresh [][3]int            `json:"fresh,omitempty"`
	// A call that panicked ends the batch: its index and message.
	Panic *Panic `json:"panic,omitempty"`

	// update: the listed rows after the call, row after row (as bits:
	// the function may have written NaN).
	W Floats `json:"w,omitempty"`
	G Floats `json:"g,omitempty"`
	// update: rows the update replaced instead of writing into.
	Replaced []int `json:"replaced,omitempty"`

	OK bool `json:"ok,omitempty"`
	// A request the worker could not serve (the judge's bug, or the
	// worker's: either way the worker is ended).
	Error string `json:"error,omitempty"`
}

// Hello is the worker's first line, written once its jail is in place and
// before it has read any of the learner's code: what it says is therefore
// still the checker's own word.
type Hello struct {
	Protocol string            `json:"protocol"`          // the worker's Version
	Layers   []string          `json:"layers"`            // applied: "rlimits", "seccomp", "landlock", …
	Missing  map[string]string `json:"missing,omitempty"` // layer → why it is not there
	// Error: a layer the system has could not be applied; the worker stops.
	Error string `json:"error,omitempty"`
}

// Loaded answers a load.
type Loaded struct {
	// Funcs maps each requested name to its type as Go prints it
	// ("func(float64) float64"), or to "" when the code has no such
	// top-level name, or to "not a function: T".
	Funcs map[string]string `json:"funcs"`
	// Starter lists the requested functions whose bodies are still the
	// starter's.
	Starter []string `json:"starter,omitempty"`
	// Texts are the QnText constants of the code, by question id.
	Texts map[string]string `json:"texts,omitempty"`
	// Notes are problems that did not stop the code from loading: a cell
	// that failed, a cell left out for a forbidden import.
	Notes []string `json:"notes,omitempty"`
}

// Fatal is code that could not be loaded at all.
type Fatal struct {
	Status string `json:"status"` // "error" (does not compile, forbidden import) or "crashed" (panicked)
	Msg    string `json:"msg"`
}

// Panic is a call that panicked.
type Panic struct {
	At  int    `json:"at"`
	Msg string `json:"msg"`
}

// BadReply is a reply the judge refuses: too long, not JSON, not the types
// asked for.
type BadReply struct{ Why string }

func (e *BadReply) Error() string { return "the worker sent " + e.Why }

// readLine reads up to and without '\n'; a line longer than max is a
// BadReply (the rest is not read: the worker is ended anyway).
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > max+1 {
			return nil, &BadReply{fmt.Sprintf("a reply longer than %d KiB", max>>10)}
		}
		line = append(line, chunk...)
		switch {
		case err == nil:
			return line[:len(line)-1], nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return nil, &BadReply{"half a reply and then closed its pipe"}
		default:
			return nil, err
		}
	}
}

// WriteLine writes v as one JSON line.
func WriteLine(w io.Writer, v any) error {
	b, err := Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Marshal encodes a Request or a Reply (or anything else, by
// encoding/json). The encoded values they carry are spliced in as they
// are: encoding/json would scan and compact each one again, which for the
// long lists of numbers a call carries is most of its cost. They come from
// Encode, so they are already compact.
func Marshal(v any) ([]byte, error) {
	switch m := v.(type) {
	case *Request:
		head := *m
		head.Calls, head.Init, head.Ys = nil, nil, nil
		b, err := json.Marshal(&head)
		if err != nil {
			return nil, err
		}
		b = addField(b, "calls", lists(m.Calls))
		b = addField(b, "init", m.Init)
		return addField(b, "ys", list(nil, m.Ys)), nil
	case *Reply:
		head := *m
		head.Outs, head.Back = nil, nil
		b, err := json.Marshal(&head)
		if err != nil {
			return nil, err
		}
		b = addField(b, "outs", lists(m.Outs))
		return addField(b, "back", lists(m.Back)), nil
	}
	return json.Marshal(v)
}

// addField adds "name":raw to the JSON object b, unless raw is empty (as
// omitempty would).
func addField(b []byte, name string, raw []byte) []byte {
	if len(raw) == 0 {
		return b
	}
	b = b[:len(b)-1] // its closing brace
	if len(b) > 1 {
		b = append(b, ',')
	}
	b = strconv.AppendQuote(b, name)
	b = append(b, ':')
	b = append(b, raw...)
	return append(b, '}')
}

// list appends items as a JSON list; nothing for none.
func list(b []byte, items []json.RawMessage) []byte {
	if len(items) == 0 {
		return b
	}
	b = append(b, '[')
	for i, it := range items {
		if i > 0 {
			b = append(b, ',')
		}
		if len(it) == 0 {
			it = json.RawMessage("null")
		}
		b = append(b, it...)
	}
	return append(b, ']')
}

func lists(ls [][]json.RawMessage) []byte {
	if len(ls) == 0 {
		return nil
	}
	b := []byte{'['}
	for i, l := range ls {
		if i > 0 {
			b = append(b, ',')
		}
		if len(l) == 0 {
			b = append(b, "[]"...)
			continue
		}
		b = list(b, l)
	}
	return append(b, ']')
}

// Encode writes v as JSON by its Go type. Only the kinds the exercises use
// are supported: floats, integers, bools, strings and slices of them.
func Encode(v reflect.Value) (json.RawMessage, error) {
	return appendValue(nil, v)
}

func appendValue(b []byte, v reflect.Value) ([]byte, error) {
	switch v.Kind() {
	case reflect.Float64, reflect.Float32:
		return appendFloat(b, v.Float()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.AppendUint(b, v.Uint(), 10), nil
	case reflect.Bool:
		return strconv.AppendBool(b, v.Bool()), nil
	case reflect.String:
		s, err := json.Marshal(v.String())
		return append(b, s...), err
	case reflect.Slice:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		if v.Type().Elem().Kind() == reflect.Float64 {
			return appendBits(b, v), nil
		}
		b = append(b, '[')
		for i := range v.Len() {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendValue(b, v.Index(i)); err != nil {
				return nil, err
			}
		}
		return append(b, ']'), nil
	case reflect.Interface:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return appendValue(b, v.Elem())
	}
	return nil, fmt.Errorf("values of type %s cannot cross to the judge", v.Type())
}

func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"+Inf"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Inf"`...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// Decode reads raw into a new value of type t, the inverse of Encode. What
// it reads is bounded by raw and by t (nesting comes from the type, never
// from the data).
func Decode(raw json.RawMessage, t reflect.Type) (reflect.Value, error) {
	v := reflect.New(t).Elem()
	if err := decodeInto(raw, v); err != nil {
		return reflect.Value{}, err
	}
	return v, nil
}

func decodeInto(raw json.RawMessage, v reflect.Value) error {
	raw = bytes.TrimSpace(raw)
	switch v.Kind() {
	case reflect.Float64, reflect.Float32:
		f, err := decodeFloat(raw)
		if err != nil {
			return err
		}
		v.SetFloat(f)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(string(raw), 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("want an integer of %d bits, got %s", v.Type().Bits(), clip(string(raw)))
		}
		v.SetInt(n)
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, err := strconv.ParseUint(string(raw), 10, v.Type().Bits())
		if err != nil {
			return fmt.Errorf("want an unsigned integer, got %s", clip(string(raw)))
		}
		v.SetUint(n)
		return nil
	case reflect.Bool:
		return json.Unmarshal(raw, v.Addr().Interface())
	case reflect.String:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return fmt.Errorf("want a string, got %s", clip(string(raw)))
		}
		v.SetString(s)
		return nil
	case reflect.Slice:
		if string(raw) == "null" {
			v.SetZero()
			return nil
		}
		if v.Type().Elem().Kind() == reflect.Float64 {
			return decodeBits(raw, v)
		}
		items, err := splitList(raw)
		if err != nil {
			return err
		}
		s := reflect.MakeSlice(v.Type(), len(items), len(items))
		for i, it := range items {
			if err := decodeInto(it, s.Index(i)); err != nil {
				return fmt.Errorf("item %d: %w", i, err)
			}
		}
		v.Set(s)
		return nil
	}
	return fmt.Errorf("values of type %s cannot cross to the judge", v.Type())
}

// splitList cuts a JSON list into its items without decoding them: each
// item is then checked by the decoder of its own type, so only the list's
// brackets, commas and strings need reading here. (encoding/json would scan
// and copy every item twice: for long lists of numbers, most of a call's
// cost.)
func splitList(raw []byte) ([][]byte, error) {
	bad := func() ([][]byte, error) { return nil, fmt.Errorf("want a list, got %s", clip(string(raw))) }
	if len(raw) < 2 || raw[0] != '[' || raw[len(raw)-1] != ']' {
		return bad()
	}
	body := raw[1 : len(raw)-1]
	if len(bytes.TrimSpace(body)) == 0 {
		return [][]byte{}, nil
	}
	items := make([][]byte, 0, bytes.Count(body, []byte{','})+1)
	for start := 0; ; {
		end, err := valueEnd(body, start) // at the next comma outside brackets and strings
		if err != nil {
			return bad()
		}
		items = append(items, bytes.TrimSpace(body[start:end]))
		if end == len(body) {
			return items, nil
		}
		start = end + 1
	}
}

// appendBits writes a []float64 (of any named type) as a quoted base64
// string of its values' IEEE 754 bits, little-endian.
func appendBits(b []byte, v reflect.Value) []byte {
	n := v.Len()
	bits := make([]byte, 8*n)
	for i := range n {
		binary.LittleEndian.PutUint64(bits[8*i:], math.Float64bits(v.Index(i).Float()))
	}
	b = append(b, '"')
	b = base64.StdEncoding.AppendEncode(b, bits)
	return append(b, '"')
}

// decodeBits reads what appendBits wrote into the slice v.
func decodeBits(raw []byte, v reflect.Value) error {
	bad := func() error { return fmt.Errorf("want a base64 string of float64 bits, got %s", clip(string(raw))) }
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return bad()
	}
	bits, err := base64.StdEncoding.AppendDecode(nil, raw[1:len(raw)-1])
	if err != nil || len(bits)%8 != 0 {
		return bad()
	}
	fs := make([]float64, len(bits)/8)
	for i := range fs {
		fs[i] = math.Float64frombits(binary.LittleEndian.Uint64(bits[8*i:]))
	}
	v.Set(reflect.ValueOf(fs).Convert(v.Type())) // a named slice type shares []float64's layout
	return nil
}

func decodeFloat(raw []byte) (float64, error) {
	switch string(raw) {
	case `"NaN"`:
		return math.NaN(), nil
	case `"+Inf"`:
		return math.Inf(1), nil
	case `"-Inf"`:
		return math.Inf(-1), nil
	}
	if len(raw) == 0 || raw[0] != '-' && (raw[0] < '0' || raw[0] > '9') {
		return 0, fmt.Errorf("want a number, got %s", clip(string(raw)))
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return 0, fmt.Errorf("want a number, got %s", clip(string(raw)))
	}
	return f, nil
}

// Floats is a []float64 field of a message: it crosses as Encode writes
// every []float64, the base64 of its values' bits.
type Floats []float64

// MarshalJSON implements json.Marshaler.
func (f Floats) MarshalJSON() ([]byte, error) {
	return appendBits(nil, reflect.ValueOf([]float64(f))), nil
}

// UnmarshalJSON implements json.Unmarshaler.
func (f *Floats) UnmarshalJSON(b []byte) error {
	return decodeBits(b, reflect.ValueOf(f).Elem())
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
