package orchestrator

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

// P4: while the PBX link is down its events are lost. These tests play the
// PBX's side on the fake without emitting events (vanish, answerQuietly),
// as if the events had been lost, and check that the resync after the link
// comes back brings the calls where the events would have.

// vanish ends a leg on the fake PBX without any event reaching the
// orchestrator.
func (m *fakeMedia) vanish(leg LegID) {
	m.mu.Lock()
	delete(m.live, leg)
	m.mu.Unlock()
}

// answerQuietly answers a leg on the fake PBX without an event.
func (m *fakeMedia) answerQuietly(leg LegID) {
	m.mu.Lock()
	m.live[leg] = true
	m.mu.Unlock()
}

func (m *fakeMedia) legsListed() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.legsCalls
}

// outage drops the link, lets during change the PBX unseen, brings the link
// back and waits until the resync has asked for the legs and applied them.
func (h *harness) outage(during func()) {
	h.t.Helper()
	h.emit(MediaEvent{Kind: MediaLinkDown})
	before := h.media.legsListed()
	during()
	h.emit(MediaEvent{Kind: MediaLinkUp})
	h.eventually("the legs were listed", func() bool { return h.media.legsListed() > before })
	h.sync()
}

// P4: the caller hangs up while the link is down. After the link is back
// the call ends as if the hang-up had been seen: agent 1 wraps up, the
// agent's leg is hung up and the room closed.
func TestResyncCustomerHungUpDuringOutage_P4(t *testing.T) {
	h := newHarness(t)
	id, leg := h.connected()
	h.outage(func() { h.media.vanish("cust-1") })

	h.wantState(1, StateWrapup)
	if ix := h.agent(1).Interaction; ix == nil || ix.ID != id || ix.State != InteractionWrapup {
		t.Fatalf("after resync: %+v", ix)
	}
	h.eventually("agent leg hung up, room closed", func() bool {
		return h.media.has("hangup "+string(leg)) && h.media.has("closeroom room-"+id)
	})
	h.store.mu.Lock()
	rec := h.store.interactions[id]
	h.store.mu.Unlock()
	if rec.State != InteractionWrapup || rec.EndedAt.IsZero() {
		t.Fatalf("stored interaction: %+v", rec)
	}
}

// P4, A4: the ringing station is answered while the link is down. The
// resync treats it as the answer: the call is bridged and the agent is on it.
func TestResyncRingingStationAnsweredDuringOutage_P4(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	h.call("cust-1", "support", nil)
	leg := h.stationLeg("PJSIP/2001")
	h.emit(MediaEvent{Kind: MediaRinging, Leg: leg})
	h.outage(func() { h.media.answerQuietly(leg) })

	h.wantState(1, StateEngaged)
	ix := h.agent(1).Interaction
	if ix == nil || ix.State != InteractionConnected {
		t.Fatalf("after resync: %+v", ix)
	}
	room := RoomID("room-" + ix.ID)
	h.eventually("customer and agent in one room", func() bool {
		h.media.mu.Lock()
		defer h.media.mu.Unlock()
		return len(h.media.rooms[room]) == 2
	})
	// The RONA timer was stopped by the answer.
	h.clock.Advance(20 * time.Second)
	h.sync()
	h.wantState(1, StateEngaged)
}

// P4, A3: the ringing station gave up (rejected, unplugged) while the link
// was down: RONA exactly as a no-answer, and the call goes back to its
// queue at its place, ahead of a call that arrived later.
func TestResyncRingingStationGoneDuringOutage_P4_A3(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	h.clock.Advance(time.Second)
	h.signIn(2, "2002")
	h.ok(h.o.SetState(h.ctx, 2, StateIdle, "break"), "agent 2 idle")
	h.call("cust-1", "support", nil)
	first := h.agent(1).Interaction.ID
	leg := h.stationLeg("PJSIP/2001")
	h.emit(MediaEvent{Kind: MediaRinging, Leg: leg})
	h.clock.Advance(time.Second)
	h.call("cust-2", "support", nil) // waits: nobody else is ready

	h.outage(func() { h.media.vanish(leg) })

	v := h.agent(1)
	if v.State != StateRONA || v.Reason != string(CauseNoAnswer) || v.Interaction != nil {
		t.Fatalf("agent 1 after resync: state %s reason %q interaction %+v", v.State, v.Reason, v.Interaction)
	}
	h.ok(h.o.SetState(h.ctx, 2, StateAvailable, ""), "agent 2 available")
	v = h.agent(2)
	if v.Interaction == nil || v.Interaction.ID != first {
		t.Fatalf("agent 2 was offered %+v; the call back from RONA must go first (%s)", v.Interaction, first)
	}
	h.stationLeg("PJSIP/2002")
}

