package orchestrator

import (
	"context"
	"fmt"
	"time"
)

// startRecording records the customer's room from the answer (A10.1).
func (o *Orchestrator) startRecording(ix *interaction) {
	r := &recording{id: RecordingID(ix.id), segment: 1}
	ix.rec = r
	o.recordSegment(ix, r)
	o.event(ix, "recording_started", 0, string(r.id))
}

// recordSegment asks the PBX to record the room into r.id, paused from the
// start if the agent had paused it.
func (o *Orchestrator) recordSegment(ix *interaction, r *recording) {
	steps := []mediaStep{record(ix.room, r.id)}
	if r.paused {
		steps = append(steps, pauseRec(r.id))
	}
	o.command(ix, "record", func(err error) {
		if ix.rec == r {
			r.stopped = true
			if ix.agent != nil {
				o.notify(ix.agent, "error", "This call is not being recorded: "+reasonOf(err)+".")
			}
			o.changed(ix)
		}
	}, steps...)
}

// syncRecording follows the room's occupancy: when the room empties the PBX
// has ended the file; when people are back a new file continues the call
// (named <interaction>-<n>), so nothing after a consult or transfer goes
// unrecorded.
func (o *Orchestrator) syncRecording(ix *interaction) {
	r := ix.rec
	if r == nil || r.stopped {
		return
	}
	occupied := !ix.held || o.agentInRoom(ix)
	switch {
	case !occupied && !r.gap:
		r.gap = true
	case occupied && r.gap:
		r.gap = false
		r.segment++
		r.id = RecordingID(fmt.Sprintf("%s-%d", ix.id, r.segment))
		o.recordSegment(ix, r)
		o.event(ix, "recording_continued", 0, string(r.id))
	}
}

// agentInRoom reports whether the handling agent's leg is in the customer's
// room now (not away in a consult room).
func (o *Orchestrator) agentInRoom(ix *interaction) bool {
	if ix.agentLeg == "" || ix.state != InteractionConnected {
		return false
	}
	c := ix.consult
	return c == nil || c.conference || c.held == "consulted"
}

// pauseRecording pauses the recording; the privacy shield resumes it after
// the queue's set time (A10.2, A10.3). Every pause is audited (A10.5). The
// call shows the recording paused only once the PBX has paused it: an
// agent told "paused" while the card number is still being recorded is
// the failure this prevents.
func (o *Orchestrator) pauseRecording(ctx context.Context, userID int64, id string, w *outcome) error {
	a, ix, err := o.handling(userID, id)
	if err != nil {
		return err
	}
	if err := o.allowed(ix, a, ActionPauseRecording); err != nil {
		return err
	}
	r := ix.rec
	o.change(ix, a, w, callChange{
		busy:    "pausing the recording",
		failure: "The recording could not be paused",
		steps:   []mediaStep{pauseRec(r.id)},
		apply: func() error {
			if ix.rec != r || r.stopped {
				return Errorf(CodeConflict, "The recording ended before it could be paused.")
			}
			r.paused = true
			if d := ix.queue.PrivacyShield; d > 0 {
				r.resumesAt = o.clock.Now().Add(d)
				r.timer = o.clock.AfterFunc(d, func() {
					o.post(func() {
						if ix.rec == r && r.paused && !r.stopped {
							_ = o.resumeRecording(context.Background(), 0, ix.id, true, nil)
						}
					})
				})
			}
			o.audit(a.user.ID, "recording_paused", ix, privacyDetail(ix.queue.PrivacyShield))
			o.event(ix, "recording_paused", a.user.ID, "")
			return nil
		},
	})
	return nil
}

func privacyDetail(d time.Duration) string {
	if d <= 0 {
		return "no privacy shield"
	}
	return fmt.Sprintf("privacy shield %s", d)
}

// resumeRecording resumes a paused recording: by the agent, or by the
// privacy shield (auto, userID 0, nobody waiting: a failure is a notice to
// the agent).
func (o *Orchestrator) resumeRecording(ctx context.Context, userID int64, id string, auto bool, w *outcome) error {
	var ix *interaction
	var a *agent
	actor := userID
	if auto {
		ix = o.st.interactions[id]
		if ix == nil || ix.rec == nil {
			return nil
		}
		if ix.busy != nil {
			// Another change is under way: the shield tries again shortly.
			o.retryShield(ix, ix.rec)
			return nil
		}
	} else {
		b, x, err := o.handling(userID, id)
		if err != nil {
			return err
		}
		if err := o.allowed(x, b, ActionResumeRecording); err != nil {
			return err
		}
		ix, a = x, b
	}
	r := ix.rec
	detail := "by the agent"
	if auto {
		detail = "by the privacy shield"
	}
	steps := []mediaStep{resumeRec(r.id)}
	if r.gap {
		// Nobody is in the room (a consult, a blind transfer): the PBX
		// ended that file, and the next one starts unpaused.
		steps = nil
	}
	o.change(ix, a, w, callChange{
		busy:    "resuming the recording",
		failure: "The recording could not be resumed",
		steps:   steps,
		apply: func() error {
			if ix.rec != r || r.stopped {
				return nil // the call ended meanwhile: nothing left to resume
			}
			stopTimer(&r.timer)
			r.paused, r.resumesAt = false, time.Time{}
			o.audit(actor, "recording_resumed", ix, detail)
			o.event(ix, "recording_resumed", actor, detail)
			return nil
		},
		fail: func(int, error) error {
			// Still paused: the privacy shield keeps its promise and
			// tries again (A10.3).
			if auto && ix.rec == r && r.paused && !r.stopped {
				o.retryShield(ix, r)
			}
			return nil
		},
	})
	return nil
}

// shieldRetry is how soon the privacy shield tries again when the call was
// busy with another change when it ran out, or the PBX refused.
const shieldRetry = time.Second

func (o *Orchestrator) retryShield(ix *interaction, r *recording) {
	stopTimer(&r.timer)
	r.timer = o.clock.AfterFunc(shieldRetry, func() {
		o.post(func() {
			if ix.rec == r && r.paused && !r.stopped {
				_ = o.resumeRecording(context.Background(), 0, ix.id, true, nil)
			}
		})
	})
}

// stopRecording ends the recording when the call ends.
func (o *Orchestrator) stopRecording(ix *interaction) {
	r := ix.rec
	if r == nil || r.stopped {
		return
	}
	stopTimer(&r.timer)
	r.stopped, r.paused = true, false
	if !r.gap {
		o.cleanup(ix, stopRec(r.id))
	}
}

// audit writes an audit entry about an interaction.
func (o *Orchestrator) audit(actor int64, action string, ix *interaction, detail string) {
	e := AuditEntry{At: o.clock.Now(), ActorID: actor, Action: action, InteractionID: ix.id, Detail: detail}
	if ix.agent != nil {
		e.TargetUserID = ix.agent.user.ID
	}
	o.persist("audit", func(ctx context.Context) error { return o.store.Audit(ctx, e) })
}

func record(room RoomID, rec RecordingID) mediaStep {
	return func(ctx context.Context, m Media) error { return m.Record(ctx, room, rec) }
}
func pauseRec(rec RecordingID) mediaStep {
	return func(ctx context.Context, m Media) error { return m.PauseRecording(ctx, rec) }
}
func resumeRec(rec RecordingID) mediaStep {
	return func(ctx context.Context, m Media) error { return m.ResumeRecording(ctx, rec) }
}
func stopRec(rec RecordingID) mediaStep {
	return func(ctx context.Context, m Media) error { return m.StopRecording(ctx, rec) }
}
