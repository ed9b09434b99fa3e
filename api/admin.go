package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ringside/ringside/orchestrator"
)

// The admin pages (P6): users with their remote-agent settings (R4), and
// CRUD for every provisioned entity (admin_crud.go and one file per group).
// Every rule (is the mobile a number, is the extension number free) is the
// store's, checked in the same transaction that saves; these handlers read
// the request and pass it on.

// AdminAccounts is the persistence the admin pages need; *store.DB
// implements it.
type AdminAccounts interface {
	Users(ctx context.Context) ([]orchestrator.User, error) // by login
	// SetRemoteAccess saves a user's remote settings in one transaction,
	// creating, renumbering or removing their virtual extension, and
	// returns them as stored (the mobile in E.164). actorID is audited.
	SetRemoteAccess(ctx context.Context, actorID, userID int64, ra orchestrator.RemoteAccess) (orchestrator.RemoteAccess, error)

	// Audit appends to the audit trail; every other admin change is
	// recorded through it (admin_crud.go).
	Audit(ctx context.Context, e orchestrator.AuditEntry) error

	// AddUser and UpdateUser hash password (UpdateUser: "" keeps it).
	AddUser(ctx context.Context, u orchestrator.User, password string) (orchestrator.User, error)
	UpdateUser(ctx context.Context, u orchestrator.User, password string) (orchestrator.User, error)
	RemoveUser(ctx context.Context, id int64) error
	AddTeam(ctx context.Context, t orchestrator.Team) (orchestrator.Team, error)
	UpdateTeam(ctx context.Context, t orchestrator.Team) (orchestrator.Team, error)
	RemoveTeam(ctx context.Context, id int64) error
	AddQueue(ctx context.Context, q orchestrator.Queue) (orchestrator.Queue, error)
	UpdateQueue(ctx context.Context, q orchestrator.Queue) (orchestrator.Queue, error)
	RemoveQueue(ctx context.Context, id int64) error
	AddExtension(ctx context.Context, e orchestrator.Extension) (orchestrator.Extension, error)
	UpdateExtension(ctx context.Context, e orchestrator.Extension) (orchestrator.Extension, error)
	RemoveExtension(ctx context.Context, id int64) error
	AddIdleCode(ctx context.Context, c orchestrator.IdleCode) (orchestrator.IdleCode, error)
	UpdateIdleCode(ctx context.Context, c orchestrator.IdleCode) (orchestrator.IdleCode, error)
	RemoveIdleCode(ctx context.Context, id int64) error
	AddWrapupCode(ctx context.Context, c orchestrator.WrapupCode) (orchestrator.WrapupCode, error)
	UpdateWrapupCode(ctx context.Context, c orchestrator.WrapupCode) (orchestrator.WrapupCode, error)
	RemoveWrapupCode(ctx context.Context, id int64) error
	VariableDefs(ctx context.Context) ([]orchestrator.VariableDef, error) // in order
	AddVariableDef(ctx context.Context, v orchestrator.VariableDef) (orchestrator.VariableDef, error)
	UpdateVariableDef(ctx context.Context, v orchestrator.VariableDef) (orchestrator.VariableDef, error)
	RemoveVariableDef(ctx context.Context, id int64) error
}

// adminRoutes adds the admin routes behind authed and the admin role.
func (s *Server) adminRoutes(e *echo.Echo, v1 string, authed []echo.MiddlewareFunc) {
	admin := append(authed[:len(authed):len(authed)], requireAnyRole(orchestrator.RoleAdmin))
	e.GET(v1+"/admin/users", s.adminUsers, admin...)
	e.PUT(v1+"/admin/users/:id/remote", s.setRemoteAccess, admin...)
	base := v1 + "/admin"
	s.adminUserRoutes(e, base, admin)
	adminCRUD(s, e, base, admin, teamsResource(s.acc))
	adminCRUD(s, e, base, admin, queuesResource(s.acc))
	adminCRUD(s, e, base, admin, extensionsResource(s.acc))
	adminCRUD(s, e, base, admin, idleCodesResource(s.acc))
	adminCRUD(s, e, base, admin, wrapupCodesResource(s.acc))
	adminCRUD(s, e, base, admin, variablesResource(s.acc))
}

