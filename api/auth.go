package api

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/crypto/bcrypt"

	"github.com/ringside/ringside/orchestrator"
)

// CookieName is the session cookie. Its value is a random 32-byte token,
// which Accounts stores only as a digest (store.DB keeps its SHA-256).
const CookieName = "ringside_session"

// userKey is where authenticate leaves the signed-in user in the echo context.
const (
	userKey  = "ringside.user"
	tokenKey = "ringside.token"
)

// errBadCredentials is the one answer for an unknown login and a wrong
// password alike (S1: no hint whether the login exists).
var errBadCredentials = orchestrator.Errorf(orchestrator.CodeUnauthorized, "wrong login or password")

// userJSON is a user as the API shows it; the password hash never leaves.
type userJSON struct {
	ID     int64    `json:"id"`
	Login  string   `json:"login"`
	Name   string   `json:"name"`
	Roles  []string `json:"roles"`
	TeamID int64    `json:"team_id"`
}

func toUserJSON(u orchestrator.User) userJSON {
	roles := make([]string, 0, len(u.Roles))
	for _, r := range u.Roles {
		roles = append(roles, string(r))
	}
	return userJSON{ID: u.ID, Login: u.Login, Name: u.Name, Roles: roles, TeamID: u.TeamID}
}

// dummyHash is compared against when the login is unknown, so that an
// unknown login costs the same bcrypt work as a wrong password (S1). It uses
// bcrypt.DefaultCost, the cost the store hashes passwords with.
var dummyHash = sync.OnceValue(func() []byte {
	pw := make([]byte, 16)
	_, _ = rand.Read(pw)
	h, err := bcrypt.GenerateFromPassword(pw, bcrypt.DefaultCost)
	if err != nil {
		panic("api: bcrypt: " + err.Error())
	}
	return h
})

// newToken returns a fresh random session token (32 bytes, base64url).
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand, Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

type loginRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
}

// login checks the password and starts a web session (S1).
func (s *Server) login(c echo.Context) error {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	login := strings.ToLower(strings.TrimSpace(req.Login))
	if login == "" {
		return invalid("login: enter your login")
	}
	if req.Password == "" {
		return invalid("password: enter your password")
	}
	ctx := c.Request().Context()
	ip := c.RealIP() // the client, even behind a trusted proxy (clientIP)
	// S1: a locked login or address is refused before the password is
	// looked at, so even the right one waits and a guess learns nothing.
	if s.limiter != nil {
		if ok, retry := s.limiter.Allow(login, ip); !ok {
			// Rounded up: a client that waits Retry-After finds the lock over.
			secs := max(int((retry+time.Second-1)/time.Second), 1)
			s.log.Info("sign-in throttled", "ip", ip, "retry_after_s", secs)
			c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
			return &httpError{Status: http.StatusTooManyRequests, Code: "throttled", Message: "too many sign-in attempts; try again in " + strconv.Itoa(secs) + " s"}
		}
	}
	u, lookupErr := s.acc.UserByLogin(ctx, login)
	if lookupErr != nil && orchestrator.ErrorCode(lookupErr) != orchestrator.CodeNotFound {
		// S9: the sign-in screen has no banner yet, so the answer itself
		// says which part is down; the cause goes to the log only.
		s.log.Error("sign-in: user lookup failed", "err", lookupErr)
		return orchestrator.Errorf(orchestrator.CodeUnavailable, "sign-in is unavailable: the database does not answer; try again shortly")
	}
	hash := dummyHash()
	if lookupErr == nil {
		hash = []byte(u.PasswordHash)
	}
	// Always run bcrypt, even for an unknown login: same time, same answer.
	if err := bcrypt.CompareHashAndPassword(hash, []byte(req.Password)); err != nil || lookupErr != nil {
		// Already counted by Allow.
		s.log.Info("sign-in refused", "ip", ip)
		return errBadCredentials
	}
	if s.limiter != nil {
		s.limiter.Succeeded(login, ip)
	}

	token := newToken()
	expires := time.Now().Add(s.ttl)
	if err := s.acc.CreateWebSession(ctx, token, u.ID, expires); err != nil {
		return err
	}
	// A new sign-in replaces whatever session this browser held before.
	if old, err := c.Cookie(CookieName); err == nil && old.Value != "" {
		if err := s.acc.DeleteWebSession(ctx, old.Value); err != nil && orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
			s.log.Warn("could not delete the previous web session", "err", err)
		}
	}
	c.SetCookie(s.sessionCookie(token, expires))
	s.log.Info("signed in", "user", u.ID)
	return c.JSON(http.StatusOK, map[string]any{"user": toUserJSON(u)})
}

