package orchestrator

import (
	"strings"
	"testing"
	"time"
)

// P5: a controller restart. The first orchestrator stops without a word
// (no sign-out, no hang-up); a second one starts on the same store and on
// a PBX that still has the legs the first left, plus whatever the test
// changes in between.

// restart stops h's orchestrator and starts another on the same store and
// clock, with a fake PBX holding the same live legs. change, if any, plays
// what happened on the PBX while no controller was there.
func (h *harness) restart(change func(live map[LegID]bool)) *harness {
	h.t.Helper()
	h.sync()
	h.stop()
	m := newFakeMedia()
	h.media.mu.Lock()
	for l, up := range h.media.live {
		m.live[l] = up
	}
	h.media.mu.Unlock()
	if change != nil {
		change(m.live)
	}
	h2 := &harness{t: h.t, media: m, store: h.store, clock: h.clock, ctx: h.ctx}
	h2.run()
	h2.sync()
	return h2
}

// connect brings a call to agent 1 on 2001 and answers it.
func (h *harness) connect(cust string) (string, LegID) {
	h.t.Helper()
	h.signIn(1, "2001")
	h.call(cust, "support", map[string]string{"account": "42"})
	leg := h.stationLeg("PJSIP/2001")
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg})
	v := h.agent(1)
	if v.State != StateEngaged || v.Interaction == nil {
		h.t.Fatalf("not connected: %+v", v)
	}
	return v.Interaction.ID, leg
}

// kinds lists the stored timeline of one interaction.
func (s *fakeStore) kinds(id string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, e := range s.ixEvents {
		if e.InteractionID == id {
			out = append(out, e.Kind)
		}
	}
	return out
}

func (s *fakeStore) interaction(id string) InteractionRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.interactions[id]
}

func (s *fakeStore) sessionEnded(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.sessions[id-1].EndedAt.IsZero()
}

func wantKinds(t *testing.T, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("timeline = %v, want %v", got, want)
	}
}

// P5: caller and agent still up → the agent is On a call again with the
// same interaction, both legs joined to its room (which may exist), and
// the call ends and wraps up as usual, stored once with its timeline.
func TestRestartResumesConnectedCall_P5(t *testing.T) {
	h := newHarness(t)
	id, leg := h.connect("c1")
	h2 := h.restart(nil)

	v := h2.agent(1)
	if v.State != StateEngaged || v.Interaction == nil || v.Interaction.ID != id || v.Interaction.State != InteractionConnected {
		t.Fatalf("after restart: %+v %+v", v, v.Interaction)
	}
	if v.Station.Number != "2001" || len(v.Queues) != 2 {
		t.Errorf("station or queues not restored: %+v", v)
	}
	room := "room-" + id
	for _, cmd := range []string{"legs", "room " + room, "join " + room + " c1", "join " + room + " " + string(leg)} {
		if !h2.media.has(cmd) {
			t.Errorf("no %q after restart; commands %v", cmd, h2.media.calls)
		}
	}
	if h2.media.has("hangup") || h2.media.has("dial") {
		t.Errorf("a live call was disturbed: %v", h2.media.calls)
	}

	h2.emit(MediaEvent{Kind: MediaHungUp, Leg: "c1", Cause: CauseNormal})
	h2.wantState(1, StateWrapup)
	if err := h2.o.Wrapup(h2.ctx, 1, id, "resolved"); err != nil {
		t.Fatal(err)
	}
	h2.sync()
	h2.wantState(1, StateAvailable)
	if r := h2.store.interaction(id); r.State != InteractionDone || r.WrapupCode != "resolved" || r.AgentID != 1 {
		t.Errorf("stored interaction: %+v", r)
	}
	wantKinds(t, h2.store.kinds(id), "arrived", "offered", "answered", "recovered", "ended", "wrapped_up")
}

