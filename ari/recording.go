package ari

import (
	"context"

	ariv6 "github.com/CyCoreSystems/ari/v6"

	"github.com/ringside/ringside/orchestrator"
)

// Recordings are ARI bridge recordings of a room (PBX-NOTES, Recording):
//
//	Record           POST /bridges/{room}/record name={rec} format=wav ifExists=overwrite
//	PauseRecording   POST   /recordings/live/{rec}/pause  (the paused span is absent from the file)
//	ResumeRecording  DELETE /recordings/live/{rec}/pause
//	StopRecording    POST   /recordings/live/{rec}/stop   (RecordingFinished)
//
// format is always sent: a bridge record without it crashes Asterisk
// master. "wav" is 8 kHz 16-bit mono ("WAV" would be GSM). The file is
// <spool>/recording/{rec}.wav.
//
// Names are checked before anything is sent: ari/v6 puts them into URL
// paths unescaped, so a "/" would make the recording unreachable once
// started, and ".." is refused by Asterisk (500) or escapes the spool.
//
// Asterisk ends a bridge recording by itself when the room is closed or
// its last leg leaves it (the recorder is a "lonely" bridge channel), e.g.
// when every leg of the room is held or moved to a consult room; later
// pause, resume or stop calls then fail with not_found.

// maxRecordingName bounds a name to something every file system takes.
const maxRecordingName = 200

// Record starts recording a room into rec.wav, replacing any old file of
// that name. A recording of that name still running is a conflict.
func (a *Adapter) Record(ctx context.Context, room orchestrator.RoomID, rec orchestrator.RecordingID) error {
	if err := validRecording(rec); err != nil {
		return err
	}
	return recErr("record", room, rec, call(ctx, func() error {
		_, err := a.cl.Bridge().Record(bridgeKey(room), string(rec), &ariv6.RecordingOptions{
			Format: "wav",
			Exists: "overwrite",
		})
		return err
	}))
}

// PauseRecording pauses a recording; pausing a paused one is accepted.
func (a *Adapter) PauseRecording(ctx context.Context, rec orchestrator.RecordingID) error {
	return a.liveRecording(ctx, "pause recording", rec, a.cl.LiveRecording().Pause)
}

// ResumeRecording resumes a paused recording; resuming a running one is
// accepted.
func (a *Adapter) ResumeRecording(ctx context.Context, rec orchestrator.RecordingID) error {
	return a.liveRecording(ctx, "resume recording", rec, a.cl.LiveRecording().Resume)
}

// StopRecording ends a recording and keeps its file.
func (a *Adapter) StopRecording(ctx context.Context, rec orchestrator.RecordingID) error {
	return a.liveRecording(ctx, "stop recording", rec, a.cl.LiveRecording().Stop)
}

func (a *Adapter) liveRecording(ctx context.Context, op string, rec orchestrator.RecordingID, f func(*ariv6.Key) error) error {
	if err := validRecording(rec); err != nil {
		return err
	}
	key := ariv6.NewKey(ariv6.LiveRecordingKey, string(rec))
	return recErr(op, "", rec, call(ctx, func() error { return f(key) }))
}

// validRecording enforces the port's RecordingID alphabet (letters, digits,
// '-' and '_'), which keeps "/" and ".." out of ARI paths and file names.
func validRecording(rec orchestrator.RecordingID) error {
	if rec == "" || len(rec) > maxRecordingName {
		return orchestrator.Errorf(orchestrator.CodeInvalid, "A recording needs a name of 1 to %d characters.", maxRecordingName)
	}
	for _, r := range rec {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return orchestrator.Errorf(orchestrator.CodeInvalid, "A recording name may hold only letters, digits, '-' and '_'.")
		}
	}
	return nil
}

func recErr(op string, room orchestrator.RoomID, rec orchestrator.RecordingID, err error) error {
	if err == nil {
		return nil
	}
	e := wrapErr(op, "", room, err).(*Error)
	e.Recording = rec
	return e
}
