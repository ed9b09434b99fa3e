package orchestrator

import (
	"cmp"
	"context"
)

// hold puts the customer on hold: music for them, silence for the agent
// (A5). The call shows held only once the PBX has held the customer.
func (o *Orchestrator) hold(ctx context.Context, userID int64, id string, w *outcome) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionHold); err != nil {
		return err
	}
	o.change(ix, a, w, callChange{
		busy:    "putting the customer on hold",
		failure: "The customer could not be put on hold",
		steps:   []mediaStep{o.holdStep(ix, ix.customer)},
		apply: func() error {
			ix.held = true
			o.event(ix, "held", a.user.ID, "")
			return nil
		},
		// The PBX leaves a leg it could not hold where it was: still
		// talking with the agent, as the call still shows.
	})
	return nil
}

// resume takes the customer off hold. During a consult, agent 1 goes back to
// the customer and the consulted party is held instead: the two are never
// both held and hear each other only in a conference (A6.3).
func (o *Orchestrator) resume(ctx context.Context, userID int64, id string, w *outcome) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionResume); err != nil {
		return err
	}
	c := ix.consult
	if c == nil {
		o.rejoinCustomer(ix, a, w)
		return nil
	}
	heldConsulted := c.state == ConsultConnected
	steps := []mediaStep{}
	if heldConsulted {
		steps = append(steps, o.holdStep(ix, c.leg))
	}
	o.change(ix, a, w, callChange{
		busy:    "taking the customer off hold",
		failure: "The customer could not be taken off hold",
		steps:   append(steps, join(ix.room, ix.agentLeg), join(ix.room, ix.customer)),
		apply: func() error {
			c.held, ix.held = "consulted", false
			if !heldConsulted && c.state == ConsultConnected {
				// The consulted party answered meanwhile, into the consult
				// room agent 1 has just left.
				o.command(ix, "hold consulted", nil, o.holdStep(ix, c.leg))
			}
			o.event(ix, "resumed", a.user.ID, "")
			return nil
		},
		fail: func(int, error) error {
			o.putBack(ix, o.consultArrangement(ix)...)
			return nil
		},
	})
	return nil
}

// resumeConsulted returns agent 1 to the consulted party and holds the
// customer (A6.3).
func (o *Orchestrator) resumeConsulted(ctx context.Context, userID int64, id string, w *outcome) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionResumeConsulted); err != nil {
		return err
	}
	c := ix.consult
	o.change(ix, a, w, callChange{
		busy:    "putting the customer on hold",
		failure: "Could not go back to " + c.with.Name,
		steps:   []mediaStep{o.holdStep(ix, ix.customer), join(c.room, ix.agentLeg), join(c.room, c.leg)},
		apply: func() error {
			c.held, ix.held = "customer", true
			return nil
		},
		fail: func(int, error) error {
			o.putBack(ix, o.consultArrangement(ix)...)
			return nil
		},
	})
	return nil
}

// consultArrangement is what puts the PBX back the way a connected consult
// shows (A6.3): agent 1 with whoever is not held, the other party held.
// It is undo after a failed swap, so every step is harmless when the PBX
// is there already.
func (o *Orchestrator) consultArrangement(ix *interaction) []mediaStep {
	c := ix.consult
	if c == nil || c.conference {
		return nil
	}
	if c.held == "consulted" {
		steps := []mediaStep{join(ix.room, ix.agentLeg), join(ix.room, ix.customer)}
		if c.leg != "" && c.state == ConsultConnected {
			steps = append(steps, o.holdStep(ix, c.leg))
		}
		return steps
	}
	steps := []mediaStep{o.holdStep(ix, ix.customer), join(c.room, ix.agentLeg)}
	if c.leg != "" && c.state == ConsultConnected {
		steps = append(steps, join(c.room, c.leg))
	}
	return steps
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
