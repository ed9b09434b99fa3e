package api

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/ringside/ringside/orchestrator"
)

// callRoute is one call-handling endpoint with a valid request and the
// controller call it must make.
type callRoute struct {
	method, path string
	body         any
	status       int
	call         string
}

// callRoutes are every call-handling endpoint (A5–A11) as ann (user 1) uses them.
var callRoutes = []callRoute{
	{"POST", "/api/v1/interactions/ix-1/hold", nil, 204, "Hold 1 ix-1"},
	{"POST", "/api/v1/interactions/ix-1/resume", nil, 204, "Resume 1 ix-1"},
	{"POST", "/api/v1/interactions/ix-1/conference", nil, 204, "Conference 1 ix-1"},
	{"POST", "/api/v1/interactions/ix-1/consult", map[string]any{"target": map[string]any{"type": "agent", "id": 2}}, 204, "Consult 1 ix-1 agent:2:"},
	{"POST", "/api/v1/interactions/ix-1/consult/end", nil, 204, "EndConsult 1 ix-1"},
	{"POST", "/api/v1/interactions/ix-1/consult/exit", nil, 204, "ExitConsult 1 ix-1"},
	{"POST", "/api/v1/interactions/ix-1/consult/resume", nil, 204, "ResumeConsulted 1 ix-1"},
	{"POST", "/api/v1/interactions/ix-1/transfer", map[string]any{"target": map[string]any{"type": "queue", "id": 3}, "mode": "blind"}, 204, "Transfer 1 ix-1 blind queue:3:"},
	{"POST", "/api/v1/interactions/ix-1/recording/pause", nil, 204, "PauseRecording 1 ix-1"},
	{"POST", "/api/v1/interactions/ix-1/recording/resume", nil, 204, "ResumeRecording 1 ix-1"},
	{"PATCH", "/api/v1/interactions/ix-1/variables/account", map[string]any{"value": "AC-9", "version": 3}, 200, `SetVariable 1 ix-1 account="AC-9" v3`},
	{"POST", "/api/v1/interactions/ix-1/variables/pin/reveal", nil, 200, "RevealVariable 1 ix-1 pin"},
	{"GET", "/api/v1/targets/agents?purpose=consult", nil, 200, "TargetAgents 1 consult"},
}

// Each command reaches the orchestrator with the acting user, the
// interaction and its arguments, and answers 204 (200 with a body for the
// variable routes and the target list).
func TestCallCommandsReachTheController_A5_A11(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	for _, rt := range callRoutes {
		r := h.do(rt.method, rt.path, rt.body)
		h.want(r, rt.status)
		if got := h.ctl.lastCall(); got != rt.call {
			t.Errorf("%s %s: controller got %q, want %q", rt.method, rt.path, got, rt.call)
		}
		if rt.status == 204 && len(r.body) != 0 {
			t.Errorf("%s %s: 204 with a body %q", rt.method, rt.path, r.body)
		}
	}
	// Other target kinds and the consult transfer (A8.2: no target).
	for _, tc := range []struct {
		path string
		body any
		call string
	}{
		{"/consult", map[string]any{"target": map[string]any{"type": "queue", "id": 3}}, "Consult 1 ix-1 queue:3:"},
		{"/consult", map[string]any{"target": map[string]any{"type": "dial_number", "number": " +1 (555) 0100 "}}, "Consult 1 ix-1 dial_number:0:+1 (555) 0100"},
		{"/transfer", map[string]any{"target": map[string]any{"type": "agent", "id": 2}, "mode": "blind"}, "Transfer 1 ix-1 blind agent:2:"},
		{"/transfer", map[string]any{"target": map[string]any{"type": "dial_number", "number": "5550100"}, "mode": "blind"}, "Transfer 1 ix-1 blind dial_number:0:5550100"},
		{"/transfer", map[string]any{"mode": "consult"}, "Transfer 1 ix-1 consult :0:"},
		{"/hold", "{}", "Hold 1 ix-1"}, // an empty object is as good as no body
	} {
		h.want(h.do("POST", "/api/v1/interactions/ix-1"+tc.path, tc.body), http.StatusNoContent)
		if got := h.ctl.lastCall(); got != tc.call {
			t.Errorf("%s %v: controller got %q, want %q", tc.path, tc.body, got, tc.call)
		}
	}
	// Escaped path parts arrive unescaped.
	h.want(h.do("PATCH", "/api/v1/interactions/ix%2F2/variables/first%20name", map[string]any{"value": "", "version": 0}), http.StatusOK)
	if got := h.ctl.lastCall(); got != `SetVariable 1 ix/2 first name="" v0` {
		t.Errorf("escaped path: controller got %q", got)
	}
}

