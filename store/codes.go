package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ringside/ringside/orchestrator"
)

// Idle codes (A13) and wrap-up codes (A12): a short code that reports and the
// API carry, and a label the desktop shows.

const (
	maxCodeLen  = 32
	maxLabelLen = 64
)

// ValidateIdleCode checks an idle code before it is stored.
func ValidateIdleCode(c orchestrator.IdleCode) error {
	var p problems
	p.ident("code", c.Code, maxCodeLen)
	p.text("label", c.Label, maxLabelLen)
	return p.err()
}

// ValidateWrapupCode checks a wrap-up code before it is stored.
func ValidateWrapupCode(c orchestrator.WrapupCode) error {
	var p problems
	p.ident("code", c.Code, maxCodeLen)
	p.text("label", c.Label, maxLabelLen)
	return p.err()
}

// AddIdleCode stores a new idle code and returns it with its id.
func (db *DB) AddIdleCode(ctx context.Context, c orchestrator.IdleCode) (orchestrator.IdleCode, error) {
	if err := ValidateIdleCode(c); err != nil {
		return orchestrator.IdleCode{}, err
	}
	res, err := db.w.ExecContext(ctx, `INSERT INTO idle_codes (code, label) VALUES (?, ?)`, c.Code, c.Label)
	if err != nil {
		return orchestrator.IdleCode{}, codeWriteError(err, "idle_codes", "idle code", c.Code)
	}
	c.ID, err = res.LastInsertId()
	return c, err
}

// UpdateIdleCode replaces the code and label of the idle code c.ID.
func (db *DB) UpdateIdleCode(ctx context.Context, c orchestrator.IdleCode) (orchestrator.IdleCode, error) {
	if err := ValidateIdleCode(c); err != nil {
		return orchestrator.IdleCode{}, err
	}
	res, err := db.w.ExecContext(ctx, `UPDATE idle_codes SET code = ?, label = ? WHERE id = ?`, c.Code, c.Label, c.ID)
	if err != nil {
		return orchestrator.IdleCode{}, codeWriteError(err, "idle_codes", "idle code", c.Code)
	}
	return c, mustAffect(res, "idle code %d not found", c.ID)
}

// RemoveIdleCode removes an idle code. State history keeps the code text.
func (db *DB) RemoveIdleCode(ctx context.Context, id int64) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM idle_codes WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: remove idle code %d: %w", id, err)
	}
	return mustAffect(res, "idle code %d not found", id)
}

// IdleCode returns the idle code with id.
func (db *DB) IdleCode(ctx context.Context, id int64) (orchestrator.IdleCode, error) {
	var c orchestrator.IdleCode
	err := db.r.QueryRowContext(ctx, `SELECT id, code, label FROM idle_codes WHERE id = ?`, id).Scan(&c.ID, &c.Code, &c.Label)
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("idle code %d not found", id)
	}
	return c, err
}

// IdleCodeByCode finds an idle code by its code, ignoring case.
func (db *DB) IdleCodeByCode(ctx context.Context, code string) (orchestrator.IdleCode, error) {
	var c orchestrator.IdleCode
	err := db.r.QueryRowContext(ctx, `SELECT id, code, label FROM idle_codes WHERE code = ?`, code).Scan(&c.ID, &c.Code, &c.Label)
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("idle code %q not found", code)
	}
	return c, err
}

// IdleCodes lists every idle code by code.
func (db *DB) IdleCodes(ctx context.Context) ([]orchestrator.IdleCode, error) {
	codes := []orchestrator.IdleCode{}
	err := eachRow(ctx, db.r, `SELECT id, code, label FROM idle_codes ORDER BY code, id`, func(s scanner) error {
		var c orchestrator.IdleCode
		err := s.Scan(&c.ID, &c.Code, &c.Label)
		codes = append(codes, c)
		return err
	})
	return codes, err
}

