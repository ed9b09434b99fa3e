package ari

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	ariv6 "github.com/CyCoreSystems/ari/v6"

	"github.com/ringside/ringside/orchestrator"
)

// Monitoring on Asterisk, the way PBX-NOTES found that works: a snoop
// channel on the agent's leg (spy=both, so both sides of the call) and the
// supervisor's leg in a mixing bridge of their own, "mon-<id>". The snoop's
// whisper direction is the mode: none (listen), out (whisper: the agent
// alone hears the supervisor) or both (barge). A snoop's direction cannot
// change, so a mode change is make-before-break (DESIGN.md, after
// wazo-calld): a new snoop with the new direction joins the bridge before
// the old one is hung up, so the supervisor never stops hearing. A new
// snoop joins the bridge only once it has entered the application: an
// addChannel sent before that gets 422 and the snoop is hung up
// (PBX-NOTES).
//
// Pause takes the supervisor out both ways (M3): mute direction=in on the
// snoop, so they hear exact silence, and on the supervisor's own leg, so
// nobody hears them. Muting the snoop alone is not enough: its whisper
// still carries the supervisor to the call (measured on 23.4.1 after barge
// then pause). The snoop's mute carries over to the next snoop of a mode
// change; the leg's stays until resume.
//
// Snoop channels enter the application with the Stasis argument snoopArg;
// the translator never reports them to the orchestrator. Asterisk sends no
// ChannelDestroyed for a snoop (PBX-NOTES): its StasisEnd ends it.

const (
	monitorPrefix = "mon-"
	snoopArg      = "snoop"
)

func monitorRoom(id orchestrator.MonitorID) orchestrator.RoomID {
	return orchestrator.RoomID(monitorPrefix + string(id))
}

// whisperFor is the snoop whisper direction of each mode.
func whisperFor(mode orchestrator.MonitorMode) (ariv6.Direction, bool) {
	switch mode {
	case orchestrator.MonitorListen:
		return ariv6.DirectionNone, true
	case orchestrator.MonitorWhisper:
		return ariv6.DirectionOut, true
	case orchestrator.MonitorBarge:
		return ariv6.DirectionBoth, true
	}
	return "", false
}

// monitor is one monitoring session. Its mutex serialises the commands on
// it, which take several requests each.
type monitor struct {
	mu      sync.Mutex
	id      orchestrator.MonitorID
	target  orchestrator.LegID
	sup     orchestrator.LegID // the supervisor's leg
	mode    orchestrator.MonitorMode
	paused  bool
	snoop   orchestrator.LegID // the current snoop channel
	stopped bool
}

type monitors struct {
	mu  sync.Mutex
	m   map[orchestrator.MonitorID]*monitor
	seq atomic.Uint64 // snoops made so far
}

func newMonitors() *monitors { return &monitors{m: map[orchestrator.MonitorID]*monitor{}} }

// get returns the monitor, locked, or a not_found error.
func (ms *monitors) get(id orchestrator.MonitorID) (*monitor, error) {
	ms.mu.Lock()
	m := ms.m[id]
	ms.mu.Unlock()
	if m == nil {
		return nil, orchestrator.Errorf(orchestrator.CodeNotFound, "There is no such monitoring session.")
	}
	m.mu.Lock()
	if m.stopped {
		m.mu.Unlock()
		return nil, orchestrator.Errorf(orchestrator.CodeNotFound, "There is no such monitoring session.")
	}
	return m, nil
}

// Monitor starts monitoring target with the supervisor's answered leg.
func (a *Adapter) Monitor(ctx context.Context, id orchestrator.MonitorID, sup, target orchestrator.LegID, mode orchestrator.MonitorMode) error {
	whisper, ok := whisperFor(mode)
	switch {
	case id == "" || sup == "" || target == "":
		return orchestrator.Errorf(orchestrator.CodeInvalid, "Monitoring needs an id, a supervisor leg and a target leg.")
	case !ok:
		return orchestrator.Errorf(orchestrator.CodeInvalid, "Unknown monitoring mode %q.", mode)
	}
	m := &monitor{id: id, sup: sup, target: target, mode: mode}
	m.mu.Lock()
	defer m.mu.Unlock()
	a.mons.mu.Lock()
	if a.mons.m[id] != nil {
		a.mons.mu.Unlock()
		return orchestrator.Errorf(orchestrator.CodeConflict, "This monitoring session exists already.")
	}
	a.mons.m[id] = m
	a.mons.mu.Unlock()

	err := a.startMonitor(ctx, m, sup, whisper)
	if err != nil {
		m.stopped = true
		a.mons.mu.Lock()
		delete(a.mons.m, id)
		a.mons.mu.Unlock()
	}
	return err
}

