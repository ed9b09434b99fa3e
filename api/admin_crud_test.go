package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ringside/ringside/orchestrator"
)

// P6: each provisioned entity's admin CRUD over the fake accounts. What the
// store refuses is tested in the store and over the real stack
// (app/admin_api_test.go); here, that each route reads, answers and audits
// alike, and maps each error class to its status.

// adminCase is one entity: a body to create it with, one to change it to,
// and a field of the answer that shows the change.
type adminCase struct {
	path, kind, listKey string
	create, update      map[string]any
	field               string
}

var adminCases = []adminCase{
	{"teams", "team", "teams", map[string]any{"name": "Night"}, map[string]any{"name": "Late"}, "name"},
	{"queues", "queue", "queues",
		map[string]any{"name": "vip", "priority": 5, "ring_time": 20, "wrapup_time": 30, "recording": true, "privacy_shield": 60, "allow_end_wrapup_early": true, "music_class": "ringside"},
		map[string]any{"name": "vip", "priority": 9, "ring_time": 25, "wrapup_time": 0, "recording": false, "privacy_shield": 0, "allow_end_wrapup_early": false, "music_class": ""},
		"ring_time"},
	{"extensions", "extension", "extensions", map[string]any{"number": "2101", "dial_string": "PJSIP/2101"},
		map[string]any{"number": "2101", "dial_string": "PJSIP/2101b", "owner_id": 0}, "dial_string"},
	{"idle-codes", "idle_code", "idle_codes", map[string]any{"code": "coffee", "label": "Coffee"},
		map[string]any{"code": "coffee", "label": "Coffee break"}, "label"},
	{"wrapup-codes", "wrapup_code", "wrapup_codes", map[string]any{"code": "refund", "label": "Refund"},
		map[string]any{"code": "refund", "label": "Refund", "auto": false}, "label"},
	{"variables", "variable", "variables",
		map[string]any{"name": "ticket", "label": "Ticket", "type": "text", "editable": true, "secure": false, "popover": true, "order": 2},
		map[string]any{"name": "ticket", "label": "Ticket no.", "type": "datetime", "editable": false, "secure": true, "popover": false, "order": 3},
		"label"},
}

// P6: create, list, update and delete each entity; every change is in the
// audit trail with the admin as actor.
func TestAdminCRUDEveryEntity_P6(t *testing.T) {
	for _, c := range adminCases {
		t.Run(c.path, func(t *testing.T) {
			h := newHarness(t)
			h.login("adam")
			base := "/api/v1/admin/" + c.path

			r := h.do("POST", base, c.create)
			h.want(r, http.StatusCreated)
			var created map[string]map[string]any
			r.json(t, &created)
			item := created[c.kind]
			id := int64(item["id"].(float64))
			if id <= 0 || fmt.Sprint(item[c.field]) != fmt.Sprint(c.create[c.field]) {
				t.Fatalf("created %v", r.body)
			}

			r = h.do("GET", base, nil)
			h.want(r, http.StatusOK)
			var list map[string][]map[string]any
			r.json(t, &list)
			if !containsID(list[c.listKey], id) {
				t.Fatalf("list lacks id %d: %s", id, r.body)
			}

			r = h.do("PUT", fmt.Sprintf("%s/%d", base, id), c.update)
			h.want(r, http.StatusOK)
			var updated map[string]map[string]any
			r.json(t, &updated)
			if got := updated[c.kind]; fmt.Sprint(got[c.field]) != fmt.Sprint(c.update[c.field]) || int64(got["id"].(float64)) != id {
				t.Fatalf("updated %s", r.body)
			}

			h.want(h.do("DELETE", fmt.Sprintf("%s/%d", base, id), nil), http.StatusNoContent)
			h.wantError(h.do("DELETE", fmt.Sprintf("%s/%d", base, id), nil), http.StatusNotFound, "not_found")
			h.wantError(h.do("PUT", fmt.Sprintf("%s/%d", base, id), c.update), http.StatusNotFound, "not_found")

			var actions []string
			for _, e := range h.acc.auditLog() {
				if e.ActorID != adam.ID {
					t.Errorf("audit entry %+v: actor is not the admin", e)
				}
				actions = append(actions, e.Action)
			}
			want := fmt.Sprintf("admin.%s.create admin.%s.update admin.%s.delete", c.kind, c.kind, c.kind)
			if strings.Join(actions, " ") != want {
				t.Errorf("audit = %v, want %s", actions, want)
			}
		})
	}
}

func containsID(items []map[string]any, id int64) bool {
	for _, it := range items {
		if int64(it["id"].(float64)) == id {
			return true
		}
	}
	return false
}