// P5, A13: an idle agent comes back Idle with the same reason and time in
// state; an available one Available; nothing new in their history.
func TestRestartKeepsIdleAndAvailable_P5(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	h.signIn(2, "2002")
	if err := h.o.SetState(h.ctx, 2, StateIdle, "lunch"); err != nil {
		t.Fatal(err)
	}
	before := h.agent(2).Since
	n1, n2 := len(h.store.statesOf(1)), len(h.store.statesOf(2))
	h.clock.Advance(time.Minute)
	h2 := h.restart(nil)
	if v := h2.agent(2); v.State != StateIdle || v.Reason != "lunch" || !v.Since.Equal(before) {
		t.Errorf("agent 2 after restart: %+v", v)
	}
	h2.wantState(1, StateAvailable)
	if len(h2.store.statesOf(1)) != n1 || len(h2.store.statesOf(2)) != n2 {
		t.Errorf("restoring wrote state changes: %v %v", h2.store.statesOf(1), h2.store.statesOf(2))
	}
	// The restored agent takes calls as before.
	h2.call("c9", "support", nil)
	h2.stationLeg("PJSIP/2001")
	h2.wantState(1, StateRinging)
}

// P5: a sign-in whose user was removed, or who can no longer use the
// station, is ended rather than restored.
func TestRestartEndsSessionsThatCannotBeHonoured_P5(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	h.signIn(2, "2002")
	h.sync()
	h.store.mu.Lock()
	delete(h.store.users, 1)
	h.store.exts = h.store.exts[2:] // 2001 and 2002 removed
	h.store.mu.Unlock()
	h2 := h.restart(nil)
	for uid := int64(1); uid <= 2; uid++ {
		if v, err := h2.o.Agent(h2.ctx, uid); err != nil || v != nil {
			t.Errorf("agent %d restored: %+v %v", uid, v, err)
		}
		if !h2.store.sessionEnded(uid) {
			t.Errorf("session %d left open", uid)
		}
	}
}

// P5: the caller hung up while no controller was there → the interaction
// ends, the agent wraps up and their station is hung up.
func TestRestartCallerGone_P5(t *testing.T) {
	h := newHarness(t)
	id, leg := h.connect("c1")
	h2 := h.restart(func(live map[LegID]bool) { delete(live, "c1") })
	v := h2.agent(1)
	if v.State != StateWrapup || v.Interaction == nil || v.Interaction.ID != id {
		t.Fatalf("after restart: %+v", v)
	}
	if !h2.media.has("hangup " + string(leg)) {
		t.Errorf("agent's station not hung up: %v", h2.media.calls)
	}
	wantKinds(t, h2.store.kinds(id), "arrived", "offered", "answered", "recovered", "ended")
	if r := h2.store.interaction(id); r.State != InteractionWrapup {
		t.Errorf("stored: %+v", r)
	}
}

// P5, A8.4: the agent's phone went while no controller was there, the
// caller is still up → the call goes back to its queue at the front and is
// offered to the next agent; the agent who had it wraps up.
func TestRestartAgentLegGoneRequeues_P5(t *testing.T) {
	h := newHarness(t)
	id, leg := h.connect("c1")
	h.signIn(2, "2002")
	h.clock.Advance(time.Second)
	h.call("c2", "support", nil) // later caller: waits behind the recovered one
	h2 := h.restart(func(live map[LegID]bool) { delete(live, leg) })
	h2.wantState(1, StateWrapup)
	v := h2.agent(2)
	if v.State != StateRinging || v.Interaction == nil || v.Interaction.ID != id {
		t.Fatalf("agent 2 should be offered the recovered call first: %+v %+v", v, v.Interaction)
	}
	if !h2.media.has("hold c1") {
		t.Errorf("caller not back on music: %v", h2.media.calls)
	}
	leg2 := h2.stationLeg("PJSIP/2002")
	if legNumber(id, leg2) <= legNumber(id, leg) {
		t.Errorf("new leg %s reuses a number of %s", leg2, leg)
	}
	h2.emit(MediaEvent{Kind: MediaAnswered, Leg: leg2})
	h2.wantState(2, StateEngaged)
	// Agent 1's wrap-up does not close the call agent 2 now has.
	if err := h2.o.Wrapup(h2.ctx, 1, id, "resolved"); err != nil {
		t.Fatal(err)
	}
	h2.sync()
	if r := h2.store.interaction(id); r.State != InteractionConnected || r.AgentID != 2 {
		t.Errorf("stored: %+v", r)
	}
}

