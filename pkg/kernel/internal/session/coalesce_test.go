package session

import "testing"

func TestCompleteRunes(t *testing.T) {
	theta := []byte("θ=1") // θ is 2 bytes
	for cut, want := range map[int]int{0: 0, 1: 0, 2: 2, 3: 3, 4: 4} {
		if got := completeRunes(theta[:cut]); got != want {
			t.Errorf("cut %d: %d, want %d", cut, got, want)
		}
	}
}

func TestCoalescerKeepsEverythingInOrder(t *testing.T) {
	var got []byte
	q := &coalescer{out: func(b []byte) { got = append(got, b...) }}
	in := []byte("η θ ε\n")
	for i := 0; i < 1000; i++ {
		for _, c := range in {
			q.write([]byte{c})
		}
	}
	q.flush()
	if len(got) != 1000*len(in) {
		t.Fatalf("got %d bytes", len(got))
	}
}
