package pbxsim

import (
	"testing"
	"time"
)

// callWithSupervisor sets up a customer talking to "agent" in bridge
// "room" and an answered "sup" leg in a mixing bridge "mon".
func callWithSupervisor(t *testing.T) (*harness, *events, string) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	cust := h.answeredCustomer(ev)
	h.answeredLeg(ev, "agent")
	h.answeredLeg(ev, "sup")
	h.mustDo(200, "POST", "/bridges/room", map[string]any{"type": "mixing"})
	h.mustDo(204, "POST", "/bridges/room/addChannel", map[string]any{"channel": cust + ",agent"})
	ev.expect("ChannelEnteredBridge:room", "ChannelEnteredBridge:room")
	h.mustDo(200, "POST", "/bridges/mon", map[string]any{"type": "mixing"})
	h.mustDo(204, "POST", "/bridges/mon/addChannel", map[string]any{"channel": "sup"})
	ev.expect("ChannelEnteredBridge:mon")
	return h, ev, cust
}

// snoopInto creates snoop id on agent with the whisper direction and adds
// it to the monitor bridge.
func snoopInto(h *harness, ev *events, id, whisper string) {
	h.t.Helper()
	h.mustDo(200, "POST", "/channels/agent/snoop/"+id, map[string]any{
		"spy": "both", "whisper": whisper, "app": "ringside", "appArgs": "snoop"})
	got := ev.expect("StasisStart")
	if args, _ := got[0]["args"].([]any); len(args) != 1 || args[0] != "snoop" {
		h.t.Errorf("snoop StasisStart args %v", got[0]["args"])
	}
	h.mustDo(204, "POST", "/bridges/mon/addChannel", map[string]any{"channel": id})
	ev.expect("ChannelEnteredBridge:mon")
}

// hearing checks the full who-hears-whom among customer, agent, supervisor.
func hearing(t *testing.T, s *Sim, cust string, want map[[2]string]bool) {
	t.Helper()
	for _, from := range []string{cust, "agent", "sup"} {
		for _, to := range []string{cust, "agent", "sup"} {
			if from == to {
				continue
			}
			if got := hearsOrFail(t, s, from, to); got != want[[2]string{from, to}] {
				t.Errorf("Hears(%s → %s) = %v, want %v", from, to, got, !got)
			}
		}
	}
}

func TestSnoopRefusals(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	h.answeredLeg(ev, "agent")
	h.mustDo(400, "POST", "/channels/agent/snoop", map[string]any{"spy": "both"})
	h.mustDo(400, "POST", "/channels/agent/snoop", map[string]any{"app": "ringside"})
	h.mustDo(400, "POST", "/channels/agent/snoop", map[string]any{"app": "ringside", "spy": "none", "whisper": "none"})
	h.mustDo(400, "POST", "/channels/agent/snoop", map[string]any{"app": "ringside", "spy": "sideways"})
	h.mustDo(404, "POST", "/channels/nobody/snoop/s1", map[string]any{"app": "ringside", "spy": "both"})
	h.mustDo(200, "POST", "/channels/agent/snoop/s1?spy=in&app=ringside", nil)
	ev.expect("StasisStart")
	h.mustDo(409, "POST", "/channels/agent/snoop/s1", map[string]any{"app": "ringside", "spy": "both"})
	ev.quiet(50 * time.Millisecond)
}

// Hanging up a snoop: ChannelHangupRequest, ChannelLeftBridge, StasisEnd
// and no ChannelDestroyed (PBX-NOTES). Hanging up the spied channel takes
// its snoops with it.
func TestSnoopEventsAndEnd(t *testing.T) {
	h, ev, _ := callWithSupervisor(t)
	snoopInto(h, ev, "s1", "none")
	h.mustDo(204, "DELETE", "/channels/s1", nil)
	ev.expect("ChannelHangupRequest:32", "ChannelLeftBridge:mon", "StasisEnd")
	ev.quiet(50 * time.Millisecond)
	h.mustDo(404, "GET", "/channels/s1", nil)
	if l, _ := h.sim.Leg("s1"); l.State != LegDown || l.Inbound {
		t.Errorf("snoop leg %+v", l)
	}

	snoopInto(h, ev, "s2", "none")
	h.mustDo(204, "DELETE", "/channels/agent", nil)
	ev.expect("ChannelHangupRequest:32", "ChannelLeftBridge:room", "StasisEnd", "ChannelDestroyed:16",
		"ChannelHangupRequest:16", "ChannelLeftBridge:mon", "StasisEnd")
	ev.quiet(50 * time.Millisecond)
	if got := h.sim.Snoops(); len(got) != 0 {
		t.Errorf("snoops left: %v", got)
	}
}

func TestSnoopAudio(t *testing.T) {
	h, ev, cust := callWithSupervisor(t)
	s := h.sim
	call := map[[2]string]bool{{cust, "agent"}: true, {"agent", cust}: true}
	with := func(extra ...[2]string) map[[2]string]bool {
		m := map[[2]string]bool{}
		for k, v := range call {
			m[k] = v
		}
		for _, e := range extra {
			m[e] = true
		}
		return m
	}
	hearing(t, s, cust, call)

	// Listen: the supervisor hears both sides, nobody hears the supervisor.
	snoopInto(h, ev, "listen", "none")
	listen := with([2]string{cust, "sup"}, [2]string{"agent", "sup"})
	hearing(t, s, cust, listen)

	// Pause: mute direction=in on the snoop silences the supervisor's ear.
	h.mustDo(204, "POST", "/channels/listen/mute?direction=in", nil)
	hearing(t, s, cust, call)
	h.mustDo(204, "DELETE", "/channels/listen/mute?direction=in", nil)
	hearing(t, s, cust, listen)
	h.mustDo(204, "DELETE", "/channels/listen", nil)
	ev.expect("ChannelHangupRequest:32", "ChannelLeftBridge:mon", "StasisEnd")
	hearing(t, s, cust, call)

	for _, c := range []struct {
		whisper string
		heard   [][2]string
	}{
		{"out", [][2]string{{"sup", "agent"}}},                 // coach: the agent alone
		{"in", [][2]string{{"sup", cust}}},                     // the customer alone
		{"both", [][2]string{{"sup", "agent"}, {"sup", cust}}}, // barge
	} {
		snoopInto(h, ev, "w-"+c.whisper, c.whisper)
		hearing(t, s, cust, with(append(c.heard, [2]string{cust, "sup"}, [2]string{"agent", "sup"})...))
		// No echo: the snoop says nothing of the supervisor back into
		// the monitor bridge.
		s.mu.Lock()
		sn := s.channels["w-"+c.whisper]
		echo := spies(sn, s.channels["sup"], []*channel{sn})
		s.mu.Unlock()
		if echo {
			t.Errorf("whisper=%s: the snoop relays the supervisor back to its bridge", c.whisper)
		}
		h.mustDo(204, "DELETE", "/channels/w-"+c.whisper, nil)
		ev.expect("ChannelHangupRequest:32", "ChannelLeftBridge:mon", "StasisEnd")
	}
	hearing(t, s, cust, call)
}
