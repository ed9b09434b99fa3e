package api

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/ringside/ringside/orchestrator"
)

const (
	deskA = "desk-aaaaaaaaaaaa"
	deskB = "desk-bbbbbbbbbbbb"
)

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// The registry's claim rules (S2), on a fake clock.
func TestDesktopClaimRules_S2(t *testing.T) {
	clock := newFakeClock()
	d := newDesktops(clock.Now, 10*time.Second)

	if !d.claim(1, deskA, false) {
		t.Fatal("the first desktop was refused")
	}
	if !d.claim(1, deskA, false) {
		t.Fatal("the same desktop (a reload) could not claim again")
	}
	if !d.claim(2, deskB, false) {
		t.Fatal("another user's desktop was refused")
	}
	// A claimed but not yet connected desktop is live for the grace period.
	if d.claim(1, deskB, false) {
		t.Fatal("a second desktop took over a freshly claimed one without asking")
	}
	streamA, ok := d.attach(1, deskA)
	if !ok {
		t.Fatal("the current desktop's stream was refused")
	}
	clock.Add(time.Hour) // a connected stream keeps it live however long
	if d.claim(1, deskB, false) {
		t.Fatal("a second desktop took over a connected one without asking")
	}
	if isClosed(streamA.Replaced()) {
		t.Fatal("a refused claim told the live desktop it was replaced")
	}
	if !d.current(1, deskA) || d.current(1, deskB) {
		t.Fatal("the refused claim changed the current desktop")
	}

	// Takeover: the old stream is told; the old desktop may no longer act
	// or stream.
	if !d.claim(1, deskB, true) {
		t.Fatal("takeover refused")
	}
	if !isClosed(streamA.Replaced()) {
		t.Fatal("the old desktop's stream was not told")
	}
	if d.current(1, deskA) || !d.current(1, deskB) {
		t.Fatal("after the takeover the old desktop is still current")
	}
	d.detach(1, streamA) // the old stream ends: it must not touch the new record
	if _, ok := d.attach(1, deskA); ok {
		t.Fatal("the replaced desktop's stream was let back in")
	}
	if !d.current(2, deskB) {
		t.Fatal("another user's desktop was affected")
	}
}

// A desktop that is gone (its stream ended longer ago than the grace
// period, or it claimed and never connected) is taken over without a
// prompt; one that dropped just now is still live (a reload, a blip).
func TestDesktopStaleNoPrompt_S2(t *testing.T) {
	clock := newFakeClock()
	d := newDesktops(clock.Now, 10*time.Second)
	d.claim(1, deskA, false)
	s, _ := d.attach(1, deskA)
	clock.Add(time.Minute)
	d.detach(1, s)
	clock.Add(5 * time.Second)
	if d.claim(1, deskB, false) {
		t.Fatal("a desktop that dropped 5 s ago was taken over without asking")
	}
	clock.Add(5 * time.Second)
	if !d.claim(1, deskB, false) {
		t.Fatal("a desktop gone for the grace period still blocks a new one")
	}

	// Claimed, never connected.
	d.claim(2, deskA, false)
	clock.Add(10 * time.Second)
	if !d.claim(2, deskB, false) {
		t.Fatal("a desktop that never connected still blocks a new one")
	}
}

// A stream without a desktop id (an API client) is neither registered nor
// refused; after a restart (no claims on record) a desktop's stream is
// taken in as the current one.
func TestDesktopAttachWithoutClaim_S2(t *testing.T) {
	d := newDesktops(newFakeClock().Now, 10*time.Second)
	s, ok := d.attach(1, "")
	if !ok || s.Replaced() != nil {
		t.Fatal("a stream without a desktop id was refused or registered")
	}
	d.detach(1, s)
	if !d.current(1, deskA) {
		t.Fatal("with no desktop on record every desktop may act")
	}
	if _, ok := d.attach(1, deskA); !ok {
		t.Fatal("a desktop reconnecting after a restart was refused")
	}
	if d.current(1, deskB) {
		t.Fatal("the reconnected desktop did not become current")
	}
}

