package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// S1: a right password signs in and sets a session cookie that scripts
// cannot read, that cross-site requests do not carry, and that is Secure
// when configured.
func TestLoginSetsSessionCookie_S1(t *testing.T) {
	for _, secure := range []bool{false, true} {
		h := newHarness(t, func(o *Options) { o.SecureCookies = secure })
		r := h.do("POST", "/api/v1/auth/login", map[string]string{"login": " Ann@Example.com ", "password": "pw-ann"})
		h.want(r, http.StatusOK)
		var body struct {
			User userJSON `json:"user"`
		}
		r.json(t, &body)
		if body.User.ID != 1 || body.User.Login != "ann@example.com" || body.User.Name != "Ann Agent" || body.User.TeamID != 7 ||
			len(body.User.Roles) != 1 || body.User.Roles[0] != "agent" {
			t.Fatalf("user = %+v", body.User)
		}
		if strings.Contains(string(r.body), "$2a$") || strings.Contains(strings.ToLower(string(r.body)), "password") {
			t.Fatalf("login answer leaks the password hash: %s", r.body)
		}
		var ck *http.Cookie
		for _, c := range r.Cookies() {
			if c.Name == CookieName {
				ck = c
			}
		}
		if ck == nil {
			t.Fatal("no session cookie")
		}
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != secure || ck.Path != "/" || ck.Expires.Before(time.Now().Add(time.Hour)) {
			t.Fatalf("cookie %+v: want HttpOnly, SameSite=Lax, Secure=%v, Path=/, expiring later", ck, secure)
		}
		if len(ck.Value) != 43 { // 32 random bytes, base64url without padding
			t.Fatalf("token %q: want 32 random bytes", ck.Value)
		}
		if _, _, err := h.acc.WebSession(context.Background(), ck.Value); err != nil {
			t.Fatalf("the session is not stored: %v", err)
		}
		h.want(h.do("GET", "/api/v1/me", nil), http.StatusOK)
	}
}

// S1: an unknown login and a wrong password get the same answer.
func TestLoginBadCredentialsSameAnswer_S1(t *testing.T) {
	h := newHarness(t)
	unknown := h.do("POST", "/api/v1/auth/login", map[string]string{"login": "nobody@example.com", "password": "pw-ann"})
	wrong := h.do("POST", "/api/v1/auth/login", map[string]string{"login": "ann@example.com", "password": "not-it"})
	d1 := h.wantError(unknown, http.StatusUnauthorized, "unauthorized")
	d2 := h.wantError(wrong, http.StatusUnauthorized, "unauthorized")
	if d1 != d2 || string(unknown.body) != string(wrong.body) {
		t.Fatalf("unknown login %s vs wrong password %s: must not differ", unknown.body, wrong.body)
	}
	if len(unknown.Cookies()) != 0 || len(wrong.Cookies()) != 0 || h.acc.sessionCount() != 0 {
		t.Fatal("a refused login must not start a session")
	}
	// Both paths run bcrypt: the unknown login is compared with the dummy
	// hash, so it cannot be told apart by a much faster answer.
	if len(dummyHash()) == 0 {
		t.Fatal("no dummy hash")
	}
	h.wantError(h.do("POST", "/api/v1/auth/login", map[string]string{"login": "ann@example.com"}), http.StatusUnprocessableEntity, "invalid")
}

// S1 throttling seam: a limiter that refuses gets 429 with Retry-After.
type refuseAll struct{ asked, ok int }

func (r *refuseAll) Allow(login, ip string) (bool, time.Duration) {
	r.asked++
	return login != "blocked@example.com", 30 * time.Second
}
func (r *refuseAll) Succeeded(login, ip string) { r.ok++ }

func TestLoginLimiterSeam_S1(t *testing.T) {
	lim := &refuseAll{}
	h := newHarness(t, func(o *Options) { o.LoginLimiter = lim })
	r := h.do("POST", "/api/v1/auth/login", map[string]string{"login": "blocked@example.com", "password": "x"})
	h.wantError(r, http.StatusTooManyRequests, "throttled")
	if r.Header.Get("Retry-After") != "30" {
		t.Fatalf("Retry-After = %q", r.Header.Get("Retry-After"))
	}
	h.do("POST", "/api/v1/auth/login", map[string]string{"login": "ann@example.com", "password": "bad"})
	h.login("ann")
	if lim.asked != 3 || lim.ok != 1 {
		t.Fatalf("limiter asked %d times and told ok %d times, want 3 and 1", lim.asked, lim.ok)
	}
}

