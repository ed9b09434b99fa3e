package pbxsim

import (
	"testing"
	"time"
)

// PBX-NOTES, Legs: a channel that entered the application from the
// dialplan (every customer call) gets no ChannelDestroyed when it hangs
// up, from either side: ChannelHangupRequest (with the cause),
// ChannelLeftBridge if bridged, StasisEnd, and nothing more. The channel
// is gone from GET /channels and the leg is down all the same.
func TestDialplanChannelEndsWithStasisEnd(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")

	// The customer hangs up (the far end).
	cust := h.bridgedPair(ev)
	if err := h.sim.Hangup(cust); err != nil {
		t.Fatal(err)
	}
	ev.expect("ChannelHangupRequest:16", "ChannelLeftBridge:room", "StasisEnd")
	ev.quiet(100 * time.Millisecond)
	h.mustDo(404, "GET", "/channels/"+cust, nil)
	if l, _ := h.sim.Leg(cust); l.State != LegDown || l.Cause != 16 || l.Room != "" {
		t.Errorf("customer leg after hang-up: %+v", l)
	}

	// The application hangs the customer up.
	id, err := h.sim.PlaceCall("support", "555", nil)
	if err != nil {
		t.Fatal(err)
	}
	ev.expect("StasisStart")
	h.mustDo(204, "DELETE", "/channels/"+id+"?reason=busy", nil)
	ev.expect("ChannelHangupRequest:32", "StasisEnd")
	ev.quiet(100 * time.Millisecond)
	for _, c := range h.mustDo(200, "GET", "/channels", nil).([]any) {
		if c.(map[string]any)["id"] == id || c.(map[string]any)["id"] == cust {
			t.Errorf("a hung-up customer is still listed: %v", c)
		}
	}
	if l, _ := h.sim.Leg(id); l.State != LegDown || l.Cause != 17 {
		t.Errorf("customer leg after DELETE: %+v", l)
	}

	// The agent leg the application originated still ends with
	// ChannelDestroyed.
	h.mustDo(204, "DELETE", "/channels/agent", nil)
	ev.expect("ChannelHangupRequest:32", "ChannelLeftBridge:room", "StasisEnd", "ChannelDestroyed:16")
}
