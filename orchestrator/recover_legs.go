package orchestrator

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Settling the calls read back after a restart against the legs the PBX
// still has (P5); see recover.go.
//
// What becomes of each call:
//   - caller gone: it ends as if they had just hung up (queued or offered:
//     abandoned, the agent ready again; connected: the agent wraps up);
//   - queued: back in its queue, keeping its arrival time, so at the front
//     of later calls (A3 beyond);
//   - offered and the station answered: connected, as on any answer;
//   - offered and not answered: the offer is withdrawn (the ring timer died
//     with the old controller) and the call goes back to the queue; the
//     agent is ready again, not RONA, since the restart is not theirs;
//   - connected, caller and handler both up: connected again in its room,
//     which is made sure of first (Asterisk keeps the bridge across a
//     controller restart and refuses to create it twice; joining a leg
//     already in it changes nothing);
//   - connected and the handler's leg gone: the call goes back to its queue
//     at the front (as A8.4) and the agent who had it wraps up.
//
// Simplified: a consult, a hold or a monitor in progress at the crash is
// not taken up. The customer is put back with their agent (a held caller is
// off hold), the consulted party's leg and the consult room are ended, and
// a supervisor's monitoring leg is hung up; the supervisor starts again. A
// recording goes on in a new file (<interaction>-<n>, as when a room
// refills), paused if the agent had paused it, with the privacy shield's
// remaining time; the old file is stopped, and the moments of the restart
// are the gap between the two.

// recoveryState is the loop's bookkeeping while restored calls wait for
// the PBX's leg list.
type recoveryState struct {
	pending map[*interaction]*recovered
	legQuery
	// media hangs up legs left by the previous controller that no call
	// claims.
	media serial
}

// recovered is what the timeline and the agents said about one restored
// call.
type recovered struct {
	state     InteractionState // as restored
	recording bool             // a recording was running (A10.1)
	recID     RecordingID      // its last file
	segment   int              // that file's number
	paused    bool             // paused by the agent (A10.2) ...
	pausedAt  time.Time        // ... since then
	// external: handled by an outside number after a blind transfer; the
	// agent who transferred it wraps up (A8.3).
	external bool
}

// startRecovery asks the PBX for its legs outside the loop and settles the
// restored calls with the answer back in the loop.
func (o *Orchestrator) startRecovery() {
	o.askLegs(nil, o.reconcileRecovered)
}

// reconcileRecovered applies one leg list, or tries again later when the
// PBX could not be asked (a link still coming up).
func (o *Orchestrator) reconcileRecovered(live []LegStatus, err error) {
	rs := &o.st.recovery
	if len(rs.pending) == 0 {
		return
	}
	if err != nil {
		o.retryLegs(&rs.legQuery, "restart recovery", err, o.startRecovery)
		return
	}
	status := make(map[LegID]LegStatus, len(live))
	for _, l := range live {
		status[l.Leg] = l
	}
	o.hangUpOrphans(live)
	var resumed, requeued, ended int
	for _, ix := range o.sortedPending() {
		info := rs.pending[ix]
		delete(rs.pending, ix)
		if o.st.interactions[ix.id] != ix || !stillAsRestored(ix, info) {
			// An event or a command meanwhile took it on through the usual
			// handlers (the caller hung up, the station answered, the agent
			// ended the call); settling it again would undo that.
			continue
		}
		switch o.settleRecovered(ix, info, status) {
		case "resumed":
			resumed++
		case "requeued":
			requeued++
		default:
			ended++
		}
	}
	o.route()
	o.log.Info("restart recovery: calls settled", "legs_live", len(live),
		"resumed", resumed, "requeued", requeued, "ended", ended)
}

// stillAsRestored reports whether the call is in the state it was restored
// in; a station that started ringing meanwhile is still an offer.
func stillAsRestored(ix *interaction, info *recovered) bool {
	return ix.state == info.state || (info.state == InteractionConnecting && ix.state == InteractionRinging)
}

