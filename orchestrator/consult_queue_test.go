package orchestrator

import (
	"strings"
	"testing"
	"time"
)

// queueConsult has agent 1 (connected on call id) consult queue support,
// where nobody is ready, and checks that it waits there.
func (h *harness) queueConsult(id string) *ConsultView {
	h.t.Helper()
	h.ok(h.o.Consult(h.ctx, 1, id, Target{Type: TargetQueue, ID: 1}), "consult queue support")
	v := h.agent(1).Interaction
	c := v.Consult
	if c == nil || c.State != ConsultQueued || c.Queue != "support" || c.With.Name != "queue support" || !c.Since.Equal(h.clock.Now()) {
		h.t.Fatalf("the consult does not wait in queue support: %+v", c)
	}
	if !v.Held || c.Held != "customer" {
		h.t.Fatalf("A6.3: the customer is not held while the consult waits: %+v", v)
	}
	return c
}

// standBy signs agent b in Idle: in the queues, so a consult there may
// wait for them, but not ready to be offered it.
func (h *harness) standBy(b int64, ext string) {
	h.t.Helper()
	h.signIn(b, ext)
	h.ok(h.o.SetState(h.ctx, b, StateIdle, "break"), "idle")
}

// ready makes the standing-by agent b Available.
func (h *harness) ready(b int64) {
	h.t.Helper()
	h.ok(h.o.SetState(h.ctx, b, StateAvailable, ""), "available")
}

// offeredConsult checks that agent b is offered agent 1's consult (A6.5),
// answers it, and returns b's consult leg.
func (h *harness) offeredConsult(b int64, endpoint string) LegID {
	h.t.Helper()
	leg := h.stationLeg(endpoint)
	v := h.agent(b)
	if v.State != StateRinging || v.Interaction == nil || v.Interaction.Role != RoleConsulted || v.Interaction.From.Name != "Agent 1" {
		h.t.Fatalf("agent %d is not offered the consult: %s %+v", b, v.State, v.Interaction)
	}
	if c := h.agent(1).Interaction.Consult; c.State == ConsultQueued || c.With.UserID != b || c.Queue != "support" || !c.Since.IsZero() {
		h.t.Fatalf("agent 1's view of the offered consult: %+v", c)
	}
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg})
	h.wantState(b, StateEngaged)
	return leg
}

