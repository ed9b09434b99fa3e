package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// Agent sessions and state history (A13): written by the orchestrator,
// read for reports and the desktop.

var validSessionRoles = map[string]bool{"agent": true, "supervisor": true, "supervisor_agent": true}

var validAgentStates = map[orchestrator.AgentState]bool{
	orchestrator.StateLoggedOut: true, orchestrator.StateAvailable: true, orchestrator.StateIdle: true,
	orchestrator.StateRinging: true, orchestrator.StateEngaged: true, orchestrator.StateWrapup: true,
	orchestrator.StateRONA: true, orchestrator.StateVirtual: true,
}

// StartAgentSession stores a sign-in and returns its id.
func (db *DB) StartAgentSession(ctx context.Context, s orchestrator.AgentSessionRecord) (int64, error) {
	var p problems
	if s.UserID <= 0 {
		p.add("user_id", "missing")
	}
	if !validSessionRoles[s.Role] {
		p.add("role", "%q must be agent, supervisor or supervisor_agent", s.Role)
	}
	if !validStationType(s.StationType) {
		p.add("station_type", "%q must be extension, dial_number or browser", s.StationType)
	}
	if len(s.StationNumber) > 32 {
		p.add("station_number", "longer than 32 characters")
	}
	if s.StartedAt.IsZero() {
		p.add("started_at", "missing")
	}
	if !s.EndedAt.IsZero() && s.EndedAt.Before(s.StartedAt) {
		p.add("ended_at", "before started_at")
	}
	if err := p.err(); err != nil {
		return 0, err
	}
	res, err := db.w.ExecContext(ctx, `INSERT INTO agent_sessions
		(user_id, role, station_type, station_number, team_id, started_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		s.UserID, s.Role, string(s.StationType), s.StationNumber, nullID(s.TeamID), formatTime(s.StartedAt), nullTime(s.EndedAt))
	if err != nil {
		return 0, fmt.Errorf("store: start agent session: %w", err)
	}
	return res.LastInsertId()
}

// EndAgentSession stamps the end of a sign-in.
func (db *DB) EndAgentSession(ctx context.Context, id int64, at time.Time) error {
	if at.IsZero() {
		return orchestrator.Errorf(orchestrator.CodeInvalid, "ended_at: missing")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		s, err := agentSession(ctx, tx, id)
		if err != nil {
			return err
		}
		if at.Before(s.StartedAt) {
			return orchestrator.Errorf(orchestrator.CodeInvalid, "ended_at: %s is before the session started (%s)",
				formatTime(at), formatTime(s.StartedAt))
		}
		_, err = tx.ExecContext(ctx, `UPDATE agent_sessions SET ended_at = ? WHERE id = ?`, formatTime(at), id)
		return err
	})
}

// AgentSession returns the sign-in with id.
func (db *DB) AgentSession(ctx context.Context, id int64) (orchestrator.AgentSessionRecord, error) {
	return agentSession(ctx, db.r, id)
}

// OpenAgentSessions lists the sign-ins that have not ended, oldest first:
// after a restart (P5) these are the agents who were signed in.
func (db *DB) OpenAgentSessions(ctx context.Context) ([]orchestrator.AgentSessionRecord, error) {
	out := []orchestrator.AgentSessionRecord{}
	err := eachRow(ctx, db.r, `SELECT `+agentSessionCols+` FROM agent_sessions WHERE ended_at IS NULL
		ORDER BY started_at, id`, func(s scanner) error {
		r, err := scanAgentSession(s)
		out = append(out, r)
		return err
	})
	return out, err
}

const agentSessionCols = `id, user_id, role, station_type, station_number, coalesce(team_id, 0), started_at, ended_at`

func scanAgentSession(s scanner) (orchestrator.AgentSessionRecord, error) {
	var r orchestrator.AgentSessionRecord
	var started, ended sql.NullString
	if err := s.Scan(&r.ID, &r.UserID, &r.Role, &r.StationType, &r.StationNumber, &r.TeamID, &started, &ended); err != nil {
		return r, err
	}
	var err1, err2 error
	r.StartedAt, err1 = parseTime(started)
	r.EndedAt, err2 = parseTime(ended)
	return r, errors.Join(err1, err2)
}

func agentSession(ctx context.Context, q querier, id int64) (orchestrator.AgentSessionRecord, error) {
	r, err := scanAgentSession(q.QueryRowContext(ctx, `SELECT `+agentSessionCols+` FROM agent_sessions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("agent session %d not found", id)
	}
	return r, err
}

// RecordState appends a state change to the agent's history.
func (db *DB) RecordState(ctx context.Context, c orchestrator.StateChange) error {
	var p problems
	if c.UserID <= 0 {
		p.add("user_id", "missing")
	}
	if !validAgentStates[c.State] {
		p.add("state", "%q is not an agent state", c.State)
	}
	if len(c.Reason) > 256 {
		p.add("reason", "longer than 256 characters")
	}
	if c.At.IsZero() {
		p.add("at", "missing")
	}
	if err := p.err(); err != nil {
		return err
	}
	_, err := db.w.ExecContext(ctx, `INSERT INTO agent_state_history (user_id, session_id, state, reason, at)
		VALUES (?, ?, ?, ?, ?)`, c.UserID, nullID(c.SessionID), string(c.State), c.Reason, formatTime(c.At))
	if err != nil {
		if isForeignKey(err) {
			return notFound("agent session %d not found", c.SessionID)
		}
		return fmt.Errorf("store: record state: %w", err)
	}
	return nil
}

// StateHistory returns the user's state changes, oldest first.
func (db *DB) StateHistory(ctx context.Context, userID int64) ([]orchestrator.StateChange, error) {
	out := []orchestrator.StateChange{}
	err := eachRow(ctx, db.r, `SELECT user_id, coalesce(session_id, 0), state, reason, at FROM agent_state_history
		WHERE user_id = ? ORDER BY at, id`, func(s scanner) error {
		var c orchestrator.StateChange
		var at sql.NullString
		if err := s.Scan(&c.UserID, &c.SessionID, &c.State, &c.Reason, &at); err != nil {
			return err
		}
		var err error
		c.At, err = parseTime(at)
		out = append(out, c)
		return err
	}, userID)
	return out, err
}
