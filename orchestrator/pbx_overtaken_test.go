package orchestrator

import (
	"strings"
	"testing"
	"time"
)

// Changes the PBX is still making when something else happens, and
// failures half-way: the call shows what the PBX has (change.go). Found
// in review; each failed before the fix.

// monitorCalls lists the PBX commands sent for one monitor, in order.
func (m *fakeMedia) monitorCalls(id MonitorID) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for _, c := range m.calls {
		if strings.Contains(c, string(id)) {
			out = append(out, c)
		}
	}
	return out
}

// A6.6, A6.3: the consult's dial fails after the set-up held the customer
// and moved agent 1: the call shows the customer held (as the PBX has
// them) until agent 1 resumes, and the recording starts a new file once
// they talk again (the room had emptied, ending the file on the PBX).
func TestConsultDialFailsAfterSetUp_A6_6_A10_1(t *testing.T) {
	h := newHarness(t)
	h.store.queues[0].Recording = true
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.media.mu.Lock()
	h.media.failDial["PJSIP/2002"] = Errorf(CodeUnavailable, "The phone system is not reachable.")
	h.media.mu.Unlock()
	if err := h.o.Consult(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}); err == nil {
		t.Fatal("a consult whose dial failed succeeded")
	}
	v := h.agent(1).Interaction
	if !v.Held || v.Consult != nil || !v.Actions[ActionResume].Allowed {
		t.Fatalf("after the failed dial: held=%v consult=%v resume=%+v", v.Held, v.Consult, v.Actions[ActionResume])
	}
	h.ok(h.o.Resume(h.ctx, 1, id), "resume")
	h.eventually("a new recording file once they talk again", func() bool { return h.media.has("record room-" + id + " " + id + "-2") })
}

// A10.3: the privacy shield runs out while the agent consults (the room
// is empty, so the PBX has ended the paused file): the recording is not
// left paused for the rest of the call; the next file records.
func TestShieldDuringConsult_A10_3(t *testing.T) {
	h := newHarness(t)
	h.store.queues[0].Recording = true
	h.store.queues[0].PrivacyShield = 30 * time.Second
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.ok(h.o.PauseRecording(h.ctx, 1, id), "pause")
	h.media.refuseNext("resumerec", Errorf(CodeNotFound, "The recording is no longer running on the phone system."))
	h.consulting(id)
	h.sync()
	h.clock.Advance(31 * time.Second)
	h.sync()
	h.ok(h.o.EndConsult(h.ctx, 1, id), "end consult")
	h.sync()
	if r := h.agent(1).Interaction.Recording; r == nil || r.State == "paused" {
		t.Fatalf("recording after the shield ran out during the consult: %+v", r)
	}
	if h.media.has("pauserec " + id + "-2") {
		t.Fatal("the next file started paused")
	}
}

// A10.3: a manual resume the PBX refuses leaves the recording paused with
// its privacy shield still running, which then resumes it.
func TestRefusedResumeKeepsShield_A10_3(t *testing.T) {
	h := newHarness(t)
	h.store.queues[0].Recording = true
	h.store.queues[0].PrivacyShield = 30 * time.Second
	id, _ := h.connected()
	h.ok(h.o.PauseRecording(h.ctx, 1, id), "pause")
	h.media.refuseNext("resumerec", refused)
	h.want(CodeConflict, h.o.ResumeRecording(h.ctx, 1, id), "refused resume")
	h.media.refuseNext("resumerec", nil)
	h.clock.Advance(31 * time.Second)
	h.eventually("the shield resumes", func() bool {
		r := h.agent(1).Interaction.Recording
		return r != nil && r.State != "paused"
	})
}

// M5.3, M5.1: a switch to barge still under way when the agent starts a
// consult is held for the consult like a barge: the supervisor is paused
// and listening while the agent consults.
func TestBargeUnderWayThenConsult_M5_3(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.supervisors(1)
	mid := h.monitoring()
	finish := h.underWay("monitormode", func() bool { return h.media.has("monitormode " + string(mid) + " barge") }, func() error { return h.o.ChangeMonitor(h.ctx, 100, mid, "barge") })
	h.ok(h.o.Consult(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}), "consult")
	h.ok(finish(), "barge")
	h.sync()
	if v := h.agent(100).Monitoring; !v.Held {
		t.Fatalf("the supervisor barges during the consult: %+v", v)
	}
	calls := h.media.monitorCalls(mid)
	if n := len(calls); n < 2 || calls[n-2] != "pausemonitor "+string(mid) || calls[n-1] != "monitormode "+string(mid)+" listen" {
		t.Fatalf("the PBX was not left paused and listening: %q", calls)
	}
}

