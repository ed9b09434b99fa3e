package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ringside/ringside/orchestrator"
)

// The fake's side of AdminAccounts. The real rules are the store's (tested
// there); the fake keeps just enough of them to map each error class.

// remoteActors records who last saved remote settings, per fake.
var remoteActors sync.Map // *fakeAccounts -> int64

func (a *fakeAccounts) Users(ctx context.Context) ([]orchestrator.User, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return nil, a.err
	}
	out := []orchestrator.User{}
	for _, u := range a.users {
		out = append(out, u)
	}
	slices.SortFunc(out, func(x, y orchestrator.User) int { return strings.Compare(x.Login, y.Login) })
	return out, nil
}

func (a *fakeAccounts) SetRemoteAccess(ctx context.Context, actorID, userID int64, ra orchestrator.RemoteAccess) (orchestrator.RemoteAccess, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return orchestrator.RemoteAccess{}, a.err
	}
	if ra.Mobile == "" && (ra.AllowRemote || ra.VirtualExtension != "") {
		return orchestrator.RemoteAccess{}, orchestrator.Errorf(orchestrator.CodeInvalid, "mobile: required when remote sign-in is allowed")
	}
	u, ok := a.users[userID]
	if !ok {
		return orchestrator.RemoteAccess{}, notFound("user")
	}
	for _, e := range a.exts {
		if e.Number == ra.VirtualExtension && e.OwnerID != userID {
			return orchestrator.RemoteAccess{}, orchestrator.Errorf(orchestrator.CodeConflict, "virtual_extension: %s is taken", e.Number)
		}
	}
	u.AllowRemote, u.Mobile, u.VirtualExtension = ra.AllowRemote, ra.Mobile, ra.VirtualExtension
	a.users[userID] = u
	remoteActors.Store(a, actorID)
	return ra, nil
}

// userNow reads a user under the fake's lock (the server writes it).
func (a *fakeAccounts) userNow(id int64) orchestrator.User {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.users[id]
}

// R4: the admin lists users with their remote settings.
func TestAdminListsUsersWithRemoteSettings_R4(t *testing.T) {
	h := newHarness(t)
	h.acc.users[sue.ID] = func() orchestrator.User {
		u := h.acc.users[sue.ID]
		u.AllowRemote, u.Mobile, u.VirtualExtension = true, "+15550001", "9001"
		return u
	}()
	h.login("adam")
	r := h.do("GET", "/api/v1/admin/users", nil)
	h.want(r, http.StatusOK)
	if strings.Contains(string(r.body), "$2a$") || strings.Contains(string(r.body), "password") {
		t.Fatalf("admin user list shows password material: %s", r.body)
	}
	var body struct {
		Users []adminUser `json:"users"`
	}
	r.json(t, &body)
	var logins []string
	for _, u := range body.Users {
		logins = append(logins, u.Login)
	}
	if strings.Join(logins, " ") != "adam@example.com ann@example.com sam@example.com sue@example.com" {
		t.Fatalf("logins = %v", logins)
	}
	s := body.Users[3]
	want := orchestrator.RemoteAccess{AllowRemote: true, Mobile: "+15550001", VirtualExtension: "9001"}
	if s.RemoteAccess != want || s.Team != "" || s.TeamID != 7 || strings.Join(s.Roles, ",") != "supervisor,agent" {
		t.Errorf("sue = %+v", s)
	}
	for _, key := range []string{`"allow_remote":true`, `"mobile":"+15550001"`, `"virtual_extension":"9001"`, `"roles":["supervisor","agent"]`} {
		if !strings.Contains(string(r.body), key) {
			t.Errorf("body lacks %s: %s", key, r.body)
		}
	}
}

