package ari

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"

	ariv6 "github.com/CyCoreSystems/ari/v6"

	"github.com/ringside/ringside/orchestrator"
)

// Hold, the way PBX-NOTES found that works on Asterisk: channel MOH on a
// bridged leg plays music to it but its room still hears it, so a held leg
// is moved into a holding bridge of its own (role=participant: it hears
// only the bridge's music and nobody hears it) with bridge music on hold
// of the class asked for. A later Join moves it out with addChannel, which
// is the resume.
//
// Every Hold makes a new holding bridge, "hold-<app>-<run>-<n>", named
// after the leg; an id is never used twice. Asterisk keeps a deleted holding bridge
// alive while its music announcer is still in it: the id stays taken (409
// on create, 404 on /moh) for a while, so a second hold of the same leg
// under the same id silently failed and the customer kept hearing the agent
// (measured on 23.4.1). The run part keeps a restarted controller clear of
// the ids of the one before, the application's name other applications'
// holding bridges clear of the sweep.
//
// Asterisk never deletes an ARI bridge by itself, so the adapter deletes a
// leg's holding bridge when the leg joins a room, is held again, or hangs
// up, and, after every connection to Asterisk, sweeps away the ones left
// by a lost link or a previous controller (one that still holds its leg is
// adopted, so a later Join or hang-up cleans it up).

const holdPrefix = "hold-"

// holds remembers each held leg's holding bridge and which Holds are in
// flight, so cleanup never deletes a bridge a Hold is still filling.
type holds struct {
	mu      sync.Mutex
	prefix  string // "hold-<app>-": every holding bridge id of this application
	run     string // this adapter's part of every holding bridge id
	seq     uint64
	bridge  map[orchestrator.LegID]orchestrator.RoomID // the leg's current holding bridge
	busy    map[orchestrator.LegID]int                 // Hold calls in progress
	making  map[orchestrator.RoomID]bool               // their bridges
	release map[orchestrator.LegID]bool                // hung up or joined during a Hold: delete when it ends
}

func newHolds(app string) *holds {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return &holds{
		prefix:  holdPrefix + app + "-",
		run:     hex.EncodeToString(b),
		bridge:  map[orchestrator.LegID]orchestrator.RoomID{},
		busy:    map[orchestrator.LegID]int{},
		making:  map[orchestrator.RoomID]bool{},
		release: map[orchestrator.LegID]bool{},
	}
}

// begin starts a Hold of leg and names its new holding bridge.
func (h *holds) begin(leg orchestrator.LegID) orchestrator.RoomID {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.busy[leg]++
	h.seq++
	room := orchestrator.RoomID(fmt.Sprintf("%s%s-%d", h.prefix, h.run, h.seq))
	h.making[room] = true
	return room
}

// end closes a Hold. When it succeeded, room becomes the leg's holding
// bridge; it returns the bridges to delete now: the leg's previous one,
// and the new one too when the Hold failed or the leg hung up meanwhile.
func (h *holds) end(leg orchestrator.LegID, room orchestrator.RoomID, ok bool) (stale []orchestrator.RoomID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.making, room)
	if !ok {
		stale = append(stale, room)
	} else {
		if old := h.bridge[leg]; old != "" {
			stale = append(stale, old)
		}
		h.bridge[leg] = room
	}
	if h.busy[leg]--; h.busy[leg] > 0 {
		return stale
	}
	delete(h.busy, leg)
	if h.release[leg] {
		delete(h.release, leg)
		if cur := h.bridge[leg]; cur != "" {
			stale = append(stale, cur)
			delete(h.bridge, leg)
		}
	}
	return stale
}

// take returns the leg's holding bridge for deletion. While a Hold is in
// flight it only marks the leg, and that Hold deletes the bridge as it
// ends. The bridge stays recorded until forget, after the deletion, so a
// concurrent take (our Hangup and the hang-up event) deletes it too,
// harmlessly, instead of returning while the bridge still exists.
func (h *holds) take(leg orchestrator.LegID) orchestrator.RoomID {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.busy[leg] > 0 {
		h.release[leg] = true
		return ""
	}
	return h.bridge[leg]
}

// forget drops a leg's holding bridge once deleted, unless a Hold has
// given the leg another one meanwhile.
func (h *holds) forget(leg orchestrator.LegID, room orchestrator.RoomID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.bridge[leg] == room {
		delete(h.bridge, leg)
	}
}

