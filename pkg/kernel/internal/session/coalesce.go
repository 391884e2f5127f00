package session

import (
	"sync"
	"time"
	"unicode/utf8"
)

// coalesceInterval bounds how often one stream sends a message while a
// cell prints fast: a line a second goes out at once, a tight print loop
// goes out as a few messages a second instead of thousands, which a
// browser could not keep up with.
const (
	coalesceInterval = 50 * time.Millisecond
	coalesceMax      = 64 << 10
)

// coalescer batches one stream's output.
type coalescer struct {
	mu    sync.Mutex
	buf   []byte
	last  time.Time
	timer *time.Timer
	out   func([]byte)
}

func (q *coalescer) write(b []byte) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.buf = append(q.buf, b...)
	wait := coalesceInterval - time.Since(q.last)
	if wait <= 0 || len(q.buf) >= coalesceMax {
		q.flushLocked()
		return
	}
	if q.timer == nil {
		q.timer = time.AfterFunc(wait, func() {
			q.mu.Lock()
			defer q.mu.Unlock()
			q.timer = nil
			q.flushLocked()
		})
	}
}

// flush sends everything buffered now (before a sync mark is acted on).
func (q *coalescer) flush() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.timer != nil {
		q.timer.Stop()
		q.timer = nil
	}
	q.flushLocked()
}

func (q *coalescer) flushLocked() {
	n := completeRunes(q.buf)
	if n == 0 {
		return
	}
	out := append([]byte(nil), q.buf[:n]...)
	q.buf = append(q.buf[:0], q.buf[n:]...)
	q.last = time.Now()
	q.out(out)
}

// completeRunes is the length of b without a UTF-8 sequence cut off at its
// end (a θ split across two reads), so no message carries half a rune.
func completeRunes(b []byte) int {
	for k := 1; k <= utf8.UTFMax-1 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c < 0x80 {
			return len(b) // ASCII: nothing pending
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-k:]) {
				return len(b)
			}
			return len(b) - k
		}
	}
	return len(b)
}
