package api

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/ringside/ringside/orchestrator"
)

// Controller is what the API asks of the orchestrator; *orchestrator.Orchestrator
// implements it.
type Controller interface {
	SignIn(ctx context.Context, req orchestrator.SignInRequest) (orchestrator.AgentView, error)
	SignOut(ctx context.Context, userID int64) error
	SetState(ctx context.Context, userID int64, state orchestrator.AgentState, reasonCode string) error
	EndInteraction(ctx context.Context, userID int64, interactionID string) error
	Wrapup(ctx context.Context, userID int64, interactionID, code string) error
	Agent(ctx context.Context, userID int64) (*orchestrator.AgentView, error)
	Subscribe(ctx context.Context, userID int64) (*orchestrator.Subscription, error)
	// RemoteAccessChanged: an admin saved the user's remote settings (R4).
	RemoteAccessChanged(ctx context.Context, userID int64) error

	// Call handling (A5–A11).
	Hold(ctx context.Context, userID int64, ixID string) error
	Resume(ctx context.Context, userID int64, ixID string) error
	ResumeConsulted(ctx context.Context, userID int64, ixID string) error
	Consult(ctx context.Context, userID int64, ixID string, t orchestrator.Target) error
	EndConsult(ctx context.Context, userID int64, ixID string) error
	ExitConsult(ctx context.Context, userID int64, ixID string) error
	Transfer(ctx context.Context, userID int64, ixID string, t orchestrator.Target, mode orchestrator.TransferMode) error
	Conference(ctx context.Context, userID int64, ixID string) error
	PauseRecording(ctx context.Context, userID int64, ixID string) error
	ResumeRecording(ctx context.Context, userID int64, ixID string) error
	SetVariable(ctx context.Context, userID int64, ixID, name, value string, version int) (orchestrator.VariableView, error)
	RevealVariable(ctx context.Context, userID int64, ixID, name string) (string, error)
	TargetAgents(ctx context.Context, userID int64, purpose string) ([]orchestrator.TargetAgentView, error)

	// Supervisor view (M1–M7, G1–G3).
	SubscribeAll(ctx context.Context, userID int64) (*orchestrator.Subscription, error)
	SupervisorAgents(ctx context.Context, supervisorID int64, f orchestrator.AgentFilter) ([]orchestrator.AgentView, error)
	LogAgentIntoQueue(ctx context.Context, supervisorID, agentID, queueID int64) error
	LogAgentOutOfQueue(ctx context.Context, supervisorID, agentID, queueID int64) error
	SetAgentState(ctx context.Context, supervisorID, agentID int64, state orchestrator.AgentState, reasonCode string) error
	SignAgentOut(ctx context.Context, supervisorID, agentID int64) error
	EndAgentWrapup(ctx context.Context, supervisorID, agentID int64) error
	StartMonitor(ctx context.Context, supervisorID, agentID int64, mode orchestrator.MonitorMode) (orchestrator.MonitorView, error)
	ChangeMonitor(ctx context.Context, supervisorID int64, id orchestrator.MonitorID, action string) error
	StopMonitor(ctx context.Context, supervisorID int64, id orchestrator.MonitorID) error
	QueueStats(ctx context.Context) ([]orchestrator.QueueStats, error)
}

// Accounts is the persistence the API needs for sign-in and pick lists;
// *store.DB implements it. Missing rows come back as *orchestrator.Error
// with CodeNotFound.
type Accounts interface {
	UserByLogin(ctx context.Context, login string) (orchestrator.User, error)
	User(ctx context.Context, id int64) (orchestrator.User, error)
	CreateWebSession(ctx context.Context, token string, userID int64, expires time.Time) error
	WebSession(ctx context.Context, token string) (userID int64, expires time.Time, err error)
	DeleteWebSession(ctx context.Context, token string) error
	RememberStation(ctx context.Context, userID int64, st orchestrator.StationRequest) error
	RememberedStation(ctx context.Context, userID int64) (*orchestrator.StationRequest, error)
	Extensions(ctx context.Context) ([]orchestrator.Extension, error)
	IdleCodes(ctx context.Context) ([]orchestrator.IdleCode, error)
	WrapupCodes(ctx context.Context) ([]orchestrator.WrapupCode, error)
	Queues(ctx context.Context) ([]orchestrator.Queue, error) // by name
	Teams(ctx context.Context) ([]orchestrator.Team, error)   // by name
	AdminAccounts                                             // the admin pages (admin.go)
}

