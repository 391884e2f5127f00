package wire

import (
	"bytes"
	"testing"
)

// FuzzDecode feeds arbitrary frames to Decode: it may reject them, but it must
// never panic, and whatever it accepts must re-encode and decode again.
func FuzzDecode(f *testing.F) {
	s := NewSigner("fuzz-key")
	h := NewHeader("kernel_info_request", "s")
	good, _ := Encode([][]byte{[]byte("peer")}, h, nil, nil, map[string]any{}, s)
	f.Add(bytes.Join(good, []byte{0}), true)
	f.Add([]byte("<IDS|MSG>\x00\x00{}\x00{}\x00{}\x00{}"), false)
	f.Add([]byte(""), false)
	f.Fuzz(func(t *testing.T, joined []byte, resign bool) {
		frames := bytes.Split(joined, []byte{0})
		if resign {
			// Re-sign so the fuzzer also reaches the JSON parsing.
			for i, fr := range frames {
				if string(fr) == Delimiter && len(frames) >= i+6 {
					frames[i+1] = []byte(s.Sign(frames[i+2], frames[i+3], frames[i+4], frames[i+5]))
					break
				}
			}
		}
		m, err := Decode(frames, s)
		if err != nil {
			return
		}
		out, err := Encode(m.Identities, m.Header, nil, m.Metadata, m.Content, s)
		if err != nil {
			t.Fatalf("re-encoding an accepted message: %v", err)
		}
		if _, err := Decode(out, s); err != nil {
			t.Fatalf("re-decoding: %v", err)
		}
	})
}