// A save answers the variable as it now is (A11.2).
func TestSetVariableAnswersTheVariable_A11_2(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	r := h.do("PATCH", "/api/v1/interactions/ix-1/variables/account", map[string]any{"value": "AC-9", "version": 3})
	h.want(r, http.StatusOK)
	var v orchestrator.VariableView
	r.json(t, &v)
	if v.Name != "account" || v.Value != "AC-9" || v.Version != 4 {
		t.Fatalf("variable = %s", r.body)
	}
}

// A rule refusal comes back as 409 with the orchestrator's reason on every
// route; a stale variable save carries the message naming the value that
// won (A11.4).
func TestCallCommandConflictsCarryTheReason_A7_A11_4(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	for _, rt := range callRoutes {
		reason := "refused: " + rt.path
		h.ctl.setErr(orchestrator.Errorf(orchestrator.CodeConflict, "%s", reason))
		d := h.wantError(h.do(rt.method, rt.path, rt.body), http.StatusConflict, "conflict")
		if d.Message != reason {
			t.Errorf("%s %s: message %q, want %q", rt.method, rt.path, d.Message, reason)
		}
	}
	msg := "your value was overwritten: Sue Both saved \"AC-10\" first"
	h.ctl.setErr(orchestrator.Errorf(orchestrator.CodeConflict, "%s", msg))
	d := h.wantError(h.do("PATCH", "/api/v1/interactions/ix-1/variables/account", map[string]any{"value": "AC-9", "version": 3}), http.StatusConflict, "conflict")
	if d.Message != msg {
		t.Fatalf("409 message %q, want %q", d.Message, msg)
	}
	// Other codes map as everywhere else.
	h.ctl.setErr(orchestrator.Errorf(orchestrator.CodeNotFound, "no such interaction"))
	h.wantError(h.do("POST", "/api/v1/interactions/nope/hold", nil), http.StatusNotFound, "not_found")
	h.ctl.setErr(orchestrator.Errorf(orchestrator.CodeForbidden, "only the agent who consulted you can end the consult"))
	h.wantError(h.do("POST", "/api/v1/interactions/ix-1/consult/end", nil), http.StatusForbidden, "forbidden")
	h.ctl.setErr(orchestrator.Errorf(orchestrator.CodeInvalid, "target.number: 12 has too few digits (3 to 18)"))
	d = h.wantError(h.do("POST", "/api/v1/interactions/ix-1/consult", map[string]any{"target": map[string]any{"type": "dial_number", "number": "12"}}), http.StatusUnprocessableEntity, "invalid")
	if !strings.Contains(d.Message, "too few digits") {
		t.Fatalf("A6.2 message %q", d.Message)
	}
}

