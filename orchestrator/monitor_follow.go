package orchestrator

import (
	"context"
	"time"
)

// Monitoring across a transfer (M5.4). The rule names the cases that end
// monitoring — a transfer to an agent of another team or to another queue
// — so a transfer that stays within the team and the queue keeps the
// supervisor on the call, now watching the agent who has it:
//
//   - to an agent of the same team (blind or consult): follows;
//   - to the call's own queue: follows when routing offers the call at once
//     to an agent of the same team; a call left waiting in the queue ends
//     the monitoring, because who takes it, and when, is unknown (the
//     supervisor can start again on whoever answers);
//   - to another queue, an agent of another team, a dial number, or the
//     supervisor themself: ends, with a message saying why;
//   - to an agent already monitored by another supervisor: ends, naming
//     that supervisor (M1: one supervisor per agent).
//
// "Same team" compares the transferring agent's team with the new agent's;
// two agents without a team count as the same (a site without teams is one
// pool). A supervisor whose phone has not answered yet is not followed.
//
// Following keeps the supervisor's leg (their station is not rung again),
// the mode and the pause. A consult transfer moves the monitor onto the
// consulted agent's leg, which is already up, before that leg leaves the
// consult room and agent 1's leg is hung up (make-before-break); a barge
// held for the consult continues (M5.3). A blind transfer has no new leg
// until the new agent answers: the monitor waits (state MonitorFollowing;
// the supervisor hears silence, the old snoop having died with agent 1's
// leg) and moves on the answer. If the new agent
// does not take the call (A8.4) or the caller hangs up meanwhile, the
// monitoring ends with a message.

// monitorHandoff is a monitor taken off the agent handing their call on,
// until the transfer shows where the call went.
type monitorHandoff struct {
	m     *monitor
	from  *agent
	queue Queue  // the call's queue before the transfer
	how   string // "blind" or "consult", for the audit trail
	moved bool   // the snoop is on the new agent's leg already (premoveMonitor)
}

// takeMonitor detaches the monitoring of agent a's call as a hands it on,
// so that a's views from the hand-over on show no monitor; settleMonitor
// then follows the call or ends the monitoring. nil when nobody monitors a.
func (o *Orchestrator) takeMonitor(a *agent, ix *interaction, how string) *monitorHandoff {
	m := a.monitoredBy
	if m == nil {
		return nil
	}
	a.monitoredBy = nil
	return &monitorHandoff{m: m, from: a, queue: ix.queue, how: how}
}

// settleMonitor follows the call or ends the monitoring once the transfer
// has been applied: ix.agent is whoever has, or is being offered, the call
// now. via is the target the transferring agent chose.
func (o *Orchestrator) settleMonitor(h *monitorHandoff, ix *interaction, via Target) {
	if h == nil {
		return
	}
	m := h.m
	if why := followRefusal(h, ix.agent, ix, via); why != "" {
		o.endMonitor(m, why)
		return
	}
	b := ix.agent
	m.target, b.monitoredBy = b, m
	o.auditMonitor(m, "monitor_moved", "followed the "+h.how+" transfer from "+h.from.user.Name+" to "+b.user.Name)
	o.notify(m.sup, "info", "Monitoring follows the call to "+b.user.Name+".")
	if ix.state == InteractionConnected {
		if !h.moved {
			o.moveMonitor(m, ix, ix.agentLeg, true)
		}
		o.restoreBargeAfterConsult(b) // the consult is over (M5.3)
	} else {
		m.state = MonitorFollowing
	}
	o.publishMonitor(m)
}

// followRefusal says why monitoring cannot follow the call to agent b
// (nil: nobody yet); "" when it can.
func followRefusal(h *monitorHandoff, b *agent, ix *interaction, via Target) string {
	m := h.m
	switch {
	case m.state != MonitorActive:
		return "the call was transferred before your phone answered"
	case via.Type == TargetDialNumber:
		return "the call was transferred to " + ix.external + ", outside the contact center"
	case via.Type == TargetQueue && via.ID != h.queue.ID:
		if ix.queue.ID == via.ID {
			return "the call was transferred to another queue (" + ix.queue.Name + ")"
		}
		return "the call was transferred to another queue"
	case b == nil:
		return "the call is waiting in queue " + ix.queue.Name
	case b == m.sup:
		return "the call was transferred to you"
	case b.teamID != h.from.teamID:
		return "the call was transferred to " + b.user.Name + " of another team"
	case b.monitoredBy != nil && b.monitoredBy != m:
		return "the call went to " + b.user.Name + ", who is already monitored by " + b.monitoredBy.sup.user.Name // M1
	}
	return ""
}

// monitorFollowAnswered moves a following monitor onto the agent who has
// just answered the blind-transferred call.
func (o *Orchestrator) monitorFollowAnswered(ix *interaction) {
	b := ix.agent
	if b == nil || b.monitoredBy == nil {
		return
	}
	m := b.monitoredBy
	if m.ix != ix || m.state != MonitorFollowing {
		return
	}
	m.state = MonitorActive
	o.moveMonitor(m, ix, ix.agentLeg, false)
	o.publishMonitor(m)
}

// premoveMonitor starts a consult transfer's make-before-break for the
// monitor of agent a's call (M5.4): when it will follow the call to the
// consulted agent, its snoop moves onto their leg now, while they still
// talk with agent 1, and the transfer's joins wait for it. It reports
// whether it did; a transfer that fails moves it back (unmoveMonitor).
func (o *Orchestrator) premoveMonitor(a *agent, ix *interaction, c *consult) bool {
	m := a.monitoredBy
	if m == nil || c.agent == nil {
		return false
	}
	h := &monitorHandoff{m: m, from: a, queue: ix.queue, how: "consult"}
	if followRefusal(h, c.agent, ix, c.target) != "" {
		return false
	}
	o.moveMonitor(m, ix, c.leg, true)
	return true
}

// unmoveMonitor points agent a's monitor back at their own leg after a
// transfer that did not happen.
func (o *Orchestrator) unmoveMonitor(a *agent, ix *interaction) {
	if m := a.monitoredBy; m != nil && m.sup.monitoring == m {
		o.moveMonitor(m, ix, ix.agentLeg, true)
	}
}

// moveMonitor points the monitor's snoop at leg, one of the call's. With
// holdCall, the call's PBX commands queued next wait until the move is
// done (a consult transfer: the joins, then agent 1's hang-up), so the
// new snoop is in before anything changes: the supervisor hears no gap.
func (o *Orchestrator) moveMonitor(m *monitor, ix *interaction, leg LegID, holdCall bool) {
	moved := make(chan struct{})
	o.commandOn(&m.media, string(m.id), "move monitor", func(err error) {
		if m.sup.monitoring == m {
			o.endMonitor(m, "monitoring could not follow the call: "+reasonOf(err))
		}
	}, func(ctx context.Context, md Media) error {
		defer close(moved)
		return md.MoveMonitor(ctx, m.id, leg)
	})
	if holdCall {
		o.queueMedia(&ix.media, func() {
			t := time.NewTimer(mediaTimeout)
			defer t.Stop()
			select {
			case <-moved:
			case <-t.C:
			}
		})
	}
}