// LoginLimiter throttles sign-in attempts (S1). Allow is asked before the
// password is checked; a false answer refuses the attempt with 429 and a
// Retry-After of retryAfter. An attempt Allow admits counts as a failure
// from that moment — so parallel guesses cannot all slip in before the
// first is counted — until Succeeded says it was the right password.
// Options.LoginLimiter nil means no throttling.
type LoginLimiter interface {
	Allow(login, remoteIP string) (ok bool, retryAfter time.Duration)
	Succeeded(login, remoteIP string)
}

// Options configures a Server.
type Options struct {
	Controller Controller // required
	Accounts   Accounts   // required
	// Sim drives the simulated PBX; nil outside `ringside demo`, and then
	// the /api/v1/sim endpoints do not exist.
	Sim    Simulator
	Logger *slog.Logger // nil: slog.Default()
	// SecureCookies sets the Secure flag on the session cookie (serve over HTTPS).
	SecureCookies bool
	// AllowedOrigins lists extra origins ("https://desk.example.com") allowed
	// to make state-changing requests and open the event stream, besides the
	// request's own host.
	AllowedOrigins []string
	// TrustedProxies are the reverse proxies (load balancers) in front of
	// Ringside whose X-Forwarded-For and X-Real-IP headers are believed when
	// they are the TCP peer; the client address sign-in throttling counts is
	// then taken from those headers (clientIP). Empty: the headers are
	// ignored and the peer is the client. Invalid prefixes are ignored.
	TrustedProxies []netip.Prefix
	// Ready reports the parts the service needs (e.g. "pbx", "database"); a
	// non-nil error marks that part down and /readyz answers 503. nil: ready.
	Ready func(ctx context.Context) map[string]error
	// SessionTTL is how long a sign-in lasts; 0: 12 hours.
	SessionTTL time.Duration
	// LoginLimiter throttles logins (S1); nil: none. Ringside runs with
	// NewThrottle (app.startController).
	LoginLimiter LoginLimiter
	// Registry receives the API's metrics and is served on /metrics; nil: a
	// new registry with the Go and process collectors.
	Registry *prometheus.Registry
	// UI, when set, serves every path outside /api, /healthz, /readyz and
	// /metrics (the embedded web UI: webui.Handler()).
	UI http.Handler
}

// Server is the HTTP API.
type Server struct {
	ctl      Controller
	acc      Accounts
	sim      Simulator
	log      *slog.Logger
	secure   bool
	origins  map[string]bool
	proxies  []netip.Prefix // trusted reverse proxies (clientIP)
	ready    func(ctx context.Context) map[string]error
	ttl      time.Duration
	limiter  LoginLimiter
	desktops *desktops // S2: each user's current desktop
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	e        *echo.Echo
}