// dialDesktop opens the event stream of desktop id with jar's cookies.
func (h *harness) dialDesktop(jar http.CookieJar, id string) *websocket.Conn {
	h.t.Helper()
	u, _ := url.Parse(h.srv.URL)
	d := websocket.Dialer{Jar: jar, HandshakeTimeout: 5 * time.Second}
	c, resp, err := d.Dial("ws://"+u.Host+"/api/v1/events?desktop="+id, http.Header{"Origin": {h.srv.URL}})
	if err != nil {
		h.t.Fatalf("dial desktop %s: %v (%v)", id, err, resp)
	}
	h.t.Cleanup(func() { c.Close() })
	return c
}

// wantReplaced reads the replaced message and the close code that keeps
// the desktop from reconnecting.
func wantReplaced(t *testing.T, c *websocket.Conn) {
	t.Helper()
	for {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		var m replacedMessage
		err := c.ReadJSON(&m)
		if ce, ok := err.(*websocket.CloseError); ok {
			if ce.Code != closeReplaced {
				t.Fatalf("closed with %d %q, want %d", ce.Code, ce.Text, closeReplaced)
			}
			return
		}
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if m.Type == "replaced" && m.Message != msgDesktopReplaced {
			t.Fatalf("replaced message %q", m.Message)
		}
	}
}

// S2 through the HTTP API, with two browsers (separate cookies) of one
// user: the second is refused while the first streams, takes over, the
// first's stream is told and closed, its requests are refused, and the
// agent's station session is untouched.
func TestDesktopTakeoverOverHTTP_S2(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	h.ctl.setAgent(&orchestrator.AgentView{UserID: ann.ID, Name: "Ann Agent", State: orchestrator.StateAvailable})
	first := h.client.Jar
	h.want(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskA}), http.StatusNoContent)
	streamA := h.dialDesktop(first, deskA)
	if m := readMessage(t, streamA); m.Type != "snapshot" {
		t.Fatalf("first message %q", m.Type)
	}
	// The same desktop (a reload) claims again freely.
	h.want(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskA}), http.StatusNoContent)

	// A second browser.
	second, _ := cookiejar.New(nil)
	h.client.Jar = second
	h.login("ann")
	d := h.wantError(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskB}), http.StatusConflict, codeDesktopInUse)
	if d.Message != msgDesktopInUse {
		t.Fatalf("in-use message %q", d.Message)
	}
	h.want(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskB, "takeover": true}), http.StatusNoContent)
	wantReplaced(t, streamA)
	streamB := h.dialDesktop(second, deskB)
	if m := readMessage(t, streamB); m.Type != "snapshot" || m.Agent == nil || m.Agent.State != orchestrator.StateAvailable {
		t.Fatalf("the new desktop's snapshot %+v", m)
	}

	// The old desktop may not act, nor stream again; requests without the
	// header (API clients) and the new desktop's are unaffected.
	h.client.Jar = first
	h.wantError(h.do("PUT", "/api/v1/session/state", map[string]string{"state": "idle", "reason_code": "break"}, DesktopHeader, deskA), http.StatusConflict, codeDesktopReplaced)
	wantReplaced(t, h.dialDesktop(first, deskA))
	h.want(h.do("GET", "/api/v1/me", nil, DesktopHeader, deskA), http.StatusOK) // reading is harmless
	h.want(h.do("PUT", "/api/v1/session/state", map[string]string{"state": "idle", "reason_code": "break"}), http.StatusNoContent)
	h.client.Jar = second
	h.want(h.do("PUT", "/api/v1/session/state", map[string]string{"state": "available"}, DesktopHeader, deskB), http.StatusNoContent)
	h.ctl.mu.Lock()
	calls := strings.Join(h.ctl.calls, "; ")
	h.ctl.mu.Unlock()
	if calls != "SetState idle break; SetState available " {
		t.Fatalf("the controller was told %q; a takeover must not touch the agent", calls)
	}

	// "Use here" on the old one takes it back.
	h.client.Jar = first
	h.want(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskA, "takeover": true}), http.StatusNoContent)
	wantReplaced(t, streamB)
}