func TestLogoutEndsSession(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	h.want(h.do("POST", "/api/v1/auth/logout", nil), http.StatusNoContent)
	if h.acc.sessionCount() != 0 {
		t.Fatal("session still stored")
	}
	h.wantError(h.do("GET", "/api/v1/me", nil), http.StatusUnauthorized, "unauthorized")
	// Logging out again is harmless.
	h.want(h.do("POST", "/api/v1/auth/logout", nil), http.StatusNoContent)
}

func TestUnauthenticatedIs401(t *testing.T) {
	h := newHarness(t)
	for _, ep := range []struct{ method, path string }{
		{"GET", "/api/v1/me"}, {"GET", "/api/v1/stations"}, {"POST", "/api/v1/session"}, {"DELETE", "/api/v1/session"},
		{"PUT", "/api/v1/session/state"}, {"GET", "/api/v1/interactions?active=true"}, {"POST", "/api/v1/interactions/i1/end"},
		{"POST", "/api/v1/interactions/i1/wrapup"}, {"GET", "/api/v1/idle-codes"}, {"GET", "/api/v1/wrapup-codes"}, {"GET", "/api/v1/events"},
	} {
		h.wantError(h.do(ep.method, ep.path, "{}"), http.StatusUnauthorized, "unauthorized")
	}
	// A made-up cookie is no better.
	r := h.do("GET", "/api/v1/me", nil, "Cookie", CookieName+"=forged")
	h.wantError(r, http.StatusUnauthorized, "unauthorized")
}

func TestExpiredSessionIs401AndForgotten(t *testing.T) {
	h := newHarness(t)
	h.acc.CreateWebSession(context.Background(), "old", ann.ID, time.Now().Add(-time.Minute))
	d := h.wantError(h.do("GET", "/api/v1/me", nil, "Cookie", CookieName+"=old"), http.StatusUnauthorized, "unauthorized")
	if !strings.Contains(d.Message, "expired") {
		t.Fatalf("message %q", d.Message)
	}
	if h.acc.sessionCount() != 0 {
		t.Fatal("expired session not deleted")
	}
}

// RBAC: roles gate the desk endpoints and the role a user signs in with (S3).
func TestWrongRoleIs403(t *testing.T) {
	h := newHarness(t)
	h.login("adam") // admin only
	h.wantError(h.do("GET", "/api/v1/stations", nil), http.StatusForbidden, "forbidden")
	h.wantError(h.do("POST", "/api/v1/session", map[string]any{"role": "agent", "station": map[string]string{"type": "extension", "number": "2001"}}), http.StatusForbidden, "forbidden")
	h.want(h.do("GET", "/api/v1/me", nil), http.StatusOK) // any signed-in user

	h = newHarness(t)
	h.login("ann") // agent only
	for _, role := range []string{"supervisor", "supervisor_agent"} {
		h.wantError(h.do("POST", "/api/v1/session", map[string]any{"role": role, "station": map[string]string{"type": "extension", "number": "2001"}}), http.StatusForbidden, "forbidden")
	}
	if h.ctl.lastCall() != "" {
		t.Fatalf("the controller was asked: %s", h.ctl.lastCall())
	}

	h = newHarness(t)
	h.login("sam") // supervisor only: no calls
	h.wantError(h.do("GET", "/api/v1/interactions?active=true", nil), http.StatusForbidden, "forbidden")
	h.wantError(h.do("POST", "/api/v1/interactions/i1/end", nil), http.StatusForbidden, "forbidden")
	h.wantError(h.do("POST", "/api/v1/session", map[string]any{"role": "agent", "station": map[string]string{"type": "extension", "number": "2001"}}), http.StatusForbidden, "forbidden")
	h.want(h.do("POST", "/api/v1/session", map[string]any{"role": "supervisor", "station": map[string]string{"type": "extension", "number": "2001"}}), http.StatusCreated)
}

