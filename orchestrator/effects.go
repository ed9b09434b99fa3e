package orchestrator

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"
)

// mediaTimeout bounds one PBX command; a PBX that does not answer in time is
// treated as a failed command, never as a stuck loop.
const mediaTimeout = 10 * time.Second

// storeTimeout bounds one database write made from the loop.
const storeTimeout = 5 * time.Second

// mediaStep is one PBX command of a sequence.
type mediaStep func(ctx context.Context, m Media) error

// command runs steps in order on the interaction's serial queue, outside the
// loop. The first failure stops the sequence; onErr (if any) then runs back
// inside the loop.
func (o *Orchestrator) command(ix *interaction, what string, onErr func(error), steps ...mediaStep) {
	o.commandOn(&ix.media, ix.id, what, onErr, steps...)
}

// commandOn is command on any serial queue; label names its owner in logs.
func (o *Orchestrator) commandOn(q *serial, label, what string, onErr func(error), steps ...mediaStep) {
	var done func(int, error)
	if onErr != nil {
		done = func(_ int, err error) {
			if err != nil {
				onErr(err)
			}
		}
	}
	o.commandThen(q, label, what, done, steps...)
}

// commandThen is commandOn whose outcome always comes back: done (if any)
// runs in the loop once the sequence is over, with -1 and nil when every
// step worked, else the index of the step that failed and its error.
func (o *Orchestrator) commandThen(q *serial, label, what string, done func(failed int, err error), steps ...mediaStep) {
	o.queueMedia(q, func() {
		failed, err := -1, error(nil)
		for i, step := range steps {
			ctx, cancel := context.WithTimeout(context.Background(), mediaTimeout)
			err = step(ctx, o.media)
			cancel()
			if err != nil {
				failed = i
				o.log.Warn("PBX command failed", "on", label, "what", what, "err", err)
				break
			}
		}
		if done != nil {
			o.post(func() { done(failed, err) })
		}
	})
}

// persist runs a store write from the loop. A failed write is logged with
// what was lost and puts the database banner up at once (S9) rather than at
// the next probe; the live state goes on so calls are never dropped because
// of the database. A write that works clears the banner, as the probe's
// own write would.
func (o *Orchestrator) persist(what string, f func(ctx context.Context) error) {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	err := f(ctx)
	if err != nil {
		o.log.Error("database write failed", "what", what, "err", err)
	}
	switch ErrorCode(err) {
	case CodeInvalid, CodeConflict, CodeNotFound:
		return // the record was refused, the database works: a bug to log, not an outage
	}
	o.setHealth(PartDatabase, err)
}

// newID returns a random id with a prefix, unique across restarts.
func newID(prefix string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Step constructors keep the sequences readable.

func dial(req DialRequest) mediaStep {
	return func(ctx context.Context, m Media) error { return m.Dial(ctx, req) }
}
func answer(leg LegID) mediaStep {
	return func(ctx context.Context, m Media) error { return m.Answer(ctx, leg) }
}
func hangup(leg LegID, c Cause) mediaStep {
	return func(ctx context.Context, m Media) error { return m.Hangup(ctx, leg, c) }
}
func newRoom(r RoomID) mediaStep {
	return func(ctx context.Context, m Media) error { return m.NewRoom(ctx, r) }
}
func join(r RoomID, leg LegID) mediaStep {
	return func(ctx context.Context, m Media) error { return m.Join(ctx, r, leg) }
}
func closeRoom(r RoomID) mediaStep {
	return func(ctx context.Context, m Media) error { return m.CloseRoom(ctx, r) }
}

// discardRoom closes a room that may or may not exist; either is fine.
func discardRoom(r RoomID) mediaStep {
	return func(ctx context.Context, m Media) error {
		_ = m.CloseRoom(ctx, r)
		return nil
	}
}

// putBack runs the steps that undo a failed change, every one even when
// one fails (a leg may be gone: its hang-up event handles that). A step
// that fails is a warning: the PBX may now differ from what the call shows.
func (o *Orchestrator) putBack(ix *interaction, steps ...mediaStep) {
	o.runAll(ix, slog.LevelWarn, "putting the PBX back after a failed change failed", steps)
}

// cleanup runs every step even when one fails: tearing down a call must not
// stop at a leg the PBX already hung up.
func (o *Orchestrator) cleanup(ix *interaction, steps ...mediaStep) {
	o.runAll(ix, slog.LevelDebug, "PBX clean-up step failed", steps)
}

// runAll runs every step on the call's queue, logging failures at level.
func (o *Orchestrator) runAll(ix *interaction, level slog.Level, msg string, steps []mediaStep) {
	o.queueMedia(&ix.media, func() {
		for _, step := range steps {
			ctx, cancel := context.WithTimeout(context.Background(), mediaTimeout)
			if err := step(ctx, o.media); err != nil {
				o.log.Log(ctx, level, msg, "interaction", ix.id, "err", err)
			}
			cancel()
		}
	})
}
