package orchestrator

import (
	"context"
	"fmt"
)

// onMedia applies one PBX event.
func (o *Orchestrator) onMedia(ctx context.Context, ev MediaEvent) {
	if o.onMonitorMedia(ev) {
		return
	}
	switch ev.Kind {
	case MediaIncoming:
		o.onIncoming(ctx, ev)
	case MediaRinging:
		o.onRinging(ev.Leg)
	case MediaAnswered:
		ix := o.st.legs[ev.Leg]
		switch {
		case ix == nil:
		case ev.Leg == ix.agentLeg:
			o.onAgentAnswered(ix)
		case ix.consult != nil && ev.Leg == ix.consult.leg:
			o.onConsultAnswered(ix)
		}
	case MediaHungUp:
		ix := o.st.legs[ev.Leg]
		switch {
		case ix == nil: // a leg we already let go of
		case ev.Leg == ix.customer:
			o.onCustomerGone(ix)
		case ev.Leg == ix.agentLeg:
			o.onAgentLegGone(ix, ev.Cause)
		case ix.consult != nil && ev.Leg == ix.consult.leg:
			o.onConsultLegGone(ix, ev.Cause)
		}
	case MediaLinkDown:
		o.st.linkUp = false
		o.linkDown.Store(true)
		o.setHealth(PartPBX, errPBXLinkDown) // logs the change once
		o.linkLost()
	case MediaLinkUp:
		wasDown := !o.st.linkUp
		o.st.linkUp = true
		o.linkDown.Store(false)
		o.setHealth(PartPBX, nil)
		if wasDown {
			o.startResync() // P4: catch up with the events lost meanwhile
		}
		o.route()
	}
}

func (o *Orchestrator) onRinging(leg LegID) {
	ix := o.st.legs[leg]
	switch {
	case ix == nil:
	case leg == ix.agentLeg && ix.state == InteractionConnecting:
		ix.state = InteractionRinging
		o.changed(ix)
	case ix.consult != nil && leg == ix.consult.leg && ix.consult.state == ConsultConnecting:
		ix.consult.state = ConsultRinging
		o.changed(ix)
	}
}

// onIncoming takes a customer call that entered the application (P2).
func (o *Orchestrator) onIncoming(ctx context.Context, ev MediaEvent) {
	now := o.clock.Now()
	q, err := o.store.QueueByName(ctx, ev.Queue)
	if err != nil {
		// An unknown queue is a dialplan mistake: refuse the call audibly
		// rather than leave the caller in silence.
		o.log.Error("incoming call for an unknown queue; hanging up", "leg", ev.Leg, "queue", ev.Queue, "err", err)
		ix := &interaction{id: "rejected-" + string(ev.Leg)}
		o.cleanup(ix, hangup(ev.Leg, CauseFailed))
		return
	}
	defs, err := o.store.VariableDefs(ctx)
	if err != nil {
		o.log.Error("reading variable definitions", "err", err)
	}
	ix := &interaction{
		id: newID("ix-"), queue: q, caller: ev.Caller, vars: copyVars(ev.Variables), versions: map[string]int{},
		defs: defs, customer: ev.Leg, arrivedAt: now, excluded: map[int64]bool{},
	}
	o.st.interactions[ix.id] = ix
	o.st.legs[ix.customer] = ix
	o.enqueue(ix)
	o.saveInteraction(ix)
	o.event(ix, "arrived", 0, "queue "+q.Name)
	// The caller hears music while waiting for an agent.
	ix.held = true
	o.command(ix, "answer caller", nil, answer(ix.customer), o.holdStep(ix, ix.customer))
	o.route()
}

func copyVars(in map[string]string) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}

// offer dials the agent's station for a waiting call (A1, A2).
func (o *Orchestrator) offer(ix *interaction, a *agent) {
	o.dequeue(ix)
	ix.agent, ix.external = a, ""
	a.current = ix
	o.dialHandler(ix, a.dialString)
	o.setAgentState(a, StateRinging, "")
	o.event(ix, "offered", a.user.ID, a.station.Number)
}

// dialHandler dials whoever is to handle the call next: an agent's station
// or, after a blind transfer, a dial number.
func (o *Orchestrator) dialHandler(ix *interaction, endpoint string) {
	ix.offers++
	ix.agentLeg = LegID(fmt.Sprintf("%s-leg-%d", ix.id, ix.offers))
	ix.state = InteractionConnecting
	ix.offeredAt = o.clock.Now()
	o.st.legs[ix.agentLeg] = ix
	o.saveInteraction(ix)

	leg, ringTime := ix.agentLeg, ix.queue.RingTime
	// The orchestrator's own timer decides RONA (A3); the PBX timeout is a
	// backstop a little later, so the two never race to different answers.
	ix.ringTimer = o.clock.AfterFunc(ringTime, func() {
		o.post(func() {
			if ix.agentLeg == leg && (ix.state == InteractionConnecting || ix.state == InteractionRinging) {
				o.ronaOffer(ix, CauseNoAnswer)
			}
		})
	})
	req := DialRequest{
		Leg: leg, Endpoint: endpoint, CallerID: ix.caller,
		Timeout:   ringTime + pbxTimeoutMargin,
		Variables: map[string]string{"RINGSIDE_INTERACTION": ix.id},
	}
	o.command(ix, "dial handler", func(err error) {
		if ix.agentLeg == leg && ix.state != InteractionConnected {
			o.ronaOffer(ix, CauseFailed)
		}
	}, dial(req))
}

// onAgentAnswered bridges the customer with whoever answered (A4).
func (o *Orchestrator) onAgentAnswered(ix *interaction) {
	if ix.state != InteractionConnecting && ix.state != InteractionRinging {
		return
	}
	stopTimer(&ix.ringTimer)
	first := ix.room == ""
	if first {
		ix.room = RoomID("room-" + ix.id)
	}
	ix.state = InteractionConnected
	ix.held = false
	ix.directed = false
	if ix.answered.IsZero() {
		ix.answered = o.clock.Now()
	}
	steps := []mediaStep{join(ix.room, ix.customer), join(ix.room, ix.agentLeg)}
	if first {
		steps = append([]mediaStep{newRoom(ix.room)}, steps...)
	}
	o.command(ix, "connect", func(err error) {
		// The conversation could not be set up: end it rather than leave two
		// parties in silence.
		if ix.state == InteractionConnected {
			o.finish(ix, "could not connect the call: "+reasonOf(err))
		}
	}, steps...)
	if first && ix.queue.Recording {
		o.startRecording(ix) // A10.1: from the answer
	} else {
		o.syncRecording(ix) // back in the room after a blind transfer
	}
	o.saveInteraction(ix)
	if ix.agent != nil {
		o.event(ix, "answered", ix.agent.user.ID, "")
		o.setAgentState(ix.agent, StateEngaged, "")
		o.monitorFollowAnswered(ix) // a monitor waiting for this agent (M5.4)
	} else {
		o.event(ix, "answered", 0, ix.external)
	}
}

func stopTimer(t *Timer) {
	if *t != nil {
		(*t).Stop()
		*t = nil
	}
}