// A6.1, A6.3, A6.4, A6.5, A8.2: a consult to a queue where nobody is ready
// waits; the first agent of the queue to go Available is offered it, and
// from the answer on it is an agent consult: conference and transfer work.
func TestConsultQueueWaitsForAnAgent_A6_1(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.ok(h.o.SetState(h.ctx, 2, StateIdle, "break"), "agent 2 idle")
	h.queueConsult(id)
	h.eventually("customer held, agent 1 in the consult room", func() bool {
		return h.media.has("hold cust-1") && h.media.has("join consult-"+id+"-2 ")
	})
	if h.media.dialCount("PJSIP/2002") != 0 {
		t.Fatal("an Idle agent was dialled")
	}
	v := h.agent(1).Interaction
	// A6.4: Transfer and Conference wait for an answer; Resume and End consult do not.
	for _, a := range []string{ActionTransfer, ActionConference, ActionResumeConsulted} {
		if v.Actions[a].Allowed || !strings.Contains(v.Actions[a].Reason, "waiting in queue support") {
			t.Fatalf("%s while waiting: %+v", a, v.Actions[a])
		}
	}
	if !v.Actions[ActionResume].Allowed || !v.Actions[ActionEndConsult].Allowed {
		t.Fatalf("resume / end consult while waiting: %+v", v.Actions)
	}
	h.want(CodeConflict, h.o.Transfer(h.ctx, 1, id, Target{}, TransferConsult), "transfer while waiting")

	// The wait goes on; Since stays put so the desktop counts up from it.
	h.clock.Advance(12 * time.Second)
	h.sync()
	if c := h.agent(1).Interaction.Consult; c.State != ConsultQueued || !c.Since.Equal(h.clock.Now().Add(-12*time.Second)) {
		t.Fatalf("after 12 s: %+v", c)
	}
	// The queue tile shows it apart from customer calls, with its wait.
	stats, err := h.o.QueueStats(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range stats {
		if st.Name == "support" && (st.ConsultsWaiting != 1 || st.Waiting != 0 || st.LongestWaitSecs != 12) {
			t.Fatalf("support tile while the consult waits: %+v", st)
		}
	}

	h.ok(h.o.SetState(h.ctx, 2, StateAvailable, ""), "agent 2 available")
	leg2 := h.offeredConsult(2, "PJSIP/2002")
	h.eventually("agent 1 and agent 2 in the consult room", func() bool { return h.media.has("join consult-" + id + "-2 " + string(leg2)) })
	v = h.agent(1).Interaction
	if v.Consult.State != ConsultConnected || !v.Actions[ActionTransfer].Allowed || !v.Actions[ActionConference].Allowed {
		t.Fatalf("after the answer: %+v %+v", v.Consult, v.Actions)
	}
	h.ok(h.o.Conference(h.ctx, 1, id), "conference (A9)")
	h.ok(h.o.Transfer(h.ctx, 1, id, Target{}, TransferConsult), "consult transfer (A8.2)")
	h.wantState(1, StateWrapup)
	if v2 := h.agent(2).Interaction; v2.Role != RoleOwner || !v2.Actions[ActionEnd].Allowed {
		t.Fatalf("agent 2 does not own the call: %+v", v2)
	}
}

// A6.3: agent 1 may go back to the customer while the consult waits; the
// agent who answers later is held until agent 1 turns to them.
func TestConsultQueueResumeWhileWaiting_A6_3(t *testing.T) {
	h := newHarness(t)
	id, leg1 := h.connected()
	h.standBy(2, "2002")
	h.queueConsult(id)
	h.ok(h.o.Resume(h.ctx, 1, id), "resume the customer")
	if v := h.agent(1).Interaction; v.Held || v.Consult.Held != "consulted" || v.Consult.State != ConsultQueued {
		t.Fatalf("after resume: %+v", v.Consult)
	}
	h.eventually("agent 1 back with the customer", func() bool { return h.media.has("join room-" + id + " " + string(leg1)) })
	h.ready(2)
	leg2 := h.offeredConsult(2, "PJSIP/2002")
	h.eventually("agent 2 held on answering", func() bool { return h.media.has("hold " + string(leg2)) })
	h.ok(h.o.ResumeConsulted(h.ctx, 1, id), "turn to agent 2")
	if c := h.agent(1).Interaction.Consult; c.Held != "customer" {
		t.Fatalf("after resume consulted: %+v", c)
	}
}

// A6.7: End consult while it waits withdraws it: agent 1 is back with the
// customer and an agent who becomes ready later is offered nothing.
func TestConsultQueueEndWhileWaiting_A6_7(t *testing.T) {
	h := newHarness(t)
	id, leg1 := h.connected()
	h.standBy(2, "2002")
	h.queueConsult(id)
	h.ok(h.o.EndConsult(h.ctx, 1, id), "end consult")
	v := h.agent(1).Interaction
	if v.Consult != nil || v.Held || !v.Actions[ActionEnd].Allowed {
		t.Fatalf("after end consult: %+v", v)
	}
	h.eventually("consult room closed, agent 1 back", func() bool {
		return h.media.has("closeroom consult-"+id+"-2") && h.media.has("join room-"+id+" "+string(leg1))
	})
	if h.media.has("hangup  ") {
		t.Fatal("hung up a leg that was never dialled")
	}
	h.ready(2)
	h.wantState(2, StateAvailable)
	if v := h.agent(2).Interaction; v != nil || h.media.dialCount("PJSIP/2002") != 0 {
		t.Fatalf("agent 2 was offered a withdrawn consult: %+v", v)
	}
}

// A6.6, A3: the agent offered a queue consult does not answer: they go
// RONA, agent 1 is told, and the consult waits again for the next agent
// rather than failing.
func TestConsultQueueRONAWaitsAgain_A6_6(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	sub, _ := h.o.Subscribe(h.ctx, 1)
	defer sub.Close()
	h.standBy(2, "2002")
	since := h.queueConsult(id).Since
	h.clock.Advance(5 * time.Second)
	h.ready(2)
	leg2 := h.stationLeg("PJSIP/2002")
	h.wantState(2, StateRinging)
	h.clock.Advance(15 * time.Second) // support's ring time
	h.sync()
	h.wantState(2, StateRONA)
	c := h.agent(1).Interaction.Consult
	if c == nil || c.State != ConsultQueued || c.With.Name != "queue support" || !c.Since.Equal(since) {
		t.Fatalf("after the RONA the consult does not wait again: %+v", c)
	}
	if v := h.agent(2).Interaction; v != nil {
		t.Fatalf("agent 2 in RONA still shows the consult: %+v", v)
	}
	h.eventually("agent 2's leg hung up", func() bool { return h.media.has("hangup " + string(leg2)) })
	if got := strings.Join(notices(sub), "|"); !strings.Contains(got, "Agent 2 did not answer (no answer); the consult waits in queue support") {
		t.Fatalf("agent 1 was not told: %q", got)
	}
	// A late answer on the abandoned leg changes nothing.
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg2})
	if c := h.agent(1).Interaction.Consult; c.State != ConsultQueued {
		t.Fatalf("a late answer on the old leg connected it: %+v", c)
	}

	h.signIn(3, "2003")
	leg3 := h.offeredConsult(3, "PJSIP/2003")
	if leg3 == leg2 {
		t.Fatal("the second offer reused the first leg's name")
	}
	if c := h.agent(1).Interaction.Consult; c.State != ConsultConnected || c.With.UserID != 3 {
		t.Fatalf("after agent 3 answers: %+v", c)
	}
	h.wantState(2, StateRONA) // leaving RONA is manual (A3)
}

