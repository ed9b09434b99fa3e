package orchestrator

import (
	"testing"
	"time"
)

// eventually polls cond for up to a second: PBX commands run outside the loop.
func (h *harness) eventually(what string, cond func() bool) {
	h.t.Helper()
	for i := 0; i < 500; i++ {
		if cond() {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	h.t.Fatalf("never happened: %s", what)
}

// A1, A2, A4, A11.1, A12, A13: a call is offered to the available agent
// (its channel variables merged with the admin's definitions), answered,
// bridged, ended and wrapped up; every state change is stored.
func TestCallLifecycle_A1_A2_A4_A11_1_A12_A13(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	h.wantState(1, StateAvailable)

	h.call("cust-1", "support", map[string]string{"account": "ACME-7", "card_last4": "4242"})
	h.eventually("caller answered and hears music", func() bool { return h.media.has("hold cust-1") })
	leg := h.stationLeg("PJSIP/2001")
	v := h.agent(1)
	if v.State != StateRinging || v.Interaction == nil || v.Interaction.State != InteractionConnecting {
		t.Fatalf("after offer: %+v", v)
	}
	// A1: popover variables, secure ones masked and never in the popover.
	var sawAccount bool
	for _, vv := range v.Interaction.Variables {
		if vv.Name == "card_last4" && (vv.Value != "*****" || vv.Popover) {
			t.Fatalf("secure variable exposed: %+v", vv)
		}
		if vv.Name == "account" && vv.Popover && vv.Value == "ACME-7" {
			sawAccount = true
		}
	}
	if !sawAccount {
		t.Fatalf("popover variable missing: %+v", v.Interaction.Variables)
	}

	h.emit(MediaEvent{Kind: MediaRinging, Leg: leg})
	if got := h.agent(1).Interaction.State; got != InteractionRinging {
		t.Fatalf("interaction state %s, want ringing", got)
	}
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg})
	h.wantState(1, StateEngaged)
	ix := h.agent(1).Interaction
	if ix.State != InteractionConnected || ix.AnsweredAt.IsZero() {
		t.Fatalf("not connected: %+v", ix)
	}
	room := RoomID("room-" + ix.ID)
	h.eventually("customer and agent in one room", func() bool {
		h.media.mu.Lock()
		defer h.media.mu.Unlock()
		return len(h.media.rooms[room]) == 2
	})

	if err := h.o.EndInteraction(h.ctx, 1, ix.ID); err != nil {
		t.Fatal(err)
	}
	h.wantState(1, StateWrapup)
	h.eventually("both legs hung up and room closed", func() bool {
		return h.media.has("hangup cust-1") && h.media.has("hangup "+string(leg)) && h.media.has("closeroom "+string(room))
	})
	if err := h.o.Wrapup(h.ctx, 1, ix.ID, "nonsense"); ErrorCode(err) != CodeInvalid {
		t.Fatalf("unknown wrap-up code: %v", err)
	}
	if err := h.o.Wrapup(h.ctx, 1, ix.ID, "resolved"); err != nil {
		t.Fatal(err)
	}
	h.wantState(1, StateAvailable)
	if h.agent(1).Interaction != nil {
		t.Fatal("interaction still shown after wrap-up")
	}
	rec := h.store.interactions[ix.ID]
	if rec.State != InteractionDone || rec.WrapupCode != "resolved" || rec.AgentID != 1 || rec.Variables["card_last4"] != "4242" {
		t.Fatalf("stored interaction: %+v", rec)
	}
	want := []AgentState{StateAvailable, StateRinging, StateEngaged, StateWrapup, StateAvailable}
	if got := h.store.statesOf(1); !equalStates(got, want) {
		t.Fatalf("state history %v, want %v", got, want)
	}
}

func equalStates(a, b []AgentState) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A3: no answer within the queue's ring time: the agent goes RONA and the
// call is offered to the next available agent; leaving RONA is manual.
func TestRONA_OffersNextAgent_A3(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	h.clock.Advance(time.Second)
	h.signIn(2, "2002")
	h.call("cust-1", "support", nil)
	first := h.stationLeg("PJSIP/2001") // agent 1 is ready the longest
	h.wantState(2, StateAvailable)

	h.clock.Advance(15 * time.Second)
	h.sync()
	h.wantState(1, StateRONA)
	h.eventually("unanswered leg hung up", func() bool { return h.media.has("hangup " + string(first)) })
	second := h.stationLeg("PJSIP/2002")
	h.wantState(2, StateRinging)
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: second})
	h.wantState(2, StateEngaged)

	// A late answer on the withdrawn leg changes nothing.
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: first})
	h.wantState(1, StateRONA)

	// RONA stays until the agent leaves it (A3).
	h.clock.Advance(time.Minute)
	h.sync()
	h.wantState(1, StateRONA)
	if err := h.o.SetState(h.ctx, 1, StateAvailable, ""); err != nil {
		t.Fatal(err)
	}
	h.wantState(1, StateAvailable)
}

