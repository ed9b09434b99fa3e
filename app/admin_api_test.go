package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// P6 over the real stack: the admin CRUD routes against SQLite. A queue is
// created, changed and removed through the API and each step is what the
// store then holds; a refused change names the field and leaves the
// database as it was; each change is in the audit trail with the admin as
// actor.
func TestAdminAPIRoundTripOnStore_P6(t *testing.T) {
	d := startDemo(t)
	ctx := context.Background()
	c := apiLogin(t, d, "admin@demo.local")
	adminID := userID(t, d, "admin@demo.local")

	out := c.must("POST", "/api/v1/admin/queues", map[string]any{"name": "vip", "priority": 7, "ring_time": 25,
		"wrapup_time": 40, "recording": true, "privacy_shield": 90, "allow_end_wrapup_early": true}, http.StatusCreated)
	id := int64(out["queue"].(map[string]any)["id"].(float64))
	q, err := d.DB.Queue(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := orchestrator.Queue{ID: id, Name: "vip", Priority: 7, RingTime: 25 * time.Second, WrapupTime: 40 * time.Second,
		Recording: true, PrivacyShield: 90 * time.Second, AllowEndWrapupEarly: true}
	if q != want {
		t.Fatalf("stored %+v, want %+v", q, want)
	}

	// Refused: the field is named, nothing changes.
	status, body := c.call("PUT", fmt.Sprintf("/api/v1/admin/queues/%d", id), map[string]any{"name": "vip", "priority": 7, "ring_time": 0, "wrapup_time": 40, "recording": true, "privacy_shield": 90, "allow_end_wrapup_early": true, "music_class": ""})
	e, _ := body["error"].(map[string]any)
	if msg, _ := e["message"].(string); status != http.StatusUnprocessableEntity || e["code"] != "invalid" || !strings.Contains(msg, "ring_time:") {
		t.Fatalf("bad ring time: %d %v", status, body)
	}
	if q, err := d.DB.Queue(ctx, id); err != nil || q != want {
		t.Fatalf("a refused update changed the queue: %+v (%v)", q, err)
	}
	if msg := c.conflict("POST", "/api/v1/admin/queues", map[string]any{"name": "support", "ring_time": 20}); !strings.Contains(msg, `"support" already exists`) {
		t.Fatalf("duplicate: %q", msg)
	}

	// Fields left out of an update are refused rather than read as false or 0.
	status, body = c.call("PUT", fmt.Sprintf("/api/v1/admin/queues/%d", id), map[string]any{"name": "vip", "priority": 7, "ring_time": 25})
	if e, _ := body["error"].(map[string]any); status != http.StatusBadRequest ||
		!strings.Contains(fmt.Sprint(e["message"]), "recording: missing") || !strings.Contains(fmt.Sprint(e["message"]), "wrapup_time: missing") {
		t.Fatalf("update without its flags: %d %v", status, body)
	}
	if q, err := d.DB.Queue(ctx, id); err != nil || q != want {
		t.Fatalf("an update without its flags changed the queue: %+v (%v)", q, err)
	}

	c.must("PUT", fmt.Sprintf("/api/v1/admin/queues/%d", id), map[string]any{"name": "vip2", "priority": 1, "ring_time": 30, "wrapup_time": 0, "recording": false, "privacy_shield": 0, "allow_end_wrapup_early": false, "music_class": ""}, http.StatusOK)
	want = orchestrator.Queue{ID: id, Name: "vip2", Priority: 1, RingTime: 30 * time.Second}
	if q, err := d.DB.Queue(ctx, id); err != nil || q != want {
		t.Fatalf("updated to %+v (%v), want %+v", q, err, want)
	}

	c.must("DELETE", fmt.Sprintf("/api/v1/admin/queues/%d", id), nil, http.StatusNoContent)
	if _, err := d.DB.Queue(ctx, id); orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
		t.Fatalf("deleted queue still there: %v", err)
	}
	c.must("DELETE", fmt.Sprintf("/api/v1/admin/queues/%d", id), nil, http.StatusNotFound)

	// A team with members is refused by the store: 409.
	team, err := d.DB.TeamByName(ctx, "Team A")
	if err != nil {
		t.Fatal(err)
	}
	if msg := c.conflict("DELETE", fmt.Sprintf("/api/v1/admin/teams/%d", team.ID), nil); !strings.Contains(msg, "member") {
		t.Fatalf("team in use: %q", msg)
	}

	log, err := d.DB.AuditLog(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		if strings.HasPrefix(e.Action, "admin.") {
			if e.ActorID != adminID {
				t.Errorf("audit %+v: actor is not the admin", e)
			}
			actions = append([]string{e.Action}, actions...) // oldest first
		}
	}
	if got := strings.Join(actions, " "); got != "admin.queue.create admin.queue.update admin.queue.delete" {
		t.Errorf("audit trail = %s", got)
	}
}

