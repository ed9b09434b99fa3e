package api

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/ringside/ringside/orchestrator"
)

// dialEvents opens the event stream with the harness's cookies.
func (h *harness) dialEvents(origin string) (*websocket.Conn, *http.Response, error) {
	h.t.Helper()
	u, _ := url.Parse(h.srv.URL)
	d := websocket.Dialer{Jar: h.client.Jar, HandshakeTimeout: 5 * time.Second}
	hdr := http.Header{}
	if origin != "" {
		hdr.Set("Origin", origin)
	}
	return d.Dial("ws://"+u.Host+"/api/v1/events", hdr)
}

type wsMessage struct {
	Type   string                  `json:"type"`
	Seq    uint64                  `json:"seq"`
	UserID int64                   `json:"user_id"`
	Agent  *orchestrator.AgentView `json:"agent"`
	Notice *orchestrator.Notice    `json:"notice"`
}

func readMessage(t *testing.T, c *websocket.Conn) wsMessage {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, b, err := c.ReadMessage()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var m wsMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("message %s: %v", b, err)
	}
	return m
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// S10: the desktop gets a snapshot, then events, in order; when the
// orchestrator ends the subscription the socket closes so the desktop
// reconnects for a fresh snapshot.
func TestEventsSnapshotThenEvents_S10(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	h.ctl.setSeq(41)
	h.ctl.setAgent(&orchestrator.AgentView{UserID: ann.ID, Name: "Ann Agent", State: orchestrator.StateAvailable})

	c, resp, err := h.dialEvents(h.srv.URL)
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	defer c.Close()
	snap := readMessage(t, c)
	if snap.Type != "snapshot" || snap.Seq != 41 || snap.Agent == nil || snap.Agent.State != orchestrator.StateAvailable {
		t.Fatalf("snapshot = %+v", snap)
	}

	waitFor(t, "subscription", func() bool { return h.ctl.subscribers() == 1 })
	h.ctl.publish(orchestrator.Event{Type: orchestrator.EventAgent, UserID: sue.ID, Agent: &orchestrator.AgentView{UserID: sue.ID}}) // someone else's
	ix := &orchestrator.InteractionView{ID: "i1", Queue: "sales", Caller: "+15550100", State: orchestrator.InteractionRinging,
		Variables: []orchestrator.VariableView{{Name: "account", Label: "Account", Value: "42", Popover: true}}}
	h.ctl.publish(orchestrator.Event{Type: orchestrator.EventAgent, UserID: ann.ID, Agent: &orchestrator.AgentView{UserID: ann.ID, State: orchestrator.StateRinging, Interaction: ix}})
	h.ctl.publish(orchestrator.Event{Type: orchestrator.EventNotice, UserID: ann.ID, Notice: &orchestrator.Notice{Kind: "rona", Text: "You missed a call"}})

	ev := readMessage(t, c)
	if ev.Type != "agent" || ev.Seq != 43 || ev.Agent == nil || ev.Agent.Interaction == nil || ev.Agent.Interaction.Variables[0].Value != "42" {
		t.Fatalf("event = %+v", ev)
	}
	ev = readMessage(t, c)
	if ev.Type != "notice" || ev.Seq != 44 || ev.Notice == nil || ev.Notice.Kind != "rona" {
		t.Fatalf("event = %+v", ev)
	}

	h.ctl.closeStreams()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err = c.ReadMessage()
	if !websocket.IsCloseError(err, closeResync) {
		t.Fatalf("after the stream ended: %v, want close %d", err, closeResync)
	}

	// Reconnecting gives a fresh snapshot.
	c2, _, err := h.dialEvents(h.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if m := readMessage(t, c2); m.Type != "snapshot" || m.Seq != 44 {
		t.Fatalf("second snapshot = %+v", m)
	}
}

func TestEventsSnapshotWithoutAgentIsNull(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	c, _, err := h.dialEvents(h.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, b, err := c.ReadMessage()
	if err != nil || string(b) != `{"type":"snapshot","seq":0,"agent":null,"health":{"down":[]}}`+"\n" {
		t.Fatalf("snapshot = %s, %v", b, err)
	}
}

// The client going away ends the subscription.
func TestEventsClientCloseUnsubscribes(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	c, _, err := h.dialEvents(h.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	readMessage(t, c)
	waitFor(t, "subscription", func() bool { return h.ctl.subscribers() == 1 })
	c.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
	c.Close()
	waitFor(t, "unsubscribe", func() bool { return h.ctl.subscribers() == 0 })
}

func TestEventsNeedSessionAndOrigin(t *testing.T) {
	h := newHarness(t)
	_, resp, err := h.dialEvents(h.srv.URL)
	if err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("without a session: %v %v", err, resp)
	}
	h.login("ann")
	_, resp, err = h.dialEvents("https://evil.example")
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("from another origin: %v %v", err, resp)
	}
	if h.ctl.subscribers() != 0 {
		t.Fatal("a refused handshake subscribed")
	}
	// A plain GET is not a WebSocket.
	h.wantError(h.do("GET", "/api/v1/events", nil), http.StatusBadRequest, "invalid")
}

// Pings keep the stream alive; a logout elsewhere closes it with
// closeSignedOut at the next ping.
func TestEventsPingAndSignedOut(t *testing.T) {
	old := pingPeriod
	pingPeriod = 50 * time.Millisecond
	defer func() { pingPeriod = old }()

	h := newHarness(t)
	h.login("ann")
	c, _, err := h.dialEvents(h.srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	pings := make(chan struct{}, 10)
	c.SetPingHandler(func(string) error {
		select {
		case pings <- struct{}{}:
		default:
		}
		return c.WriteControl(websocket.PongMessage, nil, time.Now().Add(time.Second))
	})
	readMessage(t, c)
	go func() {
		// Log out through a second client sharing the cookie.
		<-pings
		jar, _ := cookiejar.New(nil)
		u, _ := url.Parse(h.srv.URL)
		jar.SetCookies(u, h.client.Jar.Cookies(u))
		req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/auth/logout", strings.NewReader(""))
		req.Header.Set("Origin", h.srv.URL)
		resp, err := (&http.Client{Jar: jar}).Do(req)
		if err == nil {
			resp.Body.Close()
		}
	}()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, _, err = c.ReadMessage()
	if !websocket.IsCloseError(err, closeSignedOut) {
		t.Fatalf("after logout: %v, want close %d", err, closeSignedOut)
	}
}