// A7: the customer hanging up while the consult waits ends the call as
// ever (agent 1 wraps up) and withdraws the consult; so does it while the
// consult is offered, and the offered agent is ready again, not RONA.
func TestConsultQueueCustomerHangsUp_A7(t *testing.T) {
	t.Run("waiting", func(t *testing.T) {
		h := newHarness(t)
		id, _ := h.connected()
		h.standBy(2, "2002")
		h.queueConsult(id)
		h.emit(MediaEvent{Kind: MediaHungUp, Leg: "cust-1"})
		h.wantState(1, StateWrapup)
		h.eventually("consult room closed", func() bool { return h.media.has("closeroom consult-" + id + "-2") })
		h.ready(2)
		h.wantState(2, StateAvailable)
		if v := h.agent(2).Interaction; v != nil || h.media.dialCount("PJSIP/2002") != 0 {
			t.Fatalf("agent 2 was offered the ended call's consult: %+v", v)
		}
	})
	t.Run("offered", func(t *testing.T) {
		h := newHarness(t)
		id, _ := h.connected()
		h.standBy(2, "2002")
		h.queueConsult(id)
		h.ready(2)
		leg2 := h.stationLeg("PJSIP/2002")
		h.emit(MediaEvent{Kind: MediaHungUp, Leg: "cust-1"})
		h.wantState(1, StateWrapup)
		h.wantState(2, StateAvailable)
		if v := h.agent(2).Interaction; v != nil {
			t.Fatalf("agent 2 still shows the consult: %+v", v)
		}
		h.eventually("agent 2's leg and the consult room gone", func() bool {
			return h.media.has("hangup "+string(leg2)) && h.media.has("closeroom consult-"+id+"-2")
		})
	})
}

