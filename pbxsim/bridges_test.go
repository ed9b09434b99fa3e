package pbxsim

import (
	"net/http"
	"testing"
	"time"
)

// PBX-NOTES: addChannel moves a channel out of its current bridge
// (ChannelLeftBridge then ChannelEnteredBridge); empty bridges persist.
func TestAddChannelMovesBetweenBridges(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	h.answeredLeg(ev, "a")
	h.answeredLeg(ev, "b")
	h.mustDo(200, "POST", "/bridges/one", map[string]any{"bridgeId": "one", "type": "mixing", "name": "one"})
	h.mustDo(200, "POST", "/bridges", map[string]any{"bridgeId": "two", "type": "mixing"})
	h.mustDo(409, "POST", "/bridges/one", map[string]any{"type": "mixing"})

	h.mustDo(204, "POST", "/bridges/one/addChannel", map[string]any{"channel": "a,b"})
	got := ev.expect("ChannelEnteredBridge:one", "ChannelEnteredBridge:one")
	if chans := got[1]["bridge"].(map[string]any)["channels"].([]any); len(chans) != 2 {
		t.Errorf("bridge snapshot after the second entry lists %v", chans)
	}

	h.mustDo(204, "POST", "/bridges/two/addChannel?channel=a", nil)
	got = ev.expect("ChannelLeftBridge:one", "ChannelEnteredBridge:two")
	if field(got[0], "channel", "id") != "a" || field(got[1], "channel", "id") != "a" {
		t.Errorf("moved the wrong channel: %v", got)
	}
	// Adding a member again is a no-op.
	h.mustDo(204, "POST", "/bridges/two/addChannel?channel=a", nil)
	ev.quiet(50 * time.Millisecond)

	h.mustDo(204, "POST", "/bridges/one/removeChannel", map[string]any{"channel": "b"})
	ev.expect("ChannelLeftBridge:one")
	one := h.mustDo(200, "GET", "/bridges/one", nil).(map[string]any)
	if chans := one["channels"].([]any); len(chans) != 0 || one["bridge_type"] != "mixing" {
		t.Errorf("empty bridge = %v, want it kept and empty", one)
	}
	if list := h.mustDo(200, "GET", "/bridges", nil).([]any); len(list) != 2 {
		t.Errorf("GET /bridges lists %d bridges, want 2", len(list))
	}
	if l, _ := h.sim.Leg("a"); l.Room != "two" {
		t.Errorf("leg a room %q, want two", l.Room)
	}
}

// DELETE /bridges/{id}: members leave (and stay in the app), then
// BridgeDestroyed.
func TestDeleteBridge(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	h.answeredLeg(ev, "a")
	h.mustDo(200, "POST", "/bridges/room", map[string]any{"type": "mixing"})
	h.mustDo(204, "POST", "/bridges/room/addChannel", map[string]any{"channel": "a"})
	ev.expect("ChannelEnteredBridge:room")

	h.mustDo(204, "DELETE", "/bridges/room", nil)
	ev.expect("ChannelLeftBridge:room", "BridgeDestroyed:room")
	h.mustDo(404, "GET", "/bridges/room", nil)
	if ch := h.mustDo(200, "GET", "/channels/a", nil).(map[string]any); ch["state"] != "Up" {
		t.Errorf("channel after its bridge went: %v", ch)
	}
}

// Unknown resources and wrong states get Asterisk's statuses and bodies.
func TestARIErrors(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	h.answeredLeg(ev, "up")
	h.originate("ringing", "PJSIP/2001", 30)
	ev.expect("Dial:", "Dial:RINGING", "ChannelStateChange:Ringing")
	h.mustDo(200, "POST", "/bridges/room", nil)

	cases := []struct {
		method, path string
		body         any
		status       int
		message      string
	}{
		{"GET", "/channels/nope", nil, 404, "Channel not found"},
		{"DELETE", "/channels/nope", nil, 404, "Channel not found"},
		{"POST", "/channels/nope/answer", nil, 404, "Channel not found"},
		{"POST", "/channels/nope/moh", nil, 404, "Channel not found"},
		{"POST", "/channels/ringing/answer", nil, 409, "Channel not in Stasis application"},
		{"POST", "/channels/ringing/moh", nil, 409, "Channel not in Stasis application"},
		{"GET", "/bridges/nope", nil, 404, "Bridge not found"},
		{"DELETE", "/bridges/nope", nil, 404, "Bridge not found"},
		{"POST", "/bridges/nope/addChannel", map[string]any{"channel": "up"}, 404, "Bridge not found"},
		{"POST", "/bridges/room/addChannel", map[string]any{"channel": "nope"}, 400, "Channel not found"},
		{"POST", "/bridges/room/addChannel", nil, 400, "Missing parameter channel"},
		{"POST", "/bridges/room/addChannel", map[string]any{"channel": "ringing"}, 422, "Channel not in Stasis application"},
		{"POST", "/bridges/room/removeChannel", map[string]any{"channel": "up"}, 422, "Channel not in this bridge"},
		{"DELETE", "/bridges/room/moh", nil, 409, "Bridge isn't playing music"},
		{"POST", "/channels", map[string]any{"app": "ringside"}, 400, "Endpoint must be specified"},
		{"POST", "/channels", map[string]any{"endpoint": "2001", "app": "ringside"}, 400, "Invalid endpoint specified"},
		{"POST", "/channels", map[string]any{"endpoint": "PJSIP/1"}, 400, "Application or extension must be specified"},
		{"POST", "/channels", map[string]any{"endpoint": "PJSIP/1", "app": "ringside", "channelId": "up"}, 409, "Channel with given unique ID already exists"},
		{"GET", "/playbacks/nope", nil, 404, "Resource not found"},
		{"POST", "/channels/nope/mute", map[string]any{"direction": "in"}, 404, "Channel not found"},
		{"POST", "/channels/ringing/mute", map[string]any{"direction": "in"}, 409, "Channel not in Stasis application"},
		{"POST", "/channels/up/mute", nil, 400, "Direction is required"},
		{"DELETE", "/channels/up/mute?direction=sideways", nil, 400, "Invalid direction specified"},
		{"POST", "/bridges/nope/moh", nil, 404, "Bridge not found"},
	}
	for _, c := range cases {
		status, body := h.do(c.method, c.path, c.body)
		msg, _ := body.(map[string]any)["message"].(string)
		if status != c.status || msg != c.message {
			t.Errorf("%s %s: %d %q, want %d %q", c.method, c.path, status, msg, c.status, c.message)
		}
	}
}

func TestAuthentication(t *testing.T) {
	h := newHarness(t, Options{Username: "u", Password: "p"})
	status, body := h.do("GET", "/asterisk/info", nil) // the harness sends ringside:ringside
	if status != 401 || body.(map[string]any)["message"] != "Authentication required" {
		t.Errorf("wrong credentials: %d %v", status, body)
	}
	if _, err := h.dial("ringside"); err == nil {
		t.Error("event websocket accepted wrong credentials")
	}
	// api_key works as on Asterisk when no Authorization header is sent.
	resp, err := http.Get(h.url + "/asterisk/ping?api_key=u:p")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("api_key: %d", resp.StatusCode)
	}
}