// S3, S5: sign-in on a station; remember stores the choice; /me shows it.
func TestStartSessionAndRemember_S3_S5(t *testing.T) {
	h := newHarness(t)
	h.login("sue")
	// Both roles: the role must be chosen.
	h.wantError(h.do("POST", "/api/v1/session", map[string]any{"station": map[string]string{"type": "extension", "number": "2001"}}), http.StatusUnprocessableEntity, "invalid")
	r := h.do("POST", "/api/v1/session", map[string]any{"role": "supervisor_agent", "station": map[string]string{"type": "extension", "number": " 2001 "}, "team_id": 7, "remember": true})
	h.want(r, http.StatusCreated)
	var v orchestrator.AgentView
	r.json(t, &v)
	if v.UserID != sue.ID || v.Station.Number != "2001" || v.Role != "supervisor_agent" {
		t.Fatalf("view %+v", v)
	}
	if got := h.ctl.lastCall(); got != "SignIn supervisor_agent extension 2001" {
		t.Fatalf("controller got %q", got)
	}
	var me meResponse
	r = h.do("GET", "/api/v1/me", nil)
	h.want(r, http.StatusOK)
	r.json(t, &me)
	if me.Agent == nil || me.Agent.Station.Number != "2001" || me.RememberedStation == nil || me.RememberedStation.Number != "2001" ||
		me.User.Name != "Sue Both" || len(me.Roles) != 2 {
		t.Fatalf("me = %s", r.body)
	}

	// An agent-only user need not name the role.
	h = newHarness(t)
	h.login("ann")
	r = h.do("GET", "/api/v1/me", nil)
	if !strings.Contains(string(r.body), `"agent":null`) || !strings.Contains(string(r.body), `"remembered_station":null`) {
		t.Fatalf("me before sign-in = %s", r.body)
	}
	h.want(h.do("POST", "/api/v1/session", map[string]any{"station": map[string]string{"type": "dial_number", "number": "+15551234"}}), http.StatusCreated)
	if got := h.ctl.lastCall(); got != "SignIn agent dial_number +15551234" {
		t.Fatalf("controller got %q", got)
	}
	if _, err := h.acc.RememberedStation(context.Background(), ann.ID); err == nil {
		t.Fatal("remembered without remember")
	}
	h.want(h.do("DELETE", "/api/v1/session", nil), http.StatusNoContent)
}

// R6: the station list comes in the user's order.
func TestStationsInR6Order(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	r := h.do("GET", "/api/v1/stations", nil)
	h.want(r, http.StatusOK)
	var body struct {
		Stations []orchestrator.StationOption `json:"stations"`
	}
	r.json(t, &body)
	if len(body.Stations) != 2 || body.Stations[0].Number != "2002" || body.Stations[1].Number != "2001" {
		t.Fatalf("stations = %s (personal 2002 first, no one else's virtual extension)", r.body)
	}
}

func TestStateInteractionsAndCodes(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	h.want(h.do("PUT", "/api/v1/session/state", map[string]string{"state": "idle", "reason_code": "lunch"}), http.StatusNoContent)
	if h.ctl.lastCall() != "SetState idle lunch" {
		t.Fatalf("controller got %q", h.ctl.lastCall())
	}
	h.wantError(h.do("PUT", "/api/v1/session/state", map[string]string{"state": "idle"}), http.StatusUnprocessableEntity, "invalid")
	h.wantError(h.do("PUT", "/api/v1/session/state", map[string]string{"state": "engaged"}), http.StatusUnprocessableEntity, "invalid")

	r := h.do("GET", "/api/v1/interactions?active=true", nil)
	h.want(r, http.StatusOK)
	if string(r.body) != `{"interactions":[]}`+"\n" {
		t.Fatalf("interactions = %q", r.body)
	}
	h.ctl.setAgent(&orchestrator.AgentView{UserID: ann.ID, State: orchestrator.StateEngaged,
		Interaction: &orchestrator.InteractionView{ID: "i1", Queue: "sales", Caller: "+1555", State: orchestrator.InteractionConnected}})
	r = h.do("GET", "/api/v1/interactions?active=true", nil)
	var list struct {
		Interactions []orchestrator.InteractionView `json:"interactions"`
	}
	r.json(t, &list)
	if len(list.Interactions) != 1 || list.Interactions[0].ID != "i1" {
		t.Fatalf("interactions = %s", r.body)
	}
	h.wantError(h.do("GET", "/api/v1/interactions?active=maybe", nil), http.StatusBadRequest, "invalid")

	h.want(h.do("POST", "/api/v1/interactions/i1/end", nil), http.StatusNoContent)
	if h.ctl.lastCall() != "EndInteraction i1" {
		t.Fatalf("controller got %q", h.ctl.lastCall())
	}
	h.want(h.do("POST", "/api/v1/interactions/i1/wrapup", map[string]string{"code": "sale"}), http.StatusNoContent)
	if h.ctl.lastCall() != "Wrapup i1 sale" {
		t.Fatalf("controller got %q", h.ctl.lastCall())
	}
	h.wantError(h.do("POST", "/api/v1/interactions/i1/wrapup", map[string]string{"code": ""}), http.StatusUnprocessableEntity, "invalid")

	r = h.do("GET", "/api/v1/idle-codes", nil)
	if string(r.body) != `{"idle_codes":[{"id":1,"code":"break","label":"Break"},{"id":2,"code":"lunch","label":"Lunch"}]}`+"\n" {
		t.Fatalf("idle codes = %s", r.body)
	}
	r = h.do("GET", "/api/v1/wrapup-codes", nil)
	if string(r.body) != `{"wrapup_codes":[{"id":1,"code":"sale","label":"Sale"},{"id":2,"code":"auto","label":"Timed out","auto":true}]}`+"\n" {
		t.Fatalf("wrap-up codes = %s", r.body)
	}
}

