package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// supRoutes are every supervisor endpoint (M1–M7, G1–G3) as sam (user 3)
// uses them, with the controller call each must make.
var supRoutes = []callRoute{
	{"GET", "/api/v1/agents?team=7&state=idle&role=agent&q=ann", nil, 200, "SupervisorAgents 3 team=7 state=idle role=agent q=ann"},
	{"POST", "/api/v1/agents/1/queues/3", nil, 204, "LogAgentIntoQueue 3 1 3"},
	{"DELETE", "/api/v1/agents/1/queues/3", nil, 204, "LogAgentOutOfQueue 3 1 3"},
	{"PUT", "/api/v1/agents/1/state", map[string]any{"state": "idle", "reason_code": "break"}, 204, "SetAgentState 3 1 idle break"},
	{"DELETE", "/api/v1/agents/1/session", nil, 204, "SignAgentOut 3 1"},
	{"POST", "/api/v1/agents/1/wrapup/end", nil, 204, "EndAgentWrapup 3 1"},
	{"POST", "/api/v1/monitors", map[string]any{"agent_id": 1, "mode": "listen"}, 201, "StartMonitor 3 1 listen"},
	{"POST", "/api/v1/monitors/mon-1/pause", nil, 204, "ChangeMonitor 3 mon-1 pause"},
	{"POST", "/api/v1/monitors/mon-1/resume", nil, 204, "ChangeMonitor 3 mon-1 resume"},
	{"POST", "/api/v1/monitors/mon-1/barge", nil, 204, "ChangeMonitor 3 mon-1 barge"},
	{"POST", "/api/v1/monitors/mon-1/whisper", nil, 204, "ChangeMonitor 3 mon-1 whisper"},
	{"POST", "/api/v1/monitors/mon-1/listen", nil, 204, "ChangeMonitor 3 mon-1 listen"},
	{"DELETE", "/api/v1/monitors/mon-1", nil, 204, "StopMonitor 3 mon-1"},
	{"GET", "/api/v1/queues/stats", nil, 200, "QueueStats"},
}

// Each supervisor route reaches the orchestrator with the supervisor, the
// agent and the arguments (G1, G3, M1–M5).
func TestSupervisorRoutesReachTheController_G1_G3_M1_M5(t *testing.T) {
	h := newHarness(t)
	h.login("sam")
	h.ctl.setAgent(&orchestrator.AgentView{UserID: ann.ID, Name: "Ann Agent", State: orchestrator.StateIdle, Reason: "break"})
	for _, rt := range supRoutes {
		r := h.do(rt.method, rt.path, rt.body)
		h.want(r, rt.status)
		if got := h.ctl.lastCall(); got != rt.call {
			t.Errorf("%s %s: controller got %q, want %q", rt.method, rt.path, got, rt.call)
		}
		if rt.status == 204 && len(r.body) != 0 {
			t.Errorf("%s %s: 204 with a body %q", rt.method, rt.path, r.body)
		}
	}
	// Bodies.
	var list struct {
		Agents []orchestrator.AgentView `json:"agents"`
	}
	h.do("GET", "/api/v1/agents", nil).json(t, &list)
	if len(list.Agents) != 1 || list.Agents[0].UserID != ann.ID {
		t.Fatalf("agents = %+v", list)
	}
	if got := h.ctl.lastCall(); got != "SupervisorAgents 3 team=0 state= role= q=" {
		t.Errorf("unfiltered: controller got %q", got)
	}
	var mon orchestrator.MonitorView
	r := h.do("POST", "/api/v1/monitors", map[string]any{"agent_id": 1})
	h.want(r, http.StatusCreated)
	r.json(t, &mon)
	if mon.ID != "mon-1" || mon.AgentID != 1 || mon.Mode != orchestrator.MonitorListen {
		t.Fatalf("monitor = %s", r.body)
	}
	var stats struct {
		Queues []orchestrator.QueueStats `json:"queues"`
	}
	h.do("GET", "/api/v1/queues/stats", nil).json(t, &stats)
	if len(stats.Queues) != 1 || stats.Queues[0].Waiting != 2 || stats.Queues[0].LongestWaitSecs != 40 {
		t.Fatalf("stats = %+v", stats)
	}
	// The queue list stays.
	h.want(h.do("GET", "/api/v1/queues", nil), http.StatusOK)
	// A supervisor_agent (both roles) may use them too.
	h2 := newHarness(t)
	h2.login("sue")
	h2.want(h2.do("POST", "/api/v1/monitors", map[string]any{"agent_id": 1, "mode": "whisper"}), http.StatusCreated)
	if got := h2.ctl.lastCall(); got != "StartMonitor 2 1 whisper" {
		t.Errorf("sue: controller got %q", got)
	}
}

