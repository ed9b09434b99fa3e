package orchestrator

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Config builds an Orchestrator.
type Config struct {
	Media  Media
	Store  Store
	Clock  Clock        // nil: SystemClock
	Logger *slog.Logger // nil: slog.Default()
	// DialNumberTemplate turns a dial-number station into a PBX dial string;
	// "{number}" is replaced, e.g. "PJSIP/{number}@trunk".
	DialNumberTemplate string
	// DefaultMusicClass is the music on hold of queues that name none;
	// empty means DefaultMusicClass.
	DefaultMusicClass string
}

// DefaultMusicClass is the music class used when neither the queue nor the
// configuration names one: Asterisk's stock class name.
const DefaultMusicClass = "default"

// Orchestrator owns all live state. One goroutine (Run) applies every
// command and PBX event in order; callers talk to it through methods that
// post a function into that loop and wait for its answer.
type Orchestrator struct {
	media        Media
	store        Store
	clock        Clock
	log          *slog.Logger
	dialTemplate string
	music        string // the default music class

	cmds     chan func()   // work for the loop
	done     chan struct{} // closed when Run returns
	stopping chan struct{} // closed when Run starts to stop: posts are dropped

	// pbxWork counts PBX command sequences queued or running (queueMedia),
	// so a stopping controller lets them finish rather than leave the PBX
	// half-way through one (a consult set up without its agent, a
	// customer held with nobody to resume them).
	pbxWork sync.WaitGroup

	// Loop-owned state: touch only from inside the loop.
	st *state

	// linkDown mirrors st.linkUp for readers outside the loop (/readyz).
	linkDown atomic.Bool

	subsMu sync.Mutex
	subs   map[*Subscription]struct{}
}

// ErrStopped is returned by commands sent after Run has ended.
var ErrStopped = &Error{Code: CodeUnavailable, Message: "the controller is shutting down"}

// New checks cfg and returns an Orchestrator ready to Run.
func New(cfg Config) (*Orchestrator, error) {
	if cfg.Media == nil || cfg.Store == nil {
		return nil, errors.New("orchestrator: Media and Store are required")
	}
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Orchestrator{
		media:        cfg.Media,
		store:        cfg.Store,
		clock:        cfg.Clock,
		log:          cfg.Logger,
		dialTemplate: cfg.DialNumberTemplate,
		music:        cmp.Or(cfg.DefaultMusicClass, DefaultMusicClass),
		cmds:         make(chan func(), 64),
		done:         make(chan struct{}),
		stopping:     make(chan struct{}),
		st:           newState(),
		subs:         map[*Subscription]struct{}{},
	}, nil
}

// Run applies commands and PBX events until ctx ends.
func (o *Orchestrator) Run(ctx context.Context) error {
	defer close(o.done)
	// P5: agents and calls from before a restart come back before the
	// first command or PBX event is applied (recover.go).
	o.recover()
	events := o.media.Events()
	for {
		select {
		case <-ctx.Done():
			o.closeSubscriptions()
			close(o.stopping)
			o.finishPBXWork(shutdownGrace)
			return nil
		case f := <-o.cmds:
			f()
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			o.onMedia(ctx, ev)
		}
	}
}

// do runs f inside the loop and waits for it.
func (o *Orchestrator) do(ctx context.Context, f func() error) error {
	res := make(chan error, 1)
	select {
	case <-o.stopping:
		return ErrStopped
	default:
	}
	select {
	case o.cmds <- func() { res <- f() }:
	case <-o.stopping:
		return ErrStopped
	case <-o.done:
		return ErrStopped
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-res:
		return err
	case <-o.stopping:
		// The loop has stopped reading commands; f ran only if its answer
		// is there already.
		select {
		case err := <-res:
			return err
		default:
			return ErrStopped
		}
	case <-o.done:
		return ErrStopped
	case <-ctx.Done():
		return ctx.Err()
	}
}

// post queues f for the loop without waiting (timers, media results).
func (o *Orchestrator) post(f func()) {
	select {
	case o.cmds <- f:
	case <-o.done:
	case <-o.stopping:
	}
}

// shutdownGrace bounds how long a stopping controller waits for the PBX
// commands under way.
const shutdownGrace = 5 * time.Second

// queueMedia queues f, a sequence of PBX commands, on q and counts it as
// work a stopping controller waits for.
func (o *Orchestrator) queueMedia(q *serial, f func()) {
	o.pbxWork.Add(1)
	q.Go(func() {
		defer o.pbxWork.Done()
		f()
	})
}

// finishPBXWork waits up to grace for the PBX commands under way. Those
// still running after it go on until the adapter is closed.
func (o *Orchestrator) finishPBXWork(grace time.Duration) {
	finished := make(chan struct{})
	go func() {
		o.pbxWork.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(grace):
		o.log.Warn("stopping with PBX commands still under way", "waited", grace)
	}
}

// Sync returns once every command posted before it has been applied. Tests
// use it to wait for the effects of events and timers.
func (o *Orchestrator) Sync(ctx context.Context) error {
	return o.do(ctx, func() error { return nil })
}

// PBXLinkUp reports whether the PBX control link was up at its last report.
func (o *Orchestrator) PBXLinkUp() bool { return !o.linkDown.Load() }
