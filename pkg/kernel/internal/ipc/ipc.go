// Package ipc is the conversation between the kernel (parent) and the
// process that runs cells (child).
//
// The child gets four pipes besides stdin:
//
//	fd 1  the cell's stdout      → streamed to the notebook as it is written
//	fd 3  requests               parent → child, length-prefixed JSON
//	fd 4  events                 child → parent, length-prefixed JSON
//	fd 5  the cell's stderr      → streamed to the notebook
//	fd 2  the Go runtime's own   → read only to explain a crash
//
// Results never travel on a stream a cell can write to with fmt.Print, so
// nothing a cell prints can pass for a result. To keep prints and displays
// in order, the child ends every event's output with a sync mark on both
// streams: a random per-child nonce and a sequence number, which the parent
// strips and waits for before acting on the event.
package ipc

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
)

// File descriptors in the child (ExtraFiles start at 3).
const (
	FDRequests = 3
	FDEvents   = 4
	FDStderr   = 5
)

// EnvNonce names the environment variable that carries the sync nonce.
const EnvNonce = "ADAGRADLAB_KERNEL_NONCE"

// MaxFrame bounds one request or event (a big PNG is a few MB).
const MaxFrame = 256 << 20

// Request is one job for the child.
type Request struct {
	ID              int64             `json:"id"`
	Code            string            `json:"code"`
	Quiet           bool              `json:"quiet,omitempty"` // replay: no result, output is discarded by the parent
	UserExpressions map[string]string `json:"user_expressions,omitempty"`

	// Input answers an "input" event of the cell that is running (and is
	// then the whole request): what the user typed, or EOF.
	Input *Input `json:"input,omitempty"`
}

// Input is a line the user typed for a cell reading stdin.
type Input struct {
	Value string `json:"value"`
	EOF   bool   `json:"eof,omitempty"` // no input to be had: the front end does not allow it, or the cell was stopped
}

// Event is one message from the child.
type Event struct {
	Kind string `json:"kind"` // "ready", "display", "input" (a cell reads stdin: answer with Request.Input), "done"
	ID   int64  `json:"id,omitempty"`
	Seq  int64  `json:"seq"` // sync mark written on both streams before this event

	Display *Bundle `json:"display,omitempty"`

	// done
	Result          *Bundle        `json:"result,omitempty"`
	Error           *Error         `json:"error,omitempty"`
	UserExpressions map[string]any `json:"user_expressions,omitempty"`
	// Partial is set when a cell failed after some of its chunks ran: the
	// chunks that did run, to replay after a restart (their definitions
	// are in the session even though the cell failed).
	Partial string `json:"partial,omitempty"`
	// LeftOut is set in a replay: the cell had statements that write files
	// or start processes, which were not run again (cells.Replay).
	LeftOut bool              `json:"left_out,omitempty"`
	Exports []string          `json:"exports,omitempty"` // names declared so far, for completion
	Types   map[string]string `json:"types,omitempty"`   // their types, for inspect
}

// Bundle is a mime bundle as sent on the wire.
type Bundle struct {
	Data      map[string]any `json:"data"`
	Metadata  map[string]any `json:"metadata"`
	DisplayID string         `json:"display_id,omitempty"`
	Update    bool           `json:"update,omitempty"`
	Clear     bool           `json:"clear,omitempty"` // a clear_output request, not a bundle
	Wait      bool           `json:"wait,omitempty"`  // clear_output's wait
}

// Error is an error reply's content.
type Error struct {
	Name      string   `json:"ename"`
	Value     string   `json:"evalue"`
	Traceback []string `json:"traceback"`
}

// WriteFrame writes v as one length-prefixed JSON frame.
func WriteFrame(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("ipc: encoding: %w", err)
	}
	if len(b) > MaxFrame {
		return fmt.Errorf("ipc: frame of %d bytes exceeds %d", len(b), MaxFrame)
	}
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(b)))
	if _, err := w.Write(append(n[:], b...)); err != nil {
		return fmt.Errorf("ipc: writing: %w", err)
	}
	return nil
}

// ReadFrame reads one frame into v.
func ReadFrame(r io.Reader, v any) error {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return err
	}
	size := binary.BigEndian.Uint32(n[:])
	if size > MaxFrame {
		return fmt.Errorf("ipc: frame of %d bytes exceeds %d", size, MaxFrame)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return fmt.Errorf("ipc: short frame: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("ipc: decoding: %w", err)
	}
	return nil
}

// Mark is the sync mark for seq: control characters no sane print contains,
// the nonce, the sequence number.
func Mark(nonce string, seq int64) string {
	return "\x00\x1b[adagradlab:" + nonce + ":" + strconv.FormatInt(seq, 10) + "]\x00"
}

// MarkScanner strips sync marks out of a stream: it hands text to emit as
// soon as it is read (holding back only bytes that could start a mark) and
// reports each mark's sequence number to mark.
type MarkScanner struct {
	prefix []byte
	emit   func([]byte)
	mark   func(seq int64)
	buf    []byte
}

// NewMarkScanner returns a scanner for marks with the given nonce.
func NewMarkScanner(nonce string, emit func([]byte), mark func(int64)) *MarkScanner {
	return &MarkScanner{prefix: []byte("\x00\x1b[adagradlab:" + nonce + ":"), emit: emit, mark: mark}
}

// Write feeds bytes read from the stream.
func (s *MarkScanner) Write(p []byte) (int, error) {
	s.buf = append(s.buf, p...)
	for {
		i := bytes.Index(s.buf, s.prefix)
		if i < 0 {
			break
		}
		end := bytes.Index(s.buf[i+len(s.prefix):], []byte("]\x00"))
		if end < 0 {
			// A mark in progress: emit what precedes it, keep the rest.
			if i > 0 {
				s.emit(s.buf[:i])
				s.buf = append(s.buf[:0], s.buf[i:]...)
			}
			return len(p), nil
		}
		if i > 0 {
			s.emit(s.buf[:i])
		}
		seq, _ := strconv.ParseInt(string(s.buf[i+len(s.prefix):i+len(s.prefix)+end]), 10, 64)
		s.buf = append(s.buf[:0], s.buf[i+len(s.prefix)+end+2:]...)
		s.mark(seq)
	}
	// Hold back only a tail that is itself a prefix of a mark.
	keep := 0
	for k := min(len(s.prefix)-1, len(s.buf)); k > 0; k-- {
		if bytes.HasPrefix(s.prefix, s.buf[len(s.buf)-k:]) {
			keep = k
			break
		}
	}
	if n := len(s.buf) - keep; n > 0 {
		s.emit(s.buf[:n])
		s.buf = append(s.buf[:0], s.buf[n:]...)
	}
	return len(p), nil
}

// Pump copies r into a MarkScanner until EOF.
func Pump(r io.Reader, s *MarkScanner) {
	br := bufio.NewReaderSize(r, 64<<10)
	buf := make([]byte, 64<<10)
	for {
		n, err := br.Read(buf)
		if n > 0 {
			_, _ = s.Write(buf[:n])
		}
		if err != nil {
			if len(s.buf) > 0 {
				s.emit(s.buf)
				s.buf = nil
			}
			return
		}
	}
}
