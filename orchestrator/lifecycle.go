package orchestrator

import (
	"context"
	"time"
)

// pbxTimeoutMargin is added to the queue's ring time for the PBX's own dial
// timeout, so the orchestrator's RONA timer always fires first.
const pbxTimeoutMargin = 5 * time.Second

// ronaOffer takes a call back from whoever did not answer (A3). An agent
// goes RONA and must leave it by hand; the call goes back to its queue
// keeping its arrival time, so it is the next one offered (A3 beyond, A8.4).
func (o *Orchestrator) ronaOffer(ix *interaction, cause Cause) {
	stopTimer(&ix.ringTimer)
	a, leg := ix.agent, ix.agentLeg
	delete(o.st.legs, leg)
	ix.agentLeg, ix.agent, ix.external, ix.directed = "", nil, "", false
	o.cleanup(ix, hangup(leg, CauseNoAnswer))
	if a != nil {
		o.endMonitorOf(a, a.user.Name+" did not answer the call") // e.g. a monitor following a transfer to them (M5.4)
		a.current = nil
		o.setAgentState(a, StateRONA, string(cause))
		o.notify(a, "rona", "You did not answer a call from "+ix.queue.Name+". Go Available or Idle to continue.")
		o.event(ix, "rona", a.user.ID, string(cause))
	} else {
		o.event(ix, "transfer_failed", 0, string(cause))
	}
	o.enqueue(ix)
	o.saveInteraction(ix)
	o.route()
}

// onAgentLegGone handles the handler's station (or outside number) hanging up.
func (o *Orchestrator) onAgentLegGone(ix *interaction, cause Cause) {
	switch ix.state {
	case InteractionConnecting, InteractionRinging:
		o.ronaOffer(ix, cause) // rejected, busy or unreachable counts as no answer
	case InteractionConnected:
		delete(o.st.legs, ix.agentLeg)
		o.finish(ix, "the agent's phone hung up")
	}
}

// onCustomerGone handles the caller hanging up (A7: it ends the interaction;
// agent 1 wraps up, a consulted agent leaves without wrap-up).
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
		if a != nil {
			o.endMonitorOf(a, "the caller hung up") // a monitor waiting for them (M5.4)
			a.current = nil
			o.notify(a, "info", "The caller hung up before you answered.")
			o.setAgentState(a, o.readyState(a), "")
		}
		o.abandon(ix, "caller hung up while offered")
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
	if ix.room != "" {
		o.cleanup(ix, closeRoom(ix.room))
	}
	o.saveInteraction(ix)
	o.event(ix, "abandoned", 0, why)
	o.forget(ix)
}

// finish ends a connected call: every leg and room goes, a consult ends
// without wrap-up for the consulted agent, and the handling agent wraps up
// (A12). With no agent (a call transferred to an outside number) the
// interaction is simply done.
func (o *Orchestrator) finish(ix *interaction, why string) {
	if ix.state != InteractionConnected {
		return
	}
	ix.busy = nil // a change under way is moot
	o.endMonitorOf(ix.agent, "the call ended")
	if ix.consult != nil {
		o.dropConsult(ix, "the call ended")
	}
	o.stopRecording(ix)
	ix.ended = o.clock.Now()
	delete(o.st.legs, ix.customer)
	delete(o.st.legs, ix.agentLeg)
	o.cleanup(ix, hangup(ix.customer, CauseNormal), hangup(ix.agentLeg, CauseNormal), closeRoom(ix.room))
	a := ix.agent
	if a == nil {
		ix.state = InteractionDone
		o.saveInteraction(ix)
		o.event(ix, "ended", 0, why)
		o.forget(ix)
		return
	}
	ix.state = InteractionWrapup
	o.event(ix, "ended", a.user.ID, why)
	a.current = nil
	o.saveInteraction(ix)
	o.startWrapup(a, ix)
}

// startWrapup puts the agent in wrap-up for ix, ended by a code or, when
// the queue says so, by the wrap-up time (A12).
func (o *Orchestrator) startWrapup(a *agent, ix *interaction) {
	w := &wrapup{ix: ix}
	if t := ix.queue.WrapupTime; t > 0 {
		o.armWrapup(a, w, o.clock.Now().Add(t))
	}
	a.wrapup = w
	o.setAgentState(a, StateWrapup, "")
}

// armWrapup ends w with the automatic code at deadline (A12); a restored
// wrap-up (P5) keeps the deadline it had before the restart.
func (o *Orchestrator) armWrapup(a *agent, w *wrapup, deadline time.Time) {
	w.deadline = deadline
	w.timer = o.clock.AfterFunc(max(deadline.Sub(o.clock.Now()), 0), func() {
		o.post(func() {
			if a.wrapup == w {
				o.autoWrapup(a)
			}
		})
	})
}

func (o *Orchestrator) endInteraction(ctx context.Context, userID int64, id string) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionEnd); err != nil {
		return err
	}
	o.finish(ix, "agent ended the call")
	return nil
}

// handling finds the interaction the user is offered or handling (as
// handler or consulted agent), by id.
func (o *Orchestrator) handling(userID int64, id string) (*agent, *interaction, error) {
	a, err := o.signedIn(userID)
	if err != nil {
		return nil, nil, err
	}
	if a.current == nil || a.current.id != id {
		if a.wrapup != nil && a.wrapup.ix.id == id {
			return nil, nil, Errorf(CodeConflict, "the call has ended; only wrap-up is left")
		}
		if _, ok := o.st.interactions[id]; ok {
			return nil, nil, Errorf(CodeForbidden, "interaction %s is not yours", id)
		}
		return nil, nil, Errorf(CodeNotFound, "interaction %s not found", id)
	}
	return a, a.current, nil
}

func (o *Orchestrator) wrapup(ctx context.Context, userID int64, id, code string) error {
	a, err := o.signedIn(userID)
	if err != nil {
		return err
	}
	if a.wrapup == nil || a.wrapup.ix.id != id {
		if a.current != nil && a.current.id == id {
			return Errorf(CodeConflict, "the call is not in wrap-up")
		}
		return Errorf(CodeNotFound, "no wrap-up for interaction %s", id)
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
			o.closeWrapup(a, c.Code, "wrapped_up")
			return nil
		}
	}
	return Errorf(CodeInvalid, "code: %q is not a wrap-up code", code)
}

// autoWrapup ends wrap-up when the queue's wrap-up time runs out (A12), with
// the code marked auto (or "auto" when none is).
func (o *Orchestrator) autoWrapup(a *agent) {
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
	o.closeWrapup(a, code, "auto_wrapped_up")
}

func (o *Orchestrator) closeWrapup(a *agent, code, kind string) {
	w := a.wrapup
	stopTimer(&w.timer)
	a.wrapup = nil
	ix := w.ix
	o.event(ix, kind, a.user.ID, code)
	// The interaction is done when its last handler wraps up; an agent who
	// transferred it away wraps up without closing it (A8.3).
	if ix.state == InteractionWrapup && ix.lastAgentID == a.user.ID {
		ix.state = InteractionDone
		ix.wrapupCode = code
		ix.wrappedAt = o.clock.Now()
		o.saveInteraction(ix)
		o.forget(ix)
	}
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
