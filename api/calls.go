package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ringside/ringside/orchestrator"
)

// Call handling (A5–A11): the interaction commands of the handling or
// consulted agent, call data, and the pick lists the consult and transfer
// dialogs need. Every rule (who may act now, and why not) is the
// orchestrator's; these handlers only read the request and pass it on.

// callRoutes adds the call-handling routes; mw is the agent-role chain.
func (s *Server) callRoutes(e *echo.Echo, v1 string, mw, desk []echo.MiddlewareFunc) {
	ix := v1 + "/interactions/:id"
	simple := map[string]func(ctx context.Context, userID int64, ixID string) error{
		"/hold":             s.ctl.Hold,
		"/resume":           s.ctl.Resume,
		"/conference":       s.ctl.Conference,
		"/consult/end":      s.ctl.EndConsult,
		"/consult/exit":     s.ctl.ExitConsult,
		"/consult/resume":   s.ctl.ResumeConsulted,
		"/recording/pause":  s.ctl.PauseRecording,
		"/recording/resume": s.ctl.ResumeRecording,
	}
	for path, cmd := range simple {
		e.POST(ix+path, s.interactionCommand(cmd), mw...)
	}
	e.POST(ix+"/consult", s.consult, mw...)
	e.POST(ix+"/transfer", s.transfer, mw...)
	e.PATCH(ix+"/variables/:name", s.setVariable, mw...)
	e.POST(ix+"/variables/:name/reveal", s.revealVariable, mw...)
	e.GET(v1+"/targets/agents", s.targetAgents, mw...)
	// The queue list also feeds the supervisor's queue tiles later, so a
	// supervisor may read it too.
	e.GET(v1+"/queues", s.queues, desk...)
	e.GET(v1+"/teams", s.teams, desk...)
}

