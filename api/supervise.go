package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ringside/ringside/orchestrator"
)

// The supervisor view (M1–M7, G1–G3): the team's agents, what a
// supervisor does to them, monitoring and queue statistics. Every rule
// (who may be monitored, which action is allowed now) is the
// orchestrator's; these handlers read the request and pass it on.

// supervisorRoutes adds the supervisor routes; mw is the supervisor-role
// chain, manage the chain for managing agents' status, which administrators
// may use too (G4).
func (s *Server) supervisorRoutes(e *echo.Echo, v1 string, mw, manage []echo.MiddlewareFunc) {
	e.GET(v1+"/agents", s.supervisorAgents, manage...)
	e.POST(v1+"/agents/:id/queues/:queue", s.agentQueue(true), manage...)
	e.DELETE(v1+"/agents/:id/queues/:queue", s.agentQueue(false), manage...)
	e.GET(v1+"/agents/:id/devices", s.agentDevices, mw...)
	e.PUT(v1+"/agents/:id/state", s.agentState, manage...)
	e.DELETE(v1+"/agents/:id/session", s.agentCommand(s.ctl.SignAgentOut), manage...)
	e.POST(v1+"/agents/:id/wrapup/end", s.agentCommand(s.ctl.EndAgentWrapup), manage...)
	e.POST(v1+"/monitors", s.startMonitor, mw...)
	for _, action := range []string{"pause", "resume", "barge", "whisper", "listen"} {
		e.POST(v1+"/monitors/:id/"+action, s.changeMonitor(action), mw...)
	}
	e.DELETE(v1+"/monitors/:id", s.stopMonitor, mw...)
	e.GET(v1+"/queues/stats", s.queueStats, mw...)
}

// idParam reads a positive numeric path parameter.
func idParam(c echo.Context, name, what string) (int64, error) {
	v := pathParam(c, name)
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest("%s: %q is not %s", name, v, what)
	}
	return id, nil
}

var filterStates = map[orchestrator.AgentState]bool{
	orchestrator.StateLoggedOut: true, orchestrator.StateAvailable: true, orchestrator.StateIdle: true,
	orchestrator.StateRinging: true, orchestrator.StateEngaged: true, orchestrator.StateWrapup: true,
	orchestrator.StateRONA: true, orchestrator.StateVirtual: true,
}

// supervisorAgents lists signed-in users with filters (G3):
// ?team=&state=&role=&q=.
func (s *Server) supervisorAgents(c echo.Context) error {
	var f orchestrator.AgentFilter
	if v := strings.TrimSpace(c.QueryParam("team")); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return badRequest("team: %q is not a team id", v)
		}
		f.TeamID = id
	}
	if v := strings.TrimSpace(c.QueryParam("state")); v != "" {
		if !filterStates[orchestrator.AgentState(v)] {
			return invalid("state: %q is not an agent state", v)
		}
		f.State = orchestrator.AgentState(v)
	}
	if v := strings.TrimSpace(c.QueryParam("role")); v != "" {
		switch v {
		case orchestrator.SignInAgent, orchestrator.SignInSupervisor, orchestrator.SignInSupervisorAgent:
		default:
			return invalid("role: %q must be agent, supervisor or supervisor_agent", v)
		}
		f.Role = v
	}
	f.Query = strings.TrimSpace(c.QueryParam("q"))
	list, err := s.ctl.SupervisorAgents(c.Request().Context(), currentUser(c).ID, f)
	if err != nil {
		return err
	}
	if list == nil {
		list = []orchestrator.AgentView{}
	}
	return c.JSON(http.StatusOK, map[string]any{"agents": list})
}

// deviceJSON is one of an agent's devices (G3).
type deviceJSON struct {
	Type    orchestrator.StationType `json:"type"`
	Number  string                   `json:"number"`
	Label   string                   `json:"label"`
	Virtual bool                     `json:"virtual"`
	Active  bool                     `json:"active"`
}

