package kernel

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/adagradlab/adagradlab/pkg/kernel/internal/wire"
)

// The test binary doubles as the cell runner.
const envChild = "ADAGRADLAB_KERNEL_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(envChild) == "1" {
		if err := RunCellRunner(); err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

type client struct {
	t              testing.TB
	shell, control zmq4.Socket
	iopub          zmq4.Socket
	signer         wire.Signer
	done           chan error
	inbox          map[zmq4.Socket]chan *wire.Message
	shellAddr      string
}

func startKernel(t testing.TB) *client {
	t.Helper()
	ci := wire.ConnectionInfo{
		Transport: "tcp", IP: "127.0.0.1", Key: "test-key", SignatureScheme: "hmac-sha256",
		ShellPort: freePort(t), ControlPort: freePort(t), StdinPort: freePort(t), IOPubPort: freePort(t), HBPort: freePort(t),
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &client{t: t, signer: wire.NewSigner(ci.Key), done: make(chan error, 1), shellAddr: fmt.Sprintf("127.0.0.1:%d", ci.ShellPort)}
	go func() {
		c.done <- Serve(ctx, ci, Options{ChildCommand: func() *exec.Cmd {
			cmd := exec.Command(exe)
			cmd.Env = append(os.Environ(), envChild+"=1")
			return cmd
		}})
	}()
	c.shell = zmq4.NewDealer(ctx)
	c.control = zmq4.NewDealer(ctx)
	c.iopub = zmq4.NewSub(ctx)
	for _, d := range []struct {
		s    zmq4.Socket
		port int
	}{{c.shell, ci.ShellPort}, {c.control, ci.ControlPort}, {c.iopub, ci.IOPubPort}} {
		var err error
		for i := 0; i < 50; i++ { // the kernel may not be listening yet
			if err = d.s.Dial(ci.Endpoint(d.port)); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	_ = c.iopub.SetOption(zmq4.OptionSubscribe, "")
	// One reader per socket, so that a timed-out wait never leaves a
	// reader behind that swallows the next message.
	c.inbox = map[zmq4.Socket]chan *wire.Message{}
	for _, s := range []zmq4.Socket{c.shell, c.control, c.iopub} {
		ch := make(chan *wire.Message, 256)
		c.inbox[s] = ch
		go func(s zmq4.Socket) {
			for {
				m, err := s.Recv()
				if err != nil {
					return
				}
				d, err := wire.Decode(m.Frames, c.signer)
				if err != nil {
					t.Errorf("kernel sent an undecodable message: %v", err)
					continue
				}
				select {
				case ch <- d:
				default: // nobody reads this socket now (a benchmark's iopub): drop
				}
			}
		}(s)
	}
	t.Cleanup(func() {
		cancel()
		c.shell.Close()
		c.control.Close()
		c.iopub.Close()
		select {
		case <-c.done:
		case <-time.After(5 * time.Second):
			t.Error("kernel did not stop")
		}
	})
	return c
}

func (c *client) send(sock zmq4.Socket, msgType string, content any, s wire.Signer) string {
	c.t.Helper()
	h := wire.NewHeader(msgType, "test-session")
	frames, err := wire.Encode(nil, h, nil, nil, content, s)
	if err != nil {
		c.t.Fatal(err)
	}
	if err := sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		c.t.Fatal(err)
	}
	return h.MsgID
}

// recv reads one message from sock, failing after timeout.
func (c *client) recv(sock zmq4.Socket, timeout time.Duration) (*wire.Message, bool) {
	c.t.Helper()
	select {
	case m := <-c.inbox[sock]:
		return m, true
	case <-time.After(timeout):
		return nil, false
	}
}

func (c *client) reply(sock zmq4.Socket, wantType, parentID string) map[string]any {
	c.t.Helper()
	m, ok := c.recv(sock, 30*time.Second)
	if !ok {
		c.t.Fatalf("no %s", wantType)
	}
	var ph wire.Header
	_ = json.Unmarshal(m.ParentHeader, &ph)
	if m.Header.MsgType != wantType || ph.MsgID != parentID {
		c.t.Fatalf("got %s (parent %s), want %s for %s", m.Header.MsgType, ph.MsgID, wantType, parentID)
	}
	var content map[string]any
	_ = json.Unmarshal(m.Content, &content)
	return content
}

func TestKernelInfoAndBusyIdle(t *testing.T) {
	c := startKernel(t)
	var id string
	var info map[string]any
	// The SUB socket may join after the first messages: retry kernel_info
	// until its status messages are seen, as jupyter_client does.
	for i := 0; ; i++ {
		id = c.send(c.shell, "kernel_info_request", map[string]any{}, c.signer)
		info = c.reply(c.shell, "kernel_info_reply", id)
		if m, ok := c.recv(c.iopub, 500*time.Millisecond); ok && m.Header.MsgType == "status" {
			break
		}
		if i == 20 {
			t.Fatal("no status on iopub")
		}
	}
	if info["protocol_version"] != "5.3" || info["language_info"].(map[string]any)["name"] != "go" {
		t.Fatalf("%v", info)
	}
	id = c.send(c.shell, "execute_request", map[string]any{"code": "6 * 7", "silent": false}, c.signer)
	var states []string
	var result any
	for len(states) < 2 {
		m, ok := c.recv(c.iopub, 30*time.Second)
		if !ok {
			t.Fatal("iopub went quiet")
		}
		var ph wire.Header
		_ = json.Unmarshal(m.ParentHeader, &ph)
		if ph.MsgID != id {
			continue
		}
		var content map[string]any
		_ = json.Unmarshal(m.Content, &content)
		switch m.Header.MsgType {
		case "status":
			states = append(states, content["execution_state"].(string))
		case "execute_result":
			result = content["data"].(map[string]any)["text/plain"]
		}
	}
	if states[0] != "busy" || states[1] != "idle" || result != "42" {
		t.Fatalf("states %v result %v", states, result)
	}
	if r := c.reply(c.shell, "execute_reply", id); r["status"] != "ok" || r["execution_count"].(float64) != 1 {
		t.Fatalf("%v", r)
	}
}

func TestBadMessagesAreDroppedOrAnswered(t *testing.T) {
	c := startKernel(t)
	// Wrong key: dropped, no reply.
	c.send(c.shell, "kernel_info_request", map[string]any{}, wire.NewSigner("wrong"))
	if m, ok := c.recv(c.shell, 300*time.Millisecond); ok {
		t.Fatalf("reply to a badly signed message: %s", m.Header.MsgType)
	}
	// No signature at all, missing frames, garbage: dropped.
	for _, frames := range [][][]byte{
		{[]byte(wire.Delimiter), []byte(""), []byte(`{"msg_type":"kernel_info_request"}`), []byte("{}"), []byte("{}"), []byte("{}")},
		{[]byte(wire.Delimiter), []byte("abc")},
		{[]byte("no delimiter at all")},
	} {
		if err := c.shell.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
			t.Fatal(err)
		}
	}
	// Malformed content of a known type: an error reply.
	h := wire.NewHeader("execute_request", "s")
	hb, _ := json.Marshal(h)
	cb := []byte(`{"code": 12}`)
	sig := c.signer.Sign(hb, []byte("{}"), []byte("{}"), cb)
	_ = c.shell.SendMulti(zmq4.NewMsgFrom([]byte(wire.Delimiter), []byte(sig), hb, []byte("{}"), []byte("{}"), cb))
	if r := c.reply(c.shell, "execute_reply", h.MsgID); r["status"] != "error" {
		t.Fatalf("%v", r)
	}
	// Unknown request: an error reply; unknown non-request: nothing.
	c.send(c.shell, "frobnicate", map[string]any{}, c.signer)
	id := c.send(c.shell, "frobnicate_request", map[string]any{}, c.signer)
	if r := c.reply(c.shell, "frobnicate_reply", id); r["status"] != "error" {
		t.Fatalf("%v", r)
	}
	// Still alive and answering on both channels.
	id = c.send(c.control, "kernel_info_request", map[string]any{}, c.signer)
	c.reply(c.control, "kernel_info_reply", id)
}

func TestCompleteIsCompleteInspectHistory(t *testing.T) {
	c := startKernel(t)
	id := c.send(c.shell, "execute_request", map[string]any{"code": "θs := []float64{1}\nimport \"math\""}, c.signer)
	c.reply(c.shell, "execute_reply", id)

	code := "η := 0.1\nθ"
	id = c.send(c.shell, "complete_request", map[string]any{"code": code, "cursor_pos": 10}, c.signer)
	r := c.reply(c.shell, "complete_reply", id)
	if r["cursor_start"].(float64) != 9 || r["cursor_end"].(float64) != 10 {
		t.Fatalf("%v", r)
	}
	found := false
	for _, m := range r["matches"].([]any) {
		found = found || m == "θs"
	}
	if !found {
		t.Fatalf("θs not among %v", r["matches"])
	}

	id = c.send(c.shell, "is_complete_request", map[string]any{"code": "for {"}, c.signer)
	if r := c.reply(c.shell, "is_complete_reply", id); r["status"] != "incomplete" {
		t.Fatalf("%v", r)
	}
	id = c.send(c.shell, "inspect_request", map[string]any{"code": "math.Sqrt", "cursor_pos": 7, "detail_level": 0}, c.signer)
	if r := c.reply(c.shell, "inspect_reply", id); r["found"] != true {
		t.Fatalf("%v", r)
	}
	id = c.send(c.shell, "history_request", map[string]any{"hist_access_type": "tail", "n": 10, "output": false, "raw": true}, c.signer)
	if r := c.reply(c.shell, "history_reply", id); len(r["history"].([]any)) != 1 {
		t.Fatalf("%v", r)
	}
}

func TestInterruptOnControl(t *testing.T) {
	c := startKernel(t)
	id := c.send(c.shell, "execute_request", map[string]any{"code": "x := 5"}, c.signer)
	c.reply(c.shell, "execute_reply", id)
	id = c.send(c.shell, "execute_request", map[string]any{"code": "for {}"}, c.signer)
	time.Sleep(200 * time.Millisecond) // let it start; the test does not depend on it
	iid := c.send(c.control, "interrupt_request", map[string]any{}, c.signer)
	c.reply(c.control, "interrupt_reply", iid)
	if r := c.reply(c.shell, "execute_reply", id); r["status"] != "error" || r["ename"] != "Interrupted" {
		t.Fatalf("%v", r)
	}
	id = c.send(c.shell, "execute_request", map[string]any{"code": "x + 1"}, c.signer)
	if r := c.reply(c.shell, "execute_reply", id); r["status"] != "ok" {
		t.Fatalf("%v", r)
	}
}

func TestShutdown(t *testing.T) {
	c := startKernel(t)
	id := c.send(c.control, "shutdown_request", map[string]any{"restart": false}, c.signer)
	c.reply(c.control, "shutdown_reply", id)
	select {
	case err := <-c.done:
		if err != nil {
			t.Fatal(err)
		}
		c.done <- nil // for Cleanup
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after shutdown_request")
	}
}

func TestExecuteOptions(t *testing.T) {
	c := startKernel(t)
	// user_expressions are evaluated after the cell, in its state.
	id := c.send(c.shell, "execute_request", map[string]any{
		"code": "n := 20", "user_expressions": map[string]string{"twice": "n * 2", "bad": "nope"},
	}, c.signer)
	r := c.reply(c.shell, "execute_reply", id)
	ue := r["user_expressions"].(map[string]any)
	twice := ue["twice"].(map[string]any)
	if twice["status"] != "ok" || twice["data"].(map[string]any)["text/plain"] != "40" || ue["bad"].(map[string]any)["status"] != "error" {
		t.Fatalf("%v", ue)
	}
	// silent: no execution count, no execute_input, no result on iopub.
	id = c.send(c.shell, "execute_request", map[string]any{"code": "n", "silent": true}, c.signer)
	if r := c.reply(c.shell, "execute_reply", id); r["status"] != "ok" || r["execution_count"].(float64) != 1 {
		t.Fatalf("%v", r)
	}
	// stop_on_error: requests queued behind a failing cell are aborted.
	failID := c.send(c.shell, "execute_request", map[string]any{"code": "import \"time\"\ntime.Sleep(300 * time.Millisecond)\npanic(\"stop\")", "stop_on_error": true}, c.signer)
	queuedID := c.send(c.shell, "execute_request", map[string]any{"code": "n"}, c.signer)
	if r := c.reply(c.shell, "execute_reply", failID); r["status"] != "error" {
		t.Fatalf("%v", r)
	}
	if r := c.reply(c.shell, "execute_reply", queuedID); r["status"] != "aborted" {
		t.Fatalf("queued request after an error: %v", r)
	}
	// Execution counts: 1 (n := 20), silent not counted, 2 (the panic).
	id = c.send(c.shell, "execute_request", map[string]any{"code": "n"}, c.signer)
	if r := c.reply(c.shell, "execute_reply", id); r["status"] != "ok" || r["execution_count"].(float64) != 3 {
		t.Fatalf("%v", r)
	}
}

// BenchmarkTrivialCell is a trivial cell's round trip through ZeroMQ, the
// kernel and the child, from a Go client (no Python in the loop).
func BenchmarkTrivialCell(b *testing.B) {
	c := startKernel(b)
	id := c.send(c.shell, "execute_request", map[string]any{"code": "1"}, c.signer)
	c.reply(c.shell, "execute_reply", id)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := c.send(c.shell, "execute_request", map[string]any{"code": "1"}, c.signer)
		c.reply(c.shell, "execute_reply", id)
	}
}