func (a *Adapter) startMonitor(ctx context.Context, m *monitor, sup orchestrator.LegID, whisper ariv6.Direction) error {
	room := monitorRoom(m.id)
	if err := call(ctx, func() error {
		_, err := a.cl.Bridge().Create(bridgeKey(room), "mixing", string(room))
		return err
	}); err != nil {
		return wrapErr("monitor", m.target, room, err)
	}
	snoop, err := a.addSnoop(ctx, m, whisper)
	if err == nil {
		err = call(ctx, func() error { return a.cl.Bridge().AddChannel(bridgeKey(room), string(sup)) })
		err = wrapErr("join", sup, room, err) // an unknown leg is a 400 here
	}
	if err == nil {
		m.snoop = snoop
		return nil
	}
	// Undo: no snoop and no bridge are left behind.
	cctx, cancel := a.detached(ctx)
	defer cancel()
	if snoop != "" {
		a.hangupSnoop(cctx, snoop)
	}
	a.deleteMonitorRoom(cctx, room)
	return err
}

// addSnoop makes the monitor's next snoop on its target with the given
// whisper direction, mutes it when the monitor is paused, and adds it to
// the monitor bridge. On failure nothing is left behind.
func (a *Adapter) addSnoop(ctx context.Context, m *monitor, whisper ariv6.Direction) (orchestrator.LegID, error) {
	room := monitorRoom(m.id)
	// Snoop ids are never reused, not even by a monitor id tried again:
	// a late event of an old snoop must not be taken for the new one's.
	snoop := orchestrator.LegID(fmt.Sprintf("%s-snoop-%d", m.id, a.mons.seq.Add(1)))
	started := a.tr.expectSnoop(string(snoop))
	err := call(ctx, func() error {
		_, err := a.cl.Channel().Snoop(channelKey(m.target), string(snoop), &ariv6.SnoopOptions{
			App: a.opts.Application, AppArgs: snoopArg, Spy: ariv6.DirectionBoth, Whisper: whisper,
		})
		return err
	})
	if err != nil {
		if statusOf(err) != 0 {
			a.tr.forget(string(snoop)) // refused: no channel
		} else {
			// No answer: the snoop may exist all the same.
			cctx, cancel := a.detached(ctx)
			defer cancel()
			a.hangupSnoop(cctx, snoop)
		}
		return "", wrapErr("monitor", m.target, "", err) // a 404 here: the agent's leg is gone
	}
	err = a.awaitSnoop(ctx, snoop, started)
	if err == nil && m.paused {
		err = call(ctx, func() error { return a.cl.Channel().Mute(channelKey(snoop), ariv6.DirectionIn) })
		err = wrapErr("pause monitor", snoop, "", err)
	}
	if err == nil {
		err = wrapErr("monitor", snoop, room, call(ctx, func() error {
			return a.cl.Bridge().AddChannel(bridgeKey(room), string(snoop))
		}))
	}
	if err != nil {
		// Even one that timed out waiting to enter the application: it
		// may enter later, and must not spy on the call for nobody.
		cctx, cancel := a.detached(ctx)
		defer cancel()
		a.hangupSnoop(cctx, snoop)
		return "", err
	}
	return snoop, nil
}

// awaitSnoop waits until a new snoop has entered the application, the
// only time it can join a bridge.
func (a *Adapter) awaitSnoop(ctx context.Context, snoop orchestrator.LegID, started <-chan struct{}) error {
	select {
	case <-started:
	case <-ctx.Done():
		return &Error{Op: "monitor", Leg: snoop, Err: fmt.Errorf("the snoop channel did not enter the application: %w", ctx.Err())}
	}
	if !a.tr.snoopStarted(string(snoop)) {
		return &Error{Op: "monitor", Leg: snoop, Status: 409, Err: errors.New("the snoop channel ended before it entered the application")}
	}
	return nil
}

// SetMonitorMode changes the mode, make-before-break.
func (a *Adapter) SetMonitorMode(ctx context.Context, id orchestrator.MonitorID, mode orchestrator.MonitorMode) error {
	whisper, ok := whisperFor(mode)
	if !ok {
		return orchestrator.Errorf(orchestrator.CodeInvalid, "Unknown monitoring mode %q.", mode)
	}
	m, err := a.mons.get(id)
	if err != nil {
		return err
	}
	defer m.mu.Unlock()
	if m.mode == mode {
		return nil
	}
	snoop, err := a.addSnoop(ctx, m, whisper)
	if err != nil {
		return err // the old snoop carries on
	}
	old := m.snoop
	m.snoop, m.mode = snoop, mode
	a.hangupSnoop(ctx, old)
	return nil
}

