package pbxsim

import (
	"testing"
	"time"
)

// PBX-NOTES, Monitoring: an addChannel sent right after POST …/snoop got
// 422 on 23.4.1 and the snoop was hung up; clients must wait for the
// snoop's StasisStart. The sim makes the race certain.
func TestSnoopBridgedBeforeStasisStartIsRefusedAndHungUp(t *testing.T) {
	// A long delay, so the addChannel surely comes first even on a slow
	// machine.
	h := newHarness(t, Options{SnoopStartDelay: 500 * time.Millisecond})
	ev := h.connect("ringside")
	h.answeredLeg(ev, "agent")
	h.mustDo(200, "POST", "/bridges/mon", nil)

	h.mustDo(200, "POST", "/channels/agent/snoop/s1", map[string]any{"spy": "both", "app": "ringside"})
	h.mustDo(200, "GET", "/channels/s1", nil) // the channel exists...
	// ...but the application has no control on it yet (find_control: 409).
	h.mustDo(409, "POST", "/channels/s1/mute?direction=in", nil)
	status, body := h.do("POST", "/bridges/mon/addChannel", map[string]any{"channel": "s1"})
	if msg := body.(map[string]any)["message"]; status != 422 || msg != "Channel not in Stasis application" {
		t.Fatalf("addChannel of a starting snoop: %d %v, want 422", status, msg)
	}
	// Hung up, and never in the application: no event at all, not even
	// the StasisStart it would have had.
	ev.quiet(700 * time.Millisecond)
	h.mustDo(404, "GET", "/channels/s1", nil)
	if got := h.sim.Snoops(); len(got) != 0 {
		t.Errorf("snoops left: %v", got)
	}
	if l, ok := h.sim.Leg("s1"); !ok || l.State != LegDown {
		t.Errorf("snoop leg %+v", l)
	}
	if b := h.mustDo(200, "GET", "/bridges/mon", nil).(map[string]any); len(b["channels"].([]any)) != 0 {
		t.Errorf("monitor bridge %v", b)
	}

	// Waiting for StasisStart works.
	h.mustDo(200, "POST", "/channels/agent/snoop/s2", map[string]any{"spy": "both", "app": "ringside"})
	ev.expect("StasisStart")
	h.mustDo(204, "POST", "/bridges/mon/addChannel", map[string]any{"channel": "s2"})
	ev.expect("ChannelEnteredBridge:mon")
	h.mustDo(204, "POST", "/channels/s2/mute?direction=in", nil)
}

// The default delay is 20 ms of wall time, even with a ManualClock that
// nobody advances.
func TestSnoopStartDelayIsWallTime(t *testing.T) {
	h := newHarness(t, Options{Clock: NewManualClock(time.Time{})})
	ev := h.connect("ringside")
	h.answeredLeg(ev, "agent")
	start := time.Now()
	h.mustDo(200, "POST", "/channels/agent/snoop/s1", map[string]any{"spy": "both", "app": "ringside"})
	ev.expect("StasisStart")
	if d := time.Since(start); d < defaultSnoopStartDelay {
		t.Errorf("StasisStart after %v, want at least %v", d, defaultSnoopStartDelay)
	}

	// A negative delay enters at once: addChannel right after the reply.
	h2 := newHarness(t, Options{SnoopStartDelay: -1})
	ev2 := h2.connect("ringside")
	h2.answeredLeg(ev2, "agent")
	h2.mustDo(200, "POST", "/bridges/mon", nil)
	h2.mustDo(200, "POST", "/channels/agent/snoop/s1", map[string]any{"spy": "both", "app": "ringside"})
	h2.mustDo(204, "POST", "/bridges/mon/addChannel", map[string]any{"channel": "s1"})
	ev2.expect("StasisStart", "ChannelEnteredBridge:mon")
}

// A snoop that ends before entering the application (hung up, or its
// spied channel gone) ends silently and never enters.
func TestStartingSnoopEndsSilently(t *testing.T) {
	h := newHarness(t, Options{SnoopStartDelay: 300 * time.Millisecond})
	ev := h.connect("ringside")
	h.answeredLeg(ev, "agent")
	h.mustDo(200, "POST", "/channels/agent/snoop/s1", map[string]any{"spy": "both", "app": "ringside"})
	h.mustDo(204, "DELETE", "/channels/s1", nil)
	h.mustDo(200, "POST", "/channels/agent/snoop/s2", map[string]any{"spy": "both", "app": "ringside"})
	h.mustDo(204, "DELETE", "/channels/agent", nil)
	ev.expect("ChannelHangupRequest:32", "StasisEnd", "ChannelDestroyed:16") // the agent only
	ev.quiet(500 * time.Millisecond)
	if got := h.sim.Snoops(); len(got) != 0 {
		t.Errorf("snoops left: %v", got)
	}
}
