package orchestrator

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Picking up after a controller restart (P5).
//
// The PBX keeps its calls when the controller goes away: Asterisk leaves
// the channels in the application and the bridges standing. What the
// controller knew lives on in the database: the sign-ins never ended, each
// agent's last state, the interactions not yet done with the legs they
// were on, and their timelines. On start, before the loop applies anything
// else, the orchestrator reads that back:
//
//   - agents come back signed in on the same station (re-resolved, so an
//     admin's change to a dial string or trunk applies) with their role,
//     team and queues, in their last state when it does not depend on a
//     call (Available, Idle with its reason, Virtual, RONA); Ringing and
//     On a call follow the call they were on, Wrap-up keeps its deadline.
//     A sign-in that can no longer be honoured is ended, with the reason
//     logged;
//   - interactions in wrap-up come back with their agent's wrap-up, or are
//     closed with the automatic code when nobody is left to wrap them up;
//   - the other open interactions are tracked again on their stored legs,
//     so a hang-up reported from now on goes through the usual handlers,
//     and once the PBX has said which legs it still has they are settled
//     (recover_legs.go): resumed, put back in the queue, or ended.
//
// Nothing is left open in the database that the controller no longer
// tracks: what cannot be recovered is closed, with the reason in its
// timeline.

// recoverTimeout bounds the database reads made at start.
const recoverTimeout = 30 * time.Second

// recoveredDetail marks the timeline of every interaction taken up again.
const recoveredDetail = "recovered after a controller restart"

// recover restores agents and calls from the store. It runs in the loop
// goroutine before anything else, so no command or PBX event sees a
// half-restored state.
func (o *Orchestrator) recover() {
	ctx, cancel := context.WithTimeout(context.Background(), recoverTimeout)
	defer cancel()
	records, err := o.store.OpenInteractions(ctx)
	if err != nil {
		// The rows stay open: the next start tries again.
		o.log.Error("restart recovery: reading open interactions failed; calls from before the restart are not taken up", "err", err)
		o.setHealth(PartDatabase, err)
		records = nil
	}
	sessions, err := o.store.OpenAgentSessions(ctx)
	if err != nil {
		o.log.Error("restart recovery: reading open agent sessions failed; agents must sign in again", "err", err)
		o.setHealth(PartDatabase, err)
		sessions = nil
	}
	if len(records) == 0 && len(sessions) == 0 {
		return
	}
	calls := o.restoreInteractions(ctx, records)
	var due []*agent
	// Newest first: the store lists them oldest first, and when a user has
	// two open (a sign-out whose writes were lost) the later one is their
	// real sign-in; restoreAgent closes the older as a duplicate.
	for i := len(sessions) - 1; i >= 0; i-- {
		s := sessions[i]
		if a := o.restoreAgent(ctx, s, calls); a != nil && a.wrapup != nil && !a.wrapup.deadline.IsZero() &&
			!a.wrapup.deadline.After(o.clock.Now()) {
			due = append(due, a)
		}
	}
	o.settleRestored(calls)
	for _, a := range due {
		if a.wrapup != nil {
			o.autoWrapup(a) // its wrap-up time ran out while the controller was away (A12)
		}
	}
	o.log.Info("restart recovery: state restored", "agents", len(o.st.agents), "interactions", len(calls),
		"awaiting_pbx", len(o.st.recovery.pending))
	if len(o.st.recovery.pending) > 0 {
		o.startRecovery()
	}
	o.route()
}

// restoredCall is one open interaction read back, before it is settled.
type restoredCall struct {
	ix  *interaction
	rec InteractionRecord
	// bound: an agent came back handling it (current) or wrapping it up.
	bound bool
	info  *recovered
}

// restoreInteractions rebuilds the open interactions, oldest first. Agents
// are bound to them afterwards; nothing is tracked yet.
func (o *Orchestrator) restoreInteractions(ctx context.Context, records []InteractionRecord) []*restoredCall {
	defs, err := o.store.VariableDefs(ctx)
	if err != nil {
		o.log.Error("restart recovery: reading variable definitions", "err", err)
	}
	out := make([]*restoredCall, 0, len(records))
	for _, r := range records {
		q, err := o.store.QueueByName(ctx, r.Queue)
		if err != nil {
			// The queue was removed meanwhile: the call keeps its name and a
			// usable ring time rather than being dropped.
			o.log.Warn("restart recovery: interaction's queue is gone", "interaction", r.ID, "queue", r.Queue, "err", err)
			q = Queue{Name: r.Queue, RingTime: 30 * time.Second}
		}
		ix := &interaction{
			id: r.ID, queue: q, caller: r.Caller, vars: copyVars(r.Variables), versions: map[string]int{},
			defs: defs, customer: r.CustomerLeg, agentLeg: r.AgentLeg, state: r.State,
			arrivedAt: r.ArrivedAt, answered: r.AnsweredAt, ended: r.EndedAt, excluded: map[int64]bool{},
			lastAgentID: r.AgentID, restored: true,
		}
		if !ix.answered.IsZero() {
			// The room is made at the first answer and kept for the call's
			// life, so the PBX still has it.
			ix.room = RoomID("room-" + ix.id)
		}
		ix.offers = legNumber(ix.id, ix.agentLeg)
		c := &restoredCall{ix: ix, rec: r, info: &recovered{}}
		if r.State != InteractionWrapup {
			o.readRecording(ctx, c)
		}
		out = append(out, c)
	}
	return out
}

