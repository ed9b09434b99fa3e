package api

import (
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"
)

// S2: one live desktop per user. Each desktop (a browser tab) names itself
// with a random id that survives a reload of that tab. It claims the desktop
// before it opens the event stream; while another desktop of the same user
// is live the claim is refused (desktop_in_use) unless it asks to take
// over, and a takeover tells the old desktop's stream it was replaced and
// closes it with closeReplaced, after which that desktop does not reconnect.
//
// The registry is about browser tabs only: the agent's station session,
// state and calls live in the orchestrator and are untouched by a takeover;
// the new desktop gets them in its snapshot.

// DesktopHeader carries the desktop id on the desktop's API requests; a
// state-changing request naming a desktop that is not the user's current
// one is refused (desktop_replaced). Requests without it — API clients,
// curl — are not affected.
const DesktopHeader = "X-Ringside-Desktop"

// desktopGrace is how long a desktop counts as live without a connected
// event stream: between its claim and its stream's handshake, and after a
// stream drops (a reload, a network blip) before it reconnects.
const desktopGrace = 10 * time.Second

// desktopIDPattern is what the desktop generates: random base64url or hex.
var desktopIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

const (
	codeDesktopInUse    = "desktop_in_use"
	codeDesktopReplaced = "desktop_replaced"
	msgDesktopInUse     = "Ringside is open in another tab or browser"
	msgDesktopReplaced  = "This desktop was replaced by one opened in another tab or browser"
)

// desktops is the registry of each user's current desktop.
type desktops struct {
	mu     sync.Mutex
	now    func() time.Time
	grace  time.Duration
	byUser map[int64]*desktopRecord // at most one per user: bounded by the users
}

// desktopRecord is a user's current desktop.
type desktopRecord struct {
	id      string
	seen    time.Time // its claim, or the last time one of its streams started or ended
	left    bool      // its page said it was going away (closed or reloading)
	streams map[*desktopStream]struct{}
}

// desktopStream is one event stream of a desktop. Replaced is closed when
// another desktop takes over.
type desktopStream struct {
	rec      *desktopRecord // nil: a stream that named no desktop
	replaced chan struct{}
}

// Replaced is closed when the stream's desktop has been taken over; nil
// (never ready) for a stream that named no desktop.
func (s *desktopStream) Replaced() <-chan struct{} { return s.replaced }

func newDesktops(now func() time.Time, grace time.Duration) *desktops {
	return &desktops{now: now, grace: grace, byUser: map[int64]*desktopRecord{}}
}

// live reports whether rec is in use: a stream is connected, or it was
// claimed or seen within the grace period and has not said it left.
func (d *desktops) live(rec *desktopRecord, now time.Time) bool {
	return len(rec.streams) > 0 || (!rec.left && now.Sub(rec.seen) < d.grace)
}

// claimLocked makes id the user's current desktop. The same id reclaims
// freely; another live desktop refuses it unless takeover, and a takeover
// tells that desktop's streams they were replaced.
func (d *desktops) claimLocked(userID int64, id string, takeover bool, now time.Time) (*desktopRecord, bool) {
	cur := d.byUser[userID]
	if cur != nil && cur.id == id {
		cur.seen = now
		cur.left = false // a reload of the page that said it left
		return cur, true
	}
	if cur != nil && d.live(cur, now) {
		if !takeover {
			return nil, false
		}
		for s := range cur.streams {
			close(s.replaced)
		}
	}
	rec := &desktopRecord{id: id, seen: now, streams: map[*desktopStream]struct{}{}}
	d.byUser[userID] = rec
	return rec, true
}

// claim is POST /api/v1/desktop: false means another desktop is live.
func (d *desktops) claim(userID int64, id string, takeover bool) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.claimLocked(userID, id, takeover, d.now())
	return ok
}