// M5.3: a resume still under way when the agent consults does not leave
// the supervisor hearing the consult: they are paused on the PBX after it.
func TestResumeUnderWayThenConsult_M5_3(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.supervisors(1)
	mid := h.monitoring()
	h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "barge"), "barge")
	h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "pause"), "pause")
	finish := h.underWay("resumemonitor", func() bool { return h.media.has("resumemonitor " + string(mid)) }, func() error { return h.o.ChangeMonitor(h.ctx, 100, mid, "resume") })
	h.ok(h.o.Consult(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}), "consult")
	h.ok(finish(), "resume")
	h.sync()
	calls := h.media.monitorCalls(mid)
	last := strings.Join(calls[len(calls)-3:], "|")
	if last != "resumemonitor "+string(mid)+"|pausemonitor "+string(mid)+"|monitormode "+string(mid)+" listen" {
		t.Fatalf("the supervisor may hear the consult: %q", calls)
	}
	if !h.agent(100).Monitoring.Held {
		t.Fatal("not shown held for the consult")
	}
}

// M5.4: a consult transfer overtaken by the consulted party hanging up:
// the monitor, moved ahead onto their leg, goes back to agent 1.
func TestOvertakenTransferMovesMonitorBack_M5_4(t *testing.T) {
	h := newHarness(t)
	id, agentLeg := h.connected()
	h.signIn(2, "2002")
	h.supervisors(1)
	mid := h.monitoring()
	leg := h.consulting(id)
	h.sync()
	finish := h.underWay("join", func() bool { return h.media.has("movemonitor " + string(mid) + " " + string(leg)) }, func() error { return h.o.Transfer(h.ctx, 1, id, Target{}, TransferConsult) })
	h.media.refuseNext("join", refused)
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: leg, Cause: CauseNormal})
	if err := finish(); err == nil {
		t.Fatal("the transfer succeeded")
	}
	h.media.refuseNext("join", nil)
	h.eventually("the monitor is back on agent 1", func() bool {
		calls := h.media.monitorCalls(mid)
		return calls[len(calls)-1] == "movemonitor "+string(mid)+" "+string(agentLeg)
	})
}

// A6.1: a consult to a queue is offered only once the PBX has set it up,
// and never when the set-up fails.
func TestQueueConsultOfferedAfterSetUp_A6_1(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.standBy(2, "2002")
	h.media.refuseNext("hold", refused)
	finish := h.underWay("hold", func() bool { return h.media.count("hold cust-1") == 2 }, func() error { return h.o.Consult(h.ctx, 1, id, Target{Type: TargetQueue, ID: 1}) })
	h.ready(2)
	h.sync()
	if st := h.agent(2).State; st == StateRinging {
		t.Fatal("offered before the PBX set the consult up")
	}
	if err := finish(); err == nil {
		t.Fatal("a refused set-up succeeded")
	}
	h.sync()
	if n := h.media.dialCount("PJSIP/2002"); n != 0 {
		t.Fatalf("agent 2 dialled %d times for a consult that never started", n)
	}
}

// A6.3: a swap under way when the consulted party hangs up, which then
// fails: agent 1 ends up with the customer, shown not held only once the
// PBX has brought the customer back.
func TestSwapOvertakenByHangup_A6_3(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	leg := h.consulting(id)
	h.ok(h.o.Resume(h.ctx, 1, id), "resume the customer")
	finish := h.underWay("join", func() bool { return h.media.count("hold cust-1") == 3 }, func() error { return h.o.ResumeConsulted(h.ctx, 1, id) })
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: leg, Cause: CauseNormal})
	h.media.refuseNext("join", Errorf(CodeNotFound, "The call is no longer on the phone system."))
	_ = finish()
	h.sync()
	if v := h.agent(1).Interaction; !v.Held {
		t.Fatal("shows the customer back while the PBX could not bring them back")
	}
	h.media.refuseNext("join", nil)
	h.ok(h.o.Resume(h.ctx, 1, id), "resume")
	if h.agent(1).Interaction.Held {
		t.Fatal("still held after a resume the PBX did")
	}
}
