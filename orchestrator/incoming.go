package orchestrator

import (
	"context"
	"fmt"
)

// onMedia applies one PBX event.
func (o *Orchestrator) onMedia(ctx context.Context, ev MediaEvent) {
	switch ev.Kind {
	case MediaIncoming:
		o.onIncoming(ctx, ev)
	case MediaRinging:
		if ix := o.st.legs[ev.Leg]; ix != nil && ev.Leg == ix.agentLeg && ix.state == InteractionConnecting {
			ix.state = InteractionRinging
			o.publishAgent(ix.agent)
		}
	case MediaAnswered:
		if ix := o.st.legs[ev.Leg]; ix != nil && ev.Leg == ix.agentLeg {
			o.onAgentAnswered(ix)
		}
	case MediaHungUp:
		ix := o.st.legs[ev.Leg]
		if ix == nil {
			return // a leg we already let go of
		}
		if ev.Leg == ix.customer {
			o.onCustomerGone(ix)
		} else if ev.Leg == ix.agentLeg {
			o.onAgentLegGone(ix, ev.Cause)
		}
	case MediaLinkDown:
		o.st.linkUp = false
		o.linkDown.Store(true)
		o.log.Warn("PBX link down")
	case MediaLinkUp:
		o.st.linkUp = true
		o.linkDown.Store(false)
		o.log.Info("PBX link up")
		o.route()
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
		id: newID("ix-"), queue: q, caller: ev.Caller, vars: copyVars(ev.Variables), defs: defs,
		customer: ev.Leg, arrivedAt: now,
	}
	o.st.interactions[ix.id] = ix
	o.st.legs[ix.customer] = ix
	o.enqueue(ix)
	o.saveInteraction(ix)
	o.event(ix, "arrived", 0, "queue "+q.Name)
	// The caller hears music while waiting for an agent.
	o.command(ix, "answer caller", nil, answer(ix.customer), playMusic(ix.customer))
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
	ix.offers++
	ix.agent = a
	ix.agentLeg = LegID(fmt.Sprintf("%s-agent-%d", ix.id, ix.offers))
	ix.state = InteractionConnecting
	ix.offeredAt = o.clock.Now()
	o.st.legs[ix.agentLeg] = ix
	a.current = ix
	o.setAgentState(a, StateRinging, "")
	o.saveInteraction(ix)
	o.event(ix, "offered", a.user.ID, a.station.Number)

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
		Leg: leg, Endpoint: a.dialString, CallerID: ix.caller,
		Timeout:   ringTime + pbxTimeoutMargin,
		Variables: map[string]string{"RINGSIDE_INTERACTION": ix.id},
	}
	o.command(ix, "dial agent", func(err error) {
		if ix.agentLeg == leg && ix.state != InteractionConnected {
			o.ronaOffer(ix, CauseFailed)
		}
	}, dial(req))
}

// onAgentAnswered bridges the customer with the agent who answered (A4).
func (o *Orchestrator) onAgentAnswered(ix *interaction) {
	if ix.state != InteractionConnecting && ix.state != InteractionRinging {
		return
	}
	stopTimer(&ix.ringTimer)
	now := o.clock.Now()
	ix.state = InteractionConnected
	ix.answered = now
	ix.room = RoomID("room-" + ix.id)
	o.command(ix, "connect", func(err error) {
		// The conversation could not be set up: end it rather than leave two
		// parties in silence.
		if ix.state == InteractionConnected {
			o.finish(ix, "could not connect the call: "+ErrorMessage(err))
		}
	}, stopMusic(ix.customer), newRoom(ix.room), join(ix.room, ix.customer), join(ix.room, ix.agentLeg))
	o.setAgentState(ix.agent, StateEngaged, "")
	o.saveInteraction(ix)
	o.event(ix, "answered", ix.agent.user.ID, "")
}

func stopTimer(t *Timer) {
	if *t != nil {
		(*t).Stop()
		*t = nil
	}
}
