package pbxsim

import (
	"net/http"
	"testing"
	"time"
)

func TestDropLinkClosesSocketAndRefusesUntilRestore(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	h.answeredLeg(ev, "leg-1")

	h.sim.DropLink()
	select {
	case <-ev.done:
	case <-time.After(2 * time.Second):
		t.Fatal("event websocket still open after DropLink")
	}
	if _, err := h.dial("ringside"); err == nil {
		t.Error("a new websocket was accepted while the link is down")
	}
	req, _ := http.NewRequest("GET", h.url+"/asterisk/ping", nil)
	req.SetBasicAuth("ringside", "ringside")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("REST answered %d while the link is down", resp.StatusCode)
	}

	// Calls carry on without the link; their events are lost.
	if err := h.sim.Hangup("leg-1"); err != nil {
		t.Fatal(err)
	}
	// Customer calls fail: Stasis() has no application.
	if _, err := h.sim.PlaceCall("support", "555", nil); err == nil {
		t.Error("PlaceCall succeeded without a websocket")
	}

	h.sim.RestoreLink()
	ev2 := h.connect("ringside")
	h.mustDo(200, "GET", "/asterisk/ping", nil)
	if _, err := h.sim.PlaceCall("support", "555", nil); err != nil {
		t.Fatal(err)
	}
	ev2.expect("StasisStart")
}

// Only one WebSocket per application gets events: the newest, and the old
// one is told ApplicationReplaced.
func TestNewestWebSocketWins(t *testing.T) {
	h := newHarness(t, Options{})
	old := h.connect("ringside")
	// Make sure the first socket is attached before the second replaces it.
	if _, err := h.sim.PlaceCall("q", "1", nil); err != nil {
		t.Fatal(err)
	}
	old.expect("StasisStart")

	cur := h.connect("ringside")
	old.expect("ApplicationReplaced")
	if _, err := h.sim.PlaceCall("q", "2", nil); err != nil {
		t.Fatal(err)
	}
	cur.expect("StasisStart")
	old.quiet(100 * time.Millisecond)
}
