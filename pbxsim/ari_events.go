package pbxsim

import (
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/websocket"
)

// Asterisk does not check the Origin of ARI WebSockets unless ari.conf sets
// allowed_origins; ari/v6 sends "http://localhost/" whatever the host.
var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

// handleEvents is GET /ari/events?app=a[,b]: the event WebSocket.
func (s *Sim) handleEvents(w http.ResponseWriter, r *http.Request) {
	var apps []string
	for _, a := range strings.Split(r.URL.Query().Get("app"), ",") {
		if a = strings.TrimSpace(a); a != "" {
			apps = append(apps, a)
		}
	}
	if len(apps) == 0 {
		writeError(w, ariErr(http.StatusBadRequest, "Missing parameter app"))
		return
	}
	conn := newWSConn(apps)
	s.mu.Lock()
	ok := s.attachLocked(conn)
	s.mu.Unlock()
	if !ok {
		writeError(w, ariErr(http.StatusServiceUnavailable, "pbxsim: link down"))
		return
	}
	ws, err := upgrader.Upgrade(w, r, nil)
	if err != nil { // the upgrader has answered
		s.mu.Lock()
		s.detachLocked(conn)
		s.mu.Unlock()
		conn.close()
		return
	}
	conn.start(ws)

	// Read until the client goes away; ARI clients send nothing we need.
	for {
		if _, _, err := ws.ReadMessage(); err != nil {
			break
		}
	}
	s.mu.Lock()
	s.detachLocked(conn)
	s.mu.Unlock()
	conn.close()
}

// ListenARI serves the ARI front-end on addr (e.g. "127.0.0.1:0") and
// returns its base URL, such as "http://127.0.0.1:43123/ari". The server
// stops with Close.
func (s *Sim) ListenARI(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	s.srvMu.Lock()
	if s.srvClosed {
		s.srvMu.Unlock()
		_ = ln.Close()
		return "", ErrClosed
	}
	s.servers = append(s.servers, srv)
	s.srvMu.Unlock()
	go func() {
		if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
			s.log.Error("ARI server stopped", "err", err)
		}
	}()
	return "http://" + ln.Addr().String() + "/ari", nil
}
