package webui

import (
	"context"
	"slices"
	"strings"

	"github.com/ringside/ringside/orchestrator"
)

// The admin pages' side of the fake accounts (api.AdminAccounts). The
// admin view is tested on the real stack (app/admin_browser_test.go); the
// fake only lists the fixed users and refuses to change them.

func (a *accounts) Users(ctx context.Context) ([]orchestrator.User, error) {
	out := []orchestrator.User{}
	for _, u := range users {
		out = append(out, u)
	}
	slices.SortFunc(out, func(x, y orchestrator.User) int { return strings.Compare(x.Login, y.Login) })
	return out, nil
}

func (a *accounts) SetRemoteAccess(ctx context.Context, actorID, userID int64, ra orchestrator.RemoteAccess) (orchestrator.RemoteAccess, error) {
	return orchestrator.RemoteAccess{}, readOnly
}

// readOnly is every admin change's answer: the fake's provisioning is fixed.
var readOnly = orchestrator.Errorf(orchestrator.CodeConflict, "the fake accounts are read-only")

func (a *accounts) Audit(ctx context.Context, e orchestrator.AuditEntry) error { return nil }

func (a *accounts) VariableDefs(ctx context.Context) ([]orchestrator.VariableDef, error) {
	return []orchestrator.VariableDef{}, nil
}
func (a *accounts) AddUser(ctx context.Context, v orchestrator.User, password string) (orchestrator.User, error) {
	return orchestrator.User{}, readOnly
}
func (a *accounts) UpdateUser(ctx context.Context, v orchestrator.User, password string) (orchestrator.User, error) {
	return orchestrator.User{}, readOnly
}
func (a *accounts) RemoveUser(ctx context.Context, id int64) error { return readOnly }
func (a *accounts) AddTeam(ctx context.Context, v orchestrator.Team) (orchestrator.Team, error) {
	return orchestrator.Team{}, readOnly
}
func (a *accounts) UpdateTeam(ctx context.Context, v orchestrator.Team) (orchestrator.Team, error) {
	return orchestrator.Team{}, readOnly
}
func (a *accounts) RemoveTeam(ctx context.Context, id int64) error { return readOnly }
func (a *accounts) AddQueue(ctx context.Context, v orchestrator.Queue) (orchestrator.Queue, error) {
	return orchestrator.Queue{}, readOnly
}
func (a *accounts) UpdateQueue(ctx context.Context, v orchestrator.Queue) (orchestrator.Queue, error) {
	return orchestrator.Queue{}, readOnly
}
func (a *accounts) RemoveQueue(ctx context.Context, id int64) error { return readOnly }
func (a *accounts) AddExtension(ctx context.Context, v orchestrator.Extension) (orchestrator.Extension, error) {
	return orchestrator.Extension{}, readOnly
}
func (a *accounts) UpdateExtension(ctx context.Context, v orchestrator.Extension) (orchestrator.Extension, error) {
	return orchestrator.Extension{}, readOnly
}
func (a *accounts) RemoveExtension(ctx context.Context, id int64) error { return readOnly }
func (a *accounts) AddIdleCode(ctx context.Context, v orchestrator.IdleCode) (orchestrator.IdleCode, error) {
	return orchestrator.IdleCode{}, readOnly
}
func (a *accounts) UpdateIdleCode(ctx context.Context, v orchestrator.IdleCode) (orchestrator.IdleCode, error) {
	return orchestrator.IdleCode{}, readOnly
}
func (a *accounts) RemoveIdleCode(ctx context.Context, id int64) error { return readOnly }
func (a *accounts) AddWrapupCode(ctx context.Context, v orchestrator.WrapupCode) (orchestrator.WrapupCode, error) {
	return orchestrator.WrapupCode{}, readOnly
}
func (a *accounts) UpdateWrapupCode(ctx context.Context, v orchestrator.WrapupCode) (orchestrator.WrapupCode, error) {
	return orchestrator.WrapupCode{}, readOnly
}
func (a *accounts) RemoveWrapupCode(ctx context.Context, id int64) error { return readOnly }
func (a *accounts) AddVariableDef(ctx context.Context, v orchestrator.VariableDef) (orchestrator.VariableDef, error) {
	return orchestrator.VariableDef{}, readOnly
}
func (a *accounts) UpdateVariableDef(ctx context.Context, v orchestrator.VariableDef) (orchestrator.VariableDef, error) {
	return orchestrator.VariableDef{}, readOnly
}
func (a *accounts) RemoveVariableDef(ctx context.Context, id int64) error { return readOnly }
