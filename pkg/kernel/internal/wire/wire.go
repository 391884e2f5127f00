// Package wire is the Jupyter messaging protocol (version 5.3) on the wire:
// the connection file, the message envelope, HMAC-SHA256 signing and the
// multipart framing
//
//	[identities...] "<IDS|MSG>" signature header parent_header metadata content [buffers...]
//
// Nothing here knows about sockets or execution, so every check on untrusted
// bytes — a missing delimiter, a bad signature, malformed JSON, an oversized
// frame — is a plain function that tests and the fuzzer can drive directly.
package wire

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"
)

// ProtocolVersion is the messaging protocol version this kernel speaks.
const ProtocolVersion = "5.3"

// Delimiter separates the routing identities from the signed frames.
const Delimiter = "<IDS|MSG>"

// MaxFrameBytes bounds every one of the four signed JSON frames. A cell of a
// teaching notebook is a few KB; 16 MiB leaves room for pasted data while
// keeping a hostile or broken client from making the kernel parse gigabytes.
const MaxFrameBytes = 16 << 20

// MaxFrames bounds the number of frames (identities + signed frames + buffers).
const MaxFrames = 64

// ConnectionInfo is the JSON connection file Jupyter writes for a kernel.
type ConnectionInfo struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	StdinPort       int    `json:"stdin_port"`
	IOPubPort       int    `json:"iopub_port"`
	HBPort          int    `json:"hb_port"`
	Key             string `json:"key"`
	SignatureScheme string `json:"signature_scheme"`
	KernelName      string `json:"kernel_name,omitempty"`
}

// ReadConnectionFile loads and checks a connection file.
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	var ci ConnectionInfo
	b, err := os.ReadFile(path)
	if err != nil {
		return ci, fmt.Errorf("reading connection file: %w", err)
	}
	if err := json.Unmarshal(b, &ci); err != nil {
		return ci, fmt.Errorf("connection file %s: %w", path, err)
	}
	if ci.Transport == "" {
		ci.Transport = "tcp"
	}
	if ci.SignatureScheme == "" {
		ci.SignatureScheme = "hmac-sha256"
	}
	if ci.SignatureScheme != "hmac-sha256" {
		return ci, fmt.Errorf("connection file %s: signature scheme %q is not supported (only hmac-sha256)", path, ci.SignatureScheme)
	}
	if ci.IP == "" {
		return ci, fmt.Errorf("connection file %s: no ip", path)
	}
	return ci, nil
}

// Endpoint is the ZeroMQ address of one of the kernel's ports.
func (ci ConnectionInfo) Endpoint(port int) string {
	if ci.Transport == "ipc" {
		return fmt.Sprintf("ipc://%s-%d", ci.IP, port)
	}
	return fmt.Sprintf("%s://%s:%d", ci.Transport, ci.IP, port)
}

// Header is a message header (also used as parent_header).
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one decoded protocol message. Content and Metadata stay raw on
// the way in so that each handler decodes only what it understands; on the
// way out any JSON-marshalable value may be used.
type Message struct {
	Identities   [][]byte
	Header       Header
	ParentHeader json.RawMessage // "{}" when there is no parent
	Metadata     json.RawMessage
	Content      json.RawMessage
	Buffers      [][]byte
}

// Signer computes and checks HMAC-SHA256 signatures. A nil key (the
// connection file's key is empty) means signing is off, as the spec allows.
type Signer struct{ key []byte }

// NewSigner returns a signer for key.
func NewSigner(key string) Signer { return Signer{key: []byte(key)} }

