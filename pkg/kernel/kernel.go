// Package kernel is adagradlab's Jupyter kernel: Go cells run on the yaegi
// interpreter, with the course's packages, gonum and gonum/plot compiled in.
//
// The kernel process speaks the Jupyter messaging protocol 5.3 over ZeroMQ
// (go-zeromq/zmq4, pure Go). It never runs a cell itself: cells run in a
// child process (internal/worker) that the kernel can kill and replace, so
// an interrupt, a stack overflow or an out-of-memory cell costs the user one
// error message, not the kernel. The pieces:
//
//	internal/wire      connection file, signing, framing, message decoding
//	internal/guard     a frame-size limit under ZeroMQ itself
//	kernel.go          sockets and dispatch: busy/idle, replies, iopub
//	internal/session   the child process: streams, interrupts, replay
//	internal/worker    the child: yaegi, limits, results as mime bundles
//	pkg/cells          splitting cells for yaegi, positions, is_complete, imports
//	internal/magic     %help, %reset, %time
//	internal/complete  completion and inspection with UTF-16 positions
//	symbols            yaegi tables of the preloaded packages (go generate)
package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/adagradlab/adagradlab/pkg/kernel/internal/guard"
	"github.com/adagradlab/adagradlab/pkg/kernel/internal/session"
	"github.com/adagradlab/adagradlab/pkg/kernel/internal/wire"
	"github.com/adagradlab/adagradlab/pkg/kernel/internal/worker"
)

// Version is reported in kernel_info_reply.
var Version = "0.1.0"

// Options configure Run.
type Options struct {
	// ChildCommand starts the cell runner; by default this executable with
	// the argument "kernel-exec".
	ChildCommand func() *exec.Cmd
	// Log receives diagnostics (default: stderr, which Jupyter shows in its log).
	Log *log.Logger
	// Gophernotes makes display in every cell gophernotes' display package
	// (pkg/display/gophernotes: constructors return the Data) and defines
	// Display, so that notebooks written for gophernotes run unchanged.
	Gophernotes bool
}

// Kernel is one running kernel.
type Kernel struct {
	conn   wire.ConnectionInfo
	signer wire.Signer
	log    *log.Logger
	sess   *session.Session

	shell, control, stdin, iopub, hb zmq4.Socket
	iopubMu                          sync.Mutex

	sessionID string
	execCount int
	history   []histEntry

	done     chan struct{}
	doneOnce sync.Once
	inputs   chan *wire.Message // input_replies from the stdin channel (stdin.go)

	cells   map[string]*notebookCell // each notebook cell's latest run, for %check (cells.go)
	cellSeq int
}

type histEntry struct {
	line          int
	input, output string
}

// Run starts a kernel for the connection file and serves until a shutdown
// request or ctx ends.
func Run(ctx context.Context, connFile string, opt Options) error {
	ci, err := wire.ReadConnectionFile(connFile)
	if err != nil {
		return err
	}
	return Serve(ctx, ci, opt)
}

