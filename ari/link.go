package ari

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"time"

	ariv6 "github.com/CyCoreSystems/ari/v6"
	"golang.org/x/net/websocket"

	"github.com/ringside/ringside/orchestrator"
)

// The event link.
//
// ari/v6's native client runs its own event WebSocket, but it reconnects
// silently (only a log line tells), so the adapter could neither report
// MediaLinkDown nor know that events were lost, and its bus drops events
// for a subscriber more than 100 behind. The adapter therefore reads the
// WebSocket itself, with the same library ari/v6 uses (x/net/websocket)
// and ari/v6's own decoder: one reader that never blocks, feeding the
// ordered queue. REST calls still go through the native client.

// connect opens the event WebSocket, then checks the REST side with the
// same credentials, within ConnectTimeout. Asterisk registers the
// application before the handshake completes, so no event is missed once
// the socket is open.
func (a *Adapter) connect(ctx context.Context) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, a.opts.ConnectTimeout)
	defer cancel()
	cfg, err := websocket.NewConfig(a.wsURL, "http://localhost/")
	if err != nil {
		return nil, err
	}
	auth := base64.StdEncoding.EncodeToString([]byte(a.opts.Username + ":" + a.opts.Password))
	cfg.Header.Set("Authorization", "Basic "+auth)
	ws, err := cfg.DialContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("event websocket: %w", err)
	}
	if err := a.checkREST(ctx); err != nil {
		_ = ws.Close()
		return nil, fmt.Errorf("REST check: %w", err)
	}
	return ws, nil
}

func (a *Adapter) checkREST(ctx context.Context) error {
	return call(ctx, func() error {
		_, err := a.cl.Asterisk().Info(nil)
		return err
	})
}

// run keeps the link: it serves one connection until it fails, reports
// MediaLinkDown, reconnects with backoff and reports MediaLinkUp. The
// events of the outage are lost for good (Asterisk keeps no backlog for a
// WebSocket that went away); on that MediaLinkUp the orchestrator asks
// Legs what is still there (P4, legs.go).
func (a *Adapter) run(ctx context.Context, ws *websocket.Conn) {
	defer close(a.runDone)
	for {
		if ws == nil { // the link is down: MediaLinkDown was reported
			if ws = a.reconnect(ctx); ws == nil {
				return
			}
			a.log.Info("ARI link restored", "url", a.opts.URL)
			a.q.push(linkEvent(orchestrator.MediaLinkUp))
			a.background(a.sweepBridges) // events lost meanwhile may have left bridges behind
		}
		err := a.serve(ctx, ws)
		ws = nil
		if ctx.Err() != nil {
			return
		}
		a.log.Warn("ARI link lost", "err", err)
		a.q.push(linkEvent(orchestrator.MediaLinkDown))
	}
}

// reconnect retries until it connects or ctx ends, doubling the wait from
// MinBackoff to MaxBackoff with some jitter so that several controllers do
// not hammer a restarting Asterisk in step.
func (a *Adapter) reconnect(ctx context.Context) *websocket.Conn {
	wait := a.opts.MinBackoff
	for {
		jittered := wait - wait/5 + rand.N(wait/5*2+1)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(jittered):
		}
		ws, err := a.connect(ctx)
		if err == nil {
			return ws
		}
		if ctx.Err() != nil {
			return nil
		}
		wait = min(wait*2, a.opts.MaxBackoff)
		a.log.Warn("ARI reconnect failed", "err", err, "retry_in", wait)
	}
}

// serve reads events until the connection fails or ctx ends.
func (a *Adapter) serve(ctx context.Context, ws *websocket.Conn) error {
	stop := make(chan struct{})
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		a.watch(ctx, ws, stop)
	}()
	defer func() {
		close(stop)
		<-watched
		_ = ws.Close()
	}()
	for {
		var data []byte
		if err := websocket.Message.Receive(ws, &data); err != nil {
			return err
		}
		if err := a.handle(data); err != nil {
			return err
		}
	}
}

// watch closes the socket when ctx ends or the periodic REST check fails
// (a network that died silently never fails the read by itself).
func (a *Adapter) watch(ctx context.Context, ws *websocket.Conn, stop <-chan struct{}) {
	var tick <-chan time.Time
	if a.opts.HealthInterval > 0 {
		t := time.NewTicker(a.opts.HealthInterval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-stop:
			return
		case <-ctx.Done():
			_ = ws.Close()
			return
		case <-tick:
			hctx, cancel := context.WithTimeout(ctx, a.opts.ConnectTimeout)
			err := a.checkREST(hctx)
			cancel()
			if err != nil && ctx.Err() == nil {
				a.log.Warn("ARI health check failed; dropping the link", "err", err)
				_ = ws.Close()
				return
			}
		}
	}
}

// errReplaced ends a connection whose application another client took.
var errReplaced = fmt.Errorf("another ARI client took over the application")

// handle decodes one frame and queues what it means. It never blocks.
func (a *Adapter) handle(data []byte) error {
	ev, err := decodeEvent(data)
	if err != nil {
		a.log.Warn("ignoring an undecodable ARI event", "err", err)
		return nil
	}
	if _, ok := ev.(*ariv6.ApplicationReplaced); ok {
		// Asterisk now sends this application's events to the other
		// WebSocket only. Two controllers on one application is a
		// misconfiguration; dropping the link makes it loud and recovers
		// when the other goes away.
		a.log.Error("ARI application taken over by another client", "app", a.opts.Application)
		return errReplaced
	}
	evs := a.tr.translate(ev)
	for _, e := range evs {
		if e.Kind == orchestrator.MediaHungUp {
			a.onHungUp(e.Leg)
		}
	}
	a.q.push(evs...)
	return nil
}

// decodeEvent parses one ARI event frame with ari/v6's decoder.
func decodeEvent(data []byte) (ev ariv6.Event, err error) {
	return ariv6.DecodeEvent(data)
}