// logout ends the web session, if any; it always succeeds.
func (s *Server) logout(c echo.Context) error {
	if ck, err := c.Cookie(CookieName); err == nil && ck.Value != "" {
		if id := c.Request().Header.Get(DesktopHeader); id != "" {
			if uid, _, err := s.acc.WebSession(c.Request().Context(), ck.Value); err == nil {
				s.desktops.release(uid, id) // S2: no prompt for a desktop that signed out
			}
		}
		err := s.acc.DeleteWebSession(c.Request().Context(), ck.Value)
		if err != nil && orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
			return err
		}
	}
	ck := s.sessionCookie("", time.Unix(0, 0))
	ck.MaxAge = -1
	c.SetCookie(ck)
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) sessionCookie(value string, expires time.Time) *http.Cookie {
	return &http.Cookie{
		Name:     CookieName,
		Value:    value,
		Path:     "/",
		Expires:  expires,
		HttpOnly: true,
		Secure:   s.secure,
		SameSite: http.SameSiteLaxMode,
	}
}

// authenticate finds the user of the request's session cookie; without a
// live session the request is refused with 401.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(CookieName)
		if err != nil || ck.Value == "" {
			return orchestrator.Errorf(orchestrator.CodeUnauthorized, "sign in first")
		}
		ctx := c.Request().Context()
		key := ck.Value
		uid, expires, err := s.acc.WebSession(ctx, key)
		if orchestrator.ErrorCode(err) == orchestrator.CodeNotFound {
			return orchestrator.Errorf(orchestrator.CodeUnauthorized, "your session has ended; sign in again")
		}
		if err != nil {
			return err
		}
		if !time.Now().Before(expires) {
			if err := s.acc.DeleteWebSession(ctx, key); err != nil && orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
				s.log.Warn("could not delete an expired web session", "err", err)
			}
			return orchestrator.Errorf(orchestrator.CodeUnauthorized, "your session has expired; sign in again")
		}
		u, err := s.acc.User(ctx, uid)
		if orchestrator.ErrorCode(err) == orchestrator.CodeNotFound {
			return orchestrator.Errorf(orchestrator.CodeUnauthorized, "your account no longer exists")
		}
		if err != nil {
			return err
		}
		c.Set(userKey, u)
		c.Set(tokenKey, key)
		return next(c)
	}
}

// sessionLive reports whether the web session stored under key still exists
// and has not expired; a failing store counts as live (the stream is not
// cut for a database hiccup).
func (s *Server) sessionLive(ctx context.Context, key string) bool {
	_, expires, err := s.acc.WebSession(ctx, key)
	if orchestrator.ErrorCode(err) == orchestrator.CodeNotFound {
		return false
	}
	if err != nil {
		s.log.Warn("could not check a web session", "err", err)
		return true
	}
	return time.Now().Before(expires)
}

// currentUser is the user authenticate found.
func currentUser(c echo.Context) orchestrator.User {
	u, _ := c.Get(userKey).(orchestrator.User)
	return u
}

// requireAnyRole lets through users holding at least one of roles (RBAC).
func requireAnyRole(roles ...orchestrator.Role) echo.MiddlewareFunc {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	msg := "this needs the " + strings.Join(names, " or ") + " role"
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			for _, r := range roles {
				if u.HasRole(r) {
					return next(c)
				}
			}
			return orchestrator.Errorf(orchestrator.CodeForbidden, "%s", msg)
		}
	}
}

// checkOrigin refuses state-changing requests (anything but GET, HEAD,
// OPTIONS) whose Origin — or, without one, Referer — is neither the
// request's own host nor one of AllowedOrigins (CSRF). A request with
// neither header is refused too.
func (s *Server) checkOrigin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		origin := r.Header.Get("Origin")
		if origin == "" {
			origin = refererOrigin(r.Header.Get("Referer"))
		}
		if !s.originAllowed(origin, r.Host) {
			return orchestrator.Errorf(orchestrator.CodeForbidden, "request refused: it did not come from an allowed origin")
		}
		return next(c)
	}
}

// originAllowed reports whether origin (scheme://host[:port]) is host itself
// or one of the configured origins.
func (s *Server) originAllowed(origin, host string) bool {
	if origin == "" || origin == "null" {
		return false
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	if strings.EqualFold(u.Host, host) {
		return true
	}
	return s.origins[normalizeOrigin(origin)]
}

func refererOrigin(ref string) string {
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

func normalizeOrigin(o string) string {
	return strings.ToLower(strings.TrimRight(strings.TrimSpace(o), "/"))
}
