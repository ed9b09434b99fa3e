package api

import (
	"net/http"
	"time"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"

	"github.com/ringside/ringside/orchestrator"
)

// Event stream timing; variables so tests can shorten them.
var (
	pingPeriod = 25 * time.Second // how often the server pings, and re-checks the web session
	pongWait   = 60 * time.Second // how long the client may stay silent (pongs count)
	writeWait  = 10 * time.Second // how long one write may take
)

// Close codes the event stream ends with. The desktop reconnects after any
// close except closeSignedOut, after which it shows the sign-in screen, and
// closeReplaced, after which it shows that another desktop took over (S2).
const (
	closeResync    = websocket.CloseTryAgainLater // the orchestrator ended the subscription: reconnect for a fresh snapshot
	closeSignedOut = 4401                         // the web session ended or expired
	closeReplaced  = 4409                         // another desktop of the user took over (S2)
)

// snapshotMessage is the first message on the event stream: the user's
// whole state, numbered so that later events with Seq ≤ this one are stale.
type snapshotMessage struct {
	Type  string                  `json:"type"` // "snapshot"
	Seq   uint64                  `json:"seq"`
	Agent *orchestrator.AgentView `json:"agent"` // null: not signed in on a station
	// Agents is every signed-in user, for supervisors' team table; absent
	// for users without the supervisor role.
	Agents any `json:"agents,omitempty"` // []orchestrator.AgentView
	// Health is what is down right now, so a desktop that connects during
	// an outage shows the banner at once (S9).
	Health orchestrator.HealthView `json:"health"`
}

// events is the desktop's WebSocket (S10): a snapshot, then every
// orchestrator event for the user as JSON, with ping/pong keepalive. When
// the orchestrator closes the subscription (the desktop fell behind, or the
// controller stops) the socket is closed so the desktop reconnects and gets
// a fresh snapshot.
func (s *Server) events(c echo.Context) error {
	r := c.Request()
	if origin := r.Header.Get("Origin"); origin != "" && !s.originAllowed(origin, r.Host) {
		return orchestrator.Errorf(orchestrator.CodeForbidden, "request refused: it did not come from an allowed origin")
	}
	if !websocket.IsWebSocketUpgrade(r) {
		return badRequest("this endpoint is a WebSocket: connect with an Upgrade request")
	}
	u := currentUser(c)
	key, _ := c.Get(tokenKey).(string)
	ctx := r.Context()
	// S2: only the user's current desktop streams; another is told it was replaced.
	desk, ok, err := s.attachStream(c, u.ID)
	if !ok {
		return err
	}
	defer s.desktops.detach(u.ID, desk)
	subscribe := s.ctl.Subscribe
	if u.HasRole(orchestrator.RoleSupervisor) {
		subscribe = s.ctl.SubscribeAll // the team table follows every agent
	}
	sub, err := subscribe(ctx, u.ID)
	if err != nil {
		return err
	}
	defer sub.Close()

	up := websocket.Upgrader{
		// Browsers always send Origin on a WebSocket handshake, and it was
		// checked above; a client without one is not a browser.
		CheckOrigin: func(*http.Request) bool { return true },
	}
	conn, err := up.Upgrade(c.Response(), r, nil)
	if err != nil {
		return nil // the upgrader has answered the client
	}
	c.Response().Status = http.StatusSwitchingProtocols
	defer conn.Close()

	conn.SetReadLimit(4096)
	_ = conn.SetReadDeadline(time.Now().Add(pongWait))
	conn.SetPongHandler(func(string) error { return conn.SetReadDeadline(time.Now().Add(pongWait)) })
	gone := make(chan struct{})
	go func() {
		// The desktop sends nothing but control frames; reading drives the
		// pong handler and notices a closed connection.
		defer close(gone)
		for {
			if _, _, err := conn.NextReader(); err != nil {
				return
			}
		}
	}()

	write := func(v any) bool {
		_ = conn.SetWriteDeadline(time.Now().Add(writeWait))
		return conn.WriteJSON(v) == nil
	}
	closeWith := func(code int, text string) {
		_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(code, text), time.Now().Add(writeWait))
	}

	snap := snapshotMessage{Type: "snapshot", Seq: sub.Seq, Agent: sub.Snapshot, Health: sub.Health}
	if snap.Health.Down == nil {
		snap.Health.Down = []orchestrator.PartDown{} // the desktop reads a list
	}
	if u.HasRole(orchestrator.RoleSupervisor) {
		agents := sub.Agents
		if agents == nil {
			agents = []orchestrator.AgentView{}
		}
		snap.Agents = agents
	}
	if !write(snap) {
		return nil
	}
	ping := time.NewTicker(pingPeriod)
	defer ping.Stop()
	for {
		select {
		case ev, ok := <-sub.Events:
			if !ok {
				closeWith(closeResync, "event stream ended; reconnect for a fresh snapshot")
				return nil
			}
			if !write(ev) {
				return nil
			}
		case <-ping.C:
			if !s.sessionLive(ctx, key) {
				closeWith(closeSignedOut, "signed out")
				return nil
			}
			if conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)) != nil {
				return nil
			}
		case <-desk.Replaced():
			sendReplaced(conn)
			return nil
		case <-gone:
			return nil
		case <-ctx.Done():
			closeWith(websocket.CloseGoingAway, "server stopping")
			return nil
		}
	}
}
