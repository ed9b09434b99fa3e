package orchestrator

import (
	"fmt"
	"sort"
)

// Consult to a queue (A6.1). Like a customer call, it waits in the queue
// until an agent of that queue is ready (Available or Virtual, A2), and is
// then offered to them exactly as a consult to that agent is: the consult
// popover (A6.5), the same answer, RONA, hold, transfer and conference
// paths in consult.go. Meanwhile agent 1 stays on the consult with the
// customer held (A6.3), sees "waiting in queue" with the time, may resume
// the customer, and End consult (A6.7) withdraws it; Transfer and
// Conference wait for an answer (A6.4). An agent who does not answer goes
// RONA and the consult waits again for the next one, keeping its place. It
// is never offered to agent 1.
//
// A waiting consult is found from its interaction (state ConsultQueued)
// rather than kept in a list of its own, so whatever ends a consult or its
// call (End consult, the caller hanging up, agent 1's phone going) also
// takes it out of the queue, with no second record to keep in step.

// queueConsult starts a consult to queue q: the consult is set up (setup:
// customer held, agent 1 in the consult room) and waits there; routing
// offers it once the PBX has set it up and someone of the queue is ready.
// Agent 1's request waits on w for the set-up.
func (o *Orchestrator) queueConsult(ix *interaction, a *agent, w *outcome, c *consult, q Queue, setup []mediaStep, held int) {
	c.queue, c.queuedAt, c.state, c.agent = &q, o.clock.Now(), ConsultQueued, nil
	o.change(ix, a, w, callChange{
		busy:    "setting up the consult",
		failure: "The consult to queue " + q.Name + " could not be started",
		steps:   setup,
		apply: func() error {
			ix.held = true // A6.3
			o.route()
			return nil
		},
		fail: func(failed int, _ error) error {
			if ix.consult == c {
				o.undoConsultSetup(ix, failed, held)
			}
			return nil
		},
	})
}

// offerConsult offers a waiting queue consult to agent b, as a consult to
// b would be (consult.go).
func (o *Orchestrator) offerConsult(ix *interaction, b *agent) {
	c := ix.consult
	c.agent, c.with, c.endpoint, c.state = b, o.party(b), b.dialString, ConsultConnecting
	c.prevState, c.prevReason = b.state, b.reason
	b.current = ix
	o.setAgentState(b, StateRinging, "")
	o.dialConsult(ix, c)
	o.event(ix, "consult_offered", b.user.ID, "queue "+c.queue.Name)
	o.changed(ix)
}

// requeueConsult: the agent offered a queue consult did not take it. They
// go RONA (A6.6) and the consult waits in its queue again, first among the
// consults that came later (queuedAt is kept).
func (o *Orchestrator) requeueConsult(ix *interaction, cause Cause) {
	c := ix.consult
	b, leg := c.agent, c.leg
	stopTimer(&c.ringTimer)
	delete(o.st.legs, leg)
	o.cleanup(ix, hangup(leg, CauseNoAnswer))
	c.agent, c.leg, c.state = nil, "", ConsultQueued
	c.with = PartyView{Name: "queue " + c.queue.Name}
	o.ronaConsulted(ix, b, cause)
	o.notify(ix.agent, "info", fmt.Sprintf("%s did not answer (%s); the consult waits in queue %s for the next agent.",
		b.user.Name, causeText(cause), c.queue.Name))
	o.event(ix, "consult_rona", b.user.ID, string(cause))
	o.changed(ix)
	// The agent who did not answer may have been the queue's last one
	// (logged out of it while the consult rang them).
	o.endUnstaffedConsults()
	o.route()
}

// nextConsultMatch finds the waiting consult to offer next and its agent.
//
// Ranking: waiting consults are served before waiting customer calls, of
// the same queue and of any other. A consult already has a customer on
// hold and agent 1 waiting with them: it ties up two people and a caller
// who has been served once, and the agent who takes it frees them all
// soonest; a consult is also short next to a call. Among themselves
// consults go by their queue's priority, then by how long they have
// waited. The agent is the queue's longest-ready one, never agent 1.
func (o *Orchestrator) nextConsultMatch() (*interaction, *agent) {
	var waiting []*interaction
	for _, ix := range o.st.interactions {
		// A consult the PBX is still setting up is offered once it is done
		// (queueConsult routes then).
		if c := ix.consult; c != nil && c.state == ConsultQueued && ix.state == InteractionConnected && ix.busy == nil {
			waiting = append(waiting, ix)
		}
	}
	sort.Slice(waiting, func(i, j int) bool {
		a, b := waiting[i].consult, waiting[j].consult
		switch {
		case a.queue.Priority != b.queue.Priority:
			return a.queue.Priority > b.queue.Priority
		case !a.queuedAt.Equal(b.queuedAt):
			return a.queuedAt.Before(b.queuedAt)
		}
		return waiting[i].id < waiting[j].id
	})
	for _, ix := range waiting {
		agent1 := ix.agent
		if b := o.longestReadyIn(ix.consult.queue.Name, func(b *agent) bool { return b == agent1 }); b != nil {
			return ix, b
		}
	}
	return nil, nil
}

// consultUnanswered is why Transfer, Conference and Resume consulted are
// off until the consulted party answers (A6.4).
func consultUnanswered(c *consult) ActionView {
	if c.state == ConsultQueued {
		return no("the consult is waiting in queue " + c.queue.Name + "; nobody has answered yet")
	}
	return no("the consulted party has not answered yet")
}

// queueStaffed reports whether an agent who takes calls, other than
// except, is signed in to queue name, whatever their state: someone who
// may yet take a consult waiting there. A consult to a queue nobody else
// is in is refused at once (A6.6: an invalid target fails with a clear
// message) rather than left to wait for no one.
func (o *Orchestrator) queueStaffed(name string, except *agent) bool {
	for _, b := range o.st.agents {
		// A supervisor who takes no calls may be in a queue but is never
		// offered anything from it.
		if b != except && b.takesCalls && b.inQueue(name) {
			return true
		}
	}
	return false
}

// endUnstaffedConsults ends the waiting queue consults whose queue has
// nobody left but agent 1 (the last other agent signed out or was logged
// out of it): agent 1 is back with the customer and told why.
func (o *Orchestrator) endUnstaffedConsults() {
	for _, ix := range o.st.interactions {
		c := ix.consult
		if c == nil || c.state != ConsultQueued || ix.agent == nil || o.queueStaffed(c.queue.Name, ix.agent) {
			continue
		}
		name := c.queue.Name
		o.backToCustomer(ix, "nobody left in queue "+name, nil)
		o.notify(ix.agent, "error", fmt.Sprintf("The consult to queue %s ended: nobody else is signed in to it any more. You are back with the customer.", name))
		o.changed(ix)
	}
}