// P6 over the real stack: a user created through the API signs in with the
// password the admin set; the list never shows a hash; a reset password
// replaces it.
func TestAdminAPIUserOnStore_P6(t *testing.T) {
	d := startDemo(t)
	c := apiLogin(t, d, "admin@demo.local")
	out := c.must("POST", "/api/v1/admin/users", map[string]any{"login": "New@Demo.Local", "name": "Nia New",
		"password": "correct-horse", "roles": []string{"agent"}}, http.StatusCreated)
	u := out["user"].(map[string]any)
	if u["login"] != "new@demo.local" {
		t.Fatalf("created %v", u)
	}
	id := int64(u["id"].(float64))
	stored, err := d.DB.User(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	list := c.must("GET", "/api/v1/admin/users", nil, http.StatusOK)
	if strings.Contains(fmt.Sprint(list), stored.PasswordHash) || strings.Contains(fmt.Sprint(list), "$2a$") {
		t.Fatal("the admin user list carries a password hash")
	}
	c.must("PUT", fmt.Sprintf("/api/v1/admin/users/%d/password", id), map[string]any{"password": "battery-staple"}, http.StatusOK)
	login := func(pw string) int {
		s, _ := c.call("POST", "/api/v1/auth/login", map[string]any{"login": "new@demo.local", "password": pw})
		return s
	}
	if s := login("correct-horse"); s != http.StatusUnauthorized {
		t.Fatalf("old password: %d", s)
	}
	if s := login("battery-staple"); s != http.StatusOK {
		t.Fatalf("new password: %d", s)
	}

	// A new login (a typo fixed): the user signs in with it, not the old one.
	admin := apiLogin(t, d, "admin@demo.local") // c is now signed in as the new user
	admin.must("PUT", fmt.Sprintf("/api/v1/admin/users/%d", id), map[string]any{"login": "Nia@Demo.Local", "name": "Nia New",
		"roles": []string{"agent"}, "team_id": 0, "queues": []int64{}, "personal_extension_id": 0}, http.StatusOK)
	if s, _ := c.call("POST", "/api/v1/auth/login", map[string]any{"login": "nia@demo.local", "password": "battery-staple"}); s != http.StatusOK {
		t.Fatalf("sign-in with the new login: %d", s)
	}
	if s := login("battery-staple"); s != http.StatusUnauthorized {
		t.Fatalf("sign-in with the old login: %d", s)
	}

	// Removed, and the removal audited against the (now gone) user.
	admin.must("DELETE", fmt.Sprintf("/api/v1/admin/users/%d", id), nil, http.StatusNoContent)
	if _, err := d.DB.User(context.Background(), id); orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
		t.Fatalf("removed user still stored: %v", err)
	}
	log, err := d.DB.AuditLog(context.Background(), 1)
	if err != nil || len(log) != 1 || log[0].Action != "admin.user.delete" || log[0].TargetUserID != id {
		t.Fatalf("latest audit entry %+v (%v), want admin.user.delete of %d", log, err, id)
	}
}
