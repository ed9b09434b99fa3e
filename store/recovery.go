package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/ringside/ringside/orchestrator"
)

// LastSessionState returns the latest state change stored for one sign-in:
// after a restart (P5) it is the state the agent comes back in. Ties on
// the time go to the row written last. No row is CodeNotFound.
func (db *DB) LastSessionState(ctx context.Context, userID, sessionID int64) (orchestrator.StateChange, error) {
	var c orchestrator.StateChange
	var at sql.NullString
	// user_id first so agent_state_history_user serves the look-up.
	err := db.r.QueryRowContext(ctx, `SELECT user_id, coalesce(session_id, 0), state, reason, at
		FROM agent_state_history WHERE user_id = ? AND session_id = ?
		ORDER BY at DESC, id DESC LIMIT 1`, userID, sessionID).
		Scan(&c.UserID, &c.SessionID, &c.State, &c.Reason, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("no state stored for agent session %d", sessionID)
	}
	if err != nil {
		return c, err
	}
	c.At, err = parseTime(at)
	return c, err
}
