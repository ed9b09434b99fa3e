package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// P6: an admin creates a user with a password, changes their desk fields,
// resets the password and removes them; no answer carries password
// material, and each change is audited against the user.
func TestAdminUserLifecycle_P6(t *testing.T) {
	h := newHarness(t)
	h.login("adam")
	noSecrets := func(r response) {
		t.Helper()
		if strings.Contains(string(r.body), "pw:") || strings.Contains(string(r.body), "$2a$") || strings.Contains(string(r.body), "hash") {
			t.Fatalf("answer carries password material: %s", r.body)
		}
	}
	r := h.do("POST", "/api/v1/admin/users", map[string]any{"login": "nia@example.com", "name": "Nia New", "password": "long-enough",
		"roles": []string{"agent"}, "team_id": 1, "queues": []int64{1, 3}, "personal_extension_id": 11})
	h.want(r, http.StatusCreated)
	noSecrets(r)
	var body struct {
		User adminUser `json:"user"`
	}
	r.json(t, &body)
	id := body.User.ID
	if body.User.Team != "Team A" || len(body.User.Queues) != 2 || body.User.PersonalExtensionID != 11 {
		t.Fatalf("created %+v", body.User)
	}
	if got := h.acc.userNow(id); got.PasswordHash != "pw:long-enough" {
		t.Fatalf("password not stored: %q", got.PasswordHash)
	}

	r = h.do("PUT", "/api/v1/admin/users/"+itoa(id), map[string]any{"login": "nia@example.org", "name": "Nia Renamed", "roles": []string{"supervisor", "agent"},
		"team_id": 2, "queues": []int64{}, "personal_extension_id": 0})
	h.want(r, http.StatusOK)
	noSecrets(r)
	got := h.acc.userNow(id)
	if got.Name != "Nia Renamed" || got.TeamID != 2 || len(got.Roles) != 2 || got.Login != "nia@example.org" || got.PasswordHash != "pw:long-enough" {
		t.Fatalf("updated %+v", got)
	}
	if e := h.acc.auditLog(); !strings.Contains(e[len(e)-1].Detail, "login was nia@example.com") {
		t.Fatalf("the login change is not in the audit trail: %+v", e[len(e)-1])
	}

	h.wantError(h.do("PUT", "/api/v1/admin/users/"+itoa(id)+"/password", map[string]any{"password": ""}), http.StatusUnprocessableEntity, "invalid")
	h.wantError(h.do("PUT", "/api/v1/admin/users/"+itoa(id)+"/password", map[string]any{"password": "short"}), http.StatusUnprocessableEntity, "invalid")
	r = h.do("PUT", "/api/v1/admin/users/"+itoa(id)+"/password", map[string]any{"password": "another-one"})
	h.want(r, http.StatusOK)
	noSecrets(r)
	if got := h.acc.userNow(id); got.PasswordHash != "pw:another-one" {
		t.Fatalf("password after reset: %q", got.PasswordHash)
	}

	h.want(h.do("DELETE", "/api/v1/admin/users/"+itoa(id), nil), http.StatusNoContent)
	if _, err := h.acc.User(t.Context(), id); err == nil {
		t.Fatal("user still there")
	}

	var actions []string
	for _, e := range h.acc.auditLog() {
		if e.ActorID != adam.ID || e.TargetUserID != id {
			t.Errorf("audit entry %+v: want actor %d, target %d", e, adam.ID, id)
		}
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, " ") != "admin.user.create admin.user.update admin.user.password_reset admin.user.delete" {
		t.Errorf("audit = %v", actions)
	}
}

// P6: refused user changes name the field or the conflict, and change nothing.
func TestAdminUserErrors_P6(t *testing.T) {
	h := newHarness(t)
	h.login("adam")
	for _, c := range []struct {
		name, method, path string
		body               any
		status             int
		code, msg          string
	}{
		{"no roles", "POST", "/api/v1/admin/users", map[string]any{"login": "x@example.com", "name": "X", "password": "long-enough"}, http.StatusUnprocessableEntity, "invalid", "roles:"},
		{"short password", "POST", "/api/v1/admin/users", map[string]any{"login": "x@example.com", "name": "X", "password": "x", "roles": []string{"agent"}}, http.StatusUnprocessableEntity, "invalid", "password:"},
		{"duplicate login", "POST", "/api/v1/admin/users", map[string]any{"login": "ann@example.com", "name": "X", "password": "long-enough", "roles": []string{"agent"}}, http.StatusConflict, "conflict", "already exists"},
		{"unknown team", "PUT", "/api/v1/admin/users/1", map[string]any{"login": "ann@example.com", "name": "Ann", "roles": []string{"agent"}, "team_id": 99, "queues": []int64{}, "personal_extension_id": 0}, http.StatusNotFound, "not_found", "team"},
		{"unknown user", "PUT", "/api/v1/admin/users/99", map[string]any{"login": "x@example.com", "name": "X", "roles": []string{"agent"}, "team_id": 0, "queues": []int64{}, "personal_extension_id": 0}, http.StatusNotFound, "not_found", "user"},
		{"skills left out of an update", "PUT", "/api/v1/admin/users/1", map[string]any{"login": "ann@example.com", "name": "Ann", "roles": []string{"agent"}, "team_id": 1}, http.StatusBadRequest, "invalid", "queues: missing"},
		{"no hash field", "POST", "/api/v1/admin/users", map[string]any{"login": "x@example.com", "password_hash": "$2a$"}, http.StatusBadRequest, "invalid", "password_hash: unknown field"},
		{"login taken", "PUT", "/api/v1/admin/users/1", map[string]any{"login": "adam@example.com", "name": "Ann", "roles": []string{"agent"}, "team_id": 1, "queues": []int64{}, "personal_extension_id": 0}, http.StatusConflict, "conflict", "already exists"},
		{"login left out", "PUT", "/api/v1/admin/users/1", map[string]any{"name": "Ann", "roles": []string{"agent"}, "team_id": 1, "queues": []int64{}, "personal_extension_id": 0}, http.StatusBadRequest, "invalid", "login: missing"},
		{"self", "DELETE", "/api/v1/admin/users/4", nil, http.StatusConflict, "conflict", "your own account"},
		{"unknown delete", "DELETE", "/api/v1/admin/users/99", nil, http.StatusNotFound, "not_found", "user"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := snapshot(h.acc)
			d := h.wantError(h.do(c.method, c.path, c.body), c.status, c.code)
			if !strings.Contains(d.Message, c.msg) {
				t.Errorf("message %q lacks %q", d.Message, c.msg)
			}
			if snapshot(h.acc) != before {
				t.Error("a refused change changed the fake")
			}
		})
	}
}
