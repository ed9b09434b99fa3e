package orchestrator

import "context"

// transfer hands the call on (A8). Consult mode gives it to the consulted
// party; blind mode sends it straight to an agent, a queue or a number. The
// transferring agent wraps up either way (A8.3), once the PBX has moved the
// customer: until then the call stays theirs, and a refusal leaves it so.
func (o *Orchestrator) transfer(ctx context.Context, userID int64, id string, t Target, mode TransferMode, w *outcome) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionTransfer); err != nil {
		return err
	}
	switch mode {
	case TransferConsult:
		if ix.consult == nil {
			return Errorf(CodeConflict, "a consult transfer needs a consult in progress")
		}
		o.consultTransfer(ix, a, w)
		return nil
	case TransferBlind, "":
		if ix.consult != nil {
			return Errorf(CodeConflict, "end the consult first, or transfer to the consulted party")
		}
		return o.blindTransfer(ctx, ix, a, t, w)
	}
	return Errorf(CodeInvalid, "mode: %q must be blind or consult", mode)
}

// consultTransfer: the consulted party joins the customer's room and takes
// the call; agent 1 leaves and wraps up.
func (o *Orchestrator) consultTransfer(ix *interaction, a *agent, w *outcome) {
	c := ix.consult
	premoved := o.premoveMonitor(a, ix, c)
	unmove := func() {
		if premoved {
			o.unmoveMonitor(a, ix) // the monitor stays with agent 1
		}
	}
	o.change(ix, a, w, callChange{
		busy:    "transferring the call to " + c.with.Name,
		failure: "The call could not be transferred to " + c.with.Name,
		steps:   []mediaStep{join(ix.room, c.leg), join(ix.room, ix.customer)},
		apply: func() error {
			if ix.consult != c || ix.agent != a {
				unmove()
				return Errorf(CodeConflict, "The consult ended before the transfer was done.")
			}
			o.handConsultOver(ix, a, c, premoved)
			return nil
		},
		fail: func(int, error) error {
			o.putBack(ix, o.consultArrangement(ix)...)
			unmove()
			return nil
		},
		moot: unmove,
	})
}

// handConsultOver gives the call to the consulted party, who is in the
// customer's room now.
func (o *Orchestrator) handConsultOver(ix *interaction, a *agent, c *consult, premoved bool) {
	stopTimer(&c.ringTimer)
	mon := o.takeMonitor(a, ix, "consult")
	if mon != nil {
		mon.moved = premoved
	}
	ix.consult = nil
	oldLeg := ix.agentLeg
	delete(o.st.legs, oldLeg)
	ix.agentLeg, ix.agent, ix.held = c.leg, c.agent, false
	if c.agent == nil {
		ix.external = c.with.Name
	}
	// A monitor that follows the call (M5.4) is on the consulted party's
	// leg already (premoveMonitor), before agent 1's leg goes.
	o.settleMonitor(mon, ix, c.target)
	o.cleanup(ix, hangup(oldLeg, CauseNormal), closeRoom(c.room))
	o.handOver(ix, a, "consult transfer to "+c.with.Name)
	if b := ix.agent; b != nil {
		o.setAgentState(b, StateEngaged, "")
	}
	// The new handler and leg are stored, so reports and a restarted
	// controller (P5) see who has the call now.
	o.saveInteraction(ix)
}

// blindTransfer sends the call straight on; the customer hears music until
// the new party answers. The customer is held first: only then does agent
// 1 let go of the call.
func (o *Orchestrator) blindTransfer(ctx context.Context, ix *interaction, a *agent, t Target, w *outcome) error {
	party, _, _, err := o.resolveTarget(ctx, ix, a, t, "transfer")
	if err != nil {
		return err
	}
	var q Queue
	if t.Type == TargetQueue {
		if q, err = o.store.Queue(ctx, t.ID); err != nil {
			return err
		}
	}
	o.change(ix, a, w, callChange{
		busy:    "putting the customer on hold for the transfer",
		failure: "The call could not be transferred to " + party.Name,
		steps:   []mediaStep{o.holdStep(ix, ix.customer)},
		apply: func() error {
			// The target is checked again: they may have taken another call
			// while the customer was being held.
			_, target, endpoint, err := o.resolveTarget(context.Background(), ix, a, t, "transfer")
			if err != nil {
				ix.held = true // as the PBX has it, until agent 1 has the customer back
				o.rejoinCustomer(ix, nil, nil)
				return Errorf(ErrorCode(err), "The call could not be transferred to %s: %s.", party.Name, reasonOf(err))
			}
			o.handBlind(ix, a, t, party, target, endpoint, q)
			return nil
		},
	})
	return nil
}

// handBlind hands the held customer to the blind transfer's target.
func (o *Orchestrator) handBlind(ix *interaction, a *agent, t Target, party PartyView, target *agent, endpoint string, q Queue) {
	mon := o.takeMonitor(a, ix, "blind")
	oldLeg := ix.agentLeg
	delete(o.st.legs, oldLeg)
	ix.agentLeg, ix.agent, ix.held = "", nil, true
	o.cleanup(ix, hangup(oldLeg, CauseNormal))
	o.handOver(ix, a, "blind transfer to "+party.Name)
	switch t.Type {
	case TargetAgent:
		ix.directed = true // A8.4: if not answered, back to the original queue's front
		ix.agent = target
		target.current = ix
		o.dialHandler(ix, endpoint)
		o.setAgentState(target, StateRinging, "")
		o.event(ix, "offered", target.user.ID, target.station.Number)
	case TargetQueue:
		// A8.1: a queue transfer never routes back to the transferring agent.
		ix.excluded[a.user.ID] = true
		ix.queue = q
		o.enqueue(ix)
		o.route()
	case TargetDialNumber:
		ix.external = party.Name
		o.dialHandler(ix, endpoint)
	}
	// Where the call went decides whether monitoring follows it (M5.4).
	o.settleMonitor(mon, ix, t)
	o.saveInteraction(ix)
}

// handOver ends agent 1's part in the call: their recording controls go
// with the call, and they wrap up (A8.3). Their monitor, if any, was taken
// off them first and goes where the call goes (settleMonitor).
func (o *Orchestrator) handOver(ix *interaction, a *agent, detail string) {
	a.current = nil
	o.event(ix, "transferred", a.user.ID, detail)
	o.startWrapup(a, ix)
}