// P6: refusals name the field, with the status of their kind, and change
// nothing (nor reach the audit trail).
func TestAdminCRUDErrors_P6(t *testing.T) {
	h := newHarness(t)
	h.login("adam")
	for _, c := range []struct {
		name, method, path string
		body               any
		status             int
		code, msg          string
	}{
		{"invalid", "POST", "/api/v1/admin/queues", map[string]any{"name": "vip", "ring_time": 0}, http.StatusUnprocessableEntity, "invalid", "ring_time:"},
		{"missing name", "POST", "/api/v1/admin/teams", map[string]any{"name": ""}, http.StatusUnprocessableEntity, "invalid", "name: missing"},
		{"duplicate", "POST", "/api/v1/admin/idle-codes", map[string]any{"code": "break", "label": "Again"}, http.StatusConflict, "conflict", `"break" already exists`},
		{"duplicate on rename", "PUT", "/api/v1/admin/queues/3", map[string]any{"name": "sales", "priority": 0, "ring_time": 20, "wrapup_time": 0, "recording": false, "privacy_shield": 0, "allow_end_wrapup_early": false, "music_class": ""}, http.StatusConflict, "conflict", `"sales" already exists`},
		{"flag left out of an update", "PUT", "/api/v1/admin/queues/3", map[string]any{"name": "billing", "priority": 0, "ring_time": 20, "wrapup_time": 0, "privacy_shield": 0, "allow_end_wrapup_early": false, "music_class": ""}, http.StatusBadRequest, "invalid", "recording: missing"},
		// A5: a PUT without the music class would put the queue back on the default.
		{"music class left out of an update", "PUT", "/api/v1/admin/queues/3", map[string]any{"name": "billing", "priority": 0, "ring_time": 20, "wrapup_time": 0, "recording": false, "privacy_shield": 0, "allow_end_wrapup_early": false}, http.StatusBadRequest, "invalid", "music_class: missing"},
		{"music class null in an update", "PUT", "/api/v1/admin/queues/3", map[string]any{"name": "billing", "priority": 0, "ring_time": 20, "wrapup_time": 0, "recording": false, "privacy_shield": 0, "allow_end_wrapup_early": false, "music_class": nil}, http.StatusBadRequest, "invalid", "music_class: missing"},
		{"music class not a string", "POST", "/api/v1/admin/queues", `{"name":"vip","ring_time":20,"music_class":7}`, http.StatusBadRequest, "invalid", "music_class: expected"},
		{"null in an update", "PUT", "/api/v1/admin/queues/3", map[string]any{"name": "billing", "priority": nil, "ring_time": 25, "wrapup_time": 0, "recording": nil, "privacy_shield": 0, "allow_end_wrapup_early": false}, http.StatusBadRequest, "invalid", "priority: missing"},
		{"null body", "PUT", "/api/v1/admin/queues/3", `null`, http.StatusBadRequest, "invalid", "JSON object"},
		{"number left out of an update", "PUT", "/api/v1/admin/queues/3", map[string]any{"name": "billing", "ring_time": 25, "recording": true, "allow_end_wrapup_early": false}, http.StatusBadRequest, "invalid", "priority: missing"},
		{"owner left out of an update", "PUT", "/api/v1/admin/extensions/11", map[string]any{"number": "2001", "dial_string": "PJSIP/2001"}, http.StatusBadRequest, "invalid", "owner_id: missing"},
		{"team in use", "DELETE", "/api/v1/admin/teams/1", nil, http.StatusNoContent, "", ""},
		{"unknown id", "PUT", "/api/v1/admin/wrapup-codes/99", map[string]any{"code": "x", "label": "X", "auto": false}, http.StatusNotFound, "not_found", "wrap-up code 99 not found"},
		{"unknown field", "POST", "/api/v1/admin/teams", map[string]any{"name": "X", "colour": "red"}, http.StatusBadRequest, "invalid", "colour: unknown field"},
		{"wrong type", "POST", "/api/v1/admin/queues", `{"name":"vip","ring_time":"20s"}`, http.StatusBadRequest, "invalid", "ring_time: expected"},
		{"bad id", "DELETE", "/api/v1/admin/variables/abc", nil, http.StatusBadRequest, "invalid", `id: "abc"`},
		{"virtual extension", "PUT", "/api/v1/admin/extensions/13", map[string]any{"number": "9001", "dial_string": "PJSIP/9001", "owner_id": 0}, http.StatusConflict, "conflict", "remote settings"},
		{"virtual extension delete", "DELETE", "/api/v1/admin/extensions/13", nil, http.StatusConflict, "conflict", "remote settings"},
		{"new virtual extension", "POST", "/api/v1/admin/extensions", map[string]any{"number": "9002", "kind": "virtual"}, http.StatusUnprocessableEntity, "invalid", "kind:"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := snapshot(h.acc)
			r := h.do(c.method, c.path, c.body)
			if c.status == http.StatusNoContent { // team 1 has no members in the fake: allowed
				h.want(r, c.status)
				return
			}
			d := h.wantError(r, c.status, c.code)
			if !strings.Contains(d.Message, c.msg) {
				t.Errorf("message %q lacks %q", d.Message, c.msg)
			}
			if after := snapshot(h.acc); after != before {
				t.Errorf("a refused change changed the fake:\n%s\n%s", before, after)
			}
		})
	}
}