// agentDevices lists a user's devices for the expanded row (G3): their
// personal extension, the extensions they own (a virtual one labelled
// "mobile <number>" as in the station list) and, when signed in, the
// station they sit at now, marked active (a dial-number station too).
func (s *Server) agentDevices(c echo.Context) error {
	agentID, err := idParam(c, "id", "an agent's user id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := s.acc.User(ctx, agentID)
	if orchestrator.ErrorCode(err) == orchestrator.CodeNotFound {
		return orchestrator.Errorf(orchestrator.CodeNotFound, "user %d not found", agentID)
	}
	if err != nil {
		return err
	}
	exts, err := s.acc.Extensions(ctx)
	if err != nil {
		return err
	}
	view, err := s.ctl.Agent(ctx, agentID)
	if err != nil {
		return err
	}
	devices := []deviceJSON{}
	add := func(e orchestrator.Extension) { devices = append(devices, extDevice(e)) }
	if u.PersonalExtensionID != 0 {
		for _, e := range exts {
			if e.ID == u.PersonalExtensionID {
				add(e)
			}
		}
	}
	for _, e := range exts {
		if e.OwnerID == u.ID && e.ID != u.PersonalExtensionID {
			add(e)
		}
	}
	if view != nil && view.Station.Type != "" {
		st := view.Station
		found := false
		for i := range devices {
			if st.Type == orchestrator.StationExtension && devices[i].Type == st.Type && devices[i].Number == st.Number {
				devices[i].Active, found = true, true
			}
		}
		if !found {
			label := st.Number
			if label == "" {
				label = string(st.Type)
			}
			d := deviceJSON{Type: st.Type, Number: st.Number, Label: label, Virtual: st.Virtual}
			if st.Type == orchestrator.StationExtension {
				// A shared extension: label it as the extension list does.
				for _, e := range exts {
					if e.Number == st.Number {
						d = extDevice(e)
						break
					}
				}
			}
			d.Active = true
			devices = append(devices, d)
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"devices": devices})
}

// extDevice is an extension as a device, labelled as in the station list.
func extDevice(e orchestrator.Extension) deviceJSON {
	d := deviceJSON{Type: orchestrator.StationExtension, Number: e.Number, Label: e.Number}
	if e.Kind == orchestrator.ExtensionVirtual {
		d.Virtual = true
		if e.Mobile != "" {
			d.Label = "mobile " + e.Mobile
		}
	}
	return d
}

// agentQueue logs an agent into (in) or out of a queue (G1, G2): 204.
func (s *Server) agentQueue(in bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		agentID, err := idParam(c, "id", "an agent's user id")
		if err != nil {
			return err
		}
		queueID, err := idParam(c, "queue", "a queue id")
		if err != nil {
			return err
		}
		if err := noBody(c); err != nil {
			return err
		}
		cmd := s.ctl.LogAgentOutOfQueue
		if in {
			cmd = s.ctl.LogAgentIntoQueue
		}
		if err := cmd(c.Request().Context(), currentUser(c).ID, agentID, queueID); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// agentState sets an agent Idle with a reason, or Available (G1).
func (s *Server) agentState(c echo.Context) error {
	agentID, err := idParam(c, "id", "an agent's user id")
	if err != nil {
		return err
	}
	var req stateRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	req.ReasonCode = strings.TrimSpace(req.ReasonCode)
	if err := req.check(); err != nil {
		return err
	}
	if err := s.ctl.SetAgentState(c.Request().Context(), currentUser(c).ID, agentID, req.State, req.ReasonCode); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// agentCommand serves a body-less supervisor command on one agent: 204.
func (s *Server) agentCommand(cmd func(ctx context.Context, supervisorID, agentID int64) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		agentID, err := idParam(c, "id", "an agent's user id")
		if err != nil {
			return err
		}
		if err := noBody(c); err != nil {
			return err
		}
		if err := cmd(c.Request().Context(), currentUser(c).ID, agentID); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

type monitorRequest struct {
	AgentID int64  `json:"agent_id"`
	Mode    string `json:"mode"`
}

// startMonitor dials the supervisor's station to monitor an agent (M1,
// M2, M7): 201 with the session; 409 with the reason when refused.
func (s *Server) startMonitor(c echo.Context) error {
	var req monitorRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if req.AgentID <= 0 {
		return invalid("agent_id: the agent's user id is required")
	}
	switch orchestrator.MonitorMode(req.Mode) {
	case "":
		req.Mode = string(orchestrator.MonitorListen)
	case orchestrator.MonitorListen, orchestrator.MonitorWhisper:
	default:
		return invalid("mode: %q must be listen or whisper", req.Mode)
	}
	v, err := s.ctl.StartMonitor(c.Request().Context(), currentUser(c).ID, req.AgentID, orchestrator.MonitorMode(req.Mode))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

// changeMonitor pauses, resumes or changes the mode of the supervisor's
// monitoring session (M3–M5, M7): 204.
func (s *Server) changeMonitor(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := noBody(c); err != nil {
			return err
		}
		id := orchestrator.MonitorID(pathParam(c, "id"))
		if err := s.ctl.ChangeMonitor(c.Request().Context(), currentUser(c).ID, id, action); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// stopMonitor ends monitoring, a barge included (M5.6): 204.
func (s *Server) stopMonitor(c echo.Context) error {
	id := orchestrator.MonitorID(pathParam(c, "id"))
	if err := s.ctl.StopMonitor(c.Request().Context(), currentUser(c).ID, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// queueStats is the queue tiles: waiting, longest wait, available agents.
func (s *Server) queueStats(c echo.Context) error {
	list, err := s.ctl.QueueStats(c.Request().Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []orchestrator.QueueStats{}
	}
	return c.JSON(http.StatusOK, map[string]any{"queues": list})
}
