package orchestrator

import (
	"context"
	"sync"
)

// subscriptionBuffer bounds how far a desktop may fall behind before it is
// cut off; it then reconnects and gets a fresh snapshot.
const subscriptionBuffer = 256

// Subscription delivers one desktop's events. Snapshot and Seq are the state
// at the moment of subscribing; Events carries every later change with a
// larger Seq. Events is closed when the subscriber falls behind or the
// orchestrator stops.
type Subscription struct {
	UserID   int64
	Snapshot *AgentView // nil: not signed in
	// Agents is every signed-in user at the moment of subscribing, for a
	// supervisor's subscription (SubscribeAll); nil otherwise.
	Agents []AgentView
	// Health is what is down at the moment of subscribing, so a desktop
	// that connects during an outage shows the banner at once (S9).
	Health HealthView
	Seq    uint64
	Events <-chan Event

	all     bool // also every agent's state changes (supervisors)
	ch      chan Event
	once    sync.Once
	onClose func()
}

// NewSubscription builds a Subscription for another implementation of the
// orchestrator's surface (a test fake): onClose runs once, on Close.
func NewSubscription(userID int64, snapshot *AgentView, seq uint64, events <-chan Event, onClose func()) *Subscription {
	return &Subscription{UserID: userID, Snapshot: snapshot, Seq: seq, Events: events, onClose: onClose}
}

// Subscribe registers a desktop for the user's events.
func (o *Orchestrator) Subscribe(ctx context.Context, userID int64) (*Subscription, error) {
	return o.subscribe(ctx, userID, false)
}

// SubscribeAll registers a supervisor's desktop: the user's own events and
// every agent's state change, for the live team table.
func (o *Orchestrator) SubscribeAll(ctx context.Context, userID int64) (*Subscription, error) {
	return o.subscribe(ctx, userID, true)
}

func (o *Orchestrator) subscribe(ctx context.Context, userID int64, all bool) (*Subscription, error) {
	s := &Subscription{UserID: userID, all: all, ch: make(chan Event, subscriptionBuffer)}
	s.Events = s.ch
	s.onClose = func() {
		o.subsMu.Lock()
		delete(o.subs, s)
		o.subsMu.Unlock()
		close(s.ch)
	}
	err := o.do(ctx, func() error {
		if a := o.st.agents[userID]; a != nil {
			v := o.agentView(a)
			s.Snapshot = &v
		}
		if all {
			s.Agents = o.allAgentViews()
		}
		s.Health = o.healthView()
		s.Seq = o.st.seq
		o.subsMu.Lock()
		o.subs[s] = struct{}{}
		o.subsMu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Close stops the subscription.
func (s *Subscription) Close() {
	s.once.Do(func() {
		if s.onClose != nil {
			s.onClose()
		}
	})
}

// publish numbers ev and hands it to the user's subscribers (supervisors
// also get every agent's state; everyone gets health). Called only from
// the loop, so Seq order is the order of changes.
func (o *Orchestrator) publish(ev Event) {
	o.st.seq++
	ev.Seq = o.st.seq
	o.subsMu.Lock()
	var slow []*Subscription
	for s := range o.subs {
		if s.UserID != ev.UserID && !(s.all && ev.Type == EventAgent) && ev.Type != EventHealth {
			continue
		}
		select {
		case s.ch <- ev:
		default:
			slow = append(slow, s)
		}
	}
	o.subsMu.Unlock()
	for _, s := range slow {
		o.log.Warn("desktop fell behind; closing its event stream", "user", s.UserID)
		s.Close()
	}
}

func (o *Orchestrator) closeSubscriptions() {
	o.subsMu.Lock()
	all := make([]*Subscription, 0, len(o.subs))
	for s := range o.subs {
		all = append(all, s)
	}
	o.subsMu.Unlock()
	for _, s := range all {
		s.Close()
	}
}
