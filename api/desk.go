package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ringside/ringside/orchestrator"
)

// meResponse is GET /api/v1/me.
type meResponse struct {
	User  userJSON                `json:"user"`
	Roles []string                `json:"roles"`
	Agent *orchestrator.AgentView `json:"agent"` // null: not signed in on a station
	// RememberedStation is the station saved with "Remember my credentials"
	// (S5); null when none.
	RememberedStation *orchestrator.StationRequest `json:"remembered_station"`
}

func (s *Server) me(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	view, err := s.ctl.Agent(ctx, u.ID)
	if err != nil {
		return err
	}
	remembered, err := s.acc.RememberedStation(ctx, u.ID)
	if orchestrator.ErrorCode(err) == orchestrator.CodeNotFound {
		remembered, err = nil, nil
	}
	if err != nil {
		return err
	}
	uj := toUserJSON(u)
	return c.JSON(http.StatusOK, meResponse{User: uj, Roles: uj.Roles, Agent: view, RememberedStation: remembered})
}

// stations lists the extensions the user may pick, in R6 order.
func (s *Server) stations(c echo.Context) error {
	exts, err := s.acc.Extensions(c.Request().Context())
	if err != nil {
		return err
	}
	list := orchestrator.StationList(currentUser(c), exts)
	if list == nil {
		list = []orchestrator.StationOption{}
	}
	return c.JSON(http.StatusOK, map[string]any{"stations": list})
}

// sessionRequest is POST /api/v1/session.
type sessionRequest struct {
	Role     string                      `json:"role"`
	Station  orchestrator.StationRequest `json:"station"`
	TeamID   int64                       `json:"team_id"`
	Remember bool                        `json:"remember"`
}

// startSession signs the user in on a station (S3–S7).
func (s *Server) startSession(c echo.Context) error {
	var req sessionRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	u := currentUser(c)
	role, err := signInRole(u, req.Role)
	if err != nil {
		return err
	}
	req.Station.Number = strings.TrimSpace(req.Station.Number)
	ctx := c.Request().Context()
	view, err := s.ctl.SignIn(ctx, orchestrator.SignInRequest{UserID: u.ID, Role: role, Station: req.Station, TeamID: req.TeamID})
	if err != nil {
		return err
	}
	if req.Remember {
		// S5. The sign-in already happened, so a failure here is logged,
		// not reported as a failed sign-in.
		if err := s.acc.RememberStation(ctx, u.ID, rememberedStation(req.Station, view.Station)); err != nil {
			s.log.Warn("could not remember the station", "user", u.ID, "err", err)
		}
	}
	return c.JSON(http.StatusCreated, view)
}

// rememberedStation is what S5 keeps: a dial number as the E.164 the
// sign-in resolved, since the store keeps no picker country to re-read a
// national number in.
func rememberedStation(req orchestrator.StationRequest, got orchestrator.StationView) orchestrator.StationRequest {
	if req.Type == orchestrator.StationDialNumber {
		return orchestrator.StationRequest{Type: req.Type, Number: got.Number}
	}
	return req
}

// signInRole checks the requested role against the user's roles (RBAC, S3).
// An empty role means the only one the user can take: agent for agents,
// supervisor for supervisors; users with both roles must choose.
func signInRole(u orchestrator.User, role string) (string, error) {
	agent, sup := u.HasRole(orchestrator.RoleAgent), u.HasRole(orchestrator.RoleSupervisor)
	switch role {
	case "":
		switch {
		case agent && sup:
			return "", invalid("role: choose supervisor or supervisor_agent")
		case agent:
			return orchestrator.SignInAgent, nil
		default:
			return orchestrator.SignInSupervisor, nil
		}
	case orchestrator.SignInAgent:
		if !agent {
			return "", orchestrator.Errorf(orchestrator.CodeForbidden, "you do not have the agent role")
		}
	case orchestrator.SignInSupervisor:
		if !sup {
			return "", orchestrator.Errorf(orchestrator.CodeForbidden, "you do not have the supervisor role")
		}
	case orchestrator.SignInSupervisorAgent:
		if !agent || !sup {
			return "", orchestrator.Errorf(orchestrator.CodeForbidden, "signing in as supervisor and agent needs both roles")
		}
	default:
		return "", invalid("role: %q must be agent, supervisor or supervisor_agent", role)
	}
	return role, nil
}

