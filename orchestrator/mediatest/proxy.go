package mediatest

import (
	"errors"
	"io"
	"net"
	"sync"
	"time"
)

// Proxy is a TCP proxy a lab puts in front of the PBX's control port (ARI's
// HTTP and WebSocket, FreeSWITCH's event socket) so that a scenario can cut
// the adapter's link the way a network failure does while the calls carry
// on: Drop closes every proxied connection and refuses new ones, Restore
// lets them through again. A refused connection is accepted and closed at
// once rather than left unanswered, so the adapter sees a failure
// promptly instead of waiting for its timeouts, and the address stays the
// same for the reconnection.
type Proxy struct {
	ln     net.Listener
	target string

	mu      sync.Mutex
	dropped bool
	closed  bool
	conns   map[net.Conn]struct{} // both sides of every proxied connection
	wg      sync.WaitGroup
}

// NewProxy listens on 127.0.0.1 (a free port) and forwards every
// connection to target (host:port).
func NewProxy(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// Addr is the host:port to connect to instead of the target.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Drop closes every proxied connection and refuses new ones until Restore.
func (p *Proxy) Drop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dropped = true
	p.closeConnsLocked()
}

// Restore proxies new connections again.
func (p *Proxy) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.dropped = false
}

// Close stops listening and closes every connection.
func (p *Proxy) Close() error {
	p.mu.Lock()
	p.closed = true
	p.closeConnsLocked()
	p.mu.Unlock()
	err := p.ln.Close()
	p.wg.Wait()
	return err
}

func (p *Proxy) closeConnsLocked() {
	for c := range p.conns {
		_ = c.Close()
		delete(p.conns, c)
	}
}

func (p *Proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// A failed accept (e.g. too many files) is not the end, but
			// retrying at once would spin.
			time.Sleep(10 * time.Millisecond)
			continue
		}
		p.wg.Add(1)
		go p.handle(c)
	}
}

// handle connects c to the target and copies both ways until either side
// ends, then closes both so the other side sees the end too.
func (p *Proxy) handle(c net.Conn) {
	defer p.wg.Done()
	if !p.track(c) {
		_ = c.Close()
		return
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil || !p.track(up) {
		// The PBX is down (the adapter must see that as such) or the link
		// was dropped while dialling.
		p.untrack(c)
		if up != nil {
			_ = up.Close()
		}
		return
	}
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		_, _ = io.Copy(dst, src)
		done <- struct{}{}
	}
	go pipe(up, c)
	go pipe(c, up)
	<-done
	p.untrack(c)
	p.untrack(up)
	<-done
}

// track registers a connection to close on Drop; false when the proxy is
// dropped or closed and the connection must not go through.
func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.dropped || p.closed {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) untrack(c net.Conn) {
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
	_ = c.Close()
}
