package orchestrator

import "context"

// Call-handling commands (A5–A11). Each names the acting user and the
// interaction; the rules decide whether that user may act now, and refuse
// with CodeConflict and the reason when not.

// Hold puts the customer on hold (A5).
func (o *Orchestrator) Hold(ctx context.Context, userID int64, ixID string) error {
	return o.doPBX(ctx, func(w *outcome) error { return o.hold(ctx, userID, ixID, w) })
}

// Resume takes the customer off hold; during a consult the consulted party
// is held instead (A6.3).
func (o *Orchestrator) Resume(ctx context.Context, userID int64, ixID string) error {
	return o.doPBX(ctx, func(w *outcome) error { return o.resume(ctx, userID, ixID, w) })
}

// ResumeConsulted returns agent 1 to the consulted party, holding the
// customer (A6.3).
func (o *Orchestrator) ResumeConsulted(ctx context.Context, userID int64, ixID string) error {
	return o.doPBX(ctx, func(w *outcome) error { return o.resumeConsulted(ctx, userID, ixID, w) })
}

// Consult starts a consult to an agent, a queue or a dial number (A6).
func (o *Orchestrator) Consult(ctx context.Context, userID int64, ixID string, t Target) error {
	return o.doPBX(ctx, func(w *outcome) error { return o.consult(ctx, userID, ixID, t, w) })
}

// EndConsult ends the consult and returns agent 1 to the customer (A6.7).
func (o *Orchestrator) EndConsult(ctx context.Context, userID int64, ixID string) error {
	return o.doPBX(ctx, func(w *outcome) error { return o.endConsult(ctx, userID, ixID, w) })
}

// ExitConsult lets the consulted agent leave; the call goes on between
// agent 1 and the customer (A6.5).
func (o *Orchestrator) ExitConsult(ctx context.Context, userID int64, ixID string) error {
	return o.do(ctx, func() error { return o.exitConsult(ctx, userID, ixID) })
}

// Transfer hands the call over, blind or to the consulted party (A8).
func (o *Orchestrator) Transfer(ctx context.Context, userID int64, ixID string, t Target, mode TransferMode) error {
	return o.doPBX(ctx, func(w *outcome) error { return o.transfer(ctx, userID, ixID, t, mode, w) })
}

// Conference joins agent 1, the customer and the consulted party (A9).
func (o *Orchestrator) Conference(ctx context.Context, userID int64, ixID string) error {
	return o.doPBX(ctx, func(w *outcome) error { return o.conference(ctx, userID, ixID, w) })
}

// PauseRecording pauses the call's recording; the queue's privacy shield
// resumes it by itself (A10.2, A10.3).
func (o *Orchestrator) PauseRecording(ctx context.Context, userID int64, ixID string) error {
	return o.doPBX(ctx, func(w *outcome) error { return o.pauseRecording(ctx, userID, ixID, w) })
}

// ResumeRecording resumes a paused recording (A10.2).
func (o *Orchestrator) ResumeRecording(ctx context.Context, userID int64, ixID string) error {
	return o.doPBX(ctx, func(w *outcome) error { return o.resumeRecording(ctx, userID, ixID, false, w) })
}

// SetVariable saves an editable call variable. version is the version the
// editor read; a stale one is refused with CodeConflict and the value that
// won (A11.2, A11.4).
func (o *Orchestrator) SetVariable(ctx context.Context, userID int64, ixID, name, value string, version int) (VariableView, error) {
	var v VariableView
	err := o.do(ctx, func() error {
		var err error
		v, err = o.setVariable(ctx, userID, ixID, name, value, version)
		return err
	})
	return v, err
}

// RevealVariable returns a secure variable's value to an authorized viewer;
// the reveal is audited, the value never logged (A11.3).
func (o *Orchestrator) RevealVariable(ctx context.Context, userID int64, ixID, name string) (string, error) {
	var v string
	err := o.do(ctx, func() error {
		var err error
		v, err = o.revealVariable(ctx, userID, ixID, name)
		return err
	})
	return v, err
}

// TargetAgents lists the agents a user may consult (Available and Idle,
// A6.1) or transfer to (Available only, A8.1), by name, without the user.
func (o *Orchestrator) TargetAgents(ctx context.Context, userID int64, purpose string) ([]TargetAgentView, error) {
	var out []TargetAgentView
	err := o.do(ctx, func() error {
		var err error
		out, err = o.targetAgents(userID, purpose)
		return err
	})
	return out, err
}
