package pbxsim

import (
	"testing"
	"time"
)

// bridgedPair answers a customer and an agent leg and puts both in the
// mixing bridge "room".
func (h *harness) bridgedPair(ev *events) string {
	h.t.Helper()
	cust := h.answeredCustomer(ev)
	h.answeredLeg(ev, "agent")
	h.mustDo(200, "POST", "/bridges/room", map[string]any{"type": "mixing"})
	h.mustDo(204, "POST", "/bridges/room/addChannel", map[string]any{"channel": cust + ",agent"})
	ev.expect("ChannelEnteredBridge:room", "ChannelEnteredBridge:room")
	return cust
}

func (h *harness) legState(id string) string {
	h.t.Helper()
	l, ok := h.sim.Leg(id)
	if !ok {
		h.t.Fatalf("no leg %s", id)
	}
	return l.State
}

func (h *harness) music(id string) bool {
	h.t.Helper()
	m, err := h.sim.HearsMusic(id)
	if err != nil {
		h.t.Fatal(err)
	}
	return m
}

// PBX-NOTES, Hold: the real hold is a move into a holding bridge
// (role=participant) with bridge MOH; the holding bridge alone plays
// nothing (idle mode none) and passes no audio; addChannel moves the leg
// back. The music announcer stays in the emptied holding bridge (measured
// on 23.4.1; this test used to expect it to leave like a lonely channel).
func TestHoldingBridgeHold(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	cust := h.bridgedPair(ev)

	hold := h.mustDo(200, "POST", "/bridges", map[string]any{"bridgeId": "hold-c", "type": "holding"}).(map[string]any)
	if hold["bridge_type"] != "holding" || hold["technology"] != "holding_bridge" {
		t.Errorf("holding bridge JSON %v", hold)
	}
	h.mustDo(204, "POST", "/bridges/hold-c/addChannel", map[string]any{"channel": cust, "role": "participant"})
	ev.expect("ChannelLeftBridge:room", "ChannelEnteredBridge:hold-c")
	if h.music(cust) || h.legState(cust) != LegUp {
		t.Error("a holding bridge without MOH plays music (want idle mode none)")
	}
	if hearsOrFail(t, h.sim, "agent", cust) || hearsOrFail(t, h.sim, cust, "agent") {
		t.Error("legs in different bridges hear each other")
	}

	h.mustDo(204, "POST", "/bridges/hold-c/moh", map[string]any{"mohClass": "default"})
	ev.quiet(50 * time.Millisecond) // MOH emits no event (PBX-NOTES)
	if !h.music(cust) || h.legState(cust) != LegHeld {
		t.Errorf("held customer: music %v, state %s; want music, held", h.music(cust), h.legState(cust))
	}
	if h.music("agent") {
		t.Error("the agent hears the hold music")
	}

	// A second participant: participants never hear each other.
	h.answeredLeg(ev, "other")
	h.mustDo(204, "POST", "/bridges/hold-c/addChannel", map[string]any{"channel": "other"}) // role defaults to participant
	ev.expect("ChannelEnteredBridge:hold-c")
	if hearsOrFail(t, h.sim, "other", cust) || hearsOrFail(t, h.sim, cust, "other") {
		t.Error("holding-bridge participants hear each other")
	}
	if !h.music("other") {
		t.Error("a second participant does not hear the bridge music")
	}
	h.mustDo(204, "POST", "/bridges/hold-c/removeChannel", map[string]any{"channel": "other"})
	ev.expect("ChannelLeftBridge:hold-c")

	// Back into the room: off hold. The holding bridge is now empty but its
	// music announcer is still in it (PBX-NOTES: it outlived even the
	// bridge's DELETE), so stopping the music works once.
	h.mustDo(204, "POST", "/bridges/room/addChannel", map[string]any{"channel": cust})
	ev.expect("ChannelLeftBridge:hold-c", "ChannelEnteredBridge:room")
	if h.music(cust) || h.legState(cust) != LegUp || !hearsOrFail(t, h.sim, cust, "agent") || !hearsOrFail(t, h.sim, "agent", cust) {
		t.Error("customer not back in the conversation")
	}
	h.mustDo(204, "DELETE", "/bridges/hold-c/moh", nil)
	status, body := h.do("DELETE", "/bridges/hold-c/moh", nil)
	if status != 409 || body.(map[string]any)["message"] != "Bridge isn't playing music" {
		t.Errorf("stopped music of an emptied holding bridge: %d %v, want 409", status, body)
	}
	if list := h.mustDo(200, "GET", "/bridges", nil).([]any); len(list) != 2 {
		t.Errorf("bridges: %v (empty bridges stay until deleted)", list)
	}
}