// AddWrapupCode stores a new wrap-up code and returns it with its id. At
// most one code is the automatic one.
func (db *DB) AddWrapupCode(ctx context.Context, c orchestrator.WrapupCode) (orchestrator.WrapupCode, error) {
	if err := ValidateWrapupCode(c); err != nil {
		return orchestrator.WrapupCode{}, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO wrapup_codes (code, label, auto) VALUES (?, ?, ?)`,
			c.Code, c.Label, boolInt(c.Auto))
		if err != nil {
			return wrapupWriteError(ctx, tx, err, c)
		}
		c.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return orchestrator.WrapupCode{}, err
	}
	return c, nil
}

// UpdateWrapupCode replaces the fields of the wrap-up code c.ID.
func (db *DB) UpdateWrapupCode(ctx context.Context, c orchestrator.WrapupCode) (orchestrator.WrapupCode, error) {
	if err := ValidateWrapupCode(c); err != nil {
		return orchestrator.WrapupCode{}, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE wrapup_codes SET code = ?, label = ?, auto = ? WHERE id = ?`,
			c.Code, c.Label, boolInt(c.Auto), c.ID)
		if err != nil {
			return wrapupWriteError(ctx, tx, err, c)
		}
		return mustAffect(res, "wrap-up code %d not found", c.ID)
	})
	if err != nil {
		return orchestrator.WrapupCode{}, err
	}
	return c, nil
}

// RemoveWrapupCode removes a wrap-up code. Interactions keep the code text.
func (db *DB) RemoveWrapupCode(ctx context.Context, id int64) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM wrapup_codes WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: remove wrap-up code %d: %w", id, err)
	}
	return mustAffect(res, "wrap-up code %d not found", id)
}

// WrapupCode returns the wrap-up code with id.
func (db *DB) WrapupCode(ctx context.Context, id int64) (orchestrator.WrapupCode, error) {
	var c orchestrator.WrapupCode
	err := db.r.QueryRowContext(ctx, `SELECT id, code, label, auto FROM wrapup_codes WHERE id = ?`, id).
		Scan(&c.ID, &c.Code, &c.Label, &c.Auto)
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("wrap-up code %d not found", id)
	}
	return c, err
}

// WrapupCodeByCode finds a wrap-up code by its code, ignoring case.
func (db *DB) WrapupCodeByCode(ctx context.Context, code string) (orchestrator.WrapupCode, error) {
	var c orchestrator.WrapupCode
	err := db.r.QueryRowContext(ctx, `SELECT id, code, label, auto FROM wrapup_codes WHERE code = ?`, code).
		Scan(&c.ID, &c.Code, &c.Label, &c.Auto)
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("wrap-up code %q not found", code)
	}
	return c, err
}

// WrapupCodes lists every wrap-up code by code.
func (db *DB) WrapupCodes(ctx context.Context) ([]orchestrator.WrapupCode, error) {
	codes := []orchestrator.WrapupCode{}
	err := eachRow(ctx, db.r, `SELECT id, code, label, auto FROM wrapup_codes ORDER BY code, id`, func(s scanner) error {
		var c orchestrator.WrapupCode
		err := s.Scan(&c.ID, &c.Code, &c.Label, &c.Auto)
		codes = append(codes, c)
		return err
	})
	return codes, err
}

func codeWriteError(err error, table, what, code string) error {
	if isUnique(err, table+".code") {
		return conflict("%s %q already exists", what, code)
	}
	return fmt.Errorf("store: %s %q: %w", what, code, err)
}

func wrapupWriteError(ctx context.Context, tx *sql.Tx, err error, c orchestrator.WrapupCode) error {
	if isUnique(err, "wrapup_codes.auto") {
		var other string
		_ = tx.QueryRowContext(ctx, `SELECT code FROM wrapup_codes WHERE auto = 1`).Scan(&other)
		return conflict("wrap-up code %q is already the automatic one; only one code can be", other)
	}
	return codeWriteError(err, "wrapup_codes", "wrap-up code", c.Code)
}
