package ari

import (
	"context"

	"github.com/ringside/ringside/orchestrator"
)

// MoveMonitor points the monitor at another target leg: the call was
// transferred to another agent and the supervisor follows it (M5.4). The
// supervisor's leg and the monitor bridge stay; only the snoop changes,
// make-before-break as in a mode change: a snoop on the new target, in the
// current mode and muted when paused, joins the bridge before the old one
// is hung up. The old snoop may be gone already (it dies with its target,
// as after a blind transfer): its hang-up then finds nothing, which is fine.
// If the new snoop cannot be made the monitor keeps its old target.
func (a *Adapter) MoveMonitor(ctx context.Context, id orchestrator.MonitorID, target orchestrator.LegID) error {
	if target == "" {
		return orchestrator.Errorf(orchestrator.CodeInvalid, "Moving a monitor needs a target leg.")
	}
	m, err := a.mons.get(id)
	if err != nil {
		return err
	}
	defer m.mu.Unlock()
	if m.target == target {
		return nil
	}
	whisper, _ := whisperFor(m.mode) // the mode was checked when set
	prev := m.target
	m.target = target // addSnoop spies on m.target
	snoop, err := a.addSnoop(ctx, m, whisper)
	if err != nil {
		m.target = prev
		return err
	}
	old := m.snoop
	m.snoop = snoop
	a.hangupSnoop(ctx, old)
	return nil
}