// readRecording finds in the timeline whether the call was being recorded,
// into which file, and whether the agent had paused it (A10).
func (o *Orchestrator) readRecording(ctx context.Context, c *restoredCall) {
	events, err := o.store.InteractionEvents(ctx, c.ix.id)
	if err != nil {
		o.log.Warn("restart recovery: reading the timeline; the recording, if any, is not continued", "interaction", c.ix.id, "err", err)
		return
	}
	info := c.info
	for _, e := range events {
		switch e.Kind {
		case "recording_started", "recording_continued":
			info.recording, info.recID = true, RecordingID(e.Detail)
			info.segment = max(info.segment, recordingSegment(c.ix.id, info.recID))
		case "recording_paused":
			info.paused, info.pausedAt = true, e.At
		case "recording_resumed":
			info.paused, info.pausedAt = false, time.Time{}
		}
	}
}

// recordingSegment is the number of a recording file: <interaction> is
// the first, <interaction>-<n> the n-th (recording.go).
func recordingSegment(ixID string, rec RecordingID) int {
	if string(rec) == ixID {
		return 1
	}
	n, err := strconv.Atoi(strings.TrimPrefix(string(rec), ixID+"-"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// legNumber is n of a leg named <interaction>-leg-<n> (incoming.go,
// consult.go), 0 for any other, so legs dialled after the restart do not
// take the name of one the PBX may still have.
func legNumber(ixID string, leg LegID) int {
	n, err := strconv.Atoi(strings.TrimPrefix(string(leg), ixID+"-leg-"))
	if err != nil || !strings.HasPrefix(string(leg), ixID+"-leg-") {
		return 0
	}
	return n
}

// settleRestored decides, once agents are bound, what becomes of each
// interaction read back: tracked again and checked against the PBX, kept
// for its agent's wrap-up, or closed.
func (o *Orchestrator) settleRestored(calls []*restoredCall) {
	for _, c := range calls {
		ix := c.ix
		switch {
		case ix.state == InteractionWrapup && !c.bound:
			o.closeUnrecovered(ix, "closed after a controller restart: nobody is left to wrap it up")
		case ix.state == InteractionWrapup:
			o.st.interactions[ix.id] = ix
			o.event(ix, "recovered", ix.lastAgentID, recoveredDetail+"; in wrap-up")
		case ix.customer == "":
			// Written before the legs were stored: there is nothing to look
			// for on the PBX.
			o.unbind(ix, "the call could not be found again after a controller restart")
			o.closeUnrecovered(ix, "closed after a controller restart: its caller's leg is not known")
		default:
			o.st.interactions[ix.id] = ix
			o.st.legs[ix.customer] = ix
			if ix.agentLeg != "" && ix.state != InteractionQueued {
				o.st.legs[ix.agentLeg] = ix
			}
			c.info.state = ix.state
			o.st.recovery.pending[ix] = c.info
		}
	}
}

// unbind releases an agent restored on a call that cannot be taken up.
func (o *Orchestrator) unbind(ix *interaction, notice string) {
	a := ix.agent
	if a == nil || a.current != ix {
		return
	}
	a.current, ix.agent = nil, nil
	o.notify(a, "info", notice)
	o.setAgentState(a, o.readyState(a), "")
}

// closeUnrecovered marks an interaction done, so it is not left open in the
// database forever, and says why in its timeline.
func (o *Orchestrator) closeUnrecovered(ix *interaction, why string) {
	now := o.clock.Now()
	if ix.ended.IsZero() {
		ix.ended = now
	}
	if ix.state == InteractionWrapup {
		ix.wrappedAt, ix.wrapupCode = now, o.autoWrapupCode()
	}
	ix.state = InteractionDone
	o.saveInteraction(ix)
	o.event(ix, "closed", 0, why)
	o.log.Info("restart recovery: interaction closed", "interaction", ix.id, "why", why)
}

// autoWrapupCode is the wrap-up code marked automatic, or "auto" (A12).
func (o *Orchestrator) autoWrapupCode() string {
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	if codes, err := o.store.WrapupCodes(ctx); err == nil {
		for _, c := range codes {
			if c.Auto {
				return c.Code
			}
		}
	}
	return "auto"
}

// sortedPending returns the interactions awaiting the PBX's leg list,
// oldest first, so a requeue keeps the calls' order.
func (o *Orchestrator) sortedPending() []*interaction {
	out := make([]*interaction, 0, len(o.st.recovery.pending))
	for ix := range o.st.recovery.pending {
		out = append(out, ix)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].arrivedAt.Equal(out[j].arrivedAt) {
			return out[i].arrivedAt.Before(out[j].arrivedAt)
		}
		return out[i].id < out[j].id
	})
	return out
}
