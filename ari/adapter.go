package ari

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/CyCoreSystems/ari/v6/client/native"

	"github.com/ringside/ringside/orchestrator"
)

// Options configures the adapter.
type Options struct {
	URL         string // ARI base URL, e.g. http://127.0.0.1:8088/ari
	Username    string
	Password    string
	Application string // the Stasis application; default "ringside"
	Logger      *slog.Logger

	// ConnectTimeout bounds one connection attempt (WebSocket handshake and
	// the REST check) and the periodic health check. Default 5 s.
	ConnectTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait between reconnection
	// attempts, doubling from one to the other. Defaults 250 ms and 10 s.
	MinBackoff, MaxBackoff time.Duration
	// HealthInterval is how often the REST side is checked while connected,
	// so a network that died silently is noticed. Default 15 s; negative
	// disables it.
	HealthInterval time.Duration
}

// Adapter is the Media port on Asterisk ARI.
type Adapter struct {
	opts  Options
	log   *slog.Logger
	cl    *native.Client
	wsURL string

	tr    *translator
	q     *queue
	out   chan orchestrator.MediaEvent
	holds *holds
	mons  *monitors

	// Background REST work (holding-bridge cleanup) runs under bgCtx and is
	// waited for by Close.
	bgCtx    context.Context
	bgCancel context.CancelFunc
	bg       sync.WaitGroup

	mu      sync.Mutex
	started bool
	closed  bool
	cancel  context.CancelFunc
	runDone chan struct{}
	stop    chan struct{} // stops the event pump
}

var _ orchestrator.Media = (*Adapter)(nil)

// New checks the options and builds an adapter; Start connects it.
func New(opts Options) (*Adapter, error) {
	if opts.Application == "" {
		opts.Application = "ringside"
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = 5 * time.Second
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = 250 * time.Millisecond
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = max(10*time.Second, opts.MinBackoff)
	}
	if opts.HealthInterval == 0 {
		opts.HealthInterval = 15 * time.Second
	}
	opts.URL = strings.TrimRight(opts.URL, "/")
	wsURL, err := eventsURL(opts.URL, opts.Application)
	if err != nil {
		return nil, err
	}
	if opts.Username == "" || opts.Password == "" {
		return nil, errors.New("ari: username and password are required")
	}
	log := opts.Logger.With("component", "ari")
	bgCtx, bgCancel := context.WithCancel(context.Background())
	a := &Adapter{
		opts:  opts,
		log:   log,
		wsURL: wsURL,
		// The native client is used for REST only: its own event WebSocket
		// hides link loss (it reconnects silently, losing events) and could
		// not report MediaLinkDown; see link.go.
		cl: native.New(&native.Options{
			Application: opts.Application,
			URL:         opts.URL,
			Username:    opts.Username,
			Password:    opts.Password,
		}),
		tr:       newTranslator(),
		q:        newQueue(log),
		out:      make(chan orchestrator.MediaEvent),
		holds:    newHolds(opts.Application),
		mons:     newMonitors(),
		bgCtx:    bgCtx,
		bgCancel: bgCancel,
		stop:     make(chan struct{}),
	}
	go a.q.pump(a.out, a.stop)
	return a, nil
}

// eventsURL derives ws(s)://host/ari/events?app=NAME from the REST URL.
func eventsURL(base, app string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("ari: bad URL %q", base)
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("ari: URL %q must be http or https", base)
	}
	u.Path = strings.TrimRight(u.Path, "/") + "/events"
	u.RawQuery = url.Values{"app": {app}}.Encode()
	return u.String(), nil
}

// Start connects to Asterisk: the event WebSocket first, then a REST check,
// within ConnectTimeout (ctx may cut it shorter). On success it reports
// MediaLinkUp. When Asterisk cannot be reached (it starts after Ringside,
// or restarts) Start still succeeds: it reports MediaLinkDown, so the
// desktop shows the telephony banner (S9), and connects in the background
// as soon as Asterisk answers (MediaLinkUp). Either way the link is kept up
// until Close, reconnecting with backoff. ctx bounds only the first
// attempt. Start fails only when called twice or after Close.
func (a *Adapter) Start(ctx context.Context) error {
	a.mu.Lock()
	if a.started || a.closed {
		a.mu.Unlock()
		return errors.New("ari: Start called twice or after Close")
	}
	a.started = true
	a.mu.Unlock()

	ws, err := a.connect(ctx)
	runCtx, cancel := context.WithCancel(context.Background())
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed { // Close raced with the connection
		cancel()
		if ws != nil {
			_ = ws.Close()
		}
		return errors.New("ari: closed while starting")
	}
	a.cancel, a.runDone = cancel, make(chan struct{})
	if err != nil {
		a.log.Error("ARI not reachable; retrying in the background", "url", a.opts.URL, "app", a.opts.Application, "err", err)
		a.q.push(linkEvent(orchestrator.MediaLinkDown))
	} else {
		a.log.Info("ARI connected", "url", a.opts.URL, "app", a.opts.Application)
		a.q.push(linkEvent(orchestrator.MediaLinkUp))
		a.backgroundLocked(a.sweepBridges) // left by a previous controller
	}
	go a.run(runCtx, ws)
	return nil
}

// Close stops the adapter; Events is closed once the loop has ended.
func (a *Adapter) Close() error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil
	}
	a.closed = true
	cancel, done := a.cancel, a.runDone
	a.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
	a.bgCancel()
	a.bg.Wait()
	close(a.stop)
	return nil
}

// background runs f outside the caller (the event reader must never wait
// on REST), unless the adapter is closing.
func (a *Adapter) background(f func(ctx context.Context)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.backgroundLocked(f)
}

func (a *Adapter) backgroundLocked(f func(ctx context.Context)) {
	if a.closed {
		return
	}
	a.bg.Add(1)
	go func() {
		defer a.bg.Done()
		f(a.bgCtx)
	}()
}

// Events delivers the PBX's events in order; it is closed by Close.
func (a *Adapter) Events() <-chan orchestrator.MediaEvent { return a.out }

func linkEvent(kind orchestrator.MediaEventKind) orchestrator.MediaEvent {
	return orchestrator.MediaEvent{Kind: kind, At: time.Now()}
}

// detached bounds clean-up after a command: it must run even when the
// command's own deadline has passed (a Hold that timed out must still take
// its holding bridge away), for at most ConnectTimeout. ari/v6 cannot
// cancel a request it sent, so a timed-out one may still complete on
// Asterisk; the clean-up and the sweep after each connection catch that.
func (a *Adapter) detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), a.opts.ConnectTimeout)
}

// call runs one blocking ari/v6 request, which takes no context, and stops
// waiting when ctx ends (the request itself then finishes on its own).
func call(ctx context.Context, f func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