// A3 beyond: a call that comes back keeps its place ahead of later calls.
func TestRONA_CallKeepsItsPlace_A3(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	h.call("cust-1", "support", nil)
	h.stationLeg("PJSIP/2001")
	h.clock.Advance(time.Second)
	h.call("cust-2", "support", nil) // waits: nobody else is available
	h.clock.Advance(14 * time.Second)
	h.sync()
	h.wantState(1, StateRONA)
	h.signIn(2, "2002")
	ix := h.agent(2).Interaction
	if ix == nil || h.store.interactions[ix.ID].Caller == "" {
		t.Fatalf("agent 2 got no offer")
	}
	if got := h.store.interactions[ix.ID]; got.ArrivedAt != h.clock.now.Add(-15*time.Second) {
		t.Fatalf("agent 2 was offered the later call (arrived %v)", got.ArrivedAt)
	}
}

// A3: a station that rejects or is busy counts as no answer.
func TestStationRejects_GoesRONA_A3(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	h.call("cust-1", "support", nil)
	leg := h.stationLeg("PJSIP/2001")
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: leg, Cause: CauseBusy})
	h.wantState(1, StateRONA)
	if ix := h.agent(1).Interaction; ix != nil {
		t.Fatalf("RONA agent still holds the call: %+v", ix)
	}
}

// The caller hanging up while the agent's station rings withdraws the offer;
// the agent is ready again, not RONA.
func TestCallerAbandonsDuringOffer(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	cust := h.call("cust-1", "support", nil)
	leg := h.stationLeg("PJSIP/2001")
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: cust, Cause: CauseNormal})
	h.wantState(1, StateAvailable)
	h.eventually("agent leg hung up", func() bool { return h.media.has("hangup " + string(leg)) })
}

// A12: the customer hanging up puts the agent in wrap-up, and the queue's
// wrap-up time ends it with the auto code.
func TestAutoWrapup_A12(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	cust := h.call("cust-1", "support", nil)
	leg := h.stationLeg("PJSIP/2001")
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg})
	id := h.agent(1).Interaction.ID
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: cust, Cause: CauseNormal})
	h.wantState(1, StateWrapup)
	if dl := h.agent(1).Interaction.WrapupDeadline; !dl.Equal(h.clock.Now().Add(30 * time.Second)) {
		t.Fatalf("wrap-up deadline %v", dl)
	}
	h.clock.Advance(29 * time.Second)
	h.sync()
	h.wantState(1, StateWrapup)
	h.clock.Advance(time.Second)
	h.sync()
	h.wantState(1, StateAvailable)
	if got := h.store.interactions[id].WrapupCode; got != "timeout" {
		t.Fatalf("auto wrap-up code %q, want timeout", got)
	}
}

// Routing picks the longest-available agent, and a higher-priority queue's
// call first.
func TestRoutingLongestAvailableAndPriority(t *testing.T) {
	h := newHarness(t)
	h.call("cust-s", "support", nil)
	h.clock.Advance(time.Second)
	h.call("cust-v", "sales", nil) // later, but sales has the higher priority
	h.signIn(2, "2002")
	if ix := h.agent(2).Interaction; ix == nil || ix.Queue != "sales" {
		t.Fatalf("agent 2 offered %+v, want the sales call", ix)
	}
	h.clock.Advance(time.Second)
	h.signIn(3, "2003")
	h.clock.Advance(time.Second)
	h.signIn(1, "2001")
	if h.agent(3).Interaction == nil || h.agent(1).Interaction != nil {
		t.Fatal("the support call did not go to agent 3")
	}
}

// An agent who is Idle is not offered calls (A2); Idle needs a known reason.
func TestIdleAgentNotOffered_A2(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	if err := h.o.SetState(h.ctx, 1, StateIdle, ""); ErrorCode(err) != CodeInvalid {
		t.Fatalf("idle without reason: %v", err)
	}
	if err := h.o.SetState(h.ctx, 1, StateIdle, "golf"); ErrorCode(err) != CodeInvalid {
		t.Fatalf("idle with unknown reason: %v", err)
	}
	if err := h.o.SetState(h.ctx, 1, StateIdle, "lunch"); err != nil {
		t.Fatal(err)
	}
	h.call("cust-1", "support", nil)
	if ix := h.agent(1).Interaction; ix != nil {
		t.Fatal("idle agent was offered a call")
	}
	if v := h.agent(1); v.Reason != "lunch" {
		t.Fatalf("reason %q", v.Reason)
	}
	if err := h.o.SetState(h.ctx, 1, StateAvailable, ""); err != nil {
		t.Fatal(err)
	}
	h.stationLeg("PJSIP/2001")
}