// Music started on an empty holding bridge waits there (the announcer is
// alone but nobody left), so a leg moved in afterwards hears it at once.
func TestHoldingBridgeMusicBeforeParticipant(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	cust := h.bridgedPair(ev)
	h.mustDo(200, "POST", "/bridges/hold-c", map[string]any{"type": "holding"})
	h.mustDo(204, "POST", "/bridges/hold-c/moh", nil)
	h.mustDo(204, "POST", "/bridges/hold-c/addChannel", map[string]any{"channel": cust, "role": "participant"})
	ev.expect("ChannelLeftBridge:room", "ChannelEnteredBridge:hold-c")
	if !h.music(cust) || h.legState(cust) != LegHeld {
		t.Error("music started before the participant entered is not heard")
	}
	h.mustDo(204, "DELETE", "/bridges/hold-c/moh", nil)
	if h.music(cust) || h.legState(cust) != LegUp {
		t.Error("music still heard after DELETE /moh")
	}
}

// A member added with role=announcer is heard by the participants of a
// holding bridge (bridge_holding.c); participants are not heard by it.
func TestHoldingBridgeAnnouncer(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	h.answeredLeg(ev, "a")
	h.answeredLeg(ev, "p")
	h.mustDo(200, "POST", "/bridges/hold", map[string]any{"type": "holding"})
	h.mustDo(204, "POST", "/bridges/hold/addChannel", map[string]any{"channel": "a", "role": "announcer"})
	h.mustDo(204, "POST", "/bridges/hold/addChannel", map[string]any{"channel": "p", "role": "participant"})
	ev.expect("ChannelEnteredBridge:hold", "ChannelEnteredBridge:hold")
	if !hearsOrFail(t, h.sim, "a", "p") || hearsOrFail(t, h.sim, "p", "a") {
		t.Error("announcer → participant only")
	}
}

// A9: three legs in one mixing bridge all hear each other; a leg in
// another bridge hears none of them. Bridge music in a mixing bridge is
// mixed in: the members still hear each other.
func TestConferenceAndMixingBridgeMusic(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	cust := h.bridgedPair(ev)
	h.answeredLeg(ev, "agent2")
	h.answeredLeg(ev, "outsider")
	h.mustDo(204, "POST", "/bridges/room/addChannel", map[string]any{"channel": "agent2"})
	ev.expect("ChannelEnteredBridge:room")
	h.mustDo(200, "POST", "/bridges/other", nil)
	h.mustDo(204, "POST", "/bridges/other/addChannel", map[string]any{"channel": "outsider"})
	ev.expect("ChannelEnteredBridge:other")

	three := []string{cust, "agent", "agent2"}
	for _, a := range three {
		for _, b := range three {
			if a != b && !hearsOrFail(t, h.sim, a, b) {
				t.Errorf("%s does not hear %s in the conference", b, a)
			}
		}
		if hearsOrFail(t, h.sim, a, "outsider") || hearsOrFail(t, h.sim, "outsider", a) {
			t.Errorf("audio between %s and a leg in another bridge", a)
		}
	}
	if tech := h.mustDo(200, "GET", "/bridges/room", nil).(map[string]any)["technology"]; tech != "softmix" {
		t.Errorf("3-party technology %v, want softmix", tech)
	}

	h.mustDo(204, "POST", "/bridges/room/moh", nil)
	if !h.music(cust) || !hearsOrFail(t, h.sim, "agent", cust) || h.legState(cust) != LegUp {
		t.Error("mixing-bridge music should be heard along with the others, and is no hold")
	}
}

// POST/DELETE /channels/{id}/mute: "in" → nobody hears the channel, "out"
// → it hears nothing (music included), "both" → both. No events.
func TestChannelMute(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	cust := h.bridgedPair(ev)

	h.mustDo(204, "POST", "/channels/"+cust+"/mute", map[string]any{"direction": "in"})
	if hearsOrFail(t, h.sim, cust, "agent") || !hearsOrFail(t, h.sim, "agent", cust) {
		t.Error("mute in: want the agent deaf to the customer, the customer still hearing")
	}
	h.mustDo(204, "DELETE", "/channels/"+cust+"/mute?direction=in", nil)
	h.mustDo(204, "POST", "/channels/"+cust+"/mute?direction=out", nil)
	if !hearsOrFail(t, h.sim, cust, "agent") || hearsOrFail(t, h.sim, "agent", cust) {
		t.Error("mute out: want the customer deaf, still heard")
	}
	h.mustDo(204, "POST", "/channels/"+cust+"/moh", nil)
	if h.music(cust) {
		t.Error("a channel muted out hears music")
	}
	h.mustDo(204, "DELETE", "/channels/"+cust+"/moh", nil)
	h.mustDo(204, "DELETE", "/channels/"+cust+"/mute", map[string]any{"direction": "both"})
	if !hearsOrFail(t, h.sim, cust, "agent") || !hearsOrFail(t, h.sim, "agent", cust) {
		t.Error("unmute both did not restore the conversation")
	}

	// PBX-NOTES: "MOH plus mute direction=in" is the other real hold.
	h.mustDo(204, "POST", "/channels/"+cust+"/moh", nil)
	h.mustDo(204, "POST", "/channels/"+cust+"/mute", map[string]any{"direction": "in"})
	if hearsOrFail(t, h.sim, cust, "agent") || hearsOrFail(t, h.sim, "agent", cust) || !h.music(cust) || h.legState(cust) != LegHeld {
		t.Error("MOH + mute in is not a hold")
	}
	ev.quiet(50 * time.Millisecond)
}
