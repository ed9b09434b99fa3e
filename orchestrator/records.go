package orchestrator

import "context"

// saveInteraction stores the interaction as it is now.
func (o *Orchestrator) saveInteraction(ix *interaction) {
	rec := InteractionRecord{
		ID: ix.id, Queue: ix.queue.Name, Caller: ix.caller, State: ix.state,
		ArrivedAt: ix.arrivedAt, AnsweredAt: ix.answered, EndedAt: ix.ended,
		WrappedAt: ix.wrappedAt, WrapupCode: ix.wrapupCode, Variables: copyVars(ix.vars),
		CustomerLeg: ix.customer, AgentLeg: ix.agentLeg,
	}
	if ix.agent != nil {
		rec.AgentID = ix.agent.user.ID
	} else {
		rec.AgentID = ix.lastAgentID
	}
	o.persist("interaction", func(ctx context.Context) error { return o.store.SaveInteraction(ctx, rec) })
	if ix.agent != nil {
		ix.lastAgentID = ix.agent.user.ID
	}
}

// event appends a step to the interaction's timeline.
func (o *Orchestrator) event(ix *interaction, kind string, userID int64, detail string) {
	e := InteractionEvent{InteractionID: ix.id, At: o.clock.Now(), Kind: kind, UserID: userID, Detail: detail}
	o.persist("interaction event", func(ctx context.Context) error { return o.store.AppendInteractionEvent(ctx, e) })
}
