package ipc

import (
	"bytes"
	"testing"
)

func TestMarkScannerSplitsAnywhere(t *testing.T) {
	stream := "hello\n" + Mark("n1", 1) + "world\n" + Mark("n1", 2) + "tail"
	for cut := 0; cut <= len(stream); cut++ {
		var out bytes.Buffer
		var marks []int64
		s := NewMarkScanner("n1", func(b []byte) { out.Write(b) }, func(q int64) { marks = append(marks, q) })
		s.Write([]byte(stream[:cut]))
		s.Write([]byte(stream[cut:]))
		if out.String() != "hello\nworld\ntail" || len(marks) != 2 || marks[1] != 2 {
			t.Fatalf("cut %d: out %q marks %v", cut, out.String(), marks)
		}
	}
}

func TestForgedMarkWithWrongNonce(t *testing.T) {
	var out bytes.Buffer
	n := 0
	s := NewMarkScanner("secret", func(b []byte) { out.Write(b) }, func(int64) { n++ })
	s.Write([]byte(Mark("guess", 7)))
	if n != 0 || out.Len() == 0 {
		t.Fatalf("forged mark accepted (n=%d) or text lost (%q)", n, out.String())
	}
}

func TestTextIsNotHeldBack(t *testing.T) {
	var out bytes.Buffer
	s := NewMarkScanner("n", func(b []byte) { out.Write(b) }, func(int64) {})
	s.Write([]byte("epoch 1 loss 0.5\n"))
	if out.String() != "epoch 1 loss 0.5\n" {
		t.Fatalf("held back: %q", out.String())
	}
}

func TestFrames(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFrame(&buf, Request{ID: 3, Code: "θ := 1"}); err != nil {
		t.Fatal(err)
	}
	var r Request
	if err := ReadFrame(&buf, &r); err != nil || r.ID != 3 || r.Code != "θ := 1" {
		t.Fatalf("%v %+v", err, r)
	}
	if err := ReadFrame(bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xff}), &r); err == nil {
		t.Fatal("oversized frame accepted")
	}
}
