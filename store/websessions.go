package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// Desktop sign-in sessions (S1, S2) and remembered stations (S5).

// tokenHash is what is stored for a session token. The token is random
// (the api package makes it), so a plain SHA-256 is enough: there is
// nothing to brute-force, and a stolen database yields no usable cookie.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateWebSession stores a session for userID that ends at expires.
func (db *DB) CreateWebSession(ctx context.Context, token string, userID int64, expires time.Time) error {
	if token == "" {
		return orchestrator.Errorf(orchestrator.CodeInvalid, "token: missing")
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := userByID(ctx, tx, userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO web_sessions (token_hash, user_id, created_at, expires_at)
			VALUES (?, ?, ?, ?)`, tokenHash(token), userID, formatTime(time.Now()), formatTime(expires))
		if isUnique(err, "web_sessions.token_hash") {
			return conflict("session token already in use")
		} else if err != nil {
			return fmt.Errorf("store: create web session: %w", err)
		}
		return nil
	})
}

// WebSession returns the user and expiry of the session with token.
// Expired sessions are still returned: the caller compares expires with its
// clock, and DeleteExpiredWebSessions clears them out.
func (db *DB) WebSession(ctx context.Context, token string) (userID int64, expires time.Time, err error) {
	var exp sql.NullString
	err = db.r.QueryRowContext(ctx, `SELECT user_id, expires_at FROM web_sessions WHERE token_hash = ?`,
		tokenHash(token)).Scan(&userID, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, notFound("session not found")
	} else if err != nil {
		return 0, time.Time{}, err
	}
	expires, err = parseTime(exp)
	return userID, expires, err
}

// DeleteWebSession ends the session with token; an unknown token is not an
// error, so signing out twice is harmless.
func (db *DB) DeleteWebSession(ctx context.Context, token string) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM web_sessions WHERE token_hash = ?`, tokenHash(token))
	return err
}

// DeleteUserWebSessions ends every session of a user ("sign out everywhere").
func (db *DB) DeleteUserWebSessions(ctx context.Context, userID int64) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM web_sessions WHERE user_id = ?`, userID)
	return err
}

// DeleteExpiredWebSessions removes sessions that expired before now and
// says how many.
func (db *DB) DeleteExpiredWebSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := db.w.ExecContext(ctx, `DELETE FROM web_sessions WHERE expires_at < ?`, formatTime(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// validStationType reports whether t is a station type the store accepts.
func validStationType(t orchestrator.StationType) bool {
	switch t {
	case orchestrator.StationExtension, orchestrator.StationDialNumber, orchestrator.StationBrowser:
		return true
	}
	return false
}

// RememberStation keeps the user's station choice for their next sign-in,
// replacing any earlier one.
func (db *DB) RememberStation(ctx context.Context, userID int64, st orchestrator.StationRequest) error {
	var p problems
	if !validStationType(st.Type) {
		p.add("station.type", "%q must be extension, dial_number or browser", st.Type)
	}
	if len(st.Number) > 32 {
		p.add("station.number", "longer than 32 characters")
	}
	if err := p.err(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := userByID(ctx, tx, userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO remembered_stations (user_id, type, number) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET type = excluded.type, number = excluded.number`,
			userID, string(st.Type), st.Number)
		return err
	})
}

// ForgetStation drops the user's remembered station, if any.
func (db *DB) ForgetStation(ctx context.Context, userID int64) error {
	_, err := db.w.ExecContext(ctx, `DELETE FROM remembered_stations WHERE user_id = ?`, userID)
	return err
}

// RememberedStation returns the user's remembered station, or nil when
// there is none.
func (db *DB) RememberedStation(ctx context.Context, userID int64) (*orchestrator.StationRequest, error) {
	var st orchestrator.StationRequest
	err := db.r.QueryRowContext(ctx, `SELECT type, number FROM remembered_stations WHERE user_id = ?`, userID).
		Scan(&st.Type, &st.Number)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	return &st, nil
}
