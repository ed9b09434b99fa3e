package api

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// The fake's side of the admin CRUD. Real validation is the store's (tested
// there and over the real stack in app/admin_api_test.go); the fake keeps
// one rule per error class — a missing name (422), a duplicate (409), an
// unknown id (404) — so the handlers' mapping of each can be tested.

// fakeTable is one entity kind in the fake: its slice, how to reach an
// item's id and unique key, and the one field it requires.
type fakeTable[T any] struct {
	a     *fakeAccounts
	items *[]T
	what  string
	id    func(*T) *int64
	key   func(T) string // unique, case-insensitively; "" is "field: missing"
	field string         // the key's field name
	check func(T) error  // more rules, or nil
}

func (t fakeTable[T]) validate(v T) error {
	if t.key(v) == "" {
		return orchestrator.Errorf(orchestrator.CodeInvalid, "%s: missing", t.field)
	}
	if t.check != nil {
		return t.check(v)
	}
	return nil
}

func (t fakeTable[T]) taken(v T) error {
	for _, it := range *t.items {
		if strings.EqualFold(t.key(it), t.key(v)) && *t.id(&it) != *t.id(&v) {
			return orchestrator.Errorf(orchestrator.CodeConflict, "%s %q already exists", t.what, t.key(v))
		}
	}
	return nil
}

func (t fakeTable[T]) add(v T) (T, error) {
	t.a.mu.Lock()
	defer t.a.mu.Unlock()
	if err := t.validate(v); err != nil {
		return v, err
	}
	*t.id(&v) = -1
	if err := t.taken(v); err != nil {
		return v, err
	}
	t.a.nextID++
	*t.id(&v) = t.a.nextID
	*t.items = append(*t.items, v)
	return v, nil
}

func (t fakeTable[T]) update(v T) (T, error) {
	t.a.mu.Lock()
	defer t.a.mu.Unlock()
	if err := t.validate(v); err != nil {
		return v, err
	}
	i := slices.IndexFunc(*t.items, func(it T) bool { return *t.id(&it) == *t.id(&v) })
	if i < 0 {
		return v, notFound(t.what)
	}
	if err := t.taken(v); err != nil {
		return v, err
	}
	(*t.items)[i] = v
	return v, nil
}

func (t fakeTable[T]) remove(id int64) error {
	t.a.mu.Lock()
	defer t.a.mu.Unlock()
	i := slices.IndexFunc(*t.items, func(it T) bool { return *t.id(&it) == id })
	if i < 0 {
		return notFound(t.what)
	}
	*t.items = slices.Delete(*t.items, i, i+1)
	return nil
}

func (a *fakeAccounts) teamTable() fakeTable[orchestrator.Team] {
	return fakeTable[orchestrator.Team]{a: a, items: &a.teams, what: "team", field: "name",
		id: func(t *orchestrator.Team) *int64 { return &t.ID }, key: func(t orchestrator.Team) string { return t.Name }}
}

func (a *fakeAccounts) queueTable() fakeTable[orchestrator.Queue] {
	return fakeTable[orchestrator.Queue]{a: a, items: &a.queues, what: "queue", field: "name",
		id: func(q *orchestrator.Queue) *int64 { return &q.ID }, key: func(q orchestrator.Queue) string { return q.Name },
		check: func(q orchestrator.Queue) error {
			if q.RingTime < time.Second {
				return orchestrator.Errorf(orchestrator.CodeInvalid, "ring_time: must be at least 1s")
			}
			return nil
		}}
}

func (a *fakeAccounts) extensionTable() fakeTable[orchestrator.Extension] {
	return fakeTable[orchestrator.Extension]{a: a, items: &a.exts, what: "extension", field: "number",
		id: func(e *orchestrator.Extension) *int64 { return &e.ID }, key: func(e orchestrator.Extension) string { return e.Number }}
}

func (a *fakeAccounts) idleTable() fakeTable[orchestrator.IdleCode] {
	return fakeTable[orchestrator.IdleCode]{a: a, items: &a.idle, what: "idle code", field: "code",
		id: func(c *orchestrator.IdleCode) *int64 { return &c.ID }, key: func(c orchestrator.IdleCode) string { return c.Code }}
}

func (a *fakeAccounts) wrapupTable() fakeTable[orchestrator.WrapupCode] {
	return fakeTable[orchestrator.WrapupCode]{a: a, items: &a.wrapup, what: "wrap-up code", field: "code",
		id: func(c *orchestrator.WrapupCode) *int64 { return &c.ID }, key: func(c orchestrator.WrapupCode) string { return c.Code }}
}

func (a *fakeAccounts) variableTable() fakeTable[orchestrator.VariableDef] {
	return fakeTable[orchestrator.VariableDef]{a: a, items: &a.vars, what: "variable", field: "name",
		id: func(v *orchestrator.VariableDef) *int64 { return &v.ID }, key: func(v orchestrator.VariableDef) string { return v.Name }}
}