// PauseMonitor silences what the supervisor hears (M3).
func (a *Adapter) PauseMonitor(ctx context.Context, id orchestrator.MonitorID) error {
	return a.setPaused(ctx, id, true)
}

// ResumeMonitor lets the supervisor hear again.
func (a *Adapter) ResumeMonitor(ctx context.Context, id orchestrator.MonitorID) error {
	return a.setPaused(ctx, id, false)
}

func (a *Adapter) setPaused(ctx context.Context, id orchestrator.MonitorID, paused bool) error {
	m, err := a.mons.get(id)
	if err != nil {
		return err
	}
	defer m.mu.Unlock()
	if m.paused == paused {
		return nil
	}
	op, set := "resume monitor", a.unmuteIn
	if paused {
		op, set = "pause monitor", a.muteIn
	}
	// Pausing stops the supervisor's voice first, resuming lets them hear
	// first: a half-done change never lets the call hear a supervisor the
	// desktop shows as paused.
	first, second := m.snoop, m.sup
	if paused {
		first, second = m.sup, m.snoop
	}
	if err := set(ctx, first); err != nil {
		return wrapErr(op, first, "", err)
	}
	if err := set(ctx, second); err != nil {
		undo := a.muteIn
		if paused {
			undo = a.unmuteIn
		}
		if uerr := undo(ctx, first); uerr != nil {
			a.log.Warn("undoing half a monitor pause change", "monitor", id, "err", uerr)
		}
		return wrapErr(op, second, "", err)
	}
	m.paused = paused
	return nil
}

func (a *Adapter) muteIn(ctx context.Context, leg orchestrator.LegID) error {
	return call(ctx, func() error { return a.cl.Channel().Mute(channelKey(leg), ariv6.DirectionIn) })
}

func (a *Adapter) unmuteIn(ctx context.Context, leg orchestrator.LegID) error {
	return call(ctx, func() error { return a.cl.Channel().Unmute(channelKey(leg), ariv6.DirectionIn) })
}

// StopMonitor hangs up the snoop and deletes the monitor bridge; the
// supervisor's leg stays up, in no room (it is the orchestrator's). A
// snoop or bridge already gone (the agent hung up) is fine.
func (a *Adapter) StopMonitor(ctx context.Context, id orchestrator.MonitorID) error {
	m, err := a.mons.get(id)
	if err != nil {
		return err
	}
	defer m.mu.Unlock()
	if err := a.hangupSnoopErr(ctx, m.snoop); err != nil {
		return wrapErr("stop monitor", m.snoop, monitorRoom(id), err)
	}
	if err := a.deleteMonitorRoomErr(ctx, monitorRoom(id)); err != nil {
		return wrapErr("stop monitor", "", monitorRoom(id), err)
	}
	m.stopped = true
	a.mons.mu.Lock()
	delete(a.mons.m, id)
	a.mons.mu.Unlock()
	return nil
}

func (a *Adapter) hangupSnoopErr(ctx context.Context, snoop orchestrator.LegID) error {
	err := call(ctx, func() error { return a.cl.Channel().Hangup(channelKey(snoop), "normal") })
	if err != nil && statusOf(err) != 404 {
		return err
	}
	return nil
}

// hangupSnoop is a best-effort hang-up (cleanup, the old snoop of a mode
// change); a failure is logged. The snoop dies with the agent's leg anyway.
func (a *Adapter) hangupSnoop(ctx context.Context, snoop orchestrator.LegID) {
	if err := a.hangupSnoopErr(ctx, snoop); err != nil {
		a.log.Warn("hanging up a snoop channel", "channel", snoop, "err", err)
	}
}

func (a *Adapter) deleteMonitorRoomErr(ctx context.Context, room orchestrator.RoomID) error {
	err := call(ctx, func() error { return a.cl.Bridge().Delete(bridgeKey(room)) })
	if err != nil && statusOf(err) != 404 {
		return err
	}
	return nil
}

func (a *Adapter) deleteMonitorRoom(ctx context.Context, room orchestrator.RoomID) {
	if err := a.deleteMonitorRoomErr(ctx, room); err != nil {
		a.log.Warn("deleting a monitor bridge", "bridge", room, "err", err)
	}
}
