package orchestrator

import "sort"

// route offers waiting consults and calls to ready agents until no pair is
// left. Consults to a queue go first (nextConsultMatch says why). The call
// is chosen by queue priority, then arrival (a call that came back keeps
// its arrival, so it goes first again: A3 beyond); the agent is the one
// ready the longest among those signed into the call's queue.
func (o *Orchestrator) route() {
	if !o.st.linkUp {
		return // nothing can be dialled; routing resumes when the link returns
	}
	for {
		if ix, b := o.nextConsultMatch(); ix != nil {
			o.offerConsult(ix, b)
			continue
		}
		ix, a := o.nextMatch()
		if ix == nil {
			return
		}
		o.offer(ix, a)
	}
}

func (o *Orchestrator) nextMatch() (*interaction, *agent) {
	sort.SliceStable(o.st.waiting, func(i, j int) bool {
		a, b := o.st.waiting[i], o.st.waiting[j]
		if a.queue.Priority != b.queue.Priority {
			return a.queue.Priority > b.queue.Priority
		}
		return a.arrivedAt.Before(b.arrivedAt)
	})
	for _, ix := range o.st.waiting {
		if a := o.longestReady(ix); a != nil {
			return ix, a
		}
	}
	return nil, nil
}

func (o *Orchestrator) longestReady(ix *interaction) *agent {
	return o.longestReadyIn(ix.queue.Name, func(a *agent) bool { return ix.excluded[a.user.ID] })
}

// longestReadyIn is the agent of queue ready the longest, skipping those
// skip names; ties go to the lower user id, so routing is deterministic.
func (o *Orchestrator) longestReadyIn(queue string, skip func(*agent) bool) *agent {
	var best *agent
	for _, a := range o.st.agents {
		if !a.ready() || !a.inQueue(queue) || skip(a) {
			continue
		}
		if best == nil || a.readySince.Before(best.readySince) ||
			(a.readySince.Equal(best.readySince) && a.user.ID < best.user.ID) {
			best = a
		}
	}
	return best
}

func (o *Orchestrator) enqueue(ix *interaction) {
	ix.state = InteractionQueued
	o.st.waiting = append(o.st.waiting, ix)
}

func (o *Orchestrator) dequeue(ix *interaction) {
	for i, w := range o.st.waiting {
		if w == ix {
			o.st.waiting = append(o.st.waiting[:i], o.st.waiting[i+1:]...)
			return
		}
	}
}