// A refusal comes back with the orchestrator's reason: 409 for M1 (already
// monitored) and the other rules on every route.
func TestSupervisorConflictsCarryTheReason_M1(t *testing.T) {
	h := newHarness(t)
	h.login("sam")
	for _, rt := range supRoutes {
		reason := "Ann Agent is already monitored by Sue Both: " + rt.path
		h.ctl.setErr(orchestrator.Errorf(orchestrator.CodeConflict, "%s", reason))
		d := h.wantError(h.do(rt.method, rt.path, rt.body), http.StatusConflict, "conflict")
		if d.Message != reason {
			t.Errorf("%s %s: message %q, want %q", rt.method, rt.path, d.Message, reason)
		}
	}
	h.ctl.setErr(orchestrator.Errorf(orchestrator.CodeNotFound, "monitoring session mon-9 not found"))
	h.wantError(h.do("POST", "/api/v1/monitors/mon-9/pause", nil), http.StatusNotFound, "not_found")
}

// Agents may not use the supervisor routes; administrators may manage
// agents' status (G4) but not monitor.
func TestSupervisorRoutesNeedTheSupervisorRole(t *testing.T) {
	for _, who := range []string{"ann", "adam"} {
		h := newHarness(t)
		h.login(who)
		for _, rt := range supRoutes {
			manage := strings.HasPrefix(rt.path, "/api/v1/agents") && !strings.HasSuffix(rt.path, "/devices")
			if who == "adam" && manage {
				if r := h.do(rt.method, rt.path, rt.body); r.StatusCode >= 300 {
					t.Errorf("admin %s %s (G4): %d %s", rt.method, rt.path, r.StatusCode, r.body)
				}
				continue
			}
			h.wantError(h.do(rt.method, rt.path, rt.body), http.StatusForbidden, "forbidden")
		}
		if who == "ann" && len(h.ctl.calls) != 0 {
			t.Fatalf("%s: controller called %v", who, h.ctl.calls)
		}
	}
	h := newHarness(t)
	for _, rt := range supRoutes {
		h.wantError(h.do(rt.method, rt.path, rt.body), http.StatusUnauthorized, "unauthorized")
	}
}