// endSession signs the user out of their station (S8).
func (s *Server) endSession(c echo.Context) error {
	if err := s.ctl.SignOut(c.Request().Context(), currentUser(c).ID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type stateRequest struct {
	State      orchestrator.AgentState `json:"state"`
	ReasonCode string                  `json:"reason_code"`
}

// setState sets the agent Available or Idle with a reason (A13).
func (s *Server) setState(c echo.Context) error {
	var req stateRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if err := req.check(); err != nil {
		return err
	}
	if err := s.ctl.SetState(c.Request().Context(), currentUser(c).ID, req.State, req.ReasonCode); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// interactions lists the user's active interactions: the one in their
// agent view, if any.
func (s *Server) interactions(c echo.Context) error {
	if v := c.QueryParam("active"); v != "" {
		active, err := strconv.ParseBool(v)
		if err != nil {
			return badRequest("active: expected true or false, got %q", v)
		}
		if !active {
			return invalid("active: only active=true is supported")
		}
	}
	view, err := s.ctl.Agent(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	list := []orchestrator.InteractionView{}
	if view != nil && view.Interaction != nil && view.Interaction.State != orchestrator.InteractionDone {
		list = append(list, *view.Interaction)
	}
	return c.JSON(http.StatusOK, map[string]any{"interactions": list})
}

func (s *Server) endInteraction(c echo.Context) error {
	if err := s.ctl.EndInteraction(c.Request().Context(), currentUser(c).ID, c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type wrapupRequest struct {
	Code string `json:"code"`
}

// wrapup closes the agent's wrap-up with a code (A12).
func (s *Server) wrapup(c echo.Context) error {
	var req wrapupRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Code) == "" {
		return invalid("code: choose a wrap-up reason")
	}
	if err := s.ctl.Wrapup(c.Request().Context(), currentUser(c).ID, c.Param("id"), req.Code); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// codeJSON is an idle or wrap-up code as the desktop picks it.
type codeJSON struct {
	ID    int64  `json:"id"`
	Code  string `json:"code"`
	Label string `json:"label"`
	Auto  bool   `json:"auto,omitempty"` // wrap-up: recorded when wrap-up time runs out
}

func (s *Server) idleCodes(c echo.Context) error {
	codes, err := s.acc.IdleCodes(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]codeJSON, 0, len(codes))
	for _, x := range codes {
		out = append(out, codeJSON{ID: x.ID, Code: x.Code, Label: x.Label})
	}
	return c.JSON(http.StatusOK, map[string]any{"idle_codes": out})
}

func (s *Server) wrapupCodes(c echo.Context) error {
	codes, err := s.acc.WrapupCodes(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]codeJSON, 0, len(codes))
	for _, x := range codes {
		out = append(out, codeJSON{ID: x.ID, Code: x.Code, Label: x.Label, Auto: x.Auto})
	}
	return c.JSON(http.StatusOK, map[string]any{"wrapup_codes": out})
}

// check refuses a state request that is not Available, or Idle with a
// reason, naming the field.
func (req stateRequest) check() error {
	switch req.State {
	case orchestrator.StateAvailable:
		if req.ReasonCode != "" {
			return invalid("reason_code: only Idle takes a reason")
		}
	case orchestrator.StateIdle:
		if req.ReasonCode == "" {
			return invalid("reason_code: an idle reason is required")
		}
	case "":
		return invalid("state: required (available or idle)")
	default:
		return invalid("state: %q must be available or idle", req.State)
	}
	return nil
}