// Every application error code maps to its status, in the one error shape;
// internal details are never sent.
func TestErrorMapping(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	for _, tc := range []struct {
		err    error
		status int
		code   string
		msg    string
	}{
		{orchestrator.Errorf(orchestrator.CodeInvalid, "reason_code: no such code"), 422, "invalid", "reason_code: no such code"},
		{orchestrator.Errorf(orchestrator.CodeUnauthorized, "who are you"), 401, "unauthorized", "who are you"},
		{orchestrator.Errorf(orchestrator.CodeForbidden, "not yours"), 403, "forbidden", "not yours"},
		{orchestrator.Errorf(orchestrator.CodeNotFound, "no such interaction"), 404, "not_found", "no such interaction"},
		{orchestrator.Errorf(orchestrator.CodeConflict, "end your call before signing out"), 409, "conflict", "end your call before signing out"},
		{orchestrator.Errorf(orchestrator.CodeUnavailable, "the PBX link is down"), 503, "unavailable", "the PBX link is down"},
		{orchestrator.Errorf(orchestrator.CodeInternal, "nil map in loop"), 500, "internal", "internal error"},
		{errors.New("sqlite: disk I/O error at /var/lib/ringside.db"), 500, "internal", "internal error"},
		{ErrWrapped{orchestrator.Errorf(orchestrator.CodeConflict, "wrapped")}, 409, "conflict", "wrapped"},
	} {
		h.ctl.setErr(tc.err)
		d := h.wantError(h.do("DELETE", "/api/v1/session", nil), tc.status, tc.code)
		if d.Message != tc.msg {
			t.Errorf("%v: message %q, want %q", tc.err, d.Message, tc.msg)
		}
	}
	h.ctl.setErr(nil)
	h.wantError(h.do("GET", "/api/v1/no-such-thing", nil), http.StatusNotFound, "not_found")
	h.wantError(h.do("PATCH", "/api/v1/session", "{}"), http.StatusMethodNotAllowed, "invalid")
}

type ErrWrapped struct{ err error }

func (e ErrWrapped) Error() string { return "context: " + e.err.Error() }
func (e ErrWrapped) Unwrap() error { return e.err }

// Payloads that cannot be read are 400s naming the field.
func TestMalformedPayloadIs400NamingTheField(t *testing.T) {
	h := newHarness(t)
	h.login("sue")
	for _, tc := range []struct{ path, method, body, want string }{
		{"/api/v1/session", "POST", `{"role":"agent","station":{"type":5}}`, "station.type"},
		{"/api/v1/session", "POST", `{"role":"agent","team_id":"seven"}`, "team_id"},
		{"/api/v1/session", "POST", `{"role":"agent","remember":"yes"}`, "remember"},
		{"/api/v1/session", "POST", `{"role":"agent","colour":"blue"}`, "colour"},
		{"/api/v1/session", "POST", `{"role":"agent",`, "cut short"},
		{"/api/v1/session", "POST", `{"role" "agent"}`, "malformed JSON"},
		{"/api/v1/session", "POST", ``, "JSON object is required"},
		{"/api/v1/session", "POST", `{} {}`, "after the JSON value"},
		{"/api/v1/session", "POST", `[1]`, "expected a JSON an object"},
		{"/api/v1/session/state", "PUT", `{"state":1}`, "state"},
		{"/api/v1/interactions/i1/wrapup", "POST", `{"code":["a"]}`, "code"},
		{"/api/v1/auth/login", "POST", `{"login":"x","password":true}`, "password"},
	} {
		d := h.wantError(h.do(tc.method, tc.path, tc.body), http.StatusBadRequest, "invalid")
		if !strings.Contains(d.Message, tc.want) {
			t.Errorf("%s %s: message %q does not name %q", tc.path, tc.body, d.Message, tc.want)
		}
	}
	if h.ctl.lastCall() != "" {
		t.Fatalf("a malformed request reached the controller: %s", h.ctl.lastCall())
	}
	big := `{"role":"` + strings.Repeat("a", maxBody) + `"}`
	h.wantError(h.do("POST", "/api/v1/session", big), http.StatusRequestEntityTooLarge, "invalid")
}

