package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ringside/ringside/orchestrator"
)

// The admin pages' write path (P6), shared by every entity: read the body
// strictly, let the store check and save it (its validation names the
// field: 422; duplicates and refusals: 409; unknown ids: 404), write the
// change to the audit trail with the admin as actor, answer with what was
// stored. Handlers only translate between the wire and the store's types.

// auditNote says what an admin change did, for the audit trail.
type auditNote struct {
	action string // "admin.queue.update"
	target int64  // the user concerned, for user changes; 0 otherwise
	detail string
}

// audit records an admin change. The change is already stored, so a failed
// audit write cannot undo it; it is logged loudly rather than reported as
// a failure of the change the admin will see saved.
func (s *Server) audit(c echo.Context, n auditNote) {
	e := orchestrator.AuditEntry{At: time.Now(), ActorID: currentUser(c).ID, Action: n.action, TargetUserID: n.target, Detail: n.detail}
	// The request's context may be cancelled once the answer is written;
	// the audit entry must not be lost with it.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), 5*time.Second)
	defer cancel()
	if err := s.acc.Audit(ctx, e); err != nil {
		s.log.Error("admin change stored but not audited", "action", n.action, "actor", e.ActorID, "detail", n.detail, "err", err)
	}
}

// adminSave runs one admin write: decode W, save (id is the :id path
// parameter, 0 on routes without one), audit, answer status with the result
// under key.
func adminSave[W any](s *Server, c echo.Context, status int, key string,
	save func(ctx context.Context, id int64, w W) (any, auditNote, error)) error {
	var id int64
	if c.Param("id") != "" {
		var err error
		if id, err = idParam(c, "id", "an id"); err != nil {
			return err
		}
	}
	put := c.Request().Method == http.MethodPut
	var present map[string]json.RawMessage
	if put {
		var err error
		if present, err = peekFields(c.Request(), c.Response()); err != nil {
			return err
		}
	}
	var w W
	if err := decode(c, &w); err != nil {
		return err // unknown fields and wrong types first
	}
	if put {
		if err := requireFieldsOnPut[W](present); err != nil {
			return err
		}
	}
	out, note, err := save(c.Request().Context(), id, w)
	if err != nil {
		return err
	}
	s.audit(c, note)
	return c.JSON(status, map[string]any{key: out})
}

// adminRemove runs one admin delete: remove the :id, audit, answer 204.
func adminRemove(s *Server, c echo.Context, remove func(ctx context.Context, id int64) (auditNote, error)) error {
	id, err := idParam(c, "id", "an id")
	if err != nil {
		return err
	}
	note, err := remove(c.Request().Context(), id)
	if err != nil {
		return err
	}
	s.audit(c, note)
	return c.NoContent(http.StatusNoContent)
}

// adminResource describes an entity whose admin routes are plain CRUD:
// GET /admin/{plural} → {listKey: [W]}, POST → 201 {kind: W},
// PUT /{id} → 200 {kind: W} (every field replaced), DELETE /{id} → 204.
type adminResource[T, W any] struct {
	kind     string // the answer's JSON key and the audit action's middle: "idle_code"
	what     string // as messages name it: "idle code"
	plural   string // the path: "idle-codes"
	listKey  string // the list's JSON key: "idle_codes"
	list     func(context.Context) ([]T, error)
	add      func(context.Context, T) (T, error)
	update   func(context.Context, T) (T, error)
	remove   func(context.Context, int64) error
	id       func(T) int64
	label    func(T) string // names it in the audit trail
	toWire   func(T) W
	fromWire func(id int64, w W) T // id: the path's, 0 on create
	// check, when set, refuses a change the store would allow but the
	// admin pages must not make (old is nil on create, new on delete).
	check func(ctx context.Context, old *T, new *T) error
}

// adminCRUD adds r's four routes.
func adminCRUD[T, W any](s *Server, e *echo.Echo, base string, mw []echo.MiddlewareFunc, r adminResource[T, W]) {
	path := base + "/" + r.plural
	e.GET(path, func(c echo.Context) error {
		items, err := r.list(c.Request().Context())
		if err != nil {
			return err
		}
		out := make([]W, 0, len(items))
		for _, it := range items {
			out = append(out, r.toWire(it))
		}
		return c.JSON(http.StatusOK, map[string]any{r.listKey: out})
	}, mw...)
	e.POST(path, func(c echo.Context) error {
		return adminSave(s, c, http.StatusCreated, r.kind, func(ctx context.Context, _ int64, w W) (any, auditNote, error) {
			v := r.fromWire(0, w)
			if r.check != nil {
				if err := r.check(ctx, nil, &v); err != nil {
					return nil, auditNote{}, err
				}
			}
			v, err := r.add(ctx, v)
			return r.toWire(v), r.note("create", v), err
		})
	}, mw...)
	e.PUT(path+"/:id", func(c echo.Context) error {
		return adminSave(s, c, http.StatusOK, r.kind, func(ctx context.Context, id int64, w W) (any, auditNote, error) {
			old, err := r.find(ctx, id)
			if err != nil {
				return nil, auditNote{}, err
			}
			v := r.fromWire(id, w)
			if r.check != nil {
				if err := r.check(ctx, &old, &v); err != nil {
					return nil, auditNote{}, err
				}
			}
			v, err = r.update(ctx, v)
			return r.toWire(v), r.note("update", v), err
		})
	}, mw...)
	e.DELETE(path+"/:id", func(c echo.Context) error {
		return adminRemove(s, c, func(ctx context.Context, id int64) (auditNote, error) {
			old, err := r.find(ctx, id) // for a 404 that names the kind, and the audit's label
			if err != nil {
				return auditNote{}, err
			}
			if r.check != nil {
				if err := r.check(ctx, &old, nil); err != nil {
					return auditNote{}, err
				}
			}
			return r.note("delete", old), r.remove(ctx, id)
		})
	}, mw...)
}

// find looks id up in the list: admin lists are short, and one lookup
// path for every kind beats a by-id method per kind in the interface.
func (r adminResource[T, W]) find(ctx context.Context, id int64) (T, error) {
	items, err := r.list(ctx)
	if err != nil {
		var zero T
		return zero, err
	}
	for _, it := range items {
		if r.id(it) == id {
			return it, nil
		}
	}
	var zero T
	return zero, orchestrator.Errorf(orchestrator.CodeNotFound, "%s %d not found", r.what, id)
}

func (r adminResource[T, W]) note(verb string, v T) auditNote {
	return auditNote{action: "admin." + r.kind + "." + verb, detail: fmt.Sprintf("%s (id %d)", r.label(v), r.id(v))}
}
