package wire

import (
	"errors"
	"testing"
)

func sample(t *testing.T, s Signer) [][]byte {
	t.Helper()
	h := NewHeader("execute_request", "sess")
	fr, err := Encode([][]byte{[]byte("id1")}, h, nil, nil, map[string]any{"code": "1+1"}, s)
	if err != nil {
		t.Fatal(err)
	}
	return fr
}

func TestRoundTrip(t *testing.T) {
	s := NewSigner("secret")
	m, err := Decode(sample(t, s), s)
	if err != nil {
		t.Fatal(err)
	}
	if m.Header.MsgType != "execute_request" || string(m.Identities[0]) != "id1" || string(m.Content) != `{"code":"1+1"}` {
		t.Fatalf("decoded %+v", m)
	}
	if string(m.ParentHeader) != "{}" {
		t.Errorf("parent header %s, want {}", m.ParentHeader)
	}
}

func TestSignatureKnownValue(t *testing.T) {
	// HMAC-SHA256("key", "abcd"), computed independently with Python's hmac module.
	const want = "2a31ec0ee8d878c9eece9fb0df79b3b90b2256240163aa5ee50d176d3d1121f8"
	s := NewSigner("key")
	if got := s.Sign([]byte("a"), []byte("b"), []byte("c"), []byte("d")); got != want {
		t.Fatalf("Sign = %s, want %s", got, want)
	}
	if !s.Verify([]byte(want), []byte("a"), []byte("b"), []byte("c"), []byte("d")) {
		t.Fatal("known signature does not verify")
	}
}

func TestRejects(t *testing.T) {
	s := NewSigner("secret")
	good := sample(t, s)
	cases := map[string]struct {
		frames [][]byte
		signer Signer
		want   error
	}{
		"wrong key":       {good, NewSigner("other"), ErrBadSignature},
		"no delimiter":    {[][]byte{[]byte("x"), []byte("y")}, s, ErrNoDelimiter},
		"missing frames":  {good[:4], s, ErrShort},
		"empty signature": {replace(good, 2, []byte("")), s, ErrBadSignature},
		"tampered":        {replace(good, 6, []byte(`{"code":"2+2"}`)), s, ErrBadSignature},
		"oversized":       {replace(good, 6, make([]byte, MaxFrameBytes+1)), s, ErrTooLarge},
		"too many frames": {append(good, make([][]byte, MaxFrames)...), s, ErrTooLarge},
	}
	for name, c := range cases {
		if _, err := Decode(c.frames, c.signer); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", name, err, c.want)
		}
	}
}

func TestMalformedJSON(t *testing.T) {
	s := NewSigner("k")
	for _, hdr := range []string{`{`, `[]`, `{"msg_type":""}`, `null`} {
		pb, mb, cb := []byte("{}"), []byte("{}"), []byte("{}")
		hb := []byte(hdr)
		fr := [][]byte{[]byte(Delimiter), []byte(s.Sign(hb, pb, mb, cb)), hb, pb, mb, cb}
		if _, err := Decode(fr, s); err == nil {
			t.Errorf("header %s accepted", hdr)
		}
	}
	hb := []byte(`{"msg_type":"x"}`)
	cb := []byte(`"not an object"`)
	fr := [][]byte{[]byte(Delimiter), []byte(s.Sign(hb, []byte("{}"), []byte("{}"), cb)), hb, []byte("{}"), []byte("{}"), cb}
	if _, err := Decode(fr, s); err == nil {
		t.Error("non-object content accepted")
	}
}

func TestEmptyKeyDisablesSigning(t *testing.T) {
	s := NewSigner("")
	fr := sample(t, s)
	if len(fr[2]) != 0 {
		t.Fatalf("signature %q with empty key", fr[2])
	}
	if _, err := Decode(fr, s); err != nil {
		t.Fatal(err)
	}
}

func replace(fr [][]byte, i int, b []byte) [][]byte {
	out := append([][]byte(nil), fr...)
	out[i] = b
	return out
}
