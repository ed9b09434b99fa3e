package pbxsim

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// wsConn is one event WebSocket. Events are queued without bound and written
// by one goroutine, so emitting (under Sim.mu) never waits for a client.
// Like Asterisk (websocket_attempted_cb), the applications are registered
// before the upgrade completes, so a client that sees the handshake succeed
// misses no event; events queue until the socket is there.
type wsConn struct {
	apps []string

	mu    sync.Mutex
	ws    *websocket.Conn // nil until the upgrade completes
	queue [][]byte
	wake  chan struct{}
	done  chan struct{}
	once  sync.Once
}

func newWSConn(apps []string) *wsConn {
	return &wsConn{apps: apps, wake: make(chan struct{}, 1), done: make(chan struct{})}
}

// start hands the upgraded socket over and begins delivering.
func (c *wsConn) start(ws *websocket.Conn) {
	c.mu.Lock()
	c.ws = ws
	c.mu.Unlock()
	select {
	case <-c.done: // dropped while upgrading
		_ = ws.Close()
		return
	default:
	}
	go c.writeLoop(ws)
	c.signal()
}

func (c *wsConn) send(data []byte) {
	c.mu.Lock()
	c.queue = append(c.queue, data)
	c.mu.Unlock()
	c.signal()
}

func (c *wsConn) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// writeLoop delivers queued events in order until the connection closes.
func (c *wsConn) writeLoop(ws *websocket.Conn) {
	for {
		select {
		case <-c.done:
			return
		case <-c.wake:
		}
		c.mu.Lock()
		batch := c.queue
		c.queue = nil
		c.mu.Unlock()
		for _, msg := range batch {
			_ = ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
			if err := ws.WriteMessage(websocket.TextMessage, msg); err != nil {
				c.close()
				return
			}
		}
	}
}

// close drops the connection abruptly, as a lost link does: no close frame.
func (c *wsConn) close() {
	c.once.Do(func() {
		close(c.done)
		c.mu.Lock()
		ws := c.ws
		c.mu.Unlock()
		if ws != nil {
			_ = ws.Close()
		}
	})
}

// attachLocked makes c the event WebSocket of its applications. Asterisk
// lets only one WebSocket receive an application's events: the newest wins
// and the previous one is told with ApplicationReplaced (res/stasis/app.c).
// It reports false when the link is down or the Sim closed meanwhile.
func (s *Sim) attachLocked(c *wsConn) bool {
	if s.linkDown || s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	for _, app := range c.apps {
		if old := s.apps[app]; old != nil && old != c {
			data, _ := json.Marshal(map[string]any{
				"type":        "ApplicationReplaced",
				"timestamp":   s.clock.Now().Format(ariTime),
				"application": app,
				"asterisk_id": s.opts.EntityID,
			})
			old.send(data)
		}
		s.apps[app] = c
	}
	return true
}

// detachLocked forgets c; applications it still served lose their
// WebSocket, and their events are dropped until a new one connects.
func (s *Sim) detachLocked(c *wsConn) {
	delete(s.conns, c)
	for app, cur := range s.apps {
		if cur == c {
			delete(s.apps, app)
		}
	}
}

func (s *Sim) detachAllLocked() []*wsConn {
	conns := make([]*wsConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	clear(s.conns)
	clear(s.apps)
	return conns
}

// appConnectedLocked reports whether an application has a WebSocket, the
// condition for Stasis() to accept a channel.
func (s *Sim) appConnectedLocked(app string) bool {
	return s.apps[app] != nil
}

// DropLink cuts the control link: every event WebSocket is closed and new
// requests, REST or WebSocket, are dropped unanswered until RestoreLink.
func (s *Sim) DropLink() {
	s.mu.Lock()
	s.linkDown = true
	conns := s.detachAllLocked()
	s.mu.Unlock()
	for _, c := range conns {
		c.close()
	}
}

// RestoreLink accepts requests and WebSockets again.
func (s *Sim) RestoreLink() {
	s.mu.Lock()
	s.linkDown = false
	s.mu.Unlock()
}

func (s *Sim) isLinkDown() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.linkDown
}