// State-changing requests must come from the server's own origin or an
// allowed one (CSRF); reads need no Origin.
func TestCSRFOriginCheck(t *testing.T) {
	h := newHarness(t, func(o *Options) { o.AllowedOrigins = []string{"https://desk.example.com/"} })
	creds := map[string]string{"login": "ann@example.com", "password": "pw-ann"}
	h.wantError(h.do("POST", "/api/v1/auth/login", creds, "Origin", "https://evil.example"), http.StatusForbidden, "forbidden")
	h.wantError(h.do("POST", "/api/v1/auth/login", creds, "Origin", ""), http.StatusForbidden, "forbidden")
	h.wantError(h.do("POST", "/api/v1/auth/login", creds, "Origin", "null"), http.StatusForbidden, "forbidden")
	h.want(h.do("POST", "/api/v1/auth/login", creds, "Origin", "", "Referer", h.srv.URL+"/index.html"), http.StatusOK)
	h.want(h.do("POST", "/api/v1/auth/login", creds, "Origin", "https://DESK.example.com"), http.StatusOK)

	state := map[string]string{"state": "available"}
	h.wantError(h.do("PUT", "/api/v1/session/state", state, "Origin", "https://evil.example"), http.StatusForbidden, "forbidden")
	h.wantError(h.do("PUT", "/api/v1/session/state", state, "Origin", "", "Referer", "https://evil.example/x"), http.StatusForbidden, "forbidden")
	h.wantError(h.do("DELETE", "/api/v1/session", nil, "Origin", "http://"+strings.TrimPrefix(h.srv.URL, "http://")+".evil.example"), http.StatusForbidden, "forbidden")
	if h.ctl.lastCall() != "" {
		t.Fatalf("a cross-origin request reached the controller: %s", h.ctl.lastCall())
	}
	h.want(h.do("PUT", "/api/v1/session/state", state), http.StatusNoContent)
	h.want(h.do("GET", "/api/v1/me", nil, "Origin", "https://evil.example"), http.StatusOK)
}

func TestSimEndpointsOnlyInDemo(t *testing.T) {
	h := newHarness(t)
	for _, ep := range []struct{ method, path string }{
		{"GET", "/api/v1/sim/legs"}, {"POST", "/api/v1/sim/calls"}, {"POST", "/api/v1/sim/legs/x/answer"},
		{"GET", "/api/v1/sim/hears?from=a&to=b"}, {"POST", "/api/v1/sim/link/drop"},
	} {
		h.wantError(h.do(ep.method, ep.path, "{}"), http.StatusNotFound, "not_found")
	}

	sim := &fakeSim{}
	h = newHarness(t, func(o *Options) { o.Sim = sim })
	// No session and no Origin needed.
	r := h.do("POST", "/api/v1/sim/calls", map[string]any{"queue": "sales", "caller": "+15550100", "variables": map[string]string{"account": "42"}}, "Origin", "")
	h.want(r, http.StatusCreated)
	if string(r.body) != `{"leg_id":"leg-+15550100"}`+"\n" {
		t.Fatalf("call = %s", r.body)
	}
	r = h.do("GET", "/api/v1/sim/legs", nil)
	h.want(r, http.StatusOK)
	var legs struct {
		Legs []SimLeg `json:"legs"`
	}
	r.json(t, &legs)
	if len(legs.Legs) != 1 || legs.Legs[0].ID != "leg-+15550100" || legs.Legs[0].State != "up" {
		t.Fatalf("legs = %s", r.body)
	}
	for _, a := range []string{"answer", "reject", "hangup"} {
		h.want(h.do("POST", "/api/v1/sim/legs/leg-+15550100/"+a, nil, "Origin", ""), http.StatusNoContent)
	}
	h.wantError(h.do("POST", "/api/v1/sim/legs/nope/answer", nil), http.StatusNotFound, "not_found")
	h.wantError(h.do("POST", "/api/v1/sim/calls", map[string]any{"queue": "nope", "caller": "1"}), http.StatusNotFound, "not_found")
	h.wantError(h.do("POST", "/api/v1/sim/calls", map[string]any{"caller": "1"}), http.StatusUnprocessableEntity, "invalid")
	h.wantError(h.do("POST", "/api/v1/sim/calls", map[string]any{"queue": "sales", "caller": "1", "variables": map[string]int{"a": 1}}), http.StatusBadRequest, "invalid")
	r = h.do("GET", "/api/v1/sim/hears?from=a&to=b", nil)
	if string(r.body) != `{"hears":true}`+"\n" {
		t.Fatalf("hears = %s", r.body)
	}
	h.wantError(h.do("GET", "/api/v1/sim/hears?from=a", nil), http.StatusBadRequest, "invalid")
	h.want(h.do("POST", "/api/v1/sim/link/drop", nil), http.StatusNoContent)
	h.want(h.do("POST", "/api/v1/sim/link/restore", nil), http.StatusNoContent)
	want := []string{"answer leg-+15550100", "reject leg-+15550100", "hangup leg-+15550100", "drop", "restore"}
	if strings.Join(sim.actions, ",") != strings.Join(want, ",") {
		t.Fatalf("sim got %v", sim.actions)
	}
}