// settleRecovered decides one call; it says what it did.
func (o *Orchestrator) settleRecovered(ix *interaction, info *recovered, status map[LegID]LegStatus) string {
	_, customerUp := status[ix.customer]
	handler, handlerUp := status[ix.agentLeg]
	handlerUp = handlerUp && ix.agentLeg != ""
	if !customerUp {
		o.event(ix, "recovered", ix.lastAgentID, recoveredDetail+"; the caller had hung up")
		o.onCustomerGone(ix) // the usual ending for the state it is in
		return "ended"
	}
	switch ix.state {
	case InteractionQueued:
		o.event(ix, "recovered", 0, recoveredDetail+"; back in queue "+ix.queue.Name)
		o.requeueRecovered(ix, info)
		return "requeued"
	case InteractionConnecting, InteractionRinging:
		// Only with its agent back: answering with nobody signed in to
		// handle it would leave a connected call no one can end or wrap up.
		if handlerUp && handler.Answered && ix.agent != nil {
			o.event(ix, "recovered", ix.lastAgentID, recoveredDetail+"; answered meanwhile")
			o.onAgentAnswered(ix)
			return "resumed"
		}
		o.event(ix, "recovered", ix.lastAgentID, recoveredDetail+"; the offer was withdrawn")
		o.dropHandler(ix, handlerUp)
		if a := ix.agent; a != nil {
			ix.agent, a.current = nil, nil
			o.notify(a, "info", "The call offered to you was withdrawn while the controller restarted.")
			o.setAgentState(a, o.readyState(a), "")
		}
		o.requeueRecovered(ix, info)
		return "requeued"
	case InteractionConnected:
		if handlerUp && handler.Answered && (ix.agent != nil || info.external) {
			o.resumeRecovered(ix, info)
			return "resumed"
		}
		o.event(ix, "recovered", ix.lastAgentID, recoveredDetail+"; the agent's phone was gone, back in queue")
		o.dropHandler(ix, handlerUp)
		if a := ix.agent; a != nil {
			ix.agent, a.current = nil, nil
			o.notify(a, "info", "Your call was lost while the controller restarted; the caller is back in the queue.")
			o.startWrapup(a, ix) // A8.3-like: they talked to the caller
		}
		o.requeueRecovered(ix, info)
		return "requeued"
	}
	o.closeUnrecovered(ix, fmt.Sprintf("closed after a controller restart: state %s cannot be taken up", ix.state))
	o.forget(ix)
	return "ended"
}

// dropHandler lets go of the handler's leg, hanging it up if still there.
func (o *Orchestrator) dropHandler(ix *interaction, up bool) {
	leg := ix.agentLeg
	if leg == "" {
		return
	}
	delete(o.st.legs, leg)
	ix.agentLeg, ix.external = "", ""
	if up {
		o.cleanup(ix, hangup(leg, CauseNormal))
	}
}

// requeueRecovered puts a restored call back in its queue with music; its
// arrival time puts it ahead of calls that came later (A3 beyond, A8.4).
func (o *Orchestrator) requeueRecovered(ix *interaction, info *recovered) {
	ix.held, ix.directed = true, false
	o.restoreRecording(ix, info, true)
	steps := []mediaStep{o.holdStep(ix, ix.customer)}
	if ix.room != "" {
		// The next answer joins this room without creating it.
		steps = append([]mediaStep{ensureRoom(ix.room)}, steps...)
	}
	o.command(ix, "requeue after restart", nil, steps...)
	o.enqueue(ix)
	o.saveInteraction(ix)
	o.changed(ix)
}

