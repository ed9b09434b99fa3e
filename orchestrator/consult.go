package orchestrator

import (
	"context"
	"fmt"
)

// consult starts a consult (A6): the customer is held, agent 1 moves into a
// consult room, and the target is dialled into it. A consult to a queue
// waits there for a ready agent of that queue instead (consult_queue.go).
func (o *Orchestrator) consult(ctx context.Context, userID int64, id string, t Target) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionConsult); err != nil {
		return err
	}
	party, target, endpoint, err := o.resolveTarget(ctx, ix, a, t, "consult")
	if err != nil {
		return err
	}
	var q *Queue
	if t.Type == TargetQueue {
		found, err := o.store.Queue(ctx, t.ID) // resolveTarget has checked it exists
		if err != nil {
			return err
		}
		q = &found
		if !o.queueStaffed(q.Name, a) {
			return Errorf(CodeConflict, "nobody else is signed in to queue %s; a consult there would wait for no one", q.Name)
		}
	}
	ix.offers++
	c := &consult{
		target: t, with: party, agent: target, state: ConsultConnecting, held: "customer",
		room: RoomID(fmt.Sprintf("consult-%s-%d", ix.id, ix.offers)),
	}
	ix.consult, ix.held = c, true // A6.3: the customer is held automatically
	setup := []mediaStep{o.holdStep(ix, ix.customer), newRoom(c.room), join(c.room, ix.agentLeg)}
	if ix.restored {
		// A room of this name may be left from before the restart (P5).
		setup = append([]mediaStep{discardRoom(c.room)}, setup...)
	}
	o.holdBargeForConsult(a)
	o.event(ix, "consult_started", a.user.ID, party.Name)
	if q != nil {
		o.queueConsult(ix, c, *q, setup)
		o.changed(ix)
		return nil
	}
	if target != nil {
		c.prevState, c.prevReason = target.state, target.reason
		target.current = ix
		o.setAgentState(target, StateRinging, "")
	}
	o.dialConsult(ix, c, endpoint, setup...)
	o.changed(ix)
	return nil
}

// dialConsult dials the consult's target into its room, after setup (the
// steps that start the consult, when it starts with the dial). The target
// not answering in the ring time, or the dial failing, fails the consult
// (A6.6); a queue consult then waits for the next agent instead.
func (o *Orchestrator) dialConsult(ix *interaction, c *consult, endpoint string, setup ...mediaStep) {
	if c.offered > 0 {
		ix.offers++ // the first leg shares the room's number (recover_legs.go)
	}
	c.offered++
	c.leg = LegID(fmt.Sprintf("%s-leg-%d", ix.id, ix.offers))
	o.st.legs[c.leg] = ix
	leg, ringTime := c.leg, ix.queue.RingTime
	if c.queue != nil {
		ringTime = c.queue.RingTime // offered through that queue, on its terms (A3)
	}
	pending := func() bool { return ix.consult == c && c.leg == leg && c.state != ConsultConnected }
	c.ringTimer = o.clock.AfterFunc(ringTime, func() {
		o.post(func() {
			if pending() {
				o.consultFailed(ix, CauseNoAnswer)
			}
		})
	})
	req := DialRequest{Leg: leg, Endpoint: endpoint, CallerID: ix.agent.station.Number, Timeout: ringTime + pbxTimeoutMargin,
		Variables: map[string]string{"RINGSIDE_INTERACTION": ix.id}}
	o.command(ix, "consult", func(err error) {
		if pending() {
			o.consultFailed(ix, CauseFailed)
		}
	}, append(setup, dial(req))...)
}

