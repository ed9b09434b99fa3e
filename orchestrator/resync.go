package orchestrator

import (
	"context"
	"sort"
	"sync"
	"time"
)

// Resynchronizing after a lost PBX link (P4).
//
// While the link is down the PBX's events are lost: a caller who hung up, a
// station that answered or gave up, are never reported. When the link is
// back the orchestrator asks the PBX which of its legs still exist (Legs)
// and feeds the events it missed through the ordinary handlers, so a
// catch-up behaves exactly like the event would have: a caller gone ends
// the call and the agent wraps up, a ringing station gone is a RONA and the
// call goes back to its queue at its place, a ringing station found
// answered is bridged. Calls still up are left alone.
//
// Only legs tracked when the resync starts are judged, and the leg list is
// asked for only once every command already queued for their calls has run
// (a barrier on each call's serial queue): a leg whose dial was still on
// its way to the PBX must not be taken for a leg that vanished. Events that
// arrive while the list is on its way are applied first; the handlers
// ignore a leg that is no longer tracked or no longer waiting, so the
// catch-up never undoes them.

// Backoff between attempts to list the legs while the link stays up.
const (
	resyncMinBackoff = time.Second
	resyncMaxBackoff = 30 * time.Second
)

// legQuery is a leg list being asked for, with its retry: P4's resync and
// P5's recovery both ask the PBX for its legs off the loop and try again
// on a doubling backoff while the PBX cannot answer.
type legQuery struct {
	backoff time.Duration
	retry   Timer
}

// askLegs lists the PBX's legs outside the loop, after before (if any)
// returns, and hands the answer to done back in the loop.
func (o *Orchestrator) askLegs(before func(), done func(live []LegStatus, err error)) {
	go func() {
		if before != nil {
			before()
		}
		ctx, cancel := context.WithTimeout(context.Background(), mediaTimeout)
		live, err := o.media.Legs(ctx)
		cancel()
		o.post(func() { done(live, err) })
	}()
}

// retryLegs schedules again (run in the loop) after q's next backoff.
func (o *Orchestrator) retryLegs(q *legQuery, what string, err error, again func()) {
	q.backoff = min(max(2*q.backoff, resyncMinBackoff), resyncMaxBackoff)
	o.log.Warn(what+": listing the PBX's legs failed; retrying", "err", err, "retry_in", q.backoff)
	q.retry = o.clock.AfterFunc(q.backoff, func() {
		o.post(func() {
			q.retry = nil
			again()
		})
	})
}

// resyncState is the loop's bookkeeping for catching up after an outage.
type resyncState struct {
	// epoch counts link losses; a leg list asked for in an earlier epoch
	// is stale (the link dropped again meanwhile) and is dropped.
	epoch uint64
	legQuery
}

// linkLost starts a new epoch: whatever resync is under way is moot, the
// next link-up starts a fresh one.
func (o *Orchestrator) linkLost() {
	rs := &o.st.resync
	rs.epoch++
	rs.backoff = 0
	stopTimer(&rs.retry)
}

// startResync asks the PBX for the live legs outside the loop, after every
// command already queued for the tracked legs, and reconciles the answer
// back in the loop.
func (o *Orchestrator) startResync() {
	epoch := o.st.resync.epoch
	tracked := map[LegID]bool{}
	queues := map[*serial]bool{}
	for leg, ix := range o.st.legs {
		tracked[leg] = true
		queues[&ix.media] = true
	}
	for leg, m := range o.st.monitorLegs {
		tracked[leg] = true
		queues[&m.media] = true
	}
	var barrier sync.WaitGroup
	for q := range queues {
		barrier.Add(1)
		o.queueMedia(q, barrier.Done)
	}
	o.askLegs(barrier.Wait, func(live []LegStatus, err error) { o.reconcile(epoch, tracked, live, err) })
}

// reconcile applies one leg list, or schedules another try when it failed.
func (o *Orchestrator) reconcile(epoch uint64, tracked map[LegID]bool, live []LegStatus, err error) {
	rs := &o.st.resync
	if epoch != rs.epoch || !o.st.linkUp {
		return // the link dropped again: the next link-up resyncs afresh
	}
	if err != nil {
		o.retryLegs(&rs.legQuery, "PBX resync", err, func() {
			if rs.epoch == epoch && o.st.linkUp {
				o.startResync()
			}
		})
		return
	}
	rs.backoff = 0
	status := make(map[LegID]LegStatus, len(live))
	for _, l := range live {
		status[l.Leg] = l
	}
	// Customers first: a call whose caller left must not be offered again
	// because its agent's station vanished too.
	var customersGone, othersGone, answered []LegID
	for leg := range tracked {
		if !o.tracks(leg) {
			continue // handled by an event meanwhile
		}
		l, alive := status[leg]
		switch {
		case !alive && o.isCustomer(leg):
			customersGone = append(customersGone, leg)
		case !alive:
			othersGone = append(othersGone, leg)
		case l.Answered && o.awaitsAnswer(leg):
			answered = append(answered, leg)
		}
	}
	for _, group := range [][]LegID{customersGone, othersGone, answered} {
		sort.Slice(group, func(i, j int) bool { return group[i] < group[j] })
	}
	now := o.clock.Now()
	ctx, cancel := context.WithTimeout(context.Background(), storeTimeout)
	defer cancel()
	for _, leg := range append(customersGone, othersGone...) {
		cause := CauseNormal
		if o.awaitsAnswer(leg) {
			cause = CauseNoAnswer // it rang and never answered, as far as anyone knows
		}
		o.onMedia(ctx, MediaEvent{Kind: MediaHungUp, Leg: leg, Cause: cause, At: now})
	}
	for _, leg := range answered {
		o.onMedia(ctx, MediaEvent{Kind: MediaAnswered, Leg: leg, At: now})
	}
	o.log.Info("PBX resync done", "legs_checked", len(tracked), "legs_live", len(live),
		"customers_gone", len(customersGone), "other_legs_gone", len(othersGone), "answered", len(answered))
}

// tracks reports whether leg is still one of the orchestrator's.
func (o *Orchestrator) tracks(leg LegID) bool {
	return o.st.legs[leg] != nil || o.st.monitorLegs[leg] != nil
}

func (o *Orchestrator) isCustomer(leg LegID) bool {
	ix := o.st.legs[leg]
	return ix != nil && ix.customer == leg
}

// awaitsAnswer reports whether leg was dialled and has not answered yet:
// a handler's station or number, a consulted party, a supervisor's station.
func (o *Orchestrator) awaitsAnswer(leg LegID) bool {
	if m := o.st.monitorLegs[leg]; m != nil {
		return m.state == MonitorConnecting
	}
	ix := o.st.legs[leg]
	switch {
	case ix == nil:
		return false
	case leg == ix.agentLeg:
		return ix.state == InteractionConnecting || ix.state == InteractionRinging
	case ix.consult != nil && leg == ix.consult.leg:
		return ix.consult.state != ConsultConnected
	}
	return false
}