// Bad input is refused before the orchestrator, naming the field.
func TestSupervisorBadInput(t *testing.T) {
	h := newHarness(t)
	h.login("sam")
	for _, tc := range []struct {
		method, path string
		body         any
		status       int
		field        string
	}{
		{"GET", "/api/v1/agents?team=red", nil, 400, "team:"},
		{"GET", "/api/v1/agents?state=sleepy", nil, 422, "state:"},
		{"GET", "/api/v1/agents?role=boss", nil, 422, "role:"},
		{"POST", "/api/v1/agents/x/queues/3", nil, 400, "id:"},
		{"POST", "/api/v1/agents/1/queues/sales", nil, 400, "queue:"},
		{"DELETE", "/api/v1/agents/0/queues/3", nil, 400, "id:"},
		{"POST", "/api/v1/agents/1/queues/3", `{"x":1}`, 400, "x:"},
		{"PUT", "/api/v1/agents/1/state", map[string]any{"state": "idle"}, 422, "reason_code:"},
		{"PUT", "/api/v1/agents/1/state", map[string]any{"state": "available", "reason_code": "break"}, 422, "reason_code:"},
		{"PUT", "/api/v1/agents/1/state", map[string]any{"state": "engaged"}, 422, "state:"},
		{"PUT", "/api/v1/agents/1/state", map[string]any{}, 422, "state:"},
		{"PUT", "/api/v1/agents/1/state", map[string]any{"state": 3}, 400, "state:"},
		{"PUT", "/api/v1/agents/abc/state", map[string]any{"state": "available"}, 400, "id:"},
		{"DELETE", "/api/v1/agents/abc/session", nil, 400, "id:"},
		{"POST", "/api/v1/agents/abc/wrapup/end", nil, 400, "id:"},
		{"POST", "/api/v1/monitors", map[string]any{"mode": "listen"}, 422, "agent_id:"},
		{"POST", "/api/v1/monitors", map[string]any{"agent_id": 1, "mode": "barge"}, 422, "mode:"},
		{"POST", "/api/v1/monitors", map[string]any{"agent_id": "ann"}, 400, "agent_id:"},
		{"POST", "/api/v1/monitors", map[string]any{"agent_id": 1, "who": 2}, 400, "who:"},
		{"POST", "/api/v1/monitors", "", 400, "request body:"},
		{"POST", "/api/v1/monitors/mon-1/pause", `{"now":true}`, 400, "now:"},
	} {
		r := h.do(tc.method, tc.path, tc.body)
		code := "invalid"
		d := h.wantError(r, tc.status, code)
		if len(d.Message) < len(tc.field) || d.Message[:len(tc.field)] != tc.field {
			t.Errorf("%s %s: message %q, want it to start with %q", tc.method, tc.path, d.Message, tc.field)
		}
	}
	if n := len(h.ctl.calls); n != 0 {
		t.Fatalf("controller called %v", h.ctl.calls)
	}
	// Unknown monitor actions are not routes.
	h.wantError(h.do("POST", "/api/v1/monitors/mon-1/shout", nil), http.StatusNotFound, "not_found")
}

// A supervisor's event stream starts with every signed-in agent and then
// carries every agent's changes (the live team table); an agent's stream
// has neither.
func TestSupervisorEventsCarryTheTeam_G3(t *testing.T) {
	h := newHarness(t)
	h.ctl.setAgent(&orchestrator.AgentView{UserID: ann.ID, Name: "Ann Agent", State: orchestrator.StateAvailable})
	h.ctl.setAgent(&orchestrator.AgentView{UserID: sam.ID, Name: "Sam Supervisor", State: orchestrator.StateAvailable})
	h.login("sam")
	c, resp, err := h.dialEvents(h.srv.URL)
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	defer c.Close()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, b, err := c.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	var snap struct {
		Type   string                   `json:"type"`
		Agent  *orchestrator.AgentView  `json:"agent"`
		Agents []orchestrator.AgentView `json:"agents"`
	}
	if err := json.Unmarshal(b, &snap); err != nil {
		t.Fatal(err)
	}
	if snap.Type != "snapshot" || snap.Agent == nil || snap.Agent.UserID != sam.ID || len(snap.Agents) != 2 || snap.Agents[0].UserID != ann.ID {
		t.Fatalf("snapshot = %s", b)
	}
	waitFor(t, "subscription", func() bool { return h.ctl.subscribers() == 1 })
	h.ctl.publish(orchestrator.Event{Type: orchestrator.EventAgent, UserID: ann.ID, Agent: &orchestrator.AgentView{UserID: ann.ID, State: orchestrator.StateEngaged}})
	h.ctl.publish(orchestrator.Event{Type: orchestrator.EventNotice, UserID: ann.ID, Notice: &orchestrator.Notice{Kind: "info", Text: "for Ann only"}})
	h.ctl.publish(orchestrator.Event{Type: orchestrator.EventNotice, UserID: sam.ID, Notice: &orchestrator.Notice{Kind: "info", Text: "for Sam"}})
	if m := readMessage(t, c); m.Type != "agent" || m.UserID != ann.ID || m.Agent.State != orchestrator.StateEngaged {
		t.Fatalf("first event = %+v", m)
	}
	if m := readMessage(t, c); m.Type != "notice" || m.Notice.Text != "for Sam" {
		t.Fatalf("second event = %+v (another user's notice must not reach the supervisor)", m)
	}

	// An agent's snapshot has no team list.
	h2 := newHarness(t)
	h2.login("ann")
	c2, resp, err := h2.dialEvents(h2.srv.URL)
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, resp)
	}
	defer c2.Close()
	c2.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, b, err = c2.ReadMessage()
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]json.RawMessage
	json.Unmarshal(b, &raw)
	if _, ok := raw["agents"]; ok {
		t.Fatalf("agent snapshot carries agents: %s", b)
	}
}

