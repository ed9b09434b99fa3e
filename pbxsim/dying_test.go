package pbxsim

import (
	"testing"
	"time"
)

// PBX-NOTES, Hold ("Never reuse a bridge id"), measured on 23.4.1: a
// queued caller waits in holding bridge hold-X with bridge MOH, is moved
// to the call's mixing bridge, and DELETE /bridges/hold-X answers 204 —
// but the bridge lives on while its MOH announcer is in it. Meanwhile
// POST /bridges/hold-X is 409 and POST /bridges/hold-X/moh 404; GET
// /bridges does not list it. BridgeDestroyed comes after
// Options.DyingBridgeLinger, and then the id is free.
func TestDeletedHoldingBridgeWithMusicLingers(t *testing.T) {
	clk := NewManualClock(time.Time{})
	h := newHarness(t, Options{Clock: clk, DyingBridgeLinger: 10 * time.Second})
	ev := h.connect("ringside")
	cust := h.answeredCustomer(ev)
	h.answeredLeg(ev, "agent")

	h.mustDo(200, "POST", "/bridges/hold-x", map[string]any{"type": "holding"})
	h.mustDo(204, "POST", "/bridges/hold-x/addChannel", map[string]any{"channel": cust, "role": "participant"})
	ev.expect("ChannelEnteredBridge:hold-x")
	h.mustDo(204, "POST", "/bridges/hold-x/moh", map[string]any{"mohClass": "default"})
	h.mustDo(200, "POST", "/bridges/room", map[string]any{"type": "mixing"})
	h.mustDo(204, "POST", "/bridges/room/addChannel", map[string]any{"channel": cust + ",agent"})
	ev.expect("ChannelLeftBridge:hold-x", "ChannelEnteredBridge:room", "ChannelEnteredBridge:room")
	if h.music(cust) || !hearsOrFail(t, h.sim, "agent", cust) {
		t.Error("the caller moved into the room does not talk to the agent")
	}

	h.mustDo(204, "DELETE", "/bridges/hold-x", nil)
	ev.quiet(50 * time.Millisecond) // no BridgeDestroyed yet
	status, body := h.do("POST", "/bridges/hold-x", map[string]any{"type": "holding"})
	if msg := body.(map[string]any)["message"]; status != 409 || msg != "Bridge with id 'hold-x' already exists" {
		t.Errorf("re-create while dying: %d %v, want 409", status, msg)
	}
	for _, c := range []struct{ method, path string }{
		{"POST", "/bridges/hold-x/moh"},
		{"DELETE", "/bridges/hold-x/moh"},
		{"GET", "/bridges/hold-x"},
		{"DELETE", "/bridges/hold-x"},
		{"POST", "/bridges/hold-x/addChannel?channel=" + cust},
		{"POST", "/bridges/hold-x/removeChannel?channel=" + cust},
		{"POST", "/bridges/hold-x/record?name=r&format=wav"},
	} {
		if status, _ := h.do(c.method, c.path, nil); status != 404 {
			t.Errorf("%s %s on a dying bridge: %d, want 404", c.method, c.path, status)
		}
	}
	for _, b := range h.mustDo(200, "GET", "/bridges", nil).([]any) {
		if b.(map[string]any)["id"] == "hold-x" {
			t.Error("GET /bridges lists the dying bridge")
		}
	}
	if got := h.sim.Bridges(); len(got) != 1 || got[0] != "room" {
		t.Errorf("Sim.Bridges() = %v, want [room]", got)
	}
	if h.legState(cust) != LegUp {
		t.Errorf("caller state %s", h.legState(cust))
	}

	clk.Advance(9 * time.Second)
	ev.quiet(50 * time.Millisecond)
	h.mustDo(409, "POST", "/bridges/hold-x", map[string]any{"type": "holding"})
	clk.Advance(time.Second)
	ev.expect("BridgeDestroyed:hold-x")
	h.mustDo(200, "POST", "/bridges/hold-x", map[string]any{"type": "holding"})
	h.mustDo(204, "POST", "/bridges/hold-x/moh", nil)
}

// PBX-NOTES: an empty holding bridge without music is reusable at once;
// a mixing bridge is destroyed at once even with music (its announcer is
// a lonely channel that left with the last member).
func TestDeletedBridgeWithoutMusicFreesItsIdAtOnce(t *testing.T) {
	clk := NewManualClock(time.Time{})
	h := newHarness(t, Options{Clock: clk})
	ev := h.connect("ringside")
	cust := h.bridgedPair(ev)

	h.mustDo(200, "POST", "/bridges/hold-x", map[string]any{"type": "holding"})
	h.mustDo(204, "POST", "/bridges/hold-x/addChannel", map[string]any{"channel": cust})
	ev.expect("ChannelLeftBridge:room", "ChannelEnteredBridge:hold-x")
	h.mustDo(204, "POST", "/bridges/room/addChannel", map[string]any{"channel": cust})
	ev.expect("ChannelLeftBridge:hold-x", "ChannelEnteredBridge:room")
	h.mustDo(204, "DELETE", "/bridges/hold-x", nil)
	ev.expect("BridgeDestroyed:hold-x")
	h.mustDo(200, "POST", "/bridges/hold-x", map[string]any{"type": "holding"})

	h.mustDo(204, "POST", "/bridges/room/moh", nil)
	h.mustDo(204, "DELETE", "/bridges/room", nil)
	ev.expect("ChannelLeftBridge:room", "ChannelLeftBridge:room", "BridgeDestroyed:room")
	h.mustDo(200, "POST", "/bridges/room", nil)
}

// The default linger is 30 s of the Sim's Clock, and a bridge deleted with
// its caller still inside lingers too: the caller leaves at once.
func TestDyingBridgeDefaultLinger(t *testing.T) {
	clk := NewManualClock(time.Time{})
	h := newHarness(t, Options{Clock: clk})
	ev := h.connect("ringside")
	cust := h.answeredCustomer(ev)
	h.mustDo(200, "POST", "/bridges/hold-x", map[string]any{"type": "holding"})
	h.mustDo(204, "POST", "/bridges/hold-x/moh", nil)
	h.mustDo(204, "POST", "/bridges/hold-x/addChannel", map[string]any{"channel": cust})
	ev.expect("ChannelEnteredBridge:hold-x")
	h.mustDo(204, "DELETE", "/bridges/hold-x", nil)
	ev.expect("ChannelLeftBridge:hold-x")
	if h.music(cust) {
		t.Error("the caller still hears the dying bridge's music")
	}
	clk.Advance(29 * time.Second)
	ev.quiet(50 * time.Millisecond)
	clk.Advance(time.Second)
	ev.expect("BridgeDestroyed:hold-x")
}
