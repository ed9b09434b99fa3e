package orchestrator

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A failed PBX command never leaves a state the desktop shows but the PBX
// does not have (change.go): these play a PBX that refuses or is slow.

var refused = Errorf(CodeConflict, "The phone system refused this in the call's current state.")

// A5: a hold the PBX refuses leaves the call showing not held (the
// customer still hears the agent on the PBX), the agent is told why, and
// a later hold works.
func TestRefusedHoldLeavesCallNotHeld_A5(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.media.refuseNext("hold", refused)
	err := h.o.Hold(h.ctx, 1, id)
	if ErrorCode(err) != CodeConflict || ErrorMessage(err) !=
		"The customer could not be put on hold: the phone system refused this in the call's current state." {
		t.Fatalf("refused hold: %v (%s)", err, ErrorCode(err))
	}
	ix := h.agent(1).Interaction
	if ix.Held || !ix.Actions[ActionHold].Allowed || !ix.Actions[ActionEnd].Allowed {
		t.Fatalf("after a refused hold the call shows held=%v hold=%+v end=%+v", ix.Held, ix.Actions[ActionHold], ix.Actions[ActionEnd])
	}
	h.media.refuseNext("hold", nil)
	h.ok(h.o.Hold(h.ctx, 1, id), "hold again")
	if !h.agent(1).Interaction.Held {
		t.Fatal("an accepted hold does not show held")
	}
}

// A5: while the PBX is still holding the customer the call does not show
// held yet, and the call's other commands wait, naming why.
func TestHoldShowsHeldOnlyOncePBXDidIt_A5(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	finish := h.underWay("hold", func() bool { return h.media.count("hold cust-1") == 2 }, func() error { return h.o.Hold(h.ctx, 1, id) })
	ix := h.agent(1).Interaction
	if ix.Held {
		t.Fatal("the call shows held before the PBX held the customer")
	}
	if a := ix.Actions[ActionEnd]; a.Allowed || !strings.Contains(a.Reason, "still putting the customer on hold") {
		t.Fatalf("End while the hold is under way: %+v", a)
	}
	h.want(CodeConflict, h.o.EndInteraction(h.ctx, 1, id), "end during the hold")
	if err := finish(); err != nil {
		t.Fatal(err)
	}
	if !h.agent(1).Interaction.Held {
		t.Fatal("not held once the PBX held the customer")
	}
}

// A5, A7: the customer hangs up while the hold is under way: the call ends
// and wraps up as usual, and the hold's request learns that the call ended.
func TestCustomerHangsUpDuringHold_A5_A7(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	finish := h.underWay("hold", func() bool { return h.media.count("hold cust-1") == 2 }, func() error { return h.o.Hold(h.ctx, 1, id) })
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: "cust-1", Cause: CauseNormal})
	if err := finish(); ErrorCode(err) != CodeConflict {
		t.Fatalf("hold of a call that ended meanwhile: %v", err)
	}
	h.wantState(1, StateWrapup)
}

// A request that stops waiting (the browser went away) still gets its
// outcome to the agent: a refused hold arrives as a notice.
func TestRefusedHoldWithNobodyWaitingIsANotice_A5(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	sub, err := h.o.Subscribe(h.ctx, 1)
	h.ok(err, "subscribe")
	defer sub.Close()
	h.media.refuseNext("hold", refused)
	release := h.media.stall("hold")
	ctx, cancel := context.WithTimeout(h.ctx, 50*time.Millisecond)
	defer cancel()
	if err := h.o.Hold(ctx, 1, id); err != context.DeadlineExceeded {
		t.Fatalf("hold with a request that gave up: %v", err)
	}
	release()
	h.sync()
	got := strings.Join(notices(sub), "|")
	if !strings.Contains(got, "The customer could not be put on hold") {
		t.Fatalf("the agent was not told: %q", got)
	}
	if h.agent(1).Interaction.Held {
		t.Fatal("shows held after a refused hold")
	}
}

// A6.3: a swap the PBX refuses half-way (the customer could not rejoin)
// leaves the consult as it was: agent 1 still with the consulted agent,
// the customer still held, and the PBX put back that way.
func TestRefusedResumeInConsultPutsBackTheConsult_A6_3(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	leg := h.consulting(id)
	h.eventually("consult connected", func() bool { return h.media.has("join consult-" + id + "-2 " + string(leg)) })
	h.media.refuseNext("join", refused)
	err := h.o.Resume(h.ctx, 1, id)
	if ErrorCode(err) != CodeConflict || !strings.Contains(ErrorMessage(err), "could not be taken off hold") {
		t.Fatalf("refused resume: %v", err)
	}
	ix := h.agent(1).Interaction
	if !ix.Held || ix.Consult.Held != "customer" {
		t.Fatalf("after a refused swap: held=%v consult held %q", ix.Held, ix.Consult.Held)
	}
	h.media.refuseNext("join", nil)
	h.eventually("the PBX is put back as the consult shows", func() bool {
		return h.media.count("join consult-"+id+"-2 "+string(leg)) == 2
	})
}