// P5, A12: a wrap-up comes back with the deadline it had; one already due
// ends with the automatic code.
func TestRestartWrapupKeepsDeadline_P5(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connect("c1")
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: "c1", Cause: CauseNormal})
	h.wantState(1, StateWrapup)
	deadline := h.agent(1).Interaction.WrapupDeadline
	h.clock.Advance(10 * time.Second)
	h2 := h.restart(nil)
	v := h2.agent(1)
	if v.State != StateWrapup || v.Interaction == nil || v.Interaction.ID != id || !v.Interaction.WrapupDeadline.Equal(deadline) {
		t.Fatalf("after restart: %+v %+v (deadline %v)", v, v.Interaction, deadline)
	}
	h2.clock.Advance(20 * time.Second)
	h2.sync()
	h2.wantState(1, StateAvailable)
	if r := h2.store.interaction(id); r.State != InteractionDone || r.WrapupCode != "timeout" {
		t.Errorf("stored: %+v", r)
	}
}

func TestRestartWrapupAlreadyDue_P5(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connect("c1")
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: "c1", Cause: CauseNormal})
	// The controller is down past the wrap-up time.
	h2 := h.restart(func(map[LegID]bool) { h.clock.Advance(time.Minute) })
	h2.wantState(1, StateAvailable)
	if r := h2.store.interaction(id); r.State != InteractionDone || r.WrapupCode != "timeout" {
		t.Errorf("stored: %+v", r)
	}
	wantKinds(t, h2.store.kinds(id), "arrived", "offered", "answered", "ended", "recovered", "auto_wrapped_up")
}

// P5: an offer ringing at the restart is withdrawn (its ring timer died
// with the old controller) and made again; the agent is not RONA.
func TestRestartRingingOfferIsMadeAgain_P5(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	h.call("c1", "support", nil)
	old := h.stationLeg("PJSIP/2001")
	h2 := h.restart(nil)
	if !h2.media.has("hangup " + string(old)) {
		t.Errorf("old offer not hung up: %v", h2.media.calls)
	}
	h2.wantState(1, StateRinging)
	if leg := h2.stationLeg("PJSIP/2001"); leg == old {
		t.Errorf("offered again on the old leg name %s", leg)
	}
	for _, s := range h2.store.statesOf(1) {
		if s == StateRONA {
			t.Errorf("agent went RONA: %v", h2.store.statesOf(1))
		}
	}
}

// P5: a queued call comes back in its queue and is offered to the next
// agent; a caller who left while queued is abandoned, not left open.
func TestRestartQueuedCalls_P5(t *testing.T) {
	h := newHarness(t)
	h.call("c1", "support", nil)
	h.call("c2", "support", nil)
	h.sync()
	var ids []string
	h.store.mu.Lock()
	for id := range h.store.interactions {
		ids = append(ids, id)
	}
	h.store.mu.Unlock()
	h2 := h.restart(func(live map[LegID]bool) { delete(live, "c2") })
	h2.signIn(1, "2001")
	v := h2.agent(1)
	if v.State != StateRinging || v.Interaction == nil || v.Interaction.Caller != "+15550100" {
		t.Fatalf("queued call not offered after restart: %+v", v)
	}
	open := 0
	for _, id := range ids {
		if h2.store.interaction(id).State != InteractionDone {
			open++
		}
	}
	if open != 1 {
		t.Errorf("%d interactions open, want 1 (c2 abandoned)", open)
	}
}