// snapshot is the fake's provisioning and audit trail, for "nothing changed".
func snapshot(a *fakeAccounts) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	b, _ := json.Marshal([]any{a.teams, a.queues, a.exts, a.idle, a.wrapup, a.vars, a.users, len(a.audits)})
	return string(b)
}

// P6: a team with members cannot be removed (the store's rule, here the
// fake's): 409 with the reason.
func TestAdminTeamInUse_P6(t *testing.T) {
	h := newHarness(t)
	h.login("adam")
	h.acc.mu.Lock()
	h.acc.teams = append(h.acc.teams, orchestrator.Team{ID: 7, Name: "Ann's"})
	h.acc.mu.Unlock()
	d := h.wantError(h.do("DELETE", "/api/v1/admin/teams/7", nil), http.StatusConflict, "conflict")
	if !strings.Contains(d.Message, "members") {
		t.Errorf("message %q", d.Message)
	}
}

// P6: only admins reach the CRUD routes, and changes need the page's origin.
func TestAdminCRUDNeedsAdminAndOrigin_P6(t *testing.T) {
	h := newHarness(t)
	h.wantError(h.do("GET", "/api/v1/admin/queues", nil), http.StatusUnauthorized, "unauthorized")
	for _, u := range []string{"ann", "sue", "sam"} {
		h.login(u)
		for _, c := range adminCases {
			h.wantError(h.do("GET", "/api/v1/admin/"+c.path, nil), http.StatusForbidden, "forbidden")
			h.wantError(h.do("POST", "/api/v1/admin/"+c.path, c.create), http.StatusForbidden, "forbidden")
		}
		h.wantError(h.do("DELETE", "/api/v1/admin/users/1", nil), http.StatusForbidden, "forbidden")
	}
	h.login("adam")
	before := snapshot(h.acc)
	for _, c := range adminCases {
		h.wantError(h.do("POST", "/api/v1/admin/"+c.path, c.create, "Origin", "https://evil.example"), http.StatusForbidden, "forbidden")
	}
	h.wantError(h.do("DELETE", "/api/v1/admin/queues/1", nil, "Origin", "https://evil.example"), http.StatusForbidden, "forbidden")
	if snapshot(h.acc) != before {
		t.Error("changed without the admin role or from another origin")
	}
}

// P6, A5: a queue's music-on-hold class travels as music_class: POST may
// leave it out (the configured default, ""), the answer, the list and a
// PUT carry it, and what the API hands the store is what was sent.
func TestAdminQueueMusicClass_P6_A5(t *testing.T) {
	h := newHarness(t)
	h.login("adam")
	base := "/api/v1/admin/queues"
	item := func(r response, key string) map[string]any {
		t.Helper()
		var out map[string]map[string]any
		r.json(t, &out)
		return out[key]
	}
	stored := func(id int64) string {
		t.Helper()
		h.acc.mu.Lock()
		defer h.acc.mu.Unlock()
		for _, q := range h.acc.queues {
			if q.ID == id {
				return q.MusicClass
			}
		}
		t.Fatalf("queue %d not in the fake", id)
		return ""
	}

	r := h.do("POST", base, map[string]any{"name": "vip", "ring_time": 20})
	h.want(r, http.StatusCreated)
	q := item(r, "queue")
	id := int64(q["id"].(float64))
	if mc, ok := q["music_class"]; !ok || mc != "" || stored(id) != "" {
		t.Fatalf("a queue added without a class: %v (stored %q), want music_class \"\"", q, stored(id))
	}

	r = h.do("POST", base, map[string]any{"name": "vip2", "ring_time": 20, "music_class": "ringside"})
	h.want(r, http.StatusCreated)
	q = item(r, "queue")
	id2 := int64(q["id"].(float64))
	if q["music_class"] != "ringside" || stored(id2) != "ringside" {
		t.Fatalf("created %v (stored %q), want music_class ringside", q, stored(id2))
	}

	r = h.do("PUT", fmt.Sprintf("%s/%d", base, id), map[string]any{"name": "vip", "priority": 0, "ring_time": 20,
		"wrapup_time": 0, "recording": false, "privacy_shield": 0, "allow_end_wrapup_early": false, "music_class": "sales-moh_2"})
	h.want(r, http.StatusOK)
	if q := item(r, "queue"); q["music_class"] != "sales-moh_2" || stored(id) != "sales-moh_2" {
		t.Fatalf("updated %v (stored %q), want music_class sales-moh_2", q, stored(id))
	}

	r = h.do("GET", base, nil)
	h.want(r, http.StatusOK)
	var list map[string][]map[string]any
	r.json(t, &list)
	got := map[string]any{}
	for _, q := range list["queues"] {
		got[q["name"].(string)] = q["music_class"]
	}
	if got["vip"] != "sales-moh_2" || got["vip2"] != "ringside" || got["sales"] != "" {
		t.Errorf("listed music classes %v", got)
	}
}