// M4, M3: a mode change the PBX refuses leaves the supervisor's desktop
// showing the mode they are really in (the adapter keeps the old one,
// make-before-break), with the reason; pause works the same way.
func TestRefusedMonitorChangeShowsRealMode_M4_M3(t *testing.T) {
	h := newHarness(t)
	h.connected()
	h.supervisors(1)
	mid := h.monitoring()
	h.media.refuseNext("monitormode", refused)
	err := h.o.ChangeMonitor(h.ctx, 100, mid, "barge")
	if ErrorCode(err) != CodeConflict || !strings.HasPrefix(ErrorMessage(err), "Could not switch to barge monitoring:") {
		t.Fatalf("refused barge: %v", err)
	}
	v := h.agent(100).Monitoring
	if v == nil || v.Mode != MonitorListen || !v.Actions["barge"].Allowed {
		t.Fatalf("after a refused barge the desktop shows %+v", v)
	}
	h.media.refuseNext("pausemonitor", refused)
	if err := h.o.ChangeMonitor(h.ctx, 100, mid, "pause"); ErrorCode(err) != CodeConflict {
		t.Fatalf("refused pause: %v", err)
	}
	if v := h.agent(100).Monitoring; v.Paused {
		t.Fatal("shows paused after a refused pause")
	}
	h.media.refuseNext("monitormode", nil)
	h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "barge"), "barge")
	if v := h.agent(100).Monitoring; v.Mode != MonitorBarge {
		t.Fatalf("after an accepted barge: %+v", v)
	}
}

// A6.6: a consult whose set-up the PBX refuses before the consulted agent
// was dialled (here: holding the customer) is no RONA for them: they are
// back as they were, their phone never rang; agent 1 is told the real
// reason and is still talking with the customer.
func TestConsultSetupRefusedIsNoRONA_A6_6(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.media.refuseNext("hold", refused)
	err := h.o.Consult(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2})
	if ErrorCode(err) != CodeConflict || ErrorMessage(err) !=
		"The consult with Agent 2 could not be started: the phone system refused this in the call's current state." {
		t.Fatalf("refused consult: %v", err)
	}
	h.wantState(2, StateAvailable)
	if h.media.dialCount("PJSIP/2002") != 0 {
		t.Fatal("agent 2 was dialled")
	}
	h.eventually("agent 1 back with the customer", func() bool {
		v := h.agent(1).Interaction
		return v.Consult == nil && !v.Held && v.Actions[ActionConsult].Allowed
	})
}

// A6.6: a consult whose dial the PBX refuses is the consulted station
// failing, as for an offer: that agent goes RONA and agent 1 hears that
// they could not be reached.
func TestConsultDialRefusedIsRONA_A6_6(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.media.mu.Lock()
	h.media.failDial["PJSIP/2002"] = Errorf(CodeUnavailable, "The phone system is not reachable.")
	h.media.mu.Unlock()
	err := h.o.Consult(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2})
	if ErrorCode(err) != CodeUnavailable || ErrorMessage(err) != "The consult with Agent 2 failed: could not be reached." {
		t.Fatalf("consult with a failing dial: %v", err)
	}
	h.wantState(2, StateRONA)
}

// M2: monitoring that the PBX cannot start ends with one sentence naming
// why (the PBX's own message folded in: no "..").
func TestMonitorStartRefusedNotice_M2(t *testing.T) {
	h := newHarness(t)
	h.connected()
	h.supervisors(1)
	sub, err := h.o.Subscribe(h.ctx, 100)
	h.ok(err, "subscribe")
	defer sub.Close()
	h.media.refuseNext("monitor", Errorf(CodeNotFound, "The call is no longer on the phone system."))
	_, err = h.o.StartMonitor(h.ctx, 100, 1, MonitorListen)
	h.ok(err, "start monitor")
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: h.stationLeg("PJSIP/3000")})
	h.eventually("monitoring ended", func() bool { return h.agent(100).Monitoring == nil })
	h.sync()
	want := "Monitoring of Agent 1 ended: monitoring could not start: the call is no longer on the phone system."
	if got := notices(sub); len(got) == 0 || got[len(got)-1] != want {
		t.Fatalf("notices %q, want last %q", got, want)
	}
}

// A5: waiting and held callers hear the queue's music class, or the
// controller's default when the queue names none.
func TestHoldMusicClass_A5(t *testing.T) {
	h := newHarness(t)
	h.store.queues[1].MusicClass = "sales-moh"
	h.call("cust-s", "sales", nil)
	h.call("cust-d", "support", nil)
	h.eventually("both callers held", func() bool {
		h.media.mu.Lock()
		defer h.media.mu.Unlock()
		return h.media.music["cust-s"] != "" && h.media.music["cust-d"] != ""
	})
	h.media.mu.Lock()
	defer h.media.mu.Unlock()
	if got := h.media.music["cust-s"]; got != "sales-moh" {
		t.Errorf("the sales caller's class %q, want the queue's sales-moh", got)
	}
	if got := h.media.music["cust-d"]; got != DefaultMusicClass {
		t.Errorf("the support caller's class %q, want the default %q", got, DefaultMusicClass)
	}
}