// Serve is Run with the connection information already read.
func Serve(ctx context.Context, ci wire.ConnectionInfo, opt Options) error {
	if opt.Log == nil {
		opt.Log = log.New(os.Stderr, "[adagradlab kernel] ", log.LstdFlags)
	}
	if opt.ChildCommand == nil {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("finding this executable to start the cell runner: %w", err)
		}
		opt.ChildCommand = func() *exec.Cmd { return exec.Command(exe, "kernel-exec") }
	}
	if opt.Gophernotes {
		command := opt.ChildCommand
		opt.ChildCommand = func() *exec.Cmd {
			c := command()
			if c.Env == nil {
				c.Env = os.Environ()
			}
			c.Env = append(c.Env, worker.EnvGophernotes+"=1")
			return c
		}
	}
	k := &Kernel{
		conn:      ci,
		signer:    wire.NewSigner(ci.Key),
		log:       opt.Log,
		sessionID: wire.NewID(),
		done:      make(chan struct{}),
		inputs:    make(chan *wire.Message, 4),
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	k.shell = zmq4.NewRouter(ctx, zmq4.WithAutomaticReconnect(false))
	k.control = zmq4.NewRouter(ctx, zmq4.WithAutomaticReconnect(false))
	k.stdin = zmq4.NewRouter(ctx, zmq4.WithAutomaticReconnect(false))
	k.iopub = zmq4.NewPub(ctx)
	k.hb = zmq4.NewRep(ctx)
	socks := []struct {
		s    zmq4.Socket
		port int
		name string
	}{{k.shell, ci.ShellPort, "shell"}, {k.control, ci.ControlPort, "control"}, {k.stdin, ci.StdinPort, "stdin"}, {k.iopub, ci.IOPubPort, "iopub"}, {k.hb, ci.HBPort, "heartbeat"}}
	// Listen through package guard, which cuts a connection announcing an
	// absurd frame size before zmq4 tries to allocate it.
	scheme, err := guard.Scheme(ci.Transport)
	if err != nil {
		return fmt.Errorf("connection file: %w", err)
	}
	for _, s := range socks {
		ep := scheme + strings.TrimPrefix(ci.Endpoint(s.port), ci.Transport)
		if err := s.s.Listen(ep); err != nil {
			return fmt.Errorf("listening for %s on %s: %w", s.name, ci.Endpoint(s.port), err)
		}
		defer s.s.Close()
	}
	// The sockets first, the cell runner second: a client that connects
	// before we listen waits for ZeroMQ's reconnect interval (100 ms).
	k.sess = session.New(session.Options{
		Command:    opt.ChildCommand,
		Log:        k.log.Printf,
		MaxStackMB: worker.MaxStackMB,
		MemoryMB:   memoryMB(),
	})
	defer k.sess.Close()

	go k.heartbeat()
	go k.serveStdin()
	go k.serve(k.control, "control")
	go k.serve(k.shell, "shell")
	// A client that connects iopub late misses the first status; a
	// "starting" is still what the spec asks for.
	k.publish("status", nil, map[string]any{"execution_state": "starting"})

	select {
	case <-ctx.Done():
	case <-k.done:
	}
	// Give the last replies a moment to leave before the sockets close.
	time.Sleep(50 * time.Millisecond)
	return nil
}

func memoryMB() int {
	var n int
	if _, err := fmt.Sscan(os.Getenv(worker.EnvMemoryMB), &n); err == nil && n > 0 {
		return n
	}
	return worker.DefaultMemoryMB
}

func (k *Kernel) heartbeat() {
	for {
		msg, err := k.hb.Recv()
		if err != nil {
			select {
			case <-k.done:
				return
			default:
			}
			if errors.Is(err, context.Canceled) {
				return
			}
			continue
		}
		if err := k.hb.Send(msg); err != nil {
			k.log.Printf("heartbeat: %v", err)
		}
	}
}

// serve reads one socket and handles its requests in order.
func (k *Kernel) serve(sock zmq4.Socket, name string) {
	queue := make(chan *wire.Message, 64)
	go func() {
		defer close(queue)
		k.receive(sock, name, func(m *wire.Message) { queue <- m })
	}()
	for m := range queue {
		k.handle(sock, m, queue)
	}
}

// receive passes each signed message of sock to got, until the kernel
// ends or the socket closes.
func (k *Kernel) receive(sock zmq4.Socket, name string, got func(*wire.Message)) {
	for {
		raw, err := sock.Recv()
		if err != nil {
			select {
			case <-k.done:
				return
			default:
			}
			if errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
				return
			}
			k.log.Printf("%s: receiving: %v", name, err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		m, err := wire.Decode(raw.Frames, k.signer)
		if err != nil {
			// Never executed, never answered: a client without the
			// key must not learn anything, not even that we listen.
			k.log.Printf("%s: dropped a message: %v", name, err)
			continue
		}
		got(m)
	}
}

// reply sends a reply on the socket the request came from.
func (k *Kernel) reply(sock zmq4.Socket, req *wire.Message, msgType string, content any) {
	h := wire.NewHeader(msgType, k.sessionID)
	frames, err := wire.Encode(req.Identities, h, req.ParentOf(), nil, content, k.signer)
	if err != nil {
		k.log.Printf("encoding %s: %v", msgType, err)
		return
	}
	if err := sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		k.log.Printf("sending %s: %v", msgType, err)
	}
}

