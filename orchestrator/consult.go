package orchestrator

import (
	"context"
	"fmt"
)

// consult starts a consult (A6): the customer is held, agent 1 moves into a
// consult room, and the target is dialled into it. A consult to a queue
// waits there for a ready agent of that queue instead (consult_queue.go).
// Agent 1's request waits on w until the PBX has set the consult up. The
// consult and the consulted agent's offer show at once, as "connecting":
// the consulted agent is reserved so routing offers them nothing else,
// and a set-up that fails takes both back; the customer shows held only
// once the PBX has held them.
func (o *Orchestrator) consult(ctx context.Context, userID int64, id string, t Target, w *outcome) error {
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
		target: t, with: party, agent: target, endpoint: endpoint, state: ConsultConnecting, held: "customer",
		room: RoomID(fmt.Sprintf("consult-%s-%d", ix.id, ix.offers)),
	}
	ix.consult = c
	setup := []mediaStep{o.holdStep(ix, ix.customer), newRoom(c.room), join(c.room, ix.agentLeg)}
	held := 0 // the step after which the customer is held
	if ix.restored {
		// A room of this name may be left from before the restart (P5).
		setup = append([]mediaStep{discardRoom(c.room)}, setup...)
		held = 1
	}
	o.holdBargeForConsult(a)
	o.event(ix, "consult_started", a.user.ID, party.Name)
	if q != nil {
		o.queueConsult(ix, a, w, c, *q, setup, held)
		return nil
	}
	if target != nil {
		c.prevState, c.prevReason = target.state, target.reason
		target.current = ix
		o.setAgentState(target, StateRinging, "")
	}
	dialStep := o.consultLeg(ix, c)
	o.change(ix, a, w, callChange{
		busy:    "setting up the consult",
		failure: "The consult with " + party.Name + " could not be started",
		steps:   append(setup, dialStep),
		apply:   func() error { ix.held = true; return nil }, // A6.3: the customer is held automatically
		fail: func(failed int, err error) error {
			if ix.consult != c {
				return nil // ended meanwhile
			}
			if failed == len(setup) {
				// The dial itself: the target's phone cannot be reached,
				// which counts as not answering (A6.6), as for an offer.
				// The set-up did happen: the customer is held (and the
				// recording knows its room emptied) until agent 1 resumes.
				ix.held = true
				o.changed(ix)
				return Errorf(pbxCode(err), "%s", o.consultFailed(ix, CauseFailed, false))
			}
			o.undoConsultSetup(ix, failed, held) // the target never rang: no RONA (A6.6)
			return nil
		},
	})
	return nil
}

// undoConsultSetup takes back a consult whose set-up failed at step failed;
// the customer is held once step held has worked. Agent 1 goes back to the
// customer, who was never held if holding them is what failed.
func (o *Orchestrator) undoConsultSetup(ix *interaction, failed, held int) {
	if failed <= held {
		o.dropConsult(ix, "the consult could not be set up")
		return
	}
	o.backToCustomer(ix, "the consult could not be set up", nil)
}

// consultLeg names the consult's next leg to dial and returns the step that
// dials it; the ring timer (A6.6) starts with the dial, not before a slow
// set-up.
func (o *Orchestrator) consultLeg(ix *interaction, c *consult) mediaStep {
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
	arm := func() {
		if pending() && c.ringTimer == nil {
			c.ringTimer = o.clock.AfterFunc(ringTime, func() {
				o.post(func() {
					if pending() {
						o.consultFailed(ix, CauseNoAnswer, true)
					}
				})
			})
		}
	}
	req := DialRequest{Leg: leg, Endpoint: c.endpoint, CallerID: ix.agent.station.Number, Timeout: ringTime + pbxTimeoutMargin,
		Variables: map[string]string{"RINGSIDE_INTERACTION": ix.id}}
	return func(ctx context.Context, m Media) error {
		o.post(arm)
		return m.Dial(ctx, req)
	}
}

// dialConsult dials the consult's target into its room (a queue consult
// offered to an agent, consult_queue.go). The target not answering in the
// ring time, or the dial failing, fails the consult (A6.6); a queue
// consult then waits for the next agent instead.
func (o *Orchestrator) dialConsult(ix *interaction, c *consult) {
	dialStep := o.consultLeg(ix, c)
	leg := c.leg
	o.command(ix, "consult", func(err error) {
		if ix.consult == c && c.leg == leg && c.state != ConsultConnected {
			o.consultFailed(ix, CauseFailed, true)
		}
	}, dialStep)
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
	step, what := join(c.room, c.leg), "join consult"
	if c.held == "consulted" {
		step, what = o.holdStep(ix, c.leg), "hold consulted"
	}
	o.command(ix, what, func(err error) {
		if ix.consult == c && ix.agent != nil {
			// The consulted party is up but cannot be put where the call
			// shows them: end the consult rather than leave them there.
			name := c.with.Name
			o.backToCustomer(ix, "the consulted party could not be connected", nil)
			o.notify(ix.agent, "error", pbxFailure("The consult with "+name+" ended", err).Message)
			o.changed(ix)
		}
	}, step)
	if c.agent != nil {
		o.setAgentState(c.agent, StateEngaged, "")
	}
	o.event(ix, "consult_answered", ix.agent.user.ID, c.with.Name)
	o.changed(ix)
}

