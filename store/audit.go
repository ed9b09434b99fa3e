package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/ringside/ringside/orchestrator"
)

// Audit appends an entry to the audit trail (M7, A10.5, G1). Entries are
// never updated or removed through the store.
func (db *DB) Audit(ctx context.Context, e orchestrator.AuditEntry) error {
	var p problems
	if e.Action == "" || len(e.Action) > 64 {
		p.add("action", "must be 1 to 64 characters")
	}
	if e.At.IsZero() {
		p.add("at", "missing")
	}
	if err := p.err(); err != nil {
		return err
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, action, target_user_id, interaction_id, detail)
		VALUES (?, ?, ?, ?, ?, ?)`, formatTime(e.At), nullID(e.ActorID), e.Action, nullID(e.TargetUserID),
		e.InteractionID, e.Detail)
	if err != nil {
		return fmt.Errorf("store: audit %s: %w", e.Action, err)
	}
	return nil
}

// AuditLog returns the newest entries first, at most limit of them (all
// when limit <= 0).
func (db *DB) AuditLog(ctx context.Context, limit int) ([]orchestrator.AuditEntry, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	out := []orchestrator.AuditEntry{}
	err := eachRow(ctx, db.r, `SELECT at, coalesce(actor_id, 0), action, coalesce(target_user_id, 0), interaction_id, detail
		FROM audit_log ORDER BY at DESC, id DESC LIMIT ?`, func(s scanner) error {
		var e orchestrator.AuditEntry
		var at sql.NullString
		if err := s.Scan(&at, &e.ActorID, &e.Action, &e.TargetUserID, &e.InteractionID, &e.Detail); err != nil {
			return err
		}
		var err error
		e.At, err = parseTime(at)
		out = append(out, e)
		return err
	}, limit)
	return out, err
}
