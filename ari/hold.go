package ari

import (
	"context"
	"sync"

	ariv6 "github.com/CyCoreSystems/ari/v6"

	"github.com/ringside/ringside/orchestrator"
)

// Hold, the way PBX-NOTES found that works on Asterisk: channel MOH on a
// bridged leg plays music to it but its room still hears it, so a held leg
// is moved into a holding bridge of its own (role=participant: it hears
// only the bridge's music and nobody hears it) with bridge music on hold.
// A later Join moves it out with addChannel, which is the resume.
//
// The holding bridge is named holdPrefix+leg, so "hold-" ids are reserved
// for it. Asterisk never deletes an ARI bridge by itself, so the adapter
// deletes a leg's holding bridge when the leg joins a room, when it hangs
// up, and, after every connection to Asterisk, sweeps away empty ones left
// by a lost link or a previous controller (holding bridges that still hold
// a leg are adopted, so a later Join or hang-up cleans them up).

const holdPrefix = "hold-"

func holdRoom(leg orchestrator.LegID) orchestrator.RoomID {
	return orchestrator.RoomID(holdPrefix + string(leg))
}

// holds remembers which legs have a holding bridge and which Holds are in
// flight, so cleanup never deletes a bridge a Hold is still filling.
type holds struct {
	mu      sync.Mutex
	legs    map[orchestrator.LegID]bool // a holding bridge exists (or is being made)
	busy    map[orchestrator.LegID]int  // Hold calls in progress
	release map[orchestrator.LegID]bool // hung up during a Hold: delete when it ends
}

func newHolds() *holds {
	return &holds{
		legs:    map[orchestrator.LegID]bool{},
		busy:    map[orchestrator.LegID]int{},
		release: map[orchestrator.LegID]bool{},
	}
}

func (h *holds) begin(leg orchestrator.LegID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.legs[leg] = true
	h.busy[leg]++
}

// end closes a Hold; it reports whether the leg hung up meanwhile, so the
// caller must delete the holding bridge now.
func (h *holds) end(leg orchestrator.LegID) (releaseNow bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.busy[leg]--; h.busy[leg] > 0 {
		return false
	}
	delete(h.busy, leg)
	if h.release[leg] {
		delete(h.release, leg)
		delete(h.legs, leg)
		return true
	}
	return false
}

// claim reports whether a leg's holding bridge should be deleted now. While
// a Hold is in flight it only marks the leg, and that Hold deletes the
// bridge as it ends. The leg stays recorded until forget, after the
// deletion, so a concurrent claim (our Hangup and the hang-up event) also
// deletes, harmlessly, instead of returning while the bridge still exists.
func (h *holds) claim(leg orchestrator.LegID) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.legs[leg] {
		return false
	}
	if h.busy[leg] > 0 {
		h.release[leg] = true
		return false
	}
	return true
}

// releaseAfter makes the Hold in flight delete the holding bridge when it
// ends (it failed).
func (h *holds) releaseAfter(leg orchestrator.LegID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.release[leg] = true
}

// forget drops a leg whose holding bridge is gone or was never made.
func (h *holds) forget(leg orchestrator.LegID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.legs, leg)
	delete(h.release, leg)
}

// adopt records a holding bridge found on Asterisk with a leg in it.
func (h *holds) adopt(leg orchestrator.LegID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.legs[leg] = true
}

func (h *holds) inFlight(leg orchestrator.LegID) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.busy[leg] > 0
}

// Hold takes a leg out of its room onto music on hold (A5): it hears the
// music only, and nobody hears it. The music is started before the leg
// moves in, so it never sits in silence (an ARI holding bridge plays
// nothing by itself). Holding a held leg again is harmless.
func (a *Adapter) Hold(ctx context.Context, leg orchestrator.LegID, music string) error {
	if leg == "" {
		return orchestrator.Errorf(orchestrator.CodeInvalid, "Hold needs a leg id.")
	}
	room := holdRoom(leg)
	a.holds.begin(leg)
	err := a.hold(ctx, leg, room, music)
	if err != nil {
		a.holds.releaseAfter(leg) // no leak: the leg did not make it in
	}
	if a.holds.end(leg) { // failed, or the leg hung up meanwhile
		a.deleteHoldBridge(ctx, leg)
	}
	return err
}

func (a *Adapter) hold(ctx context.Context, leg orchestrator.LegID, room orchestrator.RoomID, music string) error {
	key := bridgeKey(room)
	err := call(ctx, func() error {
		_, err := a.cl.Bridge().Create(key, "holding", string(room))
		return err
	})
	if err != nil && statusOf(err) != 409 { // 409: left from an earlier Hold of this leg
		return wrapErr("hold", leg, room, err)
	}
	err = call(ctx, func() error { return a.cl.Bridge().MOH(key, music) })
	if err == nil {
		err = call(ctx, func() error {
			return a.cl.Bridge().AddChannelWithOptions(key, string(leg), &ariv6.BridgeAddChannelOptions{Role: "participant"})
		})
	}
	return wrapErr("hold", leg, room, err)
}

// leftHold runs once a leg has joined a room or hung up: its holding
// bridge, if it had one, is deleted.
func (a *Adapter) leftHold(ctx context.Context, leg orchestrator.LegID) {
	if a.holds.claim(leg) {
		a.deleteHoldBridge(ctx, leg)
		a.holds.forget(leg)
	}
}

// deleteHoldBridge deletes a holding bridge that is no longer needed; one
// that is already gone is fine.
func (a *Adapter) deleteHoldBridge(ctx context.Context, leg orchestrator.LegID) {
	room := holdRoom(leg)
	err := call(ctx, func() error { return a.cl.Bridge().Delete(bridgeKey(room)) })
	if err != nil && statusOf(err) != 404 {
		a.log.Warn("deleting a holding bridge", "bridge", room, "err", err)
	}
}

// onHungUp cleans up after a leg that hung up, without blocking the event
// reader: the REST call runs in the background.
func (a *Adapter) onHungUp(leg orchestrator.LegID) {
	if a.holds.claim(leg) {
		a.background(func(ctx context.Context) { a.leftHold(ctx, leg) })
	}
}

// sweepHold runs for each holding bridge found after a connection (see
// sweepBridges): empty ones are deleted, occupied ones adopted (see the
// comment at the top).
func (a *Adapter) sweepHold(ctx context.Context, k *ariv6.Key, id string) {
	leg := orchestrator.LegID(id)
	if id == "" || a.holds.inFlight(leg) {
		return
	}
	var data *ariv6.BridgeData
	if err := call(ctx, func() (err error) { data, err = a.cl.Bridge().Data(k); return err }); err != nil {
		return // gone meanwhile
	}
	if len(data.ChannelIDs) > 0 {
		a.holds.adopt(leg)
		return
	}
	if a.holds.inFlight(leg) {
		return // a Hold began meanwhile and is filling it
	}
	a.holds.forget(leg)
	a.deleteHoldBridge(ctx, leg)
}