// Bodies that cannot be read are 400s naming the field; bodies read but
// wrong are 422s naming the field; neither reaches the orchestrator.
func TestCallPayloadsNameTheField(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	const ix = "/api/v1/interactions/ix-1"
	for _, tc := range []struct {
		method, path, body string
		status             int
		want               string
	}{
		{"POST", ix + "/consult", `{}`, 422, "target: required"},
		{"POST", ix + "/consult", `{"target":{"type":5}}`, 400, "target.type"},
		{"POST", ix + "/consult", `{"target":{"type":"agent","id":"two"}}`, 400, "target.id"},
		{"POST", ix + "/consult", `{"target":{"type":"agent","colour":1}}`, 400, "colour"},
		{"POST", ix + "/consult", `{"target":{"type":"team","id":1}}`, 422, "target.type"},
		{"POST", ix + "/consult", `{"target":{"id":1}}`, 422, "target.type"},
		{"POST", ix + "/consult", `{"target":{"type":"agent"}}`, 422, "target.id"},
		{"POST", ix + "/consult", `{"target":{"type":"queue","id":-1}}`, 422, "target.id"},
		{"POST", ix + "/consult", `{"target":{"type":"agent","id":2,"number":"555"}}`, 422, "target.number"},
		{"POST", ix + "/consult", `{"target":{"type":"dial_number","number":"  "}}`, 422, "target.number"},
		{"POST", ix + "/consult", `{"target":{"type":"dial_number","id":4,"number":"5550100"}}`, 422, "target.id"},
		{"POST", ix + "/consult", `{"target":`, 400, "cut short"},
		{"POST", ix + "/transfer", `{"target":{"type":"agent","id":2}}`, 422, "mode: required"},
		{"POST", ix + "/transfer", `{"target":{"type":"agent","id":2},"mode":"warm"}`, 422, "mode"},
		{"POST", ix + "/transfer", `{"mode":"blind"}`, 422, "target: required"},
		{"POST", ix + "/transfer", `{"mode":"consult","target":{"type":"agent","id":2}}`, 422, "target"},
		{"POST", ix + "/transfer", `{"mode":true}`, 400, "mode"},
		{"PATCH", ix + "/variables/account", `{"version":1}`, 422, "value: required"},
		{"PATCH", ix + "/variables/account", `{"value":"x"}`, 422, "version: required"},
		{"PATCH", ix + "/variables/account", `{"value":"x","version":-1}`, 422, "version"},
		{"PATCH", ix + "/variables/account", `{"value":"x","version":"1"}`, 400, "version"},
		{"PATCH", ix + "/variables/account", `{"value":7,"version":1}`, 400, "value"},
		{"POST", ix + "/hold", `{"force":true}`, 400, "force"},
		{"POST", ix + "/variables/pin/reveal", `{"why":"curious"}`, 400, "why"},
		{"POST", ix + "/recording/pause", `[`, 400, "cut short"},
	} {
		r := h.do(tc.method, tc.path, tc.body)
		d := h.wantError(r, tc.status, "invalid")
		if !strings.Contains(d.Message, tc.want) {
			t.Errorf("%s %s: message %q does not name %q", tc.path, tc.body, d.Message, tc.want)
		}
	}
	for _, tc := range []struct{ q, want string }{
		{"", "purpose: required"}, {"?purpose=monitor", "purpose"},
	} {
		d := h.wantError(h.do("GET", "/api/v1/targets/agents"+tc.q, nil), http.StatusUnprocessableEntity, "invalid")
		if !strings.Contains(d.Message, tc.want) {
			t.Errorf("targets%s: message %q does not name %q", tc.q, d.Message, tc.want)
		}
	}
	if got := h.ctl.lastCall(); got != "" {
		t.Fatalf("a bad request reached the controller: %s", got)
	}
}

// Call handling needs the agent role; the queue list the agent or
// supervisor role; and every one needs a session and (to change
// anything) the page's own origin.
func TestCallRoutesNeedTheAgentRole(t *testing.T) {
	h := newHarness(t)
	for _, rt := range callRoutes {
		h.wantError(h.do(rt.method, rt.path, rt.body), http.StatusUnauthorized, "unauthorized")
	}
	h.wantError(h.do("GET", "/api/v1/queues", nil), http.StatusUnauthorized, "unauthorized")
	for _, u := range []string{"sam", "adam"} {
		h.login(u)
		for _, rt := range callRoutes {
			h.wantError(h.do(rt.method, rt.path, rt.body), http.StatusForbidden, "forbidden")
		}
	}
	h.wantError(h.do("GET", "/api/v1/queues", nil), http.StatusForbidden, "forbidden") // adam: admin only
	h.login("sam")
	h.want(h.do("GET", "/api/v1/queues", nil), http.StatusOK)
	if got := h.ctl.lastCall(); got != "" {
		t.Fatalf("a refused request reached the controller: %s", got)
	}

	h.login("sue") // supervisor and agent
	h.want(h.do("POST", "/api/v1/interactions/ix-1/hold", nil), http.StatusNoContent)
	for _, rt := range callRoutes {
		if rt.method == "GET" {
			continue
		}
		h.wantError(h.do(rt.method, rt.path, rt.body, "Origin", "https://evil.example"), http.StatusForbidden, "forbidden")
	}
	if got := h.ctl.lastCall(); got != "Hold 2 ix-1" {
		t.Fatalf("a cross-origin request reached the controller: %s", got)
	}
}

