package orchestrator

import "context"

// Temporary: replaced as each rule lands.
func notYet() error { return Errorf(CodeUnavailable, "not available yet") }

func (o *Orchestrator) hold(ctx context.Context, u int64, ix string) error   { return notYet() }
func (o *Orchestrator) resume(ctx context.Context, u int64, ix string) error { return notYet() }
func (o *Orchestrator) resumeConsulted(ctx context.Context, u int64, ix string) error {
	return notYet()
}
func (o *Orchestrator) consult(ctx context.Context, u int64, ix string, t Target) error {
	return notYet()
}
func (o *Orchestrator) endConsult(ctx context.Context, u int64, ix string) error  { return notYet() }
func (o *Orchestrator) exitConsult(ctx context.Context, u int64, ix string) error { return notYet() }
func (o *Orchestrator) transfer(ctx context.Context, u int64, ix string, t Target, m TransferMode) error {
	return notYet()
}
func (o *Orchestrator) conference(ctx context.Context, u int64, ix string) error     { return notYet() }
func (o *Orchestrator) pauseRecording(ctx context.Context, u int64, ix string) error { return notYet() }
func (o *Orchestrator) resumeRecording(ctx context.Context, u int64, ix string, auto bool) error {
	return notYet()
}
func (o *Orchestrator) setVariable(ctx context.Context, u int64, ix, n, v string, ver int) (VariableView, error) {
	return VariableView{}, notYet()
}
func (o *Orchestrator) revealVariable(ctx context.Context, u int64, ix, n string) (string, error) {
	return "", notYet()
}
func (o *Orchestrator) targetAgents(u int64, p string) ([]TargetAgentView, error) {
	return nil, notYet()
}