// Ranking (consult_queue.go): a newly ready agent takes a waiting consult
// before waiting customer calls, of its own queue and of a queue of higher
// priority; the calls follow in their usual order.
func TestConsultQueueRanksBeforeWaitingCalls_A6_1(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.ok(h.o.SetState(h.ctx, 2, StateIdle, "break"), "agent 2 idle")
	h.call("cust-2", "support", nil)
	h.clock.Advance(time.Second)
	h.call("cust-3", "sales", nil) // sales has the higher priority
	h.clock.Advance(time.Second)
	h.queueConsult(id) // waits after both calls arrived
	h.ok(h.o.SetState(h.ctx, 2, StateAvailable, ""), "agent 2 available")
	if v := h.agent(2).Interaction; v == nil || v.ID != id || v.Role != RoleConsulted {
		t.Fatalf("agent 2 was offered %+v, want the waiting consult first", v)
	}
	h.signIn(3, "2003")
	if v := h.agent(3).Interaction; v == nil || v.Caller != "+15550100" || v.Queue != "sales" {
		t.Fatalf("agent 3 was offered %+v, want the sales call next", v)
	}
}

// Consults among themselves go by queue priority, then by how long they
// have waited.
func TestConsultQueueConsultsInOrder_A6_1(t *testing.T) {
	h := newHarness(t)
	id1, _ := h.connected()
	h.signIn(2, "2002")
	h.call("cust-2", "support", nil)
	leg := h.stationLeg("PJSIP/2002")
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg})
	id2 := h.agent(2).Interaction.ID
	h.queueConsult(id1)
	h.clock.Advance(time.Second)
	h.ok(h.o.Consult(h.ctx, 2, id2, Target{Type: TargetQueue, ID: 1}), "agent 2 consults support too")
	h.signIn(3, "2003")
	if v := h.agent(3).Interaction; v == nil || v.ID != id1 {
		t.Fatalf("agent 3 was offered %+v, want agent 1's earlier consult", v)
	}
}

// A consult to a queue is never offered to agent 1: with nobody else of
// that queue signed in it is refused at once, naming the queue; with
// others in it who are not ready it waits for them, never for agent 1.
func TestConsultQueueNeverToAgent1_A6_1(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	err := h.o.Consult(h.ctx, 1, id, Target{Type: TargetQueue, ID: 1})
	if ErrorCode(err) != CodeConflict || !strings.Contains(ErrorMessage(err), "nobody else is signed in to queue support") {
		t.Fatalf("a consult to a queue only agent 1 is in: %v", err)
	}
	if v := h.agent(1).Interaction; v.Consult != nil || v.Held {
		t.Fatalf("the refused consult changed the call: %+v", v)
	}
	h.standBy(2, "2002")
	h.queueConsult(id)
	h.ok(h.o.Resume(h.ctx, 1, id), "resume the customer")
	h.sync()
	if n := h.media.dialCount("PJSIP/2001"); n != 1 {
		t.Fatalf("agent 1's station was dialled %d times, want only the call's offer", n)
	}
	if v := h.agent(1).Interaction; v.Role != RoleOwner || v.Consult.State != ConsultQueued {
		t.Fatalf("agent 1's view: %+v", v)
	}
	// And directly: agent 1 counts as skipped even if routing found them ready.
	err = h.o.do(h.ctx, func() error {
		a := h.o.st.agents[1]
		ix, state := a.current, a.state
		a.current, a.state = nil, StateAvailable // pretend agent 1 were ready
		defer func() { a.current, a.state = ix, state }()
		if !a.ready() {
			t.Fatal("agent 1 not made ready")
		}
		if got, b := h.o.nextConsultMatch(); got != nil {
			t.Errorf("the consult would be offered to agent %d", b.user.ID)
		}
		return nil
	})
	h.ok(err, "match")
}

