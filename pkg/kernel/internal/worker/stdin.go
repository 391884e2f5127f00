package worker

import (
	"io"
	"sync"

	"github.com/adagradlab/adagradlab/pkg/kernel/internal/ipc"
)

// stdin is what a cell reads as os.Stdin, and what fmt.Scan reads: each
// time it runs dry it asks the parent for a line (an "input" event), which
// the kernel asks the front end for (Jupyter's input_request). A replayed
// cell, and a goroutine reading after its cell ended, get EOF.
type stdin struct {
	w   *worker
	mu  sync.Mutex // goroutines of a cell may read at once
	buf []byte
}

func (s *stdin) Read(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.buf) == 0 {
		line, err := s.w.askInput()
		if err != nil {
			return 0, err
		}
		s.buf = append([]byte(line), '\n')
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

// askInput asks the parent for a line of input for the running cell.
func (w *worker) askInput() (string, error) {
	w.inMu.Lock()
	defer w.inMu.Unlock()
	if !w.inCell || w.quiet {
		return "", io.EOF
	}
	if err := w.send(ipc.Event{Kind: "input", ID: w.running}); err != nil {
		return "", io.EOF
	}
	for {
		var req ipc.Request
		if err := ipc.ReadFrame(w.in, &req); err != nil {
			return "", io.EOF
		}
		if req.Input == nil {
			continue // not for us; the parent sends nothing else while a cell runs
		}
		if req.Input.EOF {
			return "", io.EOF
		}
		return req.Input.Value, nil
	}
}
