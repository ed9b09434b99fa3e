package orchestrator

import "context"

// transfer hands the call on (A8). Consult mode gives it to the consulted
// party; blind mode sends it straight to an agent, a queue or a number. The
// transferring agent wraps up either way (A8.3).
func (o *Orchestrator) transfer(ctx context.Context, userID int64, id string, t Target, mode TransferMode) error {
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
		o.consultTransfer(ix, a)
		return nil
	case TransferBlind, "":
		if ix.consult != nil {
			return Errorf(CodeConflict, "end the consult first, or transfer to the consulted party")
		}
		return o.blindTransfer(ctx, ix, a, t)
	}
	return Errorf(CodeInvalid, "mode: %q must be blind or consult", mode)
}

// consultTransfer: the consulted party joins the customer's room and takes
// the call; agent 1 leaves and wraps up.
func (o *Orchestrator) consultTransfer(ix *interaction, a *agent) {
	c := ix.consult
	stopTimer(&c.ringTimer)
	mon := o.takeMonitor(a, ix, "consult")
	ix.consult = nil
	oldLeg := ix.agentLeg
	delete(o.st.legs, oldLeg)
	ix.agentLeg, ix.agent, ix.held = c.leg, c.agent, false
	if c.agent == nil {
		ix.external = c.with.Name
	}
	// A monitor that follows the call (M5.4) moves onto the consulted
	// party's leg first, while agent 1 still talks with them: the call's
	// own commands wait for it, so the supervisor hears no gap.
	o.settleMonitor(mon, ix, c.target)
	o.command(ix, "consult transfer", nil, join(ix.room, c.leg), join(ix.room, ix.customer))
	o.cleanup(ix, hangup(oldLeg, CauseNormal), closeRoom(c.room))
	o.handOver(ix, a, "consult transfer to "+c.with.Name)
	if b := ix.agent; b != nil {
		o.setAgentState(b, StateEngaged, "")
	}
	// The new handler and leg are stored, so reports and a restarted
	// controller (P5) see who has the call now.
	o.saveInteraction(ix)
	o.changed(ix)
}

// blindTransfer sends the call straight on; the customer hears music until
// the new party answers.
func (o *Orchestrator) blindTransfer(ctx context.Context, ix *interaction, a *agent, t Target) error {
	party, target, endpoint, err := o.resolveTarget(ctx, ix, a, t, "transfer")
	if err != nil {
		return err
	}
	var q Queue
	if t.Type == TargetQueue {
		if q, err = o.store.Queue(ctx, t.ID); err != nil {
			return err
		}
	}
	mon := o.takeMonitor(a, ix, "blind")
	oldLeg := ix.agentLeg
	delete(o.st.legs, oldLeg)
	ix.agentLeg, ix.agent, ix.held = "", nil, true
	o.command(ix, "blind transfer", nil, o.holdStep(ix, ix.customer))
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
	o.syncRecording(ix)
	o.saveInteraction(ix)
	return nil
}

// handOver ends agent 1's part in the call: their recording controls go
// with the call, and they wrap up (A8.3). Their monitor, if any, was taken
// off them first and goes where the call goes (settleMonitor).
func (o *Orchestrator) handOver(ix *interaction, a *agent, detail string) {
	a.current = nil
	o.event(ix, "transferred", a.user.ID, detail)
	o.startWrapup(a, ix)
}