// A11.3: the revealed value is answered once, never cached, never logged.
func TestRevealIsNotCachedNorLogged_A11_3(t *testing.T) {
	var logs bytes.Buffer
	h := newHarness(t, func(o *Options) {
		o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	h.login("ann")
	r := h.do("POST", "/api/v1/interactions/ix-1/variables/pin/reveal", nil)
	h.want(r, http.StatusOK)
	if string(r.body) != `{"value":"`+revealed+`"}`+"\n" {
		t.Fatalf("reveal = %s", r.body)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("Cache-Control %q, want no-store", cc)
	}
	if p := r.Header.Get("Pragma"); p != "no-cache" {
		t.Fatalf("Pragma %q, want no-cache", p)
	}
	if logs.Len() == 0 {
		t.Fatal("no request was logged at debug level: the check below proves nothing")
	}
	if strings.Contains(logs.String(), revealed) {
		t.Fatalf("the secure value is in the log: %s", logs.String())
	}
	h.ctl.setErr(orchestrator.Errorf(orchestrator.CodeForbidden, "you may not see this variable"))
	h.wantError(h.do("POST", "/api/v1/interactions/ix-1/variables/pin/reveal", nil), http.StatusForbidden, "forbidden")
}

// A6.1, A8.1: the picker's agents, filtered by name on the server.
func TestTargetAgentsFilterByName_A6_1(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	h.ctl.targets = []orchestrator.TargetAgentView{
		{UserID: 2, Name: "Sue Both", State: orchestrator.StateAvailable, Station: "2003", TeamID: 7},
		{UserID: 5, Name: "Bob Smith", State: orchestrator.StateIdle, Station: "2005"},
		{UserID: 6, Name: "Élodie SUTTON", State: orchestrator.StateAvailable, Station: "2006"},
	}
	names := func(r response) string {
		t.Helper()
		h.want(r, http.StatusOK)
		var out struct {
			Agents []orchestrator.TargetAgentView `json:"agents"`
		}
		r.json(t, &out)
		var n []string
		for _, a := range out.Agents {
			n = append(n, a.Name)
		}
		return strings.Join(n, ",")
	}
	if got := names(h.do("GET", "/api/v1/targets/agents?purpose=consult", nil)); got != "Sue Both,Bob Smith,Élodie SUTTON" {
		t.Fatalf("all = %s", got)
	}
	if got := names(h.do("GET", "/api/v1/targets/agents?purpose=transfer&q=su", nil)); got != "Sue Both,Élodie SUTTON" {
		t.Fatalf("q=su: %s", got)
	}
	if h.ctl.lastCall() != "TargetAgents 1 transfer" {
		t.Fatalf("purpose not passed on: %s", h.ctl.lastCall())
	}
	if got := names(h.do("GET", "/api/v1/targets/agents?purpose=consult&q=%C3%A9LODIE", nil)); got != "Élodie SUTTON" {
		t.Fatalf("q=éLODIE: %s", got)
	}
	r := h.do("GET", "/api/v1/targets/agents?purpose=consult&q=nobody", nil)
	if string(r.body) != `{"agents":[]}`+"\n" {
		t.Fatalf("no match = %s, want an empty list", r.body)
	}
	r = h.do("GET", "/api/v1/targets/agents?purpose=consult", nil)
	if !strings.Contains(string(r.body), `"state":"idle"`) || !strings.Contains(string(r.body), `"station":"2005"`) {
		t.Fatalf("agents lack state or station: %s", r.body)
	}
}

// The queue picker lists every queue's id and name, nothing more.
func TestQueuesList(t *testing.T) {
	h := newHarness(t)
	h.login("ann")
	r := h.do("GET", "/api/v1/queues", nil)
	h.want(r, http.StatusOK)
	if string(r.body) != `{"queues":[{"id":3,"name":"billing"},{"id":1,"name":"sales"}]}`+"\n" {
		t.Fatalf("queues = %s", r.body)
	}
	h.acc.mu.Lock()
	h.acc.queues = []orchestrator.Queue{}
	h.acc.mu.Unlock()
	if r = h.do("GET", "/api/v1/queues", nil); string(r.body) != `{"queues":[]}`+"\n" {
		t.Fatalf("no queues = %s", r.body)
	}
}

// S6: the team picker's list.
func TestTeamsList_S6(t *testing.T) {
	h := newHarness(t)
	h.login("sue")
	var out struct {
		Teams []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"teams"`
	}
	h.do("GET", "/api/v1/teams", nil).json(t, &out)
	if len(out.Teams) != 2 || out.Teams[1].Name != "Team B" {
		t.Fatalf("teams %+v", out.Teams)
	}
}