// interactionCommand serves a body-less command on one interaction: 204.
func (s *Server) interactionCommand(cmd func(ctx context.Context, userID int64, ixID string) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := noBody(c); err != nil {
			return err
		}
		if err := cmd(c.Request().Context(), currentUser(c).ID, pathParam(c, "id")); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// noBody accepts an empty body or an empty JSON object, so that a client
// sending {} is not refused, and refuses anything else: a command that
// takes no input must not silently ignore some.
func noBody(c echo.Context) error {
	r := c.Request()
	if r.ContentLength == 0 && r.Header.Get("Transfer-Encoding") == "" {
		return nil
	}
	var v struct{}
	return decode(c, &v)
}

// pathParam returns a path parameter unescaped: echo matches routes on the
// raw path when the URL has escapes, and then leaves them in its params.
func pathParam(c echo.Context, name string) string {
	v := c.Param(name)
	if c.Request().URL.RawPath == "" {
		return v
	}
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

// targetJSON is a consult or transfer destination as the API reads it:
// {"type":"agent|queue|dial_number","id","number"}.
type targetJSON struct {
	Type   string `json:"type"`
	ID     int64  `json:"id"`
	Number string `json:"number"`
}

// target checks a destination's shape; whether it may be used now (the
// agent's state, the dial number's digits, A6.2) is the orchestrator's call.
func (t *targetJSON) target() (orchestrator.Target, error) {
	number := strings.TrimSpace(t.Number)
	switch orchestrator.TargetType(t.Type) {
	case orchestrator.TargetAgent, orchestrator.TargetQueue:
		what := "an agent's user id"
		if t.Type == string(orchestrator.TargetQueue) {
			what = "a queue id"
		}
		if t.ID <= 0 {
			return orchestrator.Target{}, invalid("target.id: %s is required", what)
		}
		if number != "" {
			return orchestrator.Target{}, invalid("target.number: only a dial_number target takes a number")
		}
		return orchestrator.Target{Type: orchestrator.TargetType(t.Type), ID: t.ID}, nil
	case orchestrator.TargetDialNumber:
		if number == "" {
			return orchestrator.Target{}, invalid("target.number: enter the number to dial")
		}
		if t.ID != 0 {
			return orchestrator.Target{}, invalid("target.id: a dial_number target takes a number, not an id")
		}
		return orchestrator.Target{Type: orchestrator.TargetDialNumber, Number: number}, nil
	case "":
		return orchestrator.Target{}, invalid("target.type: required (agent, queue or dial_number)")
	default:
		return orchestrator.Target{}, invalid("target.type: %q must be agent, queue or dial_number", t.Type)
	}
}

type consultRequest struct {
	Target *targetJSON `json:"target"`
}

// consult starts a consult (A6): 204; the consult's progress comes on the
// event stream.
func (s *Server) consult(c echo.Context) error {
	var req consultRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if req.Target == nil {
		return invalid("target: required")
	}
	t, err := req.Target.target()
	if err != nil {
		return err
	}
	if err := s.ctl.Consult(c.Request().Context(), currentUser(c).ID, pathParam(c, "id"), t); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type transferRequest struct {
	Target *targetJSON `json:"target"`
	Mode   string      `json:"mode"`
}

// transfer hands the call over (A8): blind to a target, or (mode consult)
// to the party being consulted, which needs no target.
func (s *Server) transfer(c echo.Context) error {
	var req transferRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	var t orchestrator.Target
	switch orchestrator.TransferMode(req.Mode) {
	case orchestrator.TransferBlind:
		if req.Target == nil {
			return invalid("target: required for a blind transfer")
		}
		var err error
		if t, err = req.Target.target(); err != nil {
			return err
		}
	case orchestrator.TransferConsult:
		if req.Target != nil {
			return invalid("target: a consult transfer goes to the party being consulted; send no target")
		}
	case "":
		return invalid("mode: required (blind or consult)")
	default:
		return invalid("mode: %q must be blind or consult", req.Mode)
	}
	if err := s.ctl.Transfer(c.Request().Context(), currentUser(c).ID, pathParam(c, "id"), t, orchestrator.TransferMode(req.Mode)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type variableRequest struct {
	Value   *string `json:"value"`
	Version *int    `json:"version"`
}

// setVariable saves an editable call variable (A11.2). The version is the
// one the editor read; a stale one is a 409 whose message names the value
// that won (A11.4).
func (s *Server) setVariable(c echo.Context) error {
	var req variableRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if req.Value == nil {
		return invalid("value: required (send \"\" to clear it)")
	}
	if req.Version == nil {
		return invalid("version: required: the version of the value you edited")
	}
	if *req.Version < 0 {
		return invalid("version: must not be negative")
	}
	v, err := s.ctl.SetVariable(c.Request().Context(), currentUser(c).ID, pathParam(c, "id"), pathParam(c, "name"), *req.Value, *req.Version)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// revealVariable returns a secure variable's value to an authorized viewer
// (A11.3). The value is never logged and never cached.
func (s *Server) revealVariable(c echo.Context) error {
	if err := noBody(c); err != nil {
		return err
	}
	value, err := s.ctl.RevealVariable(c.Request().Context(), currentUser(c).ID, pathParam(c, "id"), pathParam(c, "name"))
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	return c.JSON(http.StatusOK, map[string]string{"value": value})
}

// targetAgents lists the agents the user may consult (Available and Idle,
// A6.1) or transfer to (Available only, A8.1); q keeps those whose name
// contains it, case-insensitively.
func (s *Server) targetAgents(c echo.Context) error {
	purpose := c.QueryParam("purpose")
	if purpose != "consult" && purpose != "transfer" {
		if purpose == "" {
			return invalid("purpose: required (consult or transfer)")
		}
		return invalid("purpose: %q must be consult or transfer", purpose)
	}
	q := strings.ToLower(strings.TrimSpace(c.QueryParam("q")))
	agents, err := s.ctl.TargetAgents(c.Request().Context(), currentUser(c).ID, purpose)
	if err != nil {
		return err
	}
	out := make([]orchestrator.TargetAgentView, 0, len(agents))
	for _, a := range agents {
		if q == "" || strings.Contains(strings.ToLower(a.Name), q) {
			out = append(out, a)
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"agents": out})
}

// queueJSON is a queue as the consult and transfer pickers show it.
type queueJSON struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// queues lists the queues by name (the consult / transfer queue picker).
func (s *Server) queues(c echo.Context) error {
	qs, err := s.acc.Queues(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]queueJSON, 0, len(qs))
	for _, q := range qs {
		out = append(out, queueJSON{ID: q.ID, Name: q.Name})
	}
	return c.JSON(http.StatusOK, map[string]any{"queues": out})
}

// teams lists the teams for the Supervisor-and-Agent team picker (S6).
func (s *Server) teams(c echo.Context) error {
	ts, err := s.acc.Teams(c.Request().Context())
	if err != nil {
		return err
	}
	type teamJSON struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	out := make([]teamJSON, 0, len(ts))
	for _, t := range ts {
		out = append(out, teamJSON{ID: t.ID, Name: t.Name})
	}
	return c.JSON(http.StatusOK, map[string]any{"teams": out})
}
