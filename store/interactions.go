package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ringside/ringside/orchestrator"
)

// Interactions and their timelines: written by the orchestrator as calls
// progress, read back after a restart (P5) and for reports.

var validInteractionStates = map[orchestrator.InteractionState]bool{
	orchestrator.InteractionQueued: true, orchestrator.InteractionConnecting: true,
	orchestrator.InteractionRinging: true, orchestrator.InteractionConnected: true,
	orchestrator.InteractionWrapup: true, orchestrator.InteractionDone: true,
}

// SaveInteraction inserts the interaction or, when its ID exists, replaces
// every field of it (variables included).
func (db *DB) SaveInteraction(ctx context.Context, r orchestrator.InteractionRecord) error {
	var p problems
	if r.ID == "" || len(r.ID) > 128 {
		p.add("id", "must be 1 to 128 characters")
	}
	if !validInteractionStates[r.State] {
		p.add("state", "%q is not an interaction state", r.State)
	}
	if r.ArrivedAt.IsZero() {
		p.add("arrived_at", "missing")
	}
	if len(r.CustomerLeg) > 128 {
		p.add("customer_leg", "longer than 128 characters")
	}
	if len(r.AgentLeg) > 128 {
		p.add("agent_leg", "longer than 128 characters")
	}
	if err := p.err(); err != nil {
		return err
	}
	vars := r.Variables
	if vars == nil {
		vars = map[string]string{}
	}
	js, err := json.Marshal(vars)
	if err != nil {
		return fmt.Errorf("store: interaction %s variables: %w", r.ID, err)
	}
	_, err = db.w.ExecContext(ctx, `INSERT INTO interactions
		(id, queue, caller, agent_id, state, arrived_at, answered_at, ended_at, wrapped_at, wrapup_code, variables,
		 customer_leg, agent_leg)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET
			queue = excluded.queue, caller = excluded.caller, agent_id = excluded.agent_id,
			state = excluded.state, arrived_at = excluded.arrived_at, answered_at = excluded.answered_at,
			ended_at = excluded.ended_at, wrapped_at = excluded.wrapped_at,
			wrapup_code = excluded.wrapup_code, variables = excluded.variables,
			customer_leg = excluded.customer_leg, agent_leg = excluded.agent_leg`,
		r.ID, r.Queue, r.Caller, nullID(r.AgentID), string(r.State), formatTime(r.ArrivedAt),
		nullTime(r.AnsweredAt), nullTime(r.EndedAt), nullTime(r.WrappedAt), r.WrapupCode, string(js),
		string(r.CustomerLeg), string(r.AgentLeg))
	if err != nil {
		return fmt.Errorf("store: save interaction %s: %w", r.ID, err)
	}
	return nil
}

const interactionCols = `id, queue, caller, coalesce(agent_id, 0), state, arrived_at, answered_at, ended_at,
	wrapped_at, wrapup_code, variables, customer_leg, agent_leg`

func scanInteraction(s scanner) (orchestrator.InteractionRecord, error) {
	var r orchestrator.InteractionRecord
	var arrived, answered, ended, wrapped sql.NullString
	var vars string
	err := s.Scan(&r.ID, &r.Queue, &r.Caller, &r.AgentID, &r.State, &arrived, &answered, &ended, &wrapped,
		&r.WrapupCode, &vars, &r.CustomerLeg, &r.AgentLeg)
	if err != nil {
		return r, err
	}
	var errs [5]error
	r.ArrivedAt, errs[0] = parseTime(arrived)
	r.AnsweredAt, errs[1] = parseTime(answered)
	r.EndedAt, errs[2] = parseTime(ended)
	r.WrappedAt, errs[3] = parseTime(wrapped)
	r.Variables = map[string]string{}
	errs[4] = json.Unmarshal([]byte(vars), &r.Variables)
	return r, errors.Join(errs[:]...)
}

// Interaction returns the interaction with id.
func (db *DB) Interaction(ctx context.Context, id string) (orchestrator.InteractionRecord, error) {
	r, err := scanInteraction(db.r.QueryRowContext(ctx, `SELECT `+interactionCols+` FROM interactions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("interaction %q not found", id)
	}
	return r, err
}

// OpenInteractions lists interactions not yet done, oldest arrival first:
// after a restart (P5) these are the calls to find again on the PBX.
func (db *DB) OpenInteractions(ctx context.Context) ([]orchestrator.InteractionRecord, error) {
	out := []orchestrator.InteractionRecord{}
	err := eachRow(ctx, db.r, `SELECT `+interactionCols+` FROM interactions WHERE state <> 'done'
		ORDER BY arrived_at, id`, func(s scanner) error {
		r, err := scanInteraction(s)
		out = append(out, r)
		return err
	})
	return out, err
}

// AppendInteractionEvent adds a step to an interaction's timeline. The
// interaction must have been saved first.
func (db *DB) AppendInteractionEvent(ctx context.Context, e orchestrator.InteractionEvent) error {
	var p problems
	if e.InteractionID == "" {
		p.add("interaction_id", "missing")
	}
	if e.Kind == "" || len(e.Kind) > 64 {
		p.add("kind", "must be 1 to 64 characters")
	}
	if e.At.IsZero() {
		p.add("at", "missing")
	}
	if err := p.err(); err != nil {
		return err
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO interaction_events (interaction_id, at, kind, user_id, detail)
		VALUES (?, ?, ?, ?, ?)`, e.InteractionID, formatTime(e.At), e.Kind, nullID(e.UserID), e.Detail)
	if isForeignKey(err) {
		return notFound("interaction %q not found", e.InteractionID)
	} else if err != nil {
		return fmt.Errorf("store: interaction %s event: %w", e.InteractionID, err)
	}
	return nil
}

// InteractionEvents returns the interaction's timeline, oldest first.
func (db *DB) InteractionEvents(ctx context.Context, id string) ([]orchestrator.InteractionEvent, error) {
	var one int
	err := db.r.QueryRowContext(ctx, `SELECT 1 FROM interactions WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("interaction %q not found", id)
	} else if err != nil {
		return nil, err
	}
	out := []orchestrator.InteractionEvent{}
	err = eachRow(ctx, db.r, `SELECT interaction_id, at, kind, coalesce(user_id, 0), detail FROM interaction_events
		WHERE interaction_id = ? ORDER BY at, id`, func(s scanner) error {
		var e orchestrator.InteractionEvent
		var at sql.NullString
		if err := s.Scan(&e.InteractionID, &at, &e.Kind, &e.UserID, &e.Detail); err != nil {
			return err
		}
		var err error
		e.At, err = parseTime(at)
		out = append(out, e)
		return err
	}, id)
	return out, err
}