func TestDesktopClaimValidation_S2(t *testing.T) {
	h := newHarness(t)
	h.wantError(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskA}), http.StatusUnauthorized, "unauthorized")
	h.login("ann")
	h.wantError(h.do("POST", "/api/v1/desktop", map[string]any{"id": "short"}), http.StatusUnprocessableEntity, "invalid")
	h.wantError(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskA}, "Origin", "https://evil.example"), http.StatusForbidden, "forbidden")
	h.wantError(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskA, "tab": 1}), http.StatusBadRequest, "invalid")
}

// Signing out releases the desktop: opening Ringside elsewhere right after
// is not prompted. A replaced desktop's sign-out releases nothing.
func TestDesktopSignOutReleases_S2(t *testing.T) {
	h := newHarness(t)
	first := h.client.Jar
	h.login("ann")
	h.want(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskA}), http.StatusNoContent)
	second, _ := cookiejar.New(nil)
	h.client.Jar = second
	h.login("ann")
	h.want(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskB, "takeover": true}), http.StatusNoContent)

	h.client.Jar = first
	h.want(h.do("POST", "/api/v1/auth/logout", nil, DesktopHeader, deskA), http.StatusNoContent)
	h.client.Jar = second
	h.want(h.do("PUT", "/api/v1/session/state", map[string]string{"state": "available"}, DesktopHeader, deskB), http.StatusNoContent)

	h.want(h.do("POST", "/api/v1/auth/logout", nil, DesktopHeader, deskB), http.StatusNoContent)
	h.client.Jar = first
	h.login("ann")
	h.want(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskA}), http.StatusNoContent)
}

// A page that says it is going away (pagehide: closed or reloading) is not
// live once its stream has ended, so a tab opened right after a close is
// not prompted; a reload claims again with the same id, and a stream still
// connected keeps the desktop live whatever the page said.
func TestDesktopLeave_S2(t *testing.T) {
	clock := newFakeClock()
	d := newDesktops(clock.Now, 10*time.Second)
	d.claim(1, deskA, false)
	s, _ := d.attach(1, deskA)

	d.leave(1, deskA)
	if d.claim(1, deskB, false) {
		t.Fatal("a desktop whose stream is still connected was taken over without asking")
	}
	d.detach(1, s)
	clock.Add(time.Second)
	if !d.claim(1, deskB, false) {
		t.Fatal("a closed tab still blocks a new one for the grace period")
	}

	// A reload: leave, then the same id claims and is live again at once.
	d.claim(2, deskA, false)
	d.leave(2, deskA)
	if !d.claim(2, deskA, false) {
		t.Fatal("the reloading page could not claim again")
	}
	if d.claim(2, deskB, false) {
		t.Fatal("a reloaded desktop was taken over without asking")
	}

	// Another desktop's goodbye changes nothing.
	d.leave(2, deskB)
	if d.claim(2, deskB, false) {
		t.Fatal("a goodbye naming another desktop released the current one")
	}
}

// POST /api/v1/desktop/leave over HTTP: signed-in, origin-checked, 204.
func TestDesktopLeaveOverHTTP_S2(t *testing.T) {
	h := newHarness(t)
	h.wantError(h.do("POST", "/api/v1/desktop/leave", map[string]any{"id": deskA}), http.StatusUnauthorized, "unauthorized")
	h.login("ann")
	h.want(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskA}), http.StatusNoContent)
	h.wantError(h.do("POST", "/api/v1/desktop/leave", map[string]any{"id": "short"}), http.StatusUnprocessableEntity, "invalid")
	h.wantError(h.do("POST", "/api/v1/desktop/leave", map[string]any{"id": deskA}, "Origin", "https://evil.example"), http.StatusForbidden, "forbidden")
	h.wantError(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskB}), http.StatusConflict, "desktop_in_use")
	h.want(h.do("POST", "/api/v1/desktop/leave", map[string]any{"id": deskA}), http.StatusNoContent)
	h.want(h.do("POST", "/api/v1/desktop", map[string]any{"id": deskB}), http.StatusNoContent)
}
