package orchestrator

import (
	"context"
	"time"
)

// pbxTimeoutMargin is added to the queue's ring time for the PBX's own dial
// timeout, so the orchestrator's RONA timer always fires first.
const pbxTimeoutMargin = 5 * time.Second

// ronaOffer takes a call back from an agent who did not answer (A3): the
// agent goes RONA and must leave it by hand; the call goes back to its queue
// keeping its arrival time, so it is the next one offered.
func (o *Orchestrator) ronaOffer(ix *interaction, cause Cause) {
	stopTimer(&ix.ringTimer)
	a, leg := ix.agent, ix.agentLeg
	delete(o.st.legs, leg)
	ix.agentLeg, ix.agent = "", nil
	o.cleanup(ix, hangup(leg, CauseNoAnswer))
	a.current = nil
	o.setAgentState(a, StateRONA, string(cause))
	o.notify(a, "rona", "You did not answer a call from "+ix.queue.Name+". Go Available or Idle to continue.")
	o.event(ix, "rona", a.user.ID, string(cause))
	o.enqueue(ix)
	o.saveInteraction(ix)
	o.route()
}

// onAgentLegGone handles the agent's station hanging up.
func (o *Orchestrator) onAgentLegGone(ix *interaction, cause Cause) {
	switch ix.state {
	case InteractionConnecting, InteractionRinging:
		o.ronaOffer(ix, cause) // rejected, busy or unreachable counts as no answer
	case InteractionConnected:
		delete(o.st.legs, ix.agentLeg)
		o.finish(ix, "agent hung up")
	}
}

// onCustomerGone handles the caller hanging up.
func (o *Orchestrator) onCustomerGone(ix *interaction) {
	delete(o.st.legs, ix.customer)
	switch ix.state {
	case InteractionQueued:
		o.dequeue(ix)
		o.abandon(ix, "caller hung up while queued")
	case InteractionConnecting, InteractionRinging:
		// The offer is withdrawn: the agent did nothing wrong, so they are
		// ready again rather than RONA.
		stopTimer(&ix.ringTimer)
		a, leg := ix.agent, ix.agentLeg
		delete(o.st.legs, leg)
		o.cleanup(ix, hangup(leg, CauseNormal))
		a.current = nil
		o.notify(a, "info", "The caller hung up before you answered.")
		o.abandon(ix, "caller hung up while offered")
		o.setAgentState(a, o.readyState(a), "")
		o.route()
	case InteractionConnected:
		o.finish(ix, "caller hung up")
	}
}

// abandon closes a call that never reached an agent.
func (o *Orchestrator) abandon(ix *interaction, why string) {
	ix.state = InteractionDone
	ix.ended = o.clock.Now()
	ix.agent = nil
	o.saveInteraction(ix)
	o.event(ix, "abandoned", 0, why)
	o.forget(ix)
}

// finish ends a connected call: both legs and the room go, the agent goes
// to wrap-up (A12).
func (o *Orchestrator) finish(ix *interaction, why string) {
	if ix.state != InteractionConnected {
		return
	}
	now := o.clock.Now()
	ix.state = InteractionWrapup
	ix.ended = now
	delete(o.st.legs, ix.customer)
	delete(o.st.legs, ix.agentLeg)
	o.cleanup(ix, hangup(ix.customer, CauseNormal), hangup(ix.agentLeg, CauseNormal), closeRoom(ix.room))
	o.event(ix, "ended", ix.agent.user.ID, why)
	if ix.queue.WrapupTime > 0 {
		ix.wrapupBy = now.Add(ix.queue.WrapupTime)
		ix.wrapupTimer = o.clock.AfterFunc(ix.queue.WrapupTime, func() {
			o.post(func() {
				if ix.state == InteractionWrapup {
					o.autoWrapup(ix)
				}
			})
		})
	}
	o.saveInteraction(ix)
	o.setAgentState(ix.agent, StateWrapup, "")
}

func (o *Orchestrator) endInteraction(ctx context.Context, userID int64, id string) error {
	_, ix, err := o.agentInteraction(userID, id)
	if err != nil {
		return err
	}
	if ix.state != InteractionConnected {
		return Errorf(CodeConflict, "the call is not connected, so it cannot be ended")
	}
	o.finish(ix, "agent ended the call")
	return nil
}

// agentInteraction finds the user's current interaction by id.
func (o *Orchestrator) agentInteraction(userID int64, id string) (*agent, *interaction, error) {
	a, err := o.signedIn(userID)
	if err != nil {
		return nil, nil, err
	}
	if a.current == nil || a.current.id != id {
		if _, ok := o.st.interactions[id]; ok {
			return nil, nil, Errorf(CodeForbidden, "interaction %s is not yours", id)
		}
		return nil, nil, Errorf(CodeNotFound, "interaction %s not found", id)
	}
	return a, a.current, nil
}

func (o *Orchestrator) wrapup(ctx context.Context, userID int64, id, code string) error {
	_, ix, err := o.agentInteraction(userID, id)
	if err != nil {
		return err
	}
	if ix.state != InteractionWrapup {
		return Errorf(CodeConflict, "the call is not in wrap-up")
	}
	if code == "" {
		return Errorf(CodeInvalid, "code: a wrap-up code is required")
	}
	codes, err := o.store.WrapupCodes(ctx)
	if err != nil {
		return err
	}
	for _, c := range codes {
		if c.Code == code {
			o.closeWrapup(ix, c.Code, "wrapped_up")
			return nil
		}
	}
	return Errorf(CodeInvalid, "code: %q is not a wrap-up code", code)
}

// autoWrapup ends wrap-up when the queue's wrap-up time runs out (A12), with
// the code marked auto (or "auto" when none is).
func (o *Orchestrator) autoWrapup(ix *interaction) {
	code := "auto"
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if codes, err := o.store.WrapupCodes(ctx); err == nil {
		for _, c := range codes {
			if c.Auto {
				code = c.Code
				break
			}
		}
	}
	o.closeWrapup(ix, code, "auto_wrapped_up")
}

func (o *Orchestrator) closeWrapup(ix *interaction, code, kind string) {
	stopTimer(&ix.wrapupTimer)
	a := ix.agent
	ix.state = InteractionDone
	ix.wrapupCode = code
	ix.wrappedAt = o.clock.Now()
	o.saveInteraction(ix)
	o.event(ix, kind, a.user.ID, code)
	o.forget(ix)
	a.current = nil
	o.setAgentState(a, o.readyState(a), "")
	o.route()
}

// forget drops a finished interaction from live state; the store keeps it.
func (o *Orchestrator) forget(ix *interaction) {
	delete(o.st.interactions, ix.id)
	delete(o.st.legs, ix.customer)
	if ix.agentLeg != "" {
		delete(o.st.legs, ix.agentLeg)
	}
}
