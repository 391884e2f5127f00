package kernel

import (
	"encoding/json"
	"io"

	"github.com/go-zeromq/zmq4"

	"github.com/adagradlab/adagradlab/pkg/kernel/internal/wire"
)

// A cell that reads stdin (fmt.Scan, os.Stdin) gets its lines from the
// front end: the kernel sends input_request on the stdin channel, to the
// client whose execute_request runs, and waits for its input_reply, as
// ipykernel does for input(). A front end that did not allow stdin
// (allow_stdin false, as nbclient runs notebooks) gives the cell EOF.

// serveStdin reads the stdin channel and hands each input_reply to the
// cell waiting for one; a reply nobody waits for is dropped.
func (k *Kernel) serveStdin() {
	k.receive(k.stdin, "stdin", func(m *wire.Message) {
		if m.Header.MsgType != "input_reply" {
			k.log.Printf("stdin: unexpected %s", m.Header.MsgType)
			return
		}
		select {
		case k.inputs <- m:
		default:
			k.log.Printf("stdin: an input_reply nobody waits for")
		}
	})
}

// Input implements session.InputSink: it asks the front end for a line.
func (s *iopubSink) Input(prompt string, password bool, stop <-chan struct{}) (string, error) {
	if !s.allowStdin || s.silent {
		return "", io.EOF
	}
	k := s.k
	for drained := false; !drained; { // a late reply to an earlier request
		select {
		case <-k.inputs:
		default:
			drained = true
		}
	}
	h := wire.NewHeader("input_request", k.sessionID)
	frames, err := wire.Encode(s.parent.Identities, h, s.parent.ParentOf(), nil,
		map[string]any{"prompt": prompt, "password": password}, k.signer)
	if err != nil {
		return "", err
	}
	if err := k.stdin.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		k.log.Printf("sending input_request: %v", err)
		return "", io.EOF
	}
	for {
		select {
		case m := <-k.inputs:
			// jupyter_client's input() sends its reply without a parent
			// header; one that names another request is not ours.
			var parent wire.Header
			if json.Unmarshal(m.ParentHeader, &parent) == nil && parent.MsgID != "" && parent.MsgID != h.MsgID {
				continue
			}
			var c struct {
				Value string `json:"value"`
			}
			if err := json.Unmarshal(m.Content, &c); err != nil {
				return "", io.EOF
			}
			return c.Value, nil
		case <-stop:
			return "", io.EOF
		case <-k.done:
			return "", io.EOF
		}
	}
}