// A6.6: a consult waiting in a queue ends, with agent 1 back with the
// customer and told why, when the last other agent of that queue leaves
// it: by signing out, or by a supervisor logging them out of the queue
// (G1). While someone else is still in the queue it goes on waiting.
func TestConsultQueueEndsWhenQueueEmpties_A6_6(t *testing.T) {
	for _, how := range []string{"sign out", "queue logout"} {
		t.Run(how, func(t *testing.T) {
			h := newHarness(t)
			h.supervisors(1)
			id, leg1 := h.connected()
			sub, _ := h.o.Subscribe(h.ctx, 1)
			defer sub.Close()
			h.standBy(2, "2002")
			h.standBy(3, "2003")
			h.queueConsult(id)
			leave := func(b int64) {
				if how == "sign out" {
					h.ok(h.o.SignOut(h.ctx, b), "sign out")
				} else {
					h.ok(h.o.LogAgentOutOfQueue(h.ctx, 100, b, 1), "log out of support")
				}
			}
			leave(2)
			if c := h.agent(1).Interaction.Consult; c == nil || c.State != ConsultQueued {
				t.Fatalf("the consult stopped waiting while agent 3 is still in the queue: %+v", c)
			}
			leave(3)
			if v := h.agent(1).Interaction; v.Consult != nil {
				t.Fatalf("the consult still waits in an empty queue: %+v", v)
			}
			h.eventually("the customer shows unheld once the PBX brought them back", func() bool { return !h.agent(1).Interaction.Held })
			h.eventually("consult room closed, agent 1 back", func() bool {
				return h.media.has("closeroom consult-"+id+"-2") && h.media.has("join room-"+id+" "+string(leg1))
			})
			if got := strings.Join(notices(sub), "|"); !strings.Contains(got, "The consult to queue support ended: nobody else is signed in to it any more") {
				t.Fatalf("agent 1 was not told: %q", got)
			}
		})
	}
}

// A6.6: the queue's last agent is logged out of it while the consult rings
// them; when they do not answer the consult does not go back to wait in
// an empty queue: it ends and agent 1 is back with the customer.
func TestConsultQueueEndsAfterLastOfferUnanswered_A6_6(t *testing.T) {
	h := newHarness(t)
	h.supervisors(1)
	id, _ := h.connected()
	h.standBy(2, "2002")
	h.queueConsult(id)
	h.ready(2)
	h.stationLeg("PJSIP/2002")
	h.wantState(2, StateRinging)
	h.ok(h.o.LogAgentOutOfQueue(h.ctx, 100, 2, 1), "log agent 2 out of support while it rings")
	if c := h.agent(1).Interaction.Consult; c == nil || c.State != ConsultConnecting {
		t.Fatalf("the offered consult was ended while it rang: %+v", c)
	}
	h.clock.Advance(15 * time.Second) // support's ring time
	h.sync()
	h.wantState(2, StateRONA)
	if v := h.agent(1).Interaction; v.Consult != nil || v.Held {
		t.Fatalf("the consult waits in a queue nobody is in: %+v", v.Consult)
	}
}

// A supervisor who takes no calls, logged into a queue, does not staff it:
// a consult there would wait for ever, so it is refused.
func TestConsultQueueSupervisorDoesNotStaff_A6_6(t *testing.T) {
	h := newHarness(t)
	h.supervisors(1)
	id, _ := h.connected()
	h.ok(h.o.LogAgentIntoQueue(h.ctx, 100, 100, 1), "log the supervisor into support")
	err := h.o.Consult(h.ctx, 1, id, Target{Type: TargetQueue, ID: 1})
	if ErrorCode(err) != CodeConflict || !strings.Contains(ErrorMessage(err), "nobody else is signed in to queue support") {
		t.Fatalf("a consult to a queue only a supervisor is in: %v", err)
	}
}