// P4: when everything is still up, the resync changes nothing: the call
// stays connected, the waiting caller keeps waiting, no leg is hung up.
func TestResyncNothingChanged_P4(t *testing.T) {
	h := newHarness(t)
	id, leg := h.connected()
	h.call("cust-2", "support", nil)
	h.signIn(2, "2002")
	ringing := h.stationLeg("PJSIP/2002")
	h.emit(MediaEvent{Kind: MediaRinging, Leg: ringing})
	h.media.mu.Lock()
	commands := len(h.media.calls)
	h.media.mu.Unlock()

	h.outage(func() {})

	h.wantState(1, StateEngaged)
	h.wantState(2, StateRinging)
	if ix := h.agent(1).Interaction; ix == nil || ix.ID != id || ix.State != InteractionConnected {
		t.Fatalf("agent 1's call after resync: %+v", ix)
	}
	if ix := h.agent(2).Interaction; ix == nil || ix.State != InteractionRinging {
		t.Fatalf("agent 2's offer after resync: %+v", ix)
	}
	h.media.mu.Lock()
	after := h.media.calls[commands:]
	h.media.mu.Unlock()
	if len(after) != 1 || after[0] != "legs" {
		t.Fatalf("PBX commands during the resync: %q (want only the leg list); leg %s", after, leg)
	}
}

// P4: the first link-up (the controller starting) is not a resync, and a
// link-up without a link-down before it neither.
func TestResyncOnlyAfterLinkDown_P4(t *testing.T) {
	h := newHarness(t)
	h.connected()
	h.emit(MediaEvent{Kind: MediaLinkUp})
	h.sync()
	if n := h.media.legsListed(); n != 0 {
		t.Fatalf("legs listed %d times without an outage", n)
	}
}

// P4: listing the legs fails: the resync is retried on a backoff while the
// link stays up (not in a hot loop), and applies once the list comes.
func TestResyncRetriesWhenListingFails_P4(t *testing.T) {
	h := newHarness(t)
	h.connected()
	h.media.mu.Lock()
	h.media.legsErr = errors.New("503 Service Unavailable")
	h.media.mu.Unlock()
	h.outage(func() { h.media.vanish("cust-1") })
	time.Sleep(20 * time.Millisecond)
	h.sync()
	if n := h.media.legsListed(); n != 1 {
		t.Fatalf("legs listed %d times before the backoff ran out; want 1", n)
	}
	h.wantState(1, StateEngaged) // nothing known yet

	h.clock.Advance(resyncMinBackoff)
	h.eventually("second attempt", func() bool { return h.media.legsListed() == 2 })
	h.sync()
	h.media.mu.Lock()
	h.media.legsErr = nil
	h.media.mu.Unlock()
	h.clock.Advance(2 * resyncMinBackoff) // the backoff doubled
	h.eventually("third attempt", func() bool { return h.media.legsListed() == 3 })
	h.sync()
	h.wantState(1, StateWrapup)
}

// P4: a retry pending when the link drops again is dropped; the next
// link-up resyncs afresh.
func TestResyncRetryCancelledByLinkLoss_P4(t *testing.T) {
	h := newHarness(t)
	h.connected()
	h.media.mu.Lock()
	h.media.legsErr = errors.New("timeout")
	h.media.mu.Unlock()
	h.outage(func() {})
	h.emit(MediaEvent{Kind: MediaLinkDown})
	h.clock.Advance(time.Minute)
	h.sync()
	if n := h.media.legsListed(); n != 1 {
		t.Fatalf("legs listed %d times while the link was down; want 1", n)
	}
	h.media.mu.Lock()
	h.media.legsErr = nil
	h.media.mu.Unlock()
	h.outage(func() { h.media.vanish("cust-1") })
	h.wantState(1, StateWrapup)
}

// P4, A6.6: a consulted agent's ringing station vanished during the outage:
// the consult fails as on a no-answer (agent 2 goes RONA) and agent 1 keeps
// the customer.
func TestResyncConsultLegGoneDuringOutage_P4(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.ok(h.o.Consult(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}), "consult")
	leg := h.stationLeg("PJSIP/2002")
	h.outage(func() { h.media.vanish(leg) })

	h.wantState(2, StateRONA)
	ix := h.agent(1).Interaction
	if ix == nil || ix.Consult != nil || ix.State != InteractionConnected {
		t.Fatalf("agent 1's call after resync: %+v", ix)
	}
}

// P4, M5.4: a supervisor's phone hung up during the outage: monitoring ends
// and the supervisor is told; the monitored call goes on.
func TestResyncMonitorLegGoneDuringOutage_P4(t *testing.T) {
	h := newHarness(t)
	h.connected()
	h.supervisors(1)
	mon := h.monitoring()
	supLeg := h.stationLeg("PJSIP/3000")
	h.outage(func() { h.media.vanish(supLeg) })

	if v := h.agent(100); v.Monitoring != nil {
		t.Fatalf("supervisor still monitoring: %+v", v.Monitoring)
	}
	if v := h.agent(1); v.MonitoredBy != "" || v.State != StateEngaged {
		t.Fatalf("agent after resync: monitored by %q, state %s", v.MonitoredBy, v.State)
	}
	h.eventually("monitor stopped on the PBX", func() bool { return h.media.has(fmt.Sprintf("stopmonitor %s", mon)) })
}