func (a *fakeAccounts) AddTeam(ctx context.Context, t orchestrator.Team) (orchestrator.Team, error) {
	return a.teamTable().add(t)
}
func (a *fakeAccounts) UpdateTeam(ctx context.Context, t orchestrator.Team) (orchestrator.Team, error) {
	return a.teamTable().update(t)
}
func (a *fakeAccounts) RemoveTeam(ctx context.Context, id int64) error {
	a.mu.Lock()
	for _, u := range a.users {
		if u.TeamID == id {
			a.mu.Unlock()
			return orchestrator.Errorf(orchestrator.CodeConflict, "team %d still has members", id)
		}
	}
	a.mu.Unlock()
	return a.teamTable().remove(id)
}
func (a *fakeAccounts) AddQueue(ctx context.Context, q orchestrator.Queue) (orchestrator.Queue, error) {
	return a.queueTable().add(q)
}
func (a *fakeAccounts) UpdateQueue(ctx context.Context, q orchestrator.Queue) (orchestrator.Queue, error) {
	return a.queueTable().update(q)
}
func (a *fakeAccounts) RemoveQueue(ctx context.Context, id int64) error {
	return a.queueTable().remove(id)
}
func (a *fakeAccounts) AddExtension(ctx context.Context, e orchestrator.Extension) (orchestrator.Extension, error) {
	return a.extensionTable().add(e)
}
func (a *fakeAccounts) UpdateExtension(ctx context.Context, e orchestrator.Extension) (orchestrator.Extension, error) {
	return a.extensionTable().update(e)
}
func (a *fakeAccounts) RemoveExtension(ctx context.Context, id int64) error {
	return a.extensionTable().remove(id)
}
func (a *fakeAccounts) AddIdleCode(ctx context.Context, c orchestrator.IdleCode) (orchestrator.IdleCode, error) {
	return a.idleTable().add(c)
}
func (a *fakeAccounts) UpdateIdleCode(ctx context.Context, c orchestrator.IdleCode) (orchestrator.IdleCode, error) {
	return a.idleTable().update(c)
}
func (a *fakeAccounts) RemoveIdleCode(ctx context.Context, id int64) error {
	return a.idleTable().remove(id)
}
func (a *fakeAccounts) AddWrapupCode(ctx context.Context, c orchestrator.WrapupCode) (orchestrator.WrapupCode, error) {
	return a.wrapupTable().add(c)
}
func (a *fakeAccounts) UpdateWrapupCode(ctx context.Context, c orchestrator.WrapupCode) (orchestrator.WrapupCode, error) {
	return a.wrapupTable().update(c)
}
func (a *fakeAccounts) RemoveWrapupCode(ctx context.Context, id int64) error {
	return a.wrapupTable().remove(id)
}
func (a *fakeAccounts) VariableDefs(ctx context.Context) ([]orchestrator.VariableDef, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.vars), nil
}
func (a *fakeAccounts) AddVariableDef(ctx context.Context, v orchestrator.VariableDef) (orchestrator.VariableDef, error) {
	return a.variableTable().add(v)
}
func (a *fakeAccounts) UpdateVariableDef(ctx context.Context, v orchestrator.VariableDef) (orchestrator.VariableDef, error) {
	return a.variableTable().update(v)
}
func (a *fakeAccounts) RemoveVariableDef(ctx context.Context, id int64) error {
	return a.variableTable().remove(id)
}

func (a *fakeAccounts) Audit(ctx context.Context, e orchestrator.AuditEntry) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.audits = append(a.audits, e)
	return nil
}

// auditLog reads the audit entries under the fake's lock.
func (a *fakeAccounts) auditLog() []orchestrator.AuditEntry {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.audits)
}

// Users: the fake stores the password as its hash's stand-in, "pw:"+password.

func (a *fakeAccounts) checkUser(u orchestrator.User, password string, creating bool) error {
	var p []string
	if u.Login == "" {
		p = append(p, "login: missing")
	}
	if len(u.Roles) == 0 {
		p = append(p, "roles: at least one of admin, supervisor, agent")
	}
	if (creating || password != "") && len(password) < 8 {
		p = append(p, "password: shorter than 8 characters")
	}
	if len(p) > 0 {
		return orchestrator.Errorf(orchestrator.CodeInvalid, "%s", strings.Join(p, "; "))
	}
	if u.TeamID != 0 && !slices.ContainsFunc(a.teams, func(t orchestrator.Team) bool { return t.ID == u.TeamID }) {
		return notFound("team")
	}
	for _, x := range a.users {
		if x.Login == u.Login && x.ID != u.ID {
			return orchestrator.Errorf(orchestrator.CodeConflict, "user %q already exists", u.Login)
		}
	}
	return nil
}

func (a *fakeAccounts) AddUser(ctx context.Context, u orchestrator.User, password string) (orchestrator.User, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	u.ID = -1
	if err := a.checkUser(u, password, true); err != nil {
		return orchestrator.User{}, err
	}
	a.nextID++
	u.ID, u.PasswordHash = a.nextID, "pw:"+password
	a.users[u.ID] = u
	return u, nil
}

func (a *fakeAccounts) UpdateUser(ctx context.Context, u orchestrator.User, password string) (orchestrator.User, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	old, ok := a.users[u.ID]
	if !ok {
		return orchestrator.User{}, notFound("user")
	}
	if err := a.checkUser(u, password, false); err != nil {
		return orchestrator.User{}, err
	}
	u.PasswordHash = old.PasswordHash
	if password != "" {
		u.PasswordHash = "pw:" + password
	}
	a.users[u.ID] = u
	return u, nil
}

func (a *fakeAccounts) RemoveUser(ctx context.Context, id int64) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.users[id]; !ok {
		return notFound("user")
	}
	delete(a.users, id)
	return nil
}
