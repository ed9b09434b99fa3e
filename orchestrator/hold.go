package orchestrator

import (
	"cmp"
	"context"
)

// hold puts the customer on hold: music for them, silence for the agent (A5).
func (o *Orchestrator) hold(ctx context.Context, userID int64, id string) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionHold); err != nil {
		return err
	}
	ix.held = true
	o.command(ix, "hold", nil, o.holdStep(ix, ix.customer))
	o.event(ix, "held", a.user.ID, "")
	o.changed(ix)
	return nil
}

// resume takes the customer off hold. During a consult, agent 1 goes back to
// the customer and the consulted party is held instead: the two are never
// both held and hear each other only in a conference (A6.3).
func (o *Orchestrator) resume(ctx context.Context, userID int64, id string) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionResume); err != nil {
		return err
	}
	steps := []mediaStep{}
	if c := ix.consult; c != nil {
		c.held = "consulted"
		if c.state == ConsultConnected {
			steps = append(steps, o.holdStep(ix, c.leg))
		}
	}
	ix.held = false
	steps = append(steps, join(ix.room, ix.agentLeg), join(ix.room, ix.customer))
	o.command(ix, "resume", nil, steps...)
	o.event(ix, "resumed", a.user.ID, "")
	o.changed(ix)
	return nil
}

// resumeConsulted returns agent 1 to the consulted party and holds the
// customer (A6.3).
func (o *Orchestrator) resumeConsulted(ctx context.Context, userID int64, id string) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionResumeConsulted); err != nil {
		return err
	}
	c := ix.consult
	c.held, ix.held = "customer", true
	o.command(ix, "resume consulted", nil, o.holdStep(ix, ix.customer), join(c.room, ix.agentLeg), join(c.room, c.leg))
	o.changed(ix)
	return nil
}

// holdStep holds one of the call's legs on the call's music (A5).
func (o *Orchestrator) holdStep(ix *interaction, leg LegID) mediaStep {
	music := o.musicOf(ix.queue)
	return func(ctx context.Context, m Media) error { return m.Hold(ctx, leg, music) }
}

// musicOf is the music class a queue's callers hear when held or waiting.
func (o *Orchestrator) musicOf(q Queue) string {
	return cmp.Or(q.MusicClass, o.music)
}