// P5, A10: a recording running at the restart goes on in a new file; the
// old one is stopped.
func TestRestartContinuesRecording_P5(t *testing.T) {
	h := newHarness(t)
	h.store.queues[0].Recording = true
	id, _ := h.connect("c1")
	if !h.media.has("record room-" + id + " " + id) {
		t.Fatalf("not recording: %v", h.media.calls)
	}
	h2 := h.restart(nil)
	for _, cmd := range []string{"stoprec " + id, "record room-" + id + " " + id + "-2"} {
		if !h2.media.has(cmd) {
			t.Errorf("no %q: %v", cmd, h2.media.calls)
		}
	}
}

// P5: a consult in progress at the restart is simplified: the consulted
// party's leg is hung up and the caller is back with agent 1.
func TestRestartEndsConsult_P5(t *testing.T) {
	h := newHarness(t)
	id, leg := h.connect("c1")
	h.signIn(2, "2002")
	if err := h.o.Consult(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}); err != nil {
		t.Fatal(err)
	}
	cleg := h.stationLeg("PJSIP/2002")
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: cleg})
	h2 := h.restart(nil)
	if !h2.media.has("hangup " + string(cleg)) {
		t.Errorf("consult leg not hung up: %v", h2.media.calls)
	}
	if !h2.media.has("join room-"+id+" c1") || !h2.media.has("join room-"+id+" "+string(leg)) {
		t.Errorf("caller not back with agent 1: %v", h2.media.calls)
	}
	h2.wantState(1, StateEngaged)
	h2.wantState(2, StateAvailable)
}

// P5: a sign-out whose writes were lost leaves the older sign-in open next
// to the newer one. The newer is the agent's real sign-in: it comes back on
// its station, and the stale one is closed.
func TestRestartDuplicateSessionsKeepsNewest_P5(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	h.ok(h.o.SignOut(h.ctx, 1), "sign out")
	h.sync()
	// The sign-out never reached the database: session 1 is still open and
	// its last stored state is not logged_out.
	h.store.mu.Lock()
	h.store.sessions[0].EndedAt = time.Time{}
	kept := h.store.states[:0]
	for _, c := range h.store.states {
		if !(c.SessionID == 1 && c.State == StateLoggedOut) {
			kept = append(kept, c)
		}
	}
	h.store.states = kept
	h.store.mu.Unlock()
	h.clock.Advance(time.Minute)
	h.signIn(1, "2002")
	h.clock.Advance(time.Minute)
	h2 := h.restart(nil)
	if v := h2.agent(1); v.Station.Number != "2002" {
		t.Fatalf("agent 1 restored on %q, want the newer sign-in's 2002", v.Station.Number)
	}
	if !h2.store.sessionEnded(1) {
		t.Error("the stale sign-in (session 1) was left open")
	}
	if h2.store.sessionEnded(2) {
		t.Error("the live sign-in (session 2) was ended")
	}
}

// P5: the station answered a ringing offer while no controller was there,
// but its agent cannot be restored (the user is gone): the call is not
// connected to nobody — the offer is withdrawn and the caller requeued.
func TestRestartAnsweredOfferWithoutAgentRequeues_P5(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	h.call("c1", "support", nil)
	old := h.stationLeg("PJSIP/2001")
	ixID := h.agent(1).Interaction.ID
	h.store.mu.Lock()
	delete(h.store.users, 1)
	h.store.mu.Unlock()
	h2 := h.restart(func(live map[LegID]bool) { live[old] = true })
	if !h2.media.has("hangup " + string(old)) {
		t.Errorf("the answered station of a user who is gone was not hung up: %v", h2.media.calls)
	}
	if st := h2.store.interaction(ixID).State; st != InteractionQueued {
		t.Fatalf("interaction state %s, want queued (back in queue)", st)
	}
}
