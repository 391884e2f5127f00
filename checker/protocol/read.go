package protocol

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Reading a message cuts its top-level object into fields without
// decoding them (splitObject); the few small fields are then decoded with
// encoding/json, strictly, and the long lists of values (a call's
// arguments and results, most of every message's bytes) are only cut into
// items (splitList), each of which Decode later reads by the function's Go
// type, which is where a value is checked. encoding/json would scan each
// list twice and copy it once before any of that: on the worker's side,
// most of what reading requests cost.

// MaxRequest is the longest request line a worker reads (the judge writes
// them: the bound only stops a runaway).
const MaxRequest = 256 << 20

// ReadRequest reads one request line.
func ReadRequest(r *bufio.Reader) (*Request, error) {
	line, err := readLine(r, MaxRequest)
	if err != nil {
		return nil, err
	}
	fields, err := splitObject(line)
	if err != nil {
		return nil, fmt.Errorf("a request that is not valid: %v", err)
	}
	var req Request
	for _, f := range fields {
		switch f.key {
		case "op":
			err = strict(f.raw, &req.Op)
		case "func":
			err = strict(f.raw, &req.Func)
		case "back":
			err = strict(f.raw, &req.Back)
		case "load":
			err = strict(f.raw, &req.Load)
		case "table":
			err = strict(f.raw, &req.Table)
		case "init":
			req.Init = json.RawMessage(f.raw)
		case "ys":
			req.Ys, err = rawList(f.raw)
		case "calls":
			req.Calls, err = rawLists(f.raw)
		default:
			err = fmt.Errorf("unknown field %q", clip(f.key))
		}
		if err != nil {
			return nil, fmt.Errorf("a request that is not valid: %q: %v", clip(f.key), err)
		}
	}
	return &req, nil
}

// ReadReply reads one reply line of at most MaxReply bytes. Anything but
// the fields of Reply, each once, with the types it declares, is a
// BadReply.
func ReadReply(r *bufio.Reader) (*Reply, error) {
	line, err := readLine(r, MaxReply)
	if err != nil {
		return nil, err
	}
	rep, err := parseReply(line)
	if err != nil {
		return nil, &BadReply{fmt.Sprintf("a reply that is not valid: %v", clip(err.Error()))}
	}
	return rep, nil
}

func parseReply(line []byte) (*Reply, error) {
	fields, err := splitObject(line)
	if err != nil {
		return nil, err
	}
	var rep Reply
	for _, f := range fields {
		switch f.key {
		case "hello":
			err = strict(f.raw, &rep.Hello)
		case "loaded":
			err = strict(f.raw, &rep.Loaded)
		case "fatal":
			err = strict(f.raw, &rep.Fatal)
		case "panic":
			err = strict(f.raw, &rep.Panic)
		case "fresh":
			err = strict(f.raw, &rep.Fresh)
		case "replaced":
			err = strict(f.raw, &rep.Replaced)
		case "ok":
			err = strict(f.raw, &rep.OK)
		case "error":
			err = strict(f.raw, &rep.Error)
		case "outs":
			rep.Outs, err = rawLists(f.raw)
		case "back":
			rep.Back, err = rawLists(f.raw)
		case "w":
			err = rep.W.UnmarshalJSON(f.raw)
		case "g":
			err = rep.G.UnmarshalJSON(f.raw)
		default:
			err = fmt.Errorf("unknown field %q", clip(f.key))
		}
		if err != nil {
			return nil, fmt.Errorf("%q: %v", clip(f.key), err)
		}
	}
	return &rep, nil
}

// strict decodes one small field with encoding/json, refusing fields its
// type does not have.
func strict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data")
	}
	return nil
}

func rawList(raw []byte) ([]json.RawMessage, error) {
	items, err := splitList(raw)
	if err != nil {
		return nil, err
	}
	out := make([]json.RawMessage, len(items))
	for i, it := range items {
		out[i] = it
	}
	return out, nil
}

func rawLists(raw []byte) ([][]json.RawMessage, error) {
	items, err := splitList(raw)
	if err != nil {
		return nil, err
	}
	out := make([][]json.RawMessage, len(items))
	for i, it := range items {
		if out[i], err = rawList(it); err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
	}
	return out, nil
}

// field is one member of a JSON object, its value not decoded.
type field struct {
	key string
	raw []byte
}

// splitObject cuts a JSON object into its members. Keys must be plain
// (no escapes: ours have none) and appear once; each value's extent is
// found by its brackets and strings only, and is checked when decoded.
func splitObject(raw []byte) ([]field, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) < 2 || raw[0] != '{' || raw[len(raw)-1] != '}' {
		return nil, fmt.Errorf("want an object, got %s", clip(string(raw)))
	}
	body := raw[1 : len(raw)-1]
	var out []field
	i := skipSpace(body, 0)
	if i == len(body) {
		return nil, nil
	}
	for {
		if i >= len(body) || body[i] != '"' {
			return nil, fmt.Errorf("want a key at byte %d", i+1)
		}
		end := bytes.IndexByte(body[i+1:], '"')
		if end < 0 {
			return nil, fmt.Errorf("a key that does not end")
		}
		key := body[i+1 : i+1+end]
		if bytes.IndexByte(key, '\\') >= 0 || !utf8.Valid(key) {
			return nil, fmt.Errorf("a key with escapes")
		}
		for _, f := range out {
			if f.key == string(key) {
				return nil, fmt.Errorf("field %q twice", clip(f.key))
			}
		}
		i = skipSpace(body, i+2+end)
		if i >= len(body) || body[i] != ':' {
			return nil, fmt.Errorf("want ':' after %q", clip(string(key)))
		}
		start := i + 1
		var err error
		if i, err = valueEnd(body, start); err != nil {
			return nil, err
		}
		v := bytes.TrimSpace(body[start:i])
		if len(v) == 0 {
			return nil, fmt.Errorf("%q has no value", clip(string(key)))
		}
		out = append(out, field{string(key), v})
		if i == len(body) {
			return out, nil
		}
		i = skipSpace(body, i+1) // past the comma
	}
}

// valueEnd is where the value starting at b[i] ends: at the next comma
// outside brackets and strings, or at the end of b.
func valueEnd(b []byte, i int) (int, error) {
	depth := 0
	for ; i < len(b); i++ {
		switch c := b[i]; c {
		case '"':
			if i = stringEnd(b, i); i < 0 {
				return 0, fmt.Errorf("a string that does not end")
			}
		case '[', '{':
			depth++
		case ']', '}':
			if depth--; depth < 0 {
				return 0, fmt.Errorf("unbalanced %q at byte %d", c, i+1)
			}
		case ',':
			if depth == 0 {
				return i, nil
			}
		}
	}
	if depth != 0 {
		return 0, fmt.Errorf("unbalanced brackets")
	}
	return i, nil
}

// stringEnd is the index of the quote that ends the string whose opening
// quote is b[i], or -1. Quotes are found with IndexByte (the long strings
// are base64, with no escapes); one preceded by an odd run of backslashes
// is escaped.
func stringEnd(b []byte, i int) int {
	for j := i + 1; ; {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return -1
		}
		q := j + k
		n := 0
		for n < q-i-1 && b[q-1-n] == '\\' {
			n++
		}
		if n%2 == 0 {
			return q
		}
		j = q + 1
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}