// consultFailed ends a consult the target did not answer: an agent goes
// RONA, agent 1 is told (A6.6), as a notice unless notify is false (the
// message is returned to agent 1's waiting request instead). The customer
// stays on hold until agent 1 resumes them. A consult to a queue is not
// ended by one agent's silence: it goes back to waiting in its queue.
func (o *Orchestrator) consultFailed(ix *interaction, cause Cause, notify bool) string {
	c := ix.consult
	b := c.agent
	if c.queue != nil && b != nil {
		o.requeueConsult(ix, cause) // a queue consult waits for the next agent
		return fmt.Sprintf("%s could not be reached; the consult waits in queue %s.", b.user.Name, c.queue.Name)
	}
	o.dropConsultLegs(ix)
	o.restoreBargeAfterConsult(ix.agent)
	if b != nil {
		o.ronaConsulted(ix, b, cause)
	}
	msg := fmt.Sprintf("The consult with %s failed: %s.", c.with.Name, causeText(cause))
	if notify {
		o.notify(ix.agent, "error", msg)
	}
	o.event(ix, "consult_failed", ix.agent.user.ID, string(cause))
	o.changed(ix)
	return msg
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
		o.consultFailed(ix, cause, true)
		return
	}
	delete(o.st.legs, c.leg)
	name := c.with.Name
	o.backToCustomer(ix, "the consulted party hung up", nil)
	o.notify(ix.agent, "info", name+" left the consult.")
	o.changed(ix)
}

// endConsult: agent 1 ends the consult and goes back to the customer
// (A6.7); the request waits until the PBX has them talking again.
func (o *Orchestrator) endConsult(ctx context.Context, userID int64, id string, w *outcome) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionEndConsult); err != nil {
		return err
	}
	o.backToCustomer(ix, "agent 1 ended the consult", w)
	return nil
}

// exitConsult: the consulted agent leaves; agent 1 and the customer go on
// talking (A6.5). The consulted agent is done at once; agent 1 hears of a
// failure to bring the customer back.
func (o *Orchestrator) exitConsult(ctx context.Context, userID int64, id string) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionExitConsult); err != nil {
		return err
	}
	o.backToCustomer(ix, a.user.Name+" left the consult", nil)
	o.notify(ix.agent, "info", a.user.Name+" left the consult.")
	return nil
}

// conference puts agent 1, the customer and the consulted party in one room
// (A9), once the PBX has them all there.
func (o *Orchestrator) conference(ctx context.Context, userID int64, id string, w *outcome) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionConference); err != nil {
		return err
	}
	c := ix.consult
	o.change(ix, a, w, callChange{
		busy:    "starting the conference",
		failure: "The conference could not be started",
		steps:   []mediaStep{join(ix.room, ix.customer), join(ix.room, ix.agentLeg), join(ix.room, c.leg)},
		apply: func() error {
			if ix.consult != c {
				return Errorf(CodeConflict, "The consult ended before the conference could start.")
			}
			c.conference, c.held, ix.held = true, "", false
			o.cleanup(ix, closeRoom(c.room))
			o.event(ix, "conference", a.user.ID, c.with.Name)
			return nil
		},
		fail: func(int, error) error {
			o.putBack(ix, o.consultArrangement(ix)...)
			return nil
		},
	})
	return nil
}

// backToCustomer ends the consult (dropConsult) and puts agent 1 back with
// the customer, the request waiting on w told when the PBX has done it.
// After a conference, or with the consulted party held, the two are
// together already and the PBX has nothing to do.
func (o *Orchestrator) backToCustomer(ix *interaction, why string, w *outcome) {
	c := ix.consult
	// Under a change the PBX is still making (a swap), c.held says where
	// things were, not where they are: rejoin, which is harmless when
	// nothing needs doing.
	together := c != nil && ix.busy == nil && (c.conference || c.held == "consulted")
	o.dropConsult(ix, why)
	if together {
		ix.held = false
		w.report(nil)
		return
	}
	o.rejoinCustomer(ix, nil, w)
}

// rejoinCustomer puts agent 1 and the customer back together: agent 1
// (a, nil when the controller does it) resumes the customer, or a consult
// is over. Until the PBX has done it the call shows the customer as it
// was; the customer joins last, so if anything fails they are still held
// and agent 1 (or the request waiting on w) is told: Resume tries again.
func (o *Orchestrator) rejoinCustomer(ix *interaction, a *agent, w *outcome) {
	o.change(ix, a, w, callChange{
		busy:    "taking the customer off hold",
		failure: "The customer could not be taken off hold",
		steps:   []mediaStep{join(ix.room, ix.agentLeg), join(ix.room, ix.customer)},
		apply: func() error {
			ix.held = false
			if a != nil {
				o.event(ix, "resumed", a.user.ID, "")
			}
			return nil
		},
		fail: func(int, error) error {
			// The customer, who joins last, is where they were: held (a
			// swap under way may have held them even if the call did not
			// show it yet).
			ix.held = true
			return nil
		},
	})
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
