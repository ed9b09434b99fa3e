package ari

import (
	"context"

	"github.com/ringside/ringside/orchestrator"
)

// Monitoring (snoop channels) is being built; until then it says so.
func monitorPending() error {
	return orchestrator.Errorf(orchestrator.CodeUnavailable, "monitoring is not available on Asterisk yet")
}

func (a *Adapter) Monitor(ctx context.Context, id orchestrator.MonitorID, sup, target orchestrator.LegID, mode orchestrator.MonitorMode) error {
	return monitorPending()
}
func (a *Adapter) SetMonitorMode(ctx context.Context, id orchestrator.MonitorID, mode orchestrator.MonitorMode) error {
	return monitorPending()
}
func (a *Adapter) PauseMonitor(ctx context.Context, id orchestrator.MonitorID) error {
	return monitorPending()
}
func (a *Adapter) ResumeMonitor(ctx context.Context, id orchestrator.MonitorID) error {
	return monitorPending()
}
func (a *Adapter) StopMonitor(ctx context.Context, id orchestrator.MonitorID) error {
	return monitorPending()
}