func TestHealthReadyMetrics(t *testing.T) {
	down := errors.New("ARI websocket closed")
	h := newHarness(t, func(o *Options) {
		o.Ready = func(context.Context) map[string]error { return map[string]error{"pbx": down, "database": nil} }
	})
	r := h.do("GET", "/healthz", nil)
	h.want(r, http.StatusOK)
	if string(r.body) != "ok" {
		t.Fatalf("healthz = %q", r.body)
	}
	r = h.do("GET", "/readyz", nil)
	h.want(r, http.StatusServiceUnavailable)
	var ready struct {
		Error   errorDetail       `json:"error"`
		Failing map[string]string `json:"failing"`
		Down    []readyDown       `json:"down"`
	}
	r.json(t, &ready)
	if ready.Error.Code != "unavailable" || ready.Failing["pbx"] != "down" || strings.Contains(string(r.body), "websocket") || len(ready.Failing) != 1 {
		t.Fatalf("readyz = %s", r.body)
	}
	// S9: the banner's words for the sign-in screen, never the internal error.
	if len(ready.Down) != 1 || ready.Down[0].Part != "pbx" || !strings.HasPrefix(ready.Down[0].Text, "Telephony link lost") {
		t.Fatalf("readyz down = %s", r.body)
	}
	h.do("GET", "/api/v1/me", nil)
	r = h.do("GET", "/metrics", nil)
	h.want(r, http.StatusOK)
	for _, want := range []string{
		`ringside_http_requests_total{code="503",method="GET",route="/readyz"} 1`,
		`ringside_http_requests_total{code="401",method="GET",route="/api/v1/me"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(string(r.body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}

	h = newHarness(t)
	h.want(h.do("GET", "/readyz", nil), http.StatusOK)
}

func TestUIFallback(t *testing.T) {
	ui := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ui:" + r.URL.Path)) })
	h := newHarness(t, func(o *Options) { o.UI = ui })
	r := h.do("GET", "/", nil)
	if string(r.body) != "ui:/" {
		t.Fatalf("/ = %q", r.body)
	}
	if r = h.do("GET", "/app.js", nil); string(r.body) != "ui:/app.js" {
		t.Fatalf("/app.js = %q", r.body)
	}
	h.wantError(h.do("GET", "/api/v1/nope", nil), http.StatusNotFound, "not_found")
	h.wantError(h.do("GET", "/api/v1/sim/legs", nil), http.StatusNotFound, "not_found")
	h.want(h.do("GET", "/healthz", nil), http.StatusOK)
}

// S9 on the sign-in screen: with the database down, sign-in says so (503)
// without the internal error.
func TestLoginDatabaseDown_S9(t *testing.T) {
	h := newHarness(t)
	h.acc.mu.Lock()
	h.acc.err = errors.New("store: disk I/O error")
	h.acc.mu.Unlock()
	r := h.do("POST", "/api/v1/auth/login", map[string]string{"login": "ann@example.com", "password": "pw-ann"})
	d := h.wantError(r, http.StatusServiceUnavailable, "unavailable")
	if !strings.Contains(d.Message, "database") || strings.Contains(string(r.body), "disk I/O") {
		t.Fatalf("answer %s: want the database named and no internal detail", r.body)
	}
}