// publish sends an iopub message; parent may be nil.
func (k *Kernel) publish(msgType string, parent *wire.Message, content any) {
	h := wire.NewHeader(msgType, k.sessionID)
	var ph *wire.Header
	if parent != nil {
		ph = parent.ParentOf()
	}
	// The topic frame: ipykernel uses "kernel.<id>.<type>"; clients subscribe to all.
	frames, err := wire.Encode([][]byte{[]byte("kernel." + k.sessionID + "." + msgType)}, h, ph, nil, content, k.signer)
	if err != nil {
		k.log.Printf("encoding %s: %v", msgType, err)
		return
	}
	k.iopubMu.Lock()
	defer k.iopubMu.Unlock()
	if err := k.iopub.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		k.log.Printf("publishing %s: %v", msgType, err)
	}
}

func (k *Kernel) status(parent *wire.Message, state string) {
	k.publish("status", parent, map[string]any{"execution_state": state})
}

// handle answers one request, wrapped in busy/idle.
func (k *Kernel) handle(sock zmq4.Socket, m *wire.Message, queue chan *wire.Message) {
	defer func() {
		// A bug in a handler must not take the kernel down with it.
		if r := recover(); r != nil {
			k.log.Printf("handling %s: internal error: %v", m.Header.MsgType, r)
		}
	}()
	k.status(m, "busy")
	defer k.status(m, "idle")
	switch m.Header.MsgType {
	case "kernel_info_request":
		k.reply(sock, m, "kernel_info_reply", k.kernelInfo())
	case "execute_request":
		k.execute(sock, m, queue)
	case "complete_request":
		k.complete(sock, m)
	case "inspect_request":
		k.inspect(sock, m)
	case "is_complete_request":
		k.isComplete(sock, m)
	case "history_request":
		k.historyReply(sock, m)
	case "comm_info_request":
		k.reply(sock, m, "comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}})
	case "comm_open", "comm_msg", "comm_close":
		// No comm targets (widgets) in this kernel; the spec says to ignore.
	case "interrupt_request":
		k.sess.Interrupt()
		k.reply(sock, m, "interrupt_reply", map[string]any{"status": "ok"})
	case "shutdown_request":
		var c struct {
			Restart bool `json:"restart"`
		}
		_ = json.Unmarshal(m.Content, &c)
		k.reply(sock, m, "shutdown_reply", map[string]any{"status": "ok", "restart": c.Restart})
		k.publish("shutdown_reply", m, map[string]any{"status": "ok", "restart": c.Restart})
		k.doneOnce.Do(func() { close(k.done) })
	default:
		k.log.Printf("unknown message type %q", m.Header.MsgType)
		if base, ok := strings.CutSuffix(m.Header.MsgType, "_request"); ok {
			k.reply(sock, m, base+"_reply", map[string]any{
				"status": "error", "ename": "UnknownMessageType",
				"evalue": fmt.Sprintf("this kernel does not handle %s", m.Header.MsgType), "traceback": []string{},
			})
		}
	}
}

func (k *Kernel) kernelInfo() map[string]any {
	return map[string]any{
		"status":                 "ok",
		"protocol_version":       wire.ProtocolVersion,
		"implementation":         "adagradlab",
		"implementation_version": Version,
		"language_info": map[string]any{
			"name":               "go",
			"version":            strings.TrimPrefix(runtime.Version(), "go"),
			"mimetype":           "text/x-go",
			"file_extension":     ".go",
			"pygments_lexer":     "go",
			"codemirror_mode":    "go",
			"nbconvert_exporter": "",
		},
		"banner": "Go (Adagrad): Go cells on yaegi, with pkg/adagrad, gonum and gonum/plot preloaded. Type %help.",
		"help_links": []map[string]string{
			{"text": "Go documentation", "url": "https://go.dev/doc/"},
			{"text": "gonum/plot", "url": "https://pkg.go.dev/gonum.org/v1/plot"},
		},
	}
}

// RunCellRunner is the child process's main (`adagradlab kernel-exec`):
// the kernel starts it with the pipes package ipc describes.
func RunCellRunner() error { return worker.Main() }
