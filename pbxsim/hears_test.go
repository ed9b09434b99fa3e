package pbxsim

import (
	"errors"
	"testing"
)

func TestHearsGraph(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	cust := h.answeredCustomer(ev)
	h.answeredLeg(ev, "agent")
	h.answeredLeg(ev, "other")
	s := h.sim

	// Not bridged yet: nobody hears anybody.
	if hearsOrFail(t, s, cust, "agent") || hearsOrFail(t, s, "agent", cust) {
		t.Error("unbridged legs hear each other")
	}

	// A mixing bridge: every member hears every other member.
	h.mustDo(200, "POST", "/bridges/room", map[string]any{"type": "mixing"})
	h.mustDo(204, "POST", "/bridges/room/addChannel", map[string]any{"channel": cust + ",agent"})
	ev.expect("ChannelEnteredBridge:room", "ChannelEnteredBridge:room")
	if !hearsOrFail(t, s, cust, "agent") || !hearsOrFail(t, s, "agent", cust) {
		t.Error("bridge members do not hear each other")
	}
	if hearsOrFail(t, s, "other", cust) || hearsOrFail(t, s, cust, "other") || hearsOrFail(t, s, cust, cust) {
		t.Error("audio leaks outside the bridge, or a leg hears itself")
	}

	// MOH on a bridged leg: it hears music only, but is still heard
	// (PBX-NOTES: the agent still hears the customer).
	h.mustDo(204, "POST", "/channels/"+cust+"/moh", nil)
	if hearsOrFail(t, s, "agent", cust) || !hearsOrFail(t, s, cust, "agent") {
		t.Error("bridged MOH: want customer deaf to the agent, agent still hearing the customer")
	}

	// Out of the bridge with music: hears music only, heard by nobody.
	h.mustDo(204, "POST", "/bridges/room/removeChannel", map[string]any{"channel": cust})
	ev.expect("ChannelLeftBridge:room")
	if hearsOrFail(t, s, cust, "agent") || hearsOrFail(t, s, "agent", cust) {
		t.Error("a held leg outside any bridge hears or is heard")
	}
	if m, _ := s.HearsMusic(cust); !m {
		t.Error("held leg hears no music")
	}
	if m, _ := s.HearsMusic("agent"); m {
		t.Error("agent hears music")
	}

	// A holding bridge passes no audio between its members.
	h.mustDo(200, "POST", "/bridges/hold", map[string]any{"type": "holding"})
	h.mustDo(204, "DELETE", "/channels/"+cust+"/moh", nil)
	h.mustDo(204, "POST", "/bridges/hold/addChannel", map[string]any{"channel": cust + ",other"})
	ev.expect("ChannelEnteredBridge:hold", "ChannelEnteredBridge:hold")
	if hearsOrFail(t, s, "other", cust) {
		t.Error("holding bridge members hear each other")
	}
	if m, _ := s.HearsMusic(cust); m {
		t.Error("a holding bridge plays nothing by itself (PBX-NOTES)")
	}
	h.mustDo(204, "POST", "/bridges/hold/moh", map[string]any{"mohClass": "default"})
	if m, _ := s.HearsMusic(cust); !m {
		t.Error("bridge MOH not heard")
	}

	// A hung-up leg hears nothing and is heard by nobody.
	h.mustDo(204, "POST", "/bridges/room/addChannel", map[string]any{"channel": "other"})
	ev.expect("ChannelLeftBridge:hold", "ChannelEnteredBridge:room")
	if !hearsOrFail(t, s, "other", "agent") {
		t.Fatal("other should hear agent in room")
	}
	if err := s.Hangup("other"); err != nil {
		t.Fatal(err)
	}
	if hearsOrFail(t, s, "other", "agent") || hearsOrFail(t, s, "agent", "other") {
		t.Error("a hung-up leg still hears or is heard")
	}

	if _, err := s.Hears("ghost", "agent"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Hears(unknown): %v", err)
	}
}

// An unanswered customer is not connected to anyone even when bridged.
func TestUnansweredLegHearsNothing(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	cust, err := h.sim.PlaceCall("support", "555", nil)
	if err != nil {
		t.Fatal(err)
	}
	ev.expect("StasisStart")
	h.answeredLeg(ev, "agent")
	h.mustDo(200, "POST", "/bridges/room", nil)
	h.mustDo(204, "POST", "/bridges/room/addChannel", map[string]any{"channel": cust + ",agent"})
	ev.expect("ChannelEnteredBridge:room", "ChannelEnteredBridge:room")
	if hearsOrFail(t, h.sim, cust, "agent") || hearsOrFail(t, h.sim, "agent", cust) {
		t.Error("an unanswered customer has an audio path")
	}
	l, _ := h.sim.Leg(cust)
	if l.Room != "room" || l.State != LegRinging {
		t.Errorf("leg = %+v", l)
	}
}