// attach registers an event stream of desktop id. A desktop that is not
// current may still become so when no other is live (the server restarted
// and forgot its claims, or the other desktop is long gone); false means
// another live desktop holds the user. An empty id (not a desktop) always
// attaches, unregistered.
func (d *desktops) attach(userID int64, id string) (*desktopStream, bool) {
	if id == "" {
		return &desktopStream{}, true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	rec, ok := d.claimLocked(userID, id, false, now)
	if !ok {
		return nil, false
	}
	s := &desktopStream{rec: rec, replaced: make(chan struct{})}
	rec.streams[s] = struct{}{}
	return s, true
}

// detach ends a stream; its desktop stays live for the grace period, so a
// reload or a reconnect does not open the door to a silent takeover.
func (d *desktops) detach(userID int64, s *desktopStream) {
	if s == nil || s.rec == nil {
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := s.rec.streams[s]; ok {
		delete(s.rec.streams, s)
		s.rec.seen = d.now()
	}
}

// current reports whether id may act for the user: it is their current
// desktop, or they have none on record (the server restarted).
func (d *desktops) current(userID int64, id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	cur := d.byUser[userID]
	return cur == nil || cur.id == id
}

// release forgets the user's desktop when it is id (it signed out), so
// opening Ringside elsewhere right after is not met with a prompt.
func (d *desktops) release(userID int64, id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if cur := d.byUser[userID]; cur != nil && cur.id == id {
		delete(d.byUser, userID)
	}
}

// leave marks the user's desktop id as gone without a grace period, once
// its streams have ended: its tab was closed or is reloading. A reload
// claims again with the same id at once; a tab opened after a close is not
// met with a prompt. It is a hint: a stream still connected keeps the
// desktop live.
func (d *desktops) leave(userID int64, id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if cur := d.byUser[userID]; cur != nil && cur.id == id {
		cur.left = true
	}
}

type desktopRequest struct {
	ID       string `json:"id"`
	Takeover bool   `json:"takeover"`
}

// desktopRoutes mounts POST /api/v1/desktop. It skips checkDesktop: a
// claim names a desktop that is not current yet.
func (s *Server) desktopRoutes(e *echo.Echo, v1 string) {
	e.POST(v1+"/desktop", s.claimDesktop, s.authenticate, s.checkOrigin)
	e.POST(v1+"/desktop/leave", s.leaveDesktop, s.authenticate, s.checkOrigin)
}

// decodeDesktop reads a claim or goodbye body and checks its desktop id.
func decodeDesktop(c echo.Context) (desktopRequest, error) {
	var req desktopRequest
	if err := decode(c, &req); err != nil {
		return req, err
	}
	if !desktopIDPattern.MatchString(req.ID) {
		return req, invalid("id: expected 8 to 64 letters, digits, - or _")
	}
	return req, nil
}

// leaveDesktop is the page's goodbye on pagehide (S2): 204 whatever the
// desktop's standing, since a page going away cannot act on an answer.
func (s *Server) leaveDesktop(c echo.Context) error {
	req, err := decodeDesktop(c)
	if err != nil {
		return err
	}
	s.desktops.leave(currentUser(c).ID, req.ID)
	return c.NoContent(http.StatusNoContent)
}

// claimDesktop makes the request's desktop the user's current one (S2):
// 204, or 409 desktop_in_use while another is live and takeover is false.
func (s *Server) claimDesktop(c echo.Context) error {
	req, err := decodeDesktop(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	if !s.desktops.claim(u.ID, req.ID, req.Takeover) {
		return &httpError{Status: http.StatusConflict, Code: codeDesktopInUse, Message: msgDesktopInUse}
	}
	if req.Takeover {
		s.log.Info("desktop taken over", "user", u.ID)
	}
	return c.NoContent(http.StatusNoContent)
}

// checkDesktop refuses state-changing requests from a desktop that has been
// replaced (DesktopHeader names another than the current one), so a stale
// tab cannot act even before its event stream has told it.
func (s *Server) checkDesktop(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		id := r.Header.Get(DesktopHeader)
		if id != "" && !s.desktops.current(currentUser(c).ID, id) {
			return &httpError{Status: http.StatusConflict, Code: codeDesktopReplaced, Message: msgDesktopReplaced}
		}
		return next(c)
	}
}

// replacedMessage is the event stream's last message to a replaced desktop.
type replacedMessage struct {
	Type    string `json:"type"` // "replaced"
	Message string `json:"message"`
}

// attachStream registers the event stream of the desktop named by the
// request's "desktop" query parameter. When another desktop holds the user
// it upgrades anyway, to tell this one it was replaced (a refused handshake
// would only look like a network error and be retried), and returns
// ok=false: the caller is done.
func (s *Server) attachStream(c echo.Context, userID int64) (stream *desktopStream, ok bool, err error) {
	id := c.QueryParam("desktop")
	if id != "" && !desktopIDPattern.MatchString(id) {
		return nil, false, badRequest("desktop: expected 8 to 64 letters, digits, - or _")
	}
	if stream, ok := s.desktops.attach(userID, id); ok {
		return stream, true, nil
	}
	// events checked the Origin before calling here.
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	conn, err := up.Upgrade(c.Response(), c.Request(), nil)
	if err != nil {
		return nil, false, nil // the upgrader has answered the client
	}
	c.Response().Status = http.StatusSwitchingProtocols
	defer conn.Close()
	sendReplaced(conn)
	return nil, false, nil
}

// sendReplaced tells a desktop it was replaced and closes its stream.
func sendReplaced(conn *websocket.Conn) {
	_ = conn.SetWriteDeadline(time.Now().Add(writeWait))
	_ = conn.WriteJSON(replacedMessage{Type: "replaced", Message: msgDesktopReplaced})
	_ = conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(closeReplaced, "replaced by another desktop"), time.Now().Add(writeWait))
}
