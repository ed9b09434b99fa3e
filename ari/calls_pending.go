package ari

import (
	"context"

	"github.com/ringside/ringside/orchestrator"
)

// Hold and recording are being built; until then they say so.
func pending() error {
	return orchestrator.Errorf(orchestrator.CodeUnavailable, "hold and recording are not available on Asterisk yet")
}

func (a *Adapter) Hold(ctx context.Context, leg orchestrator.LegID) error { return pending() }
func (a *Adapter) Record(ctx context.Context, room orchestrator.RoomID, rec orchestrator.RecordingID) error {
	return pending()
}
func (a *Adapter) PauseRecording(ctx context.Context, rec orchestrator.RecordingID) error {
	return pending()
}
func (a *Adapter) ResumeRecording(ctx context.Context, rec orchestrator.RecordingID) error {
	return pending()
}
func (a *Adapter) StopRecording(ctx context.Context, rec orchestrator.RecordingID) error {
	return pending()
}