// Sign returns the hex signature of the four signed frames.
func (s Signer) Sign(frames ...[]byte) string {
	if len(s.key) == 0 {
		return ""
	}
	m := hmac.New(sha256.New, s.key)
	for _, f := range frames {
		m.Write(f)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether sig is the signature of frames, in constant time.
func (s Signer) Verify(sig []byte, frames ...[]byte) bool {
	if len(s.key) == 0 {
		return true
	}
	want, err := hex.DecodeString(string(sig))
	if err != nil || len(want) != sha256.Size {
		return false
	}
	m := hmac.New(sha256.New, s.key)
	for _, f := range frames {
		m.Write(f)
	}
	return hmac.Equal(want, m.Sum(nil))
}

// Errors Decode returns; the kernel logs them and drops the message.
var (
	ErrNoDelimiter  = errors.New("no <IDS|MSG> delimiter")
	ErrShort        = errors.New("fewer than the five frames after the delimiter")
	ErrTooLarge     = errors.New("message too large")
	ErrBadSignature = errors.New("bad or missing signature")
)

// Decode splits, size-checks, verifies and parses a multipart message. The
// signature is checked before any JSON is parsed, so an unsigned message
// costs nothing but the HMAC.
func Decode(frames [][]byte, s Signer) (*Message, error) {
	if len(frames) > MaxFrames {
		return nil, fmt.Errorf("%w: %d frames", ErrTooLarge, len(frames))
	}
	delim := -1
	for i, f := range frames {
		if string(f) == Delimiter {
			delim = i
			break
		}
	}
	if delim < 0 {
		return nil, ErrNoDelimiter
	}
	rest := frames[delim+1:]
	if len(rest) < 5 {
		return nil, ErrShort
	}
	for i := 1; i < 5; i++ {
		if len(rest[i]) > MaxFrameBytes {
			return nil, fmt.Errorf("%w: frame %d is %d bytes", ErrTooLarge, i, len(rest[i]))
		}
	}
	if !s.Verify(rest[0], rest[1], rest[2], rest[3], rest[4]) {
		return nil, ErrBadSignature
	}
	m := &Message{Identities: frames[:delim], Buffers: rest[5:]}
	if err := json.Unmarshal(rest[1], &m.Header); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if m.Header.MsgType == "" {
		return nil, errors.New("header: no msg_type")
	}
	for i, dst := range []*json.RawMessage{&m.ParentHeader, &m.Metadata, &m.Content} {
		if !isJSONObject(rest[2+i]) {
			return nil, fmt.Errorf("frame %d is not a JSON object", 2+i)
		}
		*dst = json.RawMessage(rest[2+i])
	}
	return m, nil
}

func isJSONObject(b []byte) bool {
	var v map[string]json.RawMessage
	return json.Unmarshal(b, &v) == nil
}

// Encode builds the frames of an outgoing message. A nil parent becomes {}.
func Encode(ids [][]byte, h Header, parent *Header, metadata, content any, s Signer) ([][]byte, error) {
	hb, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("encoding header: %w", err)
	}
	pb := []byte("{}")
	if parent != nil {
		if pb, err = json.Marshal(parent); err != nil {
			return nil, fmt.Errorf("encoding parent header: %w", err)
		}
	}
	if metadata == nil {
		metadata = struct{}{}
	}
	mb, err := json.Marshal(metadata)
	if err != nil {
		return nil, fmt.Errorf("encoding metadata: %w", err)
	}
	if content == nil {
		content = struct{}{}
	}
	cb, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("encoding %s content: %w", h.MsgType, err)
	}
	frames := make([][]byte, 0, len(ids)+6)
	frames = append(frames, ids...)
	frames = append(frames, []byte(Delimiter), []byte(s.Sign(hb, pb, mb, cb)), hb, pb, mb, cb)
	return frames, nil
}

// NewHeader returns a header for a new message of the given type in session.
func NewHeader(msgType, session string) Header {
	return Header{
		MsgID:    NewID(),
		Session:  session,
		Username: "kernel",
		Date:     time.Now().UTC().Format(time.RFC3339Nano),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

// NewID returns a random UUID-formatted identifier.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand does not fail on Linux; a time-based ID keeps us going if it does.
		return fmt.Sprintf("%032x", time.Now().UnixNano())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ParentOf returns the header of m, for use as the parent of a reply.
func (m *Message) ParentOf() *Header {
	h := m.Header
	return &h
}