func TestAbsurdFrameSizeDoesNotCrash(t *testing.T) {
	c := startKernel(t)
	// Speak raw ZMTP: a greeting, then a frame header announcing 2^60 bytes.
	conn, err := net.Dial("tcp", c.shellAddr)
	if err != nil {
		t.Fatal(err)
	}
	greeting := make([]byte, 64)
	copy(greeting, []byte{0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 0})
	copy(greeting[12:], "NULL")
	hdr := []byte{0x02, 0x10, 0, 0, 0, 0, 0, 0, 0}
	_, _ = conn.Write(append(greeting, hdr...))
	buf := make([]byte, 256)
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	for { // the kernel's greeting, then EOF when it drops us
		if _, err := conn.Read(buf); err != nil {
			break
		}
	}
	conn.Close()
	id := c.send(c.shell, "kernel_info_request", map[string]any{}, c.signer)
	c.reply(c.shell, "kernel_info_reply", id)
}

// stop_on_error aborts what was queued behind a failed cell, never what
// the client sends after it has the error reply (it was racing before:
// TestInterruptOnControl saw "aborted" now and then).
func TestNoAbortAfterTheErrorReply(t *testing.T) {
	c := startKernel(t)
	for i := range 20 {
		id := c.send(c.shell, "execute_request", map[string]any{"code": "undefinedName"}, c.signer)
		if r := c.reply(c.shell, "execute_reply", id); r["status"] != "error" {
			t.Fatalf("round %d: %v", i, r)
		}
		id = c.send(c.shell, "execute_request", map[string]any{"code": "1"}, c.signer)
		if r := c.reply(c.shell, "execute_reply", id); r["status"] != "ok" {
			t.Fatalf("round %d: the cell sent after the error reply: %v", i, r)
		}
	}
}