// known reports whether room is a holding bridge in use or being made by
// this adapter.
func (h *holds) known(room orchestrator.RoomID) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.making[room] {
		return true
	}
	for _, r := range h.bridge {
		if r == room {
			return true
		}
	}
	return false
}

// adopt records a holding bridge found on Asterisk with its leg in it,
// unless the leg has one of this adapter's already (or one being made).
func (h *holds) adopt(leg orchestrator.LegID, room orchestrator.RoomID) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.bridge[leg] != "" || h.busy[leg] > 0 {
		return false
	}
	h.bridge[leg] = room
	return true
}

// Hold takes a leg out of its room onto music on hold of class music (A5):
// it hears the music only, and nobody hears it. The music is started
// before the leg moves in, so it never sits in silence (an ARI holding
// bridge plays nothing by itself). Holding a held leg again moves it to a
// new holding bridge. On failure the leg stays where it was.
func (a *Adapter) Hold(ctx context.Context, leg orchestrator.LegID, music string) error {
	if leg == "" {
		return orchestrator.Errorf(orchestrator.CodeInvalid, "Hold needs a leg id.")
	}
	room := a.holds.begin(leg)
	err := a.hold(ctx, leg, room, music)
	stale := a.holds.end(leg, room, err == nil)
	if len(stale) > 0 {
		cctx, cancel := a.detached(ctx)
		defer cancel()
		for _, r := range stale {
			a.deleteHoldBridge(cctx, r)
		}
	}
	return err
}

func (a *Adapter) hold(ctx context.Context, leg orchestrator.LegID, room orchestrator.RoomID, music string) error {
	key := bridgeKey(room)
	err := call(ctx, func() error {
		_, err := a.cl.Bridge().Create(key, "holding", string(leg))
		return err
	})
	if err == nil {
		err = call(ctx, func() error { return a.cl.Bridge().MOH(key, music) })
	}
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
	if room := a.holds.take(leg); room != "" {
		a.deleteHoldBridge(ctx, room)
		a.holds.forget(leg, room)
	}
}

// deleteHoldBridge stops a holding bridge's music, so its announcer
// leaves and Asterisk can free it, and deletes it; one already gone is
// fine.
func (a *Adapter) deleteHoldBridge(ctx context.Context, room orchestrator.RoomID) {
	key := bridgeKey(room)
	_ = call(ctx, func() error { return a.cl.Bridge().StopMOH(key) })
	err := call(ctx, func() error { return a.cl.Bridge().Delete(key) })
	if err != nil && statusOf(err) != 404 {
		a.log.Warn("deleting a holding bridge", "bridge", room, "err", err)
	}
}

// onHungUp cleans up after a leg that hung up, without blocking the event
// reader: the REST call runs in the background.
func (a *Adapter) onHungUp(leg orchestrator.LegID) {
	if room := a.holds.take(leg); room != "" {
		a.background(func(ctx context.Context) {
			a.deleteHoldBridge(ctx, room)
			a.holds.forget(leg, room)
		})
	}
}

// sweepHold runs for each "hold-" bridge found after a connection (see
// sweepBridges): one of this application's that still holds the leg it is
// named after is adopted, any other one of its that this adapter does not
// know is deleted. Bridges of Holds in flight are left alone: they may not
// hold their leg yet.
func (a *Adapter) sweepHold(ctx context.Context, k *ariv6.Key) {
	room := orchestrator.RoomID(k.ID)
	if a.holds.known(room) {
		return
	}
	var data *ariv6.BridgeData
	if err := call(ctx, func() (err error) { data, err = a.cl.Bridge().Data(k); return err }); err != nil {
		return // gone meanwhile
	}
	leg := orchestrator.LegID(data.Name)
	switch {
	case strings.HasPrefix(k.ID, a.holds.prefix):
	case data.Name == k.ID:
		// Before unique ids a holding bridge was "hold-<leg>", named
		// after itself; it can only be this application's.
		leg = orchestrator.LegID(strings.TrimPrefix(k.ID, holdPrefix))
	default:
		return // another application's
	}
	for _, ch := range data.ChannelIDs {
		if leg != "" && ch == string(leg) && a.holds.adopt(leg, room) {
			return
		}
	}
	if a.holds.known(room) {
		return // adopted meanwhile
	}
	a.deleteHoldBridge(ctx, room)
}