// resolveTarget checks a consult or transfer target and returns who it is,
// the agent (if any) and what to dial. purpose is "consult" or "transfer".
func (o *Orchestrator) resolveTarget(ctx context.Context, ix *interaction, from *agent, t Target, purpose string) (PartyView, *agent, string, error) {
	switch t.Type {
	case TargetAgent:
		b := o.st.agents[t.ID]
		if b == nil || !b.takesCalls {
			return PartyView{}, nil, "", Errorf(CodeConflict, "that agent is not signed in to take calls")
		}
		if b == from {
			return PartyView{}, nil, "", Errorf(CodeInvalid, "target: you cannot %s yourself", purpose)
		}
		if err := targetAgentError(b, purpose); err != nil {
			return PartyView{}, nil, "", err
		}
		return o.party(b), b, b.dialString, nil
	case TargetQueue:
		q, err := o.store.Queue(ctx, t.ID)
		if ErrorCode(err) == CodeNotFound {
			return PartyView{}, nil, "", Errorf(CodeInvalid, "target.id: queue %d does not exist", t.ID)
		}
		if err != nil {
			return PartyView{}, nil, "", err
		}
		// A transfer waits in the queue as a call (A8.1), a consult as a
		// consult (consult_queue.go).
		return PartyView{Name: "queue " + q.Name}, nil, "", nil
	case TargetDialNumber:
		n, err := NormalizeConsultNumber(t.Number)
		if err != nil {
			return PartyView{}, nil, "", err
		}
		return PartyView{Name: n, Station: n}, nil, o.trunkDialString(n), nil
	}
	return PartyView{}, nil, "", Errorf(CodeInvalid, "target.type: %q must be agent, queue or dial_number", t.Type)
}

// targetAgentError applies who may be consulted (A6.1: Available or Idle)
// or transferred to (A8.1: Available only, never in Wrap-up).
func targetAgentError(b *agent, purpose string) error {
	if b.current != nil || b.wrapup != nil {
		return Errorf(CodeConflict, "%s is busy (%s)", b.user.Name, b.state)
	}
	switch {
	case b.state == StateAvailable || b.state == StateVirtual:
		return nil
	case b.state == StateIdle && purpose == "consult":
		return nil
	}
	return Errorf(CodeConflict, "%s is %s and cannot take a %s", b.user.Name, b.state, purpose)
}

// view is the consult as agent 1 and the consulted agent see it.
func (c *consult) view() *ConsultView {
	v := &ConsultView{Target: c.target, With: c.with, State: c.state, Held: c.held, Conference: c.conference}
	if c.queue != nil {
		v.Queue = c.queue.Name
		if c.state == ConsultQueued {
			v.Since = c.queuedAt
		}
	}
	return v
}

func (o *Orchestrator) party(b *agent) PartyView {
	return PartyView{UserID: b.user.ID, Name: b.user.Name, Station: b.station.Number, Team: b.teamName}
}

// onConsultAnswered connects the consulted party with agent 1, or holds them
// if agent 1 went back to the customer meanwhile (A6.3, A6.4).
func (o *Orchestrator) onConsultAnswered(ix *interaction) {
	c := ix.consult
	if c.state == ConsultConnected {
		return
	}
	stopTimer(&c.ringTimer)
	c.state = ConsultConnected
	if c.held == "consulted" {
		o.command(ix, "hold consulted", nil, o.holdStep(ix, c.leg))
	} else {
		o.command(ix, "join consult", nil, join(c.room, c.leg))
	}
	if c.agent != nil {
		o.setAgentState(c.agent, StateEngaged, "")
	}
	o.event(ix, "consult_answered", ix.agent.user.ID, c.with.Name)
	o.changed(ix)
}

// consultFailed ends a consult the target did not answer: an agent goes
// RONA, agent 1 is told (A6.6). The customer stays on hold until agent 1
// resumes them. A consult to a queue is not ended by one agent's silence:
// it goes back to waiting in its queue.
func (o *Orchestrator) consultFailed(ix *interaction, cause Cause) {
	c := ix.consult
	b := c.agent
	if c.queue != nil && b != nil {
		o.requeueConsult(ix, cause) // a queue consult waits for the next agent
		return
	}
	o.dropConsultLegs(ix)
	o.restoreBargeAfterConsult(ix.agent)
	if b != nil {
		o.ronaConsulted(ix, b, cause)
	}
	o.notify(ix.agent, "error", fmt.Sprintf("The consult with %s failed: %s.", c.with.Name, causeText(cause)))
	o.event(ix, "consult_failed", ix.agent.user.ID, string(cause))
	o.changed(ix)
}

