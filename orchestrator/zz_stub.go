package orchestrator

import "context"

// Temporary: replaced by the real implementation.
type state struct {
	agents map[int64]*agent
	seq    uint64
}
type agent struct{}

func newState() *state                                             { return &state{agents: map[int64]*agent{}} }
func (o *Orchestrator) onMedia(ctx context.Context, ev MediaEvent) {}
func (o *Orchestrator) signIn(ctx context.Context, req SignInRequest) (AgentView, error) {
	return AgentView{}, Errorf(CodeInternal, "not implemented")
}
func (o *Orchestrator) signOut(ctx context.Context, id int64) error { return nil }
func (o *Orchestrator) setState(ctx context.Context, id int64, s AgentState, r string) error {
	return nil
}
func (o *Orchestrator) endInteraction(ctx context.Context, id int64, i string) error { return nil }
func (o *Orchestrator) wrapup(ctx context.Context, id int64, i, c string) error      { return nil }
func (o *Orchestrator) agentView(a *agent) AgentView                                 { return AgentView{} }
func (o *Orchestrator) allAgentViews() []AgentView                                   { return nil }
