// Package guard puts a size check under ZeroMQ. go-zeromq/zmq4 allocates
// each frame at the size its header announces, so a single 10-byte header
// claiming an exabyte would crash the kernel before any of our checks ran.
// guard wraps the kernel's TCP (and IPC) connections with a reader that
// follows the ZMTP 3 framing as bytes go by and cuts the connection when a
// frame or a multipart message announces more than the limit — the bytes
// of that frame never reach zmq4.
package guard

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"sync"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

// MaxMessage bounds one multipart message (all frames together).
const MaxMessage = 128 << 20

// Scheme returns the guarded transport name for tcp or ipc ("gtcp",
// "gipc"), registering it with zmq4 on first use.
func Scheme(base string) (string, error) {
	once.Do(func() {
		for name, netw := range map[string]string{"gtcp": "tcp", "gipc": "unix"} {
			if err := zmq4.RegisterTransport(name, trans{inner: transport.New(netw), limit: MaxMessage}); err != nil {
				regErr = err
			}
		}
	})
	if regErr != nil {
		return "", regErr
	}
	switch base {
	case "tcp":
		return "gtcp", nil
	case "ipc":
		return "gipc", nil
	}
	return "", fmt.Errorf("transport %q is not supported (tcp or ipc)", base)
}

var (
	once   sync.Once
	regErr error
)

type trans struct {
	inner transport.Transport
	limit uint64
}

func (t trans) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	c, err := t.inner.Dial(ctx, d, addr)
	if err != nil {
		return nil, err
	}
	return wrap(c, t.limit), nil
}

func (t trans) Listen(ctx context.Context, addr string) (net.Listener, error) {
	l, err := t.inner.Listen(ctx, addr)
	if err != nil {
		return nil, err
	}
	return listener{Listener: l, limit: t.limit}, nil
}

func (t trans) Addr(ep string) (string, error) { return t.inner.Addr(ep) }

type listener struct {
	net.Listener
	limit uint64
}

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return wrap(c, l.limit), nil
}

// wrap checks what is read from c. The wrappers embed the concrete TCP
// and Unix connections so that their (unexported) vectored write stays
// visible to net.Buffers: zmq4 sends a whole multipart message with one
// writev, and a plain net.Conn wrapper would turn it into one write per
// frame header and body.
//
// Reads go through a buffer: zmq4 reads each frame's header and body with
// separate small reads, one syscall each without it.
func wrap(c net.Conn, limit uint64) net.Conn {
	p := &parser{limit: limit, skip: greetingLen, br: bufio.NewReaderSize(c, 64<<10)}
	switch c := c.(type) {
	case *net.TCPConn:
		return &tcpConn{TCPConn: c, p: p}
	case *net.UnixConn:
		return &unixConn{UnixConn: c, p: p}
	}
	return &conn{Conn: c, p: p}
}

type conn struct {
	net.Conn
	p *parser
}

func (c *conn) Read(b []byte) (int, error) { return checkedRead(c.Conn, c.p, b) }

type tcpConn struct {
	*net.TCPConn
	p *parser
}

func (c *tcpConn) Read(b []byte) (int, error) { return checkedRead(c.TCPConn, c.p, b) }

type unixConn struct {
	*net.UnixConn
	p *parser
}

func (c *unixConn) Read(b []byte) (int, error) { return checkedRead(c.UnixConn, c.p, b) }

func checkedRead(c net.Conn, p *parser, b []byte) (int, error) {
	n, err := p.br.Read(b)
	if n > 0 {
		if perr := p.feed(b[:n]); perr != nil {
			c.Close()
			return 0, perr
		}
	}
	return n, err
}

// ZMTP 3: a 64-byte greeting, then frames: flags (bit 0 more, bit 1
// long, bit 2 command), a 1- or 8-byte size, the body.
const greetingLen = 64

type parser struct {
	br      *bufio.Reader // the connection, buffered
	limit   uint64
	skip    uint64 // greeting or body bytes still to pass
	inBody  bool
	sizeBuf []byte // size bytes read so far
	sizeLen int    // 0: expecting a flags byte
	more    bool
	total   uint64 // bytes of the multipart message so far
}

func (p *parser) feed(b []byte) error {
	for len(b) > 0 {
		if p.skip > 0 {
			n := min(p.skip, uint64(len(b)))
			p.skip -= n
			b = b[n:]
			continue
		}
		if p.sizeLen == 0 {
			flags := b[0]
			b = b[1:]
			p.more = flags&0x01 != 0 && flags&0x04 == 0
			p.sizeLen = 1
			if flags&0x02 != 0 {
				p.sizeLen = 8
			}
			p.sizeBuf = p.sizeBuf[:0]
			continue
		}
		need := p.sizeLen - len(p.sizeBuf)
		n := min(need, len(b))
		p.sizeBuf = append(p.sizeBuf, b[:n]...)
		b = b[n:]
		if len(p.sizeBuf) < p.sizeLen {
			continue
		}
		var size uint64
		if p.sizeLen == 1 {
			size = uint64(p.sizeBuf[0])
		} else {
			size = binary.BigEndian.Uint64(p.sizeBuf)
		}
		p.sizeLen = 0
		if size > p.limit || p.total+size > p.limit {
			return fmt.Errorf("zmtp: a message of more than %d bytes announced; connection closed", p.limit)
		}
		p.total += size
		if !p.more {
			p.total = 0
		}
		p.skip = size
	}
	return nil
}