// ronaConsulted sends the consulted agent who did not answer to RONA (A3,
// A6.6); they leave it by hand.
func (o *Orchestrator) ronaConsulted(ix *interaction, b *agent, cause Cause) {
	b.current = nil
	o.setAgentState(b, StateRONA, string(cause))
	o.notify(b, "rona", "You did not answer a consult request from "+ix.agent.user.Name+".")
}

func causeText(c Cause) string {
	switch c {
	case CauseNoAnswer:
		return "no answer"
	case CauseBusy:
		return "busy"
	case CauseRejected:
		return "declined"
	}
	return "could not be reached"
}

// onConsultLegGone: the consulted party hung up.
func (o *Orchestrator) onConsultLegGone(ix *interaction, cause Cause) {
	c := ix.consult
	if c.state != ConsultConnected {
		o.consultFailed(ix, cause)
		return
	}
	delete(o.st.legs, c.leg)
	name := c.with.Name
	o.dropConsult(ix, "the consulted party hung up")
	o.rejoinCustomer(ix)
	o.notify(ix.agent, "info", name+" left the consult.")
	o.changed(ix)
}

// endConsult: agent 1 ends the consult and goes back to the customer (A6.7).
func (o *Orchestrator) endConsult(ctx context.Context, userID int64, id string) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionEndConsult); err != nil {
		return err
	}
	o.dropConsult(ix, "agent 1 ended the consult")
	o.rejoinCustomer(ix)
	o.changed(ix)
	return nil
}

// exitConsult: the consulted agent leaves; agent 1 and the customer go on
// talking (A6.5).
func (o *Orchestrator) exitConsult(ctx context.Context, userID int64, id string) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionExitConsult); err != nil {
		return err
	}
	o.dropConsult(ix, a.user.Name+" left the consult")
	o.rejoinCustomer(ix)
	o.notify(ix.agent, "info", a.user.Name+" left the consult.")
	o.changed(ix)
	return nil
}

// conference puts agent 1, the customer and the consulted party in one room
// (A9).
func (o *Orchestrator) conference(ctx context.Context, userID int64, id string) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionConference); err != nil {
		return err
	}
	c := ix.consult
	c.conference, c.held, ix.held = true, "", false
	o.command(ix, "conference", nil, join(ix.room, ix.customer), join(ix.room, ix.agentLeg), join(ix.room, c.leg), closeRoom(c.room))
	o.event(ix, "conference", a.user.ID, c.with.Name)
	o.changed(ix)
	return nil
}

// rejoinCustomer puts agent 1 and the customer back together.
func (o *Orchestrator) rejoinCustomer(ix *interaction) {
	ix.held = false
	o.command(ix, "rejoin customer", nil, join(ix.room, ix.agentLeg), join(ix.room, ix.customer))
}

// dropConsult ends the consult: the consulted leg is hung up and a consulted
// agent goes back to what they were doing, with no wrap-up (A7).
func (o *Orchestrator) dropConsult(ix *interaction, why string) {
	c := ix.consult
	if c == nil {
		return
	}
	b := c.agent
	o.dropConsultLegs(ix)
	if ix.agent != nil {
		o.restoreBargeAfterConsult(ix.agent)
	}
	if b != nil {
		b.current = nil
		if c.prevState == StateIdle {
			o.setAgentState(b, StateIdle, c.prevReason)
		} else {
			o.setAgentState(b, o.readyState(b), "")
		}
		o.route()
	}
	o.event(ix, "consult_ended", 0, why)
}

func (o *Orchestrator) dropConsultLegs(ix *interaction) {
	c := ix.consult
	stopTimer(&c.ringTimer)
	ix.consult = nil
	if c.leg == "" {
		o.cleanup(ix, closeRoom(c.room)) // a queue consult still waiting: nobody dialled
		return
	}
	delete(o.st.legs, c.leg)
	o.cleanup(ix, hangup(c.leg, CauseNormal), closeRoom(c.room))
}