// New builds the server and its routes.
func New(opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	if opts.Registry == nil {
		opts.Registry = prometheus.NewRegistry()
		opts.Registry.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	s := &Server{
		ctl:      opts.Controller,
		acc:      opts.Accounts,
		sim:      opts.Sim,
		log:      opts.Logger,
		secure:   opts.SecureCookies,
		origins:  map[string]bool{},
		proxies:  trustedPrefixes(opts.TrustedProxies),
		ready:    opts.Ready,
		ttl:      opts.SessionTTL,
		limiter:  opts.LoginLimiter,
		desktops: newDesktops(time.Now, desktopGrace),
		registry: opts.Registry,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ringside_http_requests_total",
			Help: "HTTP requests served, by route template, method and status code.",
		}, []string{"route", "method", "code"}),
	}
	go dummyHash() // warm it, so the first unknown login is not the slow one
	for _, o := range opts.AllowedOrigins {
		s.origins[normalizeOrigin(o)] = true
	}
	s.registry.MustRegister(s.requests)

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorHandler
	// c.RealIP() is the client address by our rule. Left unset, echo would
	// believe X-Forwarded-For from anyone, letting a client pick the
	// address it is throttled under.
	e.IPExtractor = func(r *http.Request) string { return clientIP(r, s.proxies) }
	e.Use(s.countRequests, securityHeaders, noStore)
	s.e = e

	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{})))

	// Routes take their middleware one by one: echo's group middleware
	// would turn unknown /api/v1 paths into 401s instead of 404s.
	const v1 = "/api/v1"
	authed := []echo.MiddlewareFunc{s.authenticate, s.checkOrigin, s.checkDesktop}
	desk := append(authed[:len(authed):len(authed)], requireAnyRole(orchestrator.RoleAgent, orchestrator.RoleSupervisor))
	calls := append(authed[:len(authed):len(authed)], requireAnyRole(orchestrator.RoleAgent))
	sup := append(authed[:len(authed):len(authed)], requireAnyRole(orchestrator.RoleSupervisor))
	manage := append(authed[:len(authed):len(authed)], requireAnyRole(orchestrator.RoleSupervisor, orchestrator.RoleAdmin))

	// Sign-in: origin-checked, no session yet.
	e.POST(v1+"/auth/login", s.login, s.checkOrigin)
	e.POST(v1+"/auth/logout", s.logout, s.checkOrigin)
	e.GET(v1+"/me", s.me, authed...)
	e.GET(v1+"/stations", s.stations, desk...)
	e.GET(v1+"/dial-countries", s.dialCountries, authed...)
	e.POST(v1+"/session", s.startSession, desk...)
	e.DELETE(v1+"/session", s.endSession, desk...)
	e.PUT(v1+"/session/state", s.setState, desk...)
	e.GET(v1+"/idle-codes", s.idleCodes, desk...)
	e.GET(v1+"/interactions", s.interactions, calls...)
	e.POST(v1+"/interactions/:id/end", s.endInteraction, calls...)
	e.POST(v1+"/interactions/:id/wrapup", s.wrapup, calls...)
	e.GET(v1+"/wrapup-codes", s.wrapupCodes, calls...)
	s.callRoutes(e, v1, calls, desk)
	s.supervisorRoutes(e, v1, sup, manage)
	s.adminRoutes(e, v1, authed)
	s.desktopRoutes(e, v1)
	// The event stream authenticates before the upgrade; the upgrader
	// checks the Origin (a WebSocket handshake is a GET).
	e.GET(v1+"/events", s.events, s.authenticate)

	if s.sim != nil {
		s.simRoutes(e, v1+"/sim")
	}

	if opts.UI != nil {
		ui := echo.WrapHandler(opts.UI)
		serveUI := func(c echo.Context) error {
			if strings.HasPrefix(c.Request().URL.Path, "/api/") {
				return echo.ErrNotFound // unknown API paths stay JSON 404s
			}
			return ui(c)
		}
		e.GET("/*", serveUI)
		e.HEAD("/*", serveUI)
	}
	return s
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.e }

// countRequests counts every request by route template and final status.
// It writes handler errors itself so the status it counts is the one sent.
func (s *Server) countRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		route := c.Path()
		if route == "" || status == http.StatusNotFound && route == "/*" {
			route = "unmatched"
		}
		s.requests.WithLabelValues(route, c.Request().Method, strconv.Itoa(status)).Inc()
		if status >= 500 {
			s.log.Warn("http request", "method", c.Request().Method, "route", route, "status", status, "took", time.Since(start))
		} else {
			s.log.Debug("http request", "method", c.Request().Method, "route", route, "status", status, "took", time.Since(start))
		}
		return nil
	}
}

func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// same-origin keeps Referer on our own requests (a CSRF fallback)
		// without sending it anywhere else.
		h.Set("Referrer-Policy", "same-origin")
		return next(c)
	}
}

// noStore keeps API answers (personal, live) out of every cache.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Request().URL.Path, "/api/") {
			c.Response().Header().Set("Cache-Control", "no-store")
		}
		return next(c)
	}
}

// readyDown is a part that is down, in /readyz's answer: its name and
// what the banner says about it (fixed words, never the internal error).
type readyDown struct {
	Part string `json:"part"`
	Text string `json:"text"`
}

// readyz answers 200 when every part reported by Ready is up, else 503 with
// the failing parts named (an operator endpoint, open to anyone).
func (s *Server) readyz(c echo.Context) error {
	if s.ready == nil {
		return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), 5*time.Second)
	defer cancel()
	failing := map[string]string{}
	var names []string
	for part, err := range s.ready(ctx) {
		if err != nil {
			// /readyz is unauthenticated: name the part, never the internal
			// error (the controller's log has it, once per change).
			failing[part] = "down"
			names = append(names, part)
		}
	}
	if len(failing) == 0 {
		return c.JSON(http.StatusOK, map[string]any{"status": "ready", "down": []readyDown{}})
	}
	slices.Sort(names)
	// down carries the banner's words, for the sign-in screen, which has
	// no event stream yet (S9).
	down := make([]readyDown, 0, len(names))
	for _, n := range names {
		down = append(down, readyDown{Part: n, Text: orchestrator.PartText(orchestrator.Part(n))})
	}
	return c.JSON(http.StatusServiceUnavailable, map[string]any{
		"error":   errorDetail{Code: string(orchestrator.CodeUnavailable), Message: "not ready: " + strings.Join(names, ", ")},
		"failing": failing,
		"down":    down,
	})
}