type devicesBody struct {
	Devices []struct {
		Type    string `json:"type"`
		Number  string `json:"number"`
		Label   string `json:"label"`
		Virtual bool   `json:"virtual"`
		Active  bool   `json:"active"`
	} `json:"devices"`
}

// Expanding an agent lists their devices, the active one marked (G3): the
// personal extension, owned ones (a virtual one as "mobile <number>"), and
// a dial-number station that is no extension at all.
func TestAgentDevices_G3(t *testing.T) {
	h := newHarness(t)
	h.login("sam")
	get := func(id string) devicesBody {
		t.Helper()
		r := h.do("GET", "/api/v1/agents/"+id+"/devices", nil)
		h.want(r, http.StatusOK)
		var b devicesBody
		r.json(t, &b)
		return b
	}
	// Ann, signed out: her personal extension 2002, not active.
	if b := get("1"); len(b.Devices) != 1 || b.Devices[0].Number != "2002" || b.Devices[0].Label != "2002" || b.Devices[0].Active || b.Devices[0].Type != "extension" {
		t.Fatalf("ann signed out: %+v", b)
	}
	// Ann at 2002: marked active.
	h.ctl.setAgent(&orchestrator.AgentView{UserID: ann.ID, Name: "Ann Agent", State: orchestrator.StateAvailable,
		Station: orchestrator.StationView{Type: orchestrator.StationExtension, Number: "2002"}})
	if b := get("1"); len(b.Devices) != 1 || !b.Devices[0].Active {
		t.Fatalf("ann at 2002: %+v", b)
	}
	// Ann at a shared 2001: listed after hers, active.
	h.ctl.setAgent(&orchestrator.AgentView{UserID: ann.ID, Station: orchestrator.StationView{Type: orchestrator.StationExtension, Number: "2001"}})
	if b := get("1"); len(b.Devices) != 2 || b.Devices[0].Active || b.Devices[1].Number != "2001" || !b.Devices[1].Active {
		t.Fatalf("ann at 2001: %+v", b)
	}
	// Sue owns virtual 9001; signed in on her virtual extension.
	h.ctl.setAgent(&orchestrator.AgentView{UserID: sue.ID, Station: orchestrator.StationView{Type: orchestrator.StationExtension, Number: "9001", Virtual: true}})
	b := get("2")
	if len(b.Devices) != 1 || b.Devices[0].Label != "mobile +15550001" || !b.Devices[0].Virtual || !b.Devices[0].Active {
		t.Fatalf("sue virtual: %+v", b)
	}
	// Sue on a dial-number station: her extension stays, the number is active.
	h.ctl.setAgent(&orchestrator.AgentView{UserID: sue.ID, Station: orchestrator.StationView{Type: orchestrator.StationDialNumber, Number: "+15550199"}})
	b = get("2")
	if len(b.Devices) != 2 || b.Devices[0].Active || b.Devices[1].Type != "dial_number" || b.Devices[1].Number != "+15550199" || !b.Devices[1].Active {
		t.Fatalf("sue dial number: %+v", b)
	}
	// Sam has no devices: an empty list, not null.
	r := h.do("GET", "/api/v1/agents/3/devices", nil)
	h.want(r, http.StatusOK)
	if string(r.body) != `{"devices":[]}`+"\n" && string(r.body) != `{"devices":[]}` {
		t.Fatalf("sam: %s", r.body)
	}
	// Unknown user: 404; bad id: 400.
	h.wantError(h.do("GET", "/api/v1/agents/99/devices", nil), http.StatusNotFound, "not_found")
	h.wantError(h.do("GET", "/api/v1/agents/x/devices", nil), http.StatusBadRequest, "invalid")
	// Agents and admins: 403; nobody: 401.
	for _, who := range []string{"ann", "adam"} {
		h := newHarness(t)
		h.login(who)
		h.wantError(h.do("GET", "/api/v1/agents/1/devices", nil), http.StatusForbidden, "forbidden")
	}
	h2 := newHarness(t)
	h2.wantError(h2.do("GET", "/api/v1/agents/1/devices", nil), http.StatusUnauthorized, "unauthorized")
}