// resumeRecovered connects caller and handler again in the call's room.
func (o *Orchestrator) resumeRecovered(ix *interaction, info *recovered) {
	if ix.room == "" {
		ix.room = RoomID("room-" + ix.id)
	}
	if ix.answered.IsZero() {
		ix.answered = o.clock.Now()
	}
	ix.held = false
	if info.external && ix.agent == nil {
		ix.external = "an outside number"
	}
	o.command(ix, "reconnect after restart", func(err error) {
		if ix.state == InteractionConnected {
			o.finish(ix, "could not reconnect the call after a controller restart: "+reasonOf(err))
		}
	}, ensureRoom(ix.room), join(ix.room, ix.customer), join(ix.room, ix.agentLeg))
	o.event(ix, "recovered", ix.lastAgentID, recoveredDetail+"; connected again")
	o.restoreRecording(ix, info, false)
	if a := ix.agent; a != nil && a.state != StateEngaged {
		o.setAgentState(a, StateEngaged, "")
	}
	o.saveInteraction(ix)
	o.changed(ix)
}

// restoreRecording takes up a recording that was running (A10): the old
// file is stopped (it may still be running in the room), and a new one
// starts now, or at the next answer when the room is empty (gap).
func (o *Orchestrator) restoreRecording(ix *interaction, info *recovered, gap bool) {
	if !info.recording || ix.rec != nil {
		return
	}
	o.cleanup(ix, stopRec(info.recID))
	r := &recording{id: info.recID, segment: info.segment, paused: info.paused, gap: true}
	ix.rec = r
	if info.paused && ix.queue.PrivacyShield > 0 {
		// A10.3: the shield's time counts from the agent's pause.
		r.resumesAt = info.pausedAt.Add(ix.queue.PrivacyShield)
		r.timer = o.clock.AfterFunc(max(r.resumesAt.Sub(o.clock.Now()), 0), func() {
			o.post(func() {
				if ix.rec == r && r.paused && !r.stopped {
					_ = o.resumeRecording(context.Background(), 0, ix.id, true, nil)
				}
			})
		})
	}
	if !gap {
		o.syncRecording(ix) // occupied: the next file starts now
	}
}

// hangUpOrphans hangs up legs the previous controller dialled that no call
// claims any more: a consult's leg (with its room) and a supervisor's
// monitoring leg. Callers' legs are never touched here: a call that just
// entered may not have reached the loop yet.
func (o *Orchestrator) hangUpOrphans(live []LegStatus) {
	for _, l := range live {
		if o.tracks(l.Leg) {
			continue
		}
		id := string(l.Leg)
		var steps []mediaStep
		switch {
		case strings.HasPrefix(id, "mon-") && strings.HasSuffix(id, "-sup"):
			steps = append(steps, hangup(l.Leg, CauseNormal))
		case strings.HasPrefix(id, "ix-") && strings.Contains(id, "-leg-"):
			ixID, n, _ := strings.Cut(id, "-leg-")
			steps = append(steps, hangup(l.Leg, CauseNormal), closeRoom(RoomID(fmt.Sprintf("consult-%s-%s", ixID, n))))
			if ix := o.st.interactions[ixID]; ix != nil {
				ix.offers = max(ix.offers, legNumber(ixID, l.Leg)) // never dial this name again
			}
		default:
			continue
		}
		o.log.Info("restart recovery: hanging up a leg left by the previous controller", "leg", l.Leg)
		o.queueMedia(&o.st.recovery.media, func() {
			for _, step := range steps {
				ctx, cancel := context.WithTimeout(context.Background(), mediaTimeout)
				if err := step(ctx, o.media); err != nil {
					o.log.Debug("restart recovery: clean-up step failed", "leg", l.Leg, "err", err)
				}
				cancel()
			}
		})
	}
}

// ensureRoom creates a room that may already exist. After a restart the
// PBX usually still has it: Asterisk refuses a second create of a bridge
// id (409), and older versions answered 500 when a type was given. Either
// way the Join that follows is what tells whether the room can be used,
// so the answer here is only logged.
func ensureRoom(r RoomID) mediaStep {
	return func(ctx context.Context, m Media) error {
		_ = m.NewRoom(ctx, r)
		return nil
	}
}
