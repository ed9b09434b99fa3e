package api

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ringside/ringside/orchestrator"
)

// Users on the admin pages (P6): create with a password, change what the
// desk uses (name, roles, team, queue skills, personal extension), reset
// the password, remove. Remote settings keep their own route (admin.go),
// since they also create the user's virtual extension. No answer ever
// carries a password or its hash.

// userFields are the parts of a user the admin pages replace together.
type userFields struct {
	Login               string   `json:"login"` // e-mail; a change keeps the user's sessions and history
	Name                string   `json:"name"`
	Roles               []string `json:"roles"`
	TeamID              int64    `json:"team_id"`               // 0: no team
	Queues              []int64  `json:"queues"`                // queue skills (R1), by id
	PersonalExtensionID int64    `json:"personal_extension_id"` // 0: none
}

func (f userFields) applyTo(u *orchestrator.User) {
	u.Login, u.Name, u.TeamID, u.Queues, u.PersonalExtensionID = f.Login, f.Name, f.TeamID, f.Queues, f.PersonalExtensionID
	u.Roles = make([]orchestrator.Role, 0, len(f.Roles))
	for _, r := range f.Roles {
		u.Roles = append(u.Roles, orchestrator.Role(r))
	}
}

type createUserRequest struct {
	Password string `json:"password"`
	userFields
}

type passwordRequest struct {
	Password string `json:"password"`
}

func (s *Server) adminUserRoutes(e *echo.Echo, base string, mw []echo.MiddlewareFunc) {
	e.POST(base+"/users", s.createUser, mw...)
	e.PUT(base+"/users/:id", s.updateUser, mw...)
	e.PUT(base+"/users/:id/password", s.resetPassword, mw...)
	e.DELETE(base+"/users/:id", s.removeUser, mw...)
}

// userAnswer reads the user back as the admin pages show them.
func (s *Server) userAnswer(ctx context.Context, u orchestrator.User) (any, error) {
	teams, err := s.teamNames(ctx)
	if err != nil {
		return nil, err
	}
	return toAdminUser(u, teams), nil
}

func userNote(verb string, u orchestrator.User) auditNote {
	return auditNote{action: "admin.user." + verb, target: u.ID, detail: "user " + u.Login}
}

func (s *Server) createUser(c echo.Context) error {
	return adminSave(s, c, http.StatusCreated, "user", func(ctx context.Context, _ int64, req createUserRequest) (any, auditNote, error) {
		var u orchestrator.User
		req.applyTo(&u)
		u, err := s.acc.AddUser(ctx, u, req.Password)
		if err != nil {
			return nil, auditNote{}, err
		}
		out, err := s.userAnswer(ctx, u)
		return out, userNote("create", u), err
	})
}

// updateUser replaces the user's login and desk fields; password and
// remote settings stay as stored. A new login is audited with the old one,
// so the trail still finds the user under either.
func (s *Server) updateUser(c echo.Context) error {
	return adminSave(s, c, http.StatusOK, "user", func(ctx context.Context, id int64, req userFields) (any, auditNote, error) {
		u, err := s.acc.User(ctx, id)
		if err != nil {
			return nil, auditNote{}, err
		}
		was := u.Login
		req.applyTo(&u)
		if u, err = s.acc.UpdateUser(ctx, u, ""); err != nil {
			return nil, auditNote{}, err
		}
		note := userNote("update", u)
		if u.Login != was {
			note.detail += " (login was " + was + ")"
		}
		out, err := s.userAnswer(ctx, u)
		return out, note, err
	})
}

// resetPassword sets a new password; the store then ends the user's web
// sessions, so whoever knew the old one is signed out.
func (s *Server) resetPassword(c echo.Context) error {
	return adminSave(s, c, http.StatusOK, "user", func(ctx context.Context, id int64, req passwordRequest) (any, auditNote, error) {
		if req.Password == "" { // to the store, "" means "keep the current one"
			return nil, auditNote{}, invalid("password: missing")
		}
		u, err := s.acc.User(ctx, id)
		if err != nil {
			return nil, auditNote{}, err
		}
		if u, err = s.acc.UpdateUser(ctx, u, req.Password); err != nil {
			return nil, auditNote{}, err
		}
		out, err := s.userAnswer(ctx, u)
		return out, userNote("password_reset", u), err
	})
}

// removeUser removes a user; the store refuses the last admin. An admin
// cannot remove themselves, which would end the very session doing it.
func (s *Server) removeUser(c echo.Context) error {
	return adminRemove(s, c, func(ctx context.Context, id int64) (auditNote, error) {
		if id == currentUser(c).ID {
			return auditNote{}, orchestrator.Errorf(orchestrator.CodeConflict, "you cannot remove your own account; ask another admin")
		}
		u, err := s.acc.User(ctx, id)
		if err != nil {
			return auditNote{}, err
		}
		return userNote("delete", u), s.acc.RemoveUser(ctx, id)
	})
}
