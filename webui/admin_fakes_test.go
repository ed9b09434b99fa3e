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
	return orchestrator.RemoteAccess{}, orchestrator.Errorf(orchestrator.CodeConflict, "the fake accounts are read-only")
}
