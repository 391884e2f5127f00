package guard

import (
	"encoding/binary"
	"io"
	"net"
	"testing"
)

func frame(flags byte, body []byte) []byte {
	if len(body) > 255 {
		h := make([]byte, 9)
		h[0] = flags | 0x02
		binary.BigEndian.PutUint64(h[1:], uint64(len(body)))
		return append(h, body...)
	}
	return append([]byte{flags, byte(len(body))}, body...)
}

func TestParserPassesNormalTraffic(t *testing.T) {
	stream := make([]byte, greetingLen)
	stream = append(stream, frame(0x04, []byte("\x05READY"))...)
	stream = append(stream, frame(0x01, []byte("<IDS|MSG>"))...)
	stream = append(stream, frame(0x00, make([]byte, 1000))...)
	// Fed one byte at a time: boundaries anywhere.
	p := parser{limit: 2000, skip: greetingLen}
	for i := range stream {
		if err := p.feed(stream[i : i+1]); err != nil {
			t.Fatalf("byte %d: %v", i, err)
		}
	}
}

func TestParserRejectsHugeAnnouncements(t *testing.T) {
	h := make([]byte, 9)
	h[0] = 0x02
	binary.BigEndian.PutUint64(h[1:], 1<<60)
	p := parser{limit: MaxMessage, skip: greetingLen}
	if err := p.feed(append(make([]byte, greetingLen), h...)); err == nil {
		t.Fatal("an exabyte frame was let through")
	}
	// Many frames that add up: also rejected.
	p = parser{limit: 1000, skip: 0}
	var s []byte
	for i := 0; i < 5; i++ {
		s = append(s, frame(0x01, make([]byte, 300))...)
	}
	if err := p.feed(s); err == nil {
		t.Fatal("a 1500-byte multipart message passed a 1000-byte limit")
	}
}

// FuzzParser: any byte stream, cut anywhere, either passes or is refused;
// the parser never panics and never lets a frame over the limit through.
func FuzzParser(f *testing.F) {
	f.Add(append(make([]byte, greetingLen), frame(0x01, []byte("abc"))...), uint8(3))
	f.Add([]byte{0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, uint8(1))
	f.Fuzz(func(t *testing.T, b []byte, step uint8) {
		p := parser{limit: 1 << 20}
		n := int(step)%7 + 1
		for i := 0; i < len(b); i += n {
			if err := p.feed(b[i:min(i+n, len(b))]); err != nil {
				return
			}
			if p.skip > 1<<20 || p.total > 1<<20 {
				t.Fatalf("over the limit: skip %d total %d", p.skip, p.total)
			}
		}
	})
}

// TestWrappedTCPKeepsVectoredWrites: net.Buffers must still see the
// connection's writev, or every frame becomes two syscalls.
func TestWrappedTCPKeepsVectoredWrites(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err == nil {
			io.Copy(io.Discard, c)
		}
	}()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	w := wrap(c, MaxMessage)
	if _, ok := w.(interface{ SetNoDelay(bool) error }); !ok {
		t.Fatal("wrapper hides the *net.TCPConn")
	}
	bufs := net.Buffers{[]byte("a"), []byte("b")}
	if _, err := bufs.WriteTo(w); err != nil {
		t.Fatal(err)
	}
}
