// Package app builds Ringside's parts and connects them: the store, a Media
// adapter, the orchestrator, the API and the desktop. `ringside serve` and
// `ringside demo` (and the end-to-end tests) start through it, so the demo
// runs exactly the wiring that production runs.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/ringside/ringside/api"
	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/store"
	"github.com/ringside/ringside/webui"
)

// mediaAdapter is a Media port that must be started and closed.
type mediaAdapter interface {
	orchestrator.Media
	Start(ctx context.Context) error
	Close() error
}

// controller is what runs: the orchestrator loop and the HTTP server.
type controller struct {
	URL  string
	DB   *store.DB
	Orch *orchestrator.Orchestrator

	log     *slog.Logger
	media   mediaAdapter
	http    *http.Server
	cancel  context.CancelFunc
	runDone chan struct{} // closed when the orchestrator's loop has ended
	wg      sync.WaitGroup
	once    sync.Once
}

type controllerOptions struct {
	DB                 *store.DB
	Media              mediaAdapter
	Listen             string
	DialNumberTemplate string
	MusicClass         string // A5: music on hold of queues that name none; "": orchestrator.DefaultMusicClass
	SecureCookies      bool
	AllowedOrigins     []string
	TrustedProxies     []netip.Prefix // reverse proxies whose X-Forwarded-For is believed; the demo has none
	Sim                api.Simulator  // demo only
	Logger             *slog.Logger
}

// startController connects the media adapter, runs the orchestrator and
// serves HTTP. On error everything it started is stopped again.
func startController(ctx context.Context, o controllerOptions) (*controller, error) {
	runCtx, cancel := context.WithCancel(context.Background())
	c := &controller{DB: o.DB, log: o.Logger, media: o.Media, cancel: cancel, runDone: make(chan struct{})}
	if err := o.Media.Start(ctx); err != nil {
		cancel()
		return nil, fmt.Errorf("connecting to the PBX: %w", err)
	}
	orch, err := orchestrator.New(orchestrator.Config{
		Media: o.Media, Store: o.DB, Logger: o.Logger, DialNumberTemplate: o.DialNumberTemplate,
		DefaultMusicClass: o.MusicClass,
	})
	if err != nil {
		cancel()
		_ = o.Media.Close()
		return nil, err
	}
	c.Orch = orch
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer close(c.runDone)
		_ = orch.Run(runCtx)
	}()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		watchDatabase(runCtx, o.DB, orch, dbProbePeriod) // S9: the database's banner
	}()

	srv := api.New(api.Options{
		Controller: orch, Accounts: o.DB, Sim: o.Sim, Logger: o.Logger,
		SecureCookies: o.SecureCookies, AllowedOrigins: o.AllowedOrigins,
		TrustedProxies: o.TrustedProxies, // S1: throttle the client behind a proxy, not the proxy
		// S1: the default policy (5 free failures per login, 20 per address,
		// then 1 s locks doubling up to 10 min); not configurable yet.
		LoginLimiter: api.NewThrottle(api.ThrottlePolicy{}),
		Ready:        readiness(o.DB, orch, readyPingInterval), // S9: the banner's health source
		UI:           webui.Handler(),
	})
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("listen %s: %w", o.Listen, err)
	}
	c.URL = "http://" + ln.Addr().String()
	c.http = &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		if err := c.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			o.Logger.Error("HTTP server stopped", "err", err)
		}
	}()
	return c, nil
}

// Close stops serving, ends the orchestrator and disconnects the PBX.
func (c *controller) Close() {
	c.once.Do(func() {
		if c.http != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			_ = c.http.Shutdown(ctx)
			cancel()
		}
		c.cancel()
		if c.Orch != nil {
			// The loop lets the PBX commands under way finish before it
			// ends; the adapter must still be open for them.
			<-c.runDone
		}
		_ = c.media.Close()
		c.wg.Wait()
	})
}