// adminUser is a user as the admin pages list it; never the password hash.
type adminUser struct {
	ID                  int64    `json:"id"`
	Login               string   `json:"login"`
	Name                string   `json:"name"`
	Roles               []string `json:"roles"`
	TeamID              int64    `json:"team_id"`
	Team                string   `json:"team"`
	Queues              []int64  `json:"queues"`
	PersonalExtensionID int64    `json:"personal_extension_id"`
	orchestrator.RemoteAccess
}

func toAdminUser(u orchestrator.User, teams map[int64]string) adminUser {
	roles := make([]string, 0, len(u.Roles))
	for _, r := range u.Roles {
		roles = append(roles, string(r))
	}
	queues := u.Queues
	if queues == nil {
		queues = []int64{}
	}
	return adminUser{ID: u.ID, Login: u.Login, Name: u.Name, Roles: roles, TeamID: u.TeamID, Team: teams[u.TeamID],
		Queues: queues, PersonalExtensionID: u.PersonalExtensionID, RemoteAccess: u.Remote()}
}

func (s *Server) teamNames(ctx context.Context) (map[int64]string, error) {
	ts, err := s.acc.Teams(ctx)
	if err != nil {
		return nil, err
	}
	names := make(map[int64]string, len(ts))
	for _, t := range ts {
		names[t.ID] = t.Name
	}
	return names, nil
}

// adminUsers lists every user with their remote settings.
func (s *Server) adminUsers(c echo.Context) error {
	ctx := c.Request().Context()
	us, err := s.acc.Users(ctx)
	if err != nil {
		return err
	}
	teams, err := s.teamNames(ctx)
	if err != nil {
		return err
	}
	out := make([]adminUser, 0, len(us))
	for _, u := range us {
		out = append(out, toAdminUser(u, teams))
	}
	return c.JSON(http.StatusOK, map[string]any{"users": out})
}

// remoteRequest is PUT /api/v1/admin/users/:id/remote. Every field is
// required: the PUT replaces all three settings, and a forgotten
// virtual_extension would otherwise remove the user's extension.
type remoteRequest struct {
	AllowRemote      *bool   `json:"allow_remote"`
	Mobile           *string `json:"mobile"`
	VirtualExtension *string `json:"virtual_extension"`
}

// setRemoteAccess saves a user's remote settings (R4) and answers with the
// user as now stored.
func (s *Server) setRemoteAccess(c echo.Context) error {
	id, err := idParam(c, "id", "a user id")
	if err != nil {
		return err
	}
	var req remoteRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	var missing []string
	if req.AllowRemote == nil {
		missing = append(missing, "allow_remote: missing")
	}
	if req.Mobile == nil {
		missing = append(missing, `mobile: missing ("" for none)`)
	}
	if req.VirtualExtension == nil {
		missing = append(missing, `virtual_extension: missing ("" for none)`)
	}
	if len(missing) > 0 {
		return badRequest("%s", strings.Join(missing, "; "))
	}
	ctx := c.Request().Context()
	ra := orchestrator.RemoteAccess{AllowRemote: *req.AllowRemote, Mobile: *req.Mobile, VirtualExtension: *req.VirtualExtension}
	if _, err := s.acc.SetRemoteAccess(ctx, currentUser(c).ID, id, ra); err != nil {
		return err
	}
	// Saved; a signed-in remote agent follows it from the next call. A
	// failure here is logged, not reported: the settings are stored and
	// apply at the agent's next sign-in anyway.
	if err := s.ctl.RemoteAccessChanged(ctx, id); err != nil {
		s.log.Warn("could not apply remote settings to the signed-in agent", "user", id, "err", err)
	}
	u, err := s.acc.User(ctx, id)
	if err != nil {
		return err
	}
	teams, err := s.teamNames(ctx)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"user": toAdminUser(u, teams)})
}