// R4: saving answers with the settings as stored, and the admin is audited
// as the actor.
func TestAdminSavesRemoteSettings_R4(t *testing.T) {
	h := newHarness(t)
	h.login("adam")
	r := h.do("PUT", "/api/v1/admin/users/1/remote", map[string]any{"allow_remote": true, "mobile": "+15551234567", "virtual_extension": "8101"})
	h.want(r, http.StatusOK)
	var body struct {
		User adminUser `json:"user"`
	}
	r.json(t, &body)
	want := orchestrator.RemoteAccess{AllowRemote: true, Mobile: "+15551234567", VirtualExtension: "8101"}
	if body.User.ID != ann.ID || body.User.RemoteAccess != want {
		t.Errorf("answer = %+v", body.User)
	}
	if got := h.acc.userNow(ann.ID).Remote(); got != want {
		t.Errorf("stored = %+v", got)
	}
	if actor, _ := remoteActors.Load(h.acc); actor != adam.ID {
		t.Errorf("actor = %v, want %d", actor, adam.ID)
	}
	// A signed-in remote agent follows the change from the next call on.
	if got := h.ctl.lastCall(); got != "RemoteAccessChanged" {
		t.Errorf("controller last asked %q, want RemoteAccessChanged", got)
	}
}

// R4: a refused save names the field, with the status of its kind.
func TestAdminRemoteSettingsErrors_R4(t *testing.T) {
	h := newHarness(t)
	h.login("adam")
	before := h.acc.userNow(ann.ID)
	for _, c := range []struct {
		name, path string
		body       any
		status     int
		code, msg  string
	}{
		{"invalid", "/api/v1/admin/users/1/remote", map[string]any{"allow_remote": true, "mobile": "", "virtual_extension": ""},
			http.StatusUnprocessableEntity, "invalid", "mobile: required"},
		{"conflict", "/api/v1/admin/users/1/remote", map[string]any{"allow_remote": true, "mobile": "+15551234567", "virtual_extension": "9001"},
			http.StatusConflict, "conflict", "virtual_extension: 9001"},
		{"unknown user", "/api/v1/admin/users/99/remote", map[string]any{"allow_remote": false, "mobile": "", "virtual_extension": ""},
			http.StatusNotFound, "not_found", "user not found"},
		{"missing fields", "/api/v1/admin/users/1/remote", map[string]any{"allow_remote": true},
			http.StatusBadRequest, "invalid", "mobile: missing"},
		{"unknown field", "/api/v1/admin/users/1/remote", map[string]any{"allow_remote": true, "mobile": "", "virtual_extension": "", "extension": "1"},
			http.StatusBadRequest, "invalid", "extension: unknown field"},
		{"wrong type", "/api/v1/admin/users/1/remote", `{"allow_remote":"yes","mobile":"","virtual_extension":""}`,
			http.StatusBadRequest, "invalid", "allow_remote: expected true or false"},
		{"bad id", "/api/v1/admin/users/ann/remote", map[string]any{"allow_remote": false, "mobile": "", "virtual_extension": ""},
			http.StatusBadRequest, "invalid", `id: "ann"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := h.wantError(h.do("PUT", c.path, c.body), c.status, c.code)
			if !strings.Contains(d.Message, c.msg) {
				t.Errorf("message %q lacks %q", d.Message, c.msg)
			}
			if got := h.acc.userNow(ann.ID); got.Remote() != before.Remote() {
				t.Errorf("changed by a refused save: %+v", got.Remote())
			}
		})
	}
}

// Only admins reach the admin routes; state changes need the page's origin.
func TestAdminRoutesNeedAdminRole_R4(t *testing.T) {
	h := newHarness(t)
	body := map[string]any{"allow_remote": true, "mobile": "+15551234567", "virtual_extension": "8101"}
	h.wantError(h.do("GET", "/api/v1/admin/users", nil), http.StatusUnauthorized, "unauthorized")
	for _, u := range []string{"ann", "sue", "sam"} {
		h.login(u)
		h.wantError(h.do("GET", "/api/v1/admin/users", nil), http.StatusForbidden, "forbidden")
		h.wantError(h.do("PUT", "/api/v1/admin/users/1/remote", body), http.StatusForbidden, "forbidden")
	}
	h.login("adam")
	h.wantError(h.do("PUT", "/api/v1/admin/users/1/remote", body, "Origin", "https://evil.example"), http.StatusForbidden, "forbidden")
	if got := h.acc.userNow(ann.ID); got.AllowRemote {
		t.Errorf("changed without the admin role or from another origin: %+v", got.Remote())
	}
}
