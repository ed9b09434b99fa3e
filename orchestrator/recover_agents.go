package orchestrator

import (
	"context"
	"time"
)

// Restoring the signed-in agents after a restart (P5); see recover.go.

// restoreAgent brings one open sign-in back, or ends it when it can no
// longer be honoured. It returns the restored agent, or nil.
func (o *Orchestrator) restoreAgent(ctx context.Context, s AgentSessionRecord, calls []*restoredCall) *agent {
	if _, dup := o.st.agents[s.UserID]; dup {
		// Only one sign-in per user is live (S3); an older one left open
		// by a lost write is closed.
		o.endRestoredSession(s, "the user has a later sign-in")
		return nil
	}
	u, err := o.store.User(ctx, s.UserID)
	if ErrorCode(err) == CodeNotFound {
		o.endRestoredSession(s, "the user no longer exists")
		return nil
	}
	if err != nil {
		// A database hiccup is no reason to sign anyone out: the session
		// stays open and the next start tries again.
		o.log.Error("restart recovery: reading the user; the agent must sign in again", "user", s.UserID, "err", err)
		return nil
	}
	takesCalls, err := checkSignInRole(u, s.Role)
	if err != nil {
		o.endRestoredSession(s, ErrorMessage(err))
		return nil
	}
	// The station is resolved again, as at sign-in (S4, R5): an extension
	// removed or handed to someone else, or a remote permission withdrawn,
	// ends the sign-in; a changed dial string or trunk applies.
	st, dialString, err := o.resolveStation(ctx, u, StationRequest{Type: s.StationType, Number: s.StationNumber})
	if code := ErrorCode(err); code == CodeInvalid || code == CodeForbidden {
		o.endRestoredSession(s, "the station can no longer be used: "+reasonOf(err))
		return nil
	} else if err != nil {
		o.log.Error("restart recovery: resolving the station; the agent must sign in again", "user", u.ID, "err", err)
		return nil
	}
	if err := o.stationConflict(st, dialString); err != nil {
		o.endRestoredSession(s, ErrorMessage(err))
		return nil
	}
	a := &agent{
		user: u, sessionID: s.ID, role: s.Role, takesCalls: takesCalls, station: st, dialString: dialString,
	}
	o.restoreTeam(ctx, a, s.TeamID)
	if takesCalls {
		for _, id := range u.Queues {
			// R1: the skills as they are now; a queue removed meanwhile is
			// simply no longer one of them.
			if q, err := o.store.Queue(ctx, id); err == nil {
				a.queues = append(a.queues, q)
			}
		}
	}
	last, err := o.store.LastSessionState(ctx, u.ID, s.ID)
	if err != nil && ErrorCode(err) != CodeNotFound {
		o.log.Warn("restart recovery: reading the agent's last state; they come back ready", "user", u.ID, "err", err)
	}
	if last.State == StateLoggedOut {
		// Signed out, but the end of the session was never written.
		o.endRestoredSessionAt(s, last.At, "the agent had signed out")
		return nil
	}
	o.st.agents[u.ID] = a
	o.restoreState(a, last, calls)
	o.log.Info("restart recovery: agent signed in again", "user", u.ID, "station", st.Number, "state", a.state, "reason", a.reason)
	o.publishAgent(a)
	return a
}

func (o *Orchestrator) restoreTeam(ctx context.Context, a *agent, teamID int64) {
	if teamID == 0 {
		return
	}
	t, err := o.store.Team(ctx, teamID)
	if err != nil {
		o.log.Warn("restart recovery: the agent's team is gone; they come back without one", "user", a.user.ID, "team", teamID, "err", err)
		return
	}
	a.teamID, a.teamName = teamID, t.Name
}

// restoreState puts the agent back in their last state (A13). A state that
// stands alone is kept with its time; one that depended on a call follows
// the call found again, or falls back to ready.
func (o *Orchestrator) restoreState(a *agent, last StateChange, calls []*restoredCall) {
	keep := func(s AgentState, reason string) {
		a.state, a.reason, a.since = s, reason, last.At
		if s == StateAvailable || s == StateVirtual {
			a.readySince = last.At
		}
	}
	switch last.State {
	case StateIdle, StateRONA:
		keep(last.State, last.Reason)
		return
	case StateAvailable, StateVirtual:
		if s := o.readyState(a); s == last.State {
			keep(s, "")
			return
		}
		// The station changed between virtual and not (R7).
	case StateRinging, StateEngaged:
		if c := findCall(calls, a.user.ID, InteractionConnecting, InteractionRinging, InteractionConnected); c != nil {
			c.bound, c.ix.agent, a.current = true, a, c.ix
			keep(last.State, last.Reason)
			return
		}
	case StateWrapup:
		if c := findCall(calls, a.user.ID, InteractionWrapup); c != nil {
			c.bound = true
			o.restoreWrapup(a, c.ix, last)
			return
		}
		if c := findCall(calls, a.user.ID, InteractionConnected); c != nil {
			// A8.3: they transferred the call to an outside number, which
			// still has it; their wrap-up goes on.
			c.bound, c.info.external = true, true
			o.restoreWrapup(a, c.ix, last)
			return
		}
	}
	// Nothing to go back to (no history, or the call is gone): ready, as
	// after a sign-in (R2, R7). The change is stored like any other.
	o.setAgentState(a, o.readyState(a), "")
}

// restoreWrapup gives the agent back their wrap-up of ix with the deadline
// it had: the wrap-up time counts from when it began (A12), not from the
// restart. A deadline already past is applied once everyone is restored.
func (o *Orchestrator) restoreWrapup(a *agent, ix *interaction, last StateChange) {
	w := &wrapup{ix: ix}
	a.wrapup = w
	a.state, a.reason, a.since = StateWrapup, last.Reason, last.At
	if t := ix.queue.WrapupTime; t > 0 {
		o.armWrapup(a, w, last.At.Add(t))
	}
}

// findCall returns the first call read back that the user was handling in
// one of the states and that no one has claimed yet.
func findCall(calls []*restoredCall, userID int64, states ...InteractionState) *restoredCall {
	for _, c := range calls {
		if c.bound || c.rec.AgentID != userID {
			continue
		}
		for _, s := range states {
			if c.ix.state == s {
				return c
			}
		}
	}
	return nil
}

// endRestoredSession ends a sign-in that cannot be restored, now.
func (o *Orchestrator) endRestoredSession(s AgentSessionRecord, why string) {
	o.endRestoredSessionAt(s, o.clock.Now(), why)
}

func (o *Orchestrator) endRestoredSessionAt(s AgentSessionRecord, at time.Time, why string) {
	if at.Before(s.StartedAt) {
		at = s.StartedAt
	}
	o.log.Warn("restart recovery: agent session ended", "user", s.UserID, "session", s.ID, "why", why)
	o.persist("end agent session", func(ctx context.Context) error { return o.store.EndAgentSession(ctx, s.ID, at) })
}
