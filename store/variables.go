package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"

	"github.com/ringside/ringside/orchestrator"
)

// MaxPopoverVariables is how many variables the contact-request popover
// shows at most (A1).
const MaxPopoverVariables = 6

// MaxVariableOrder bounds VariableDef.Order.
const MaxVariableOrder = 10000

// varNameRE matches what a PBX channel variable can carry after the
// RINGSIDE_VAR_ prefix (Asterisk and FreeSWITCH alike).
var varNameRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// ValidateVariableDef checks a variable definition's own fields. The
// popover limit depends on the other definitions and is checked when the
// definition is written.
func ValidateVariableDef(v orchestrator.VariableDef) error {
	v = withDefaultType(v)
	var p problems
	if !varNameRE.MatchString(v.Name) {
		if v.Name == "" {
			p.add("name", "missing")
		} else {
			p.add("name", "%q must start with a letter and contain only letters, digits and '_' (at most 64)", v.Name)
		}
	}
	p.text("label", v.Label, maxLabelLen)
	if v.Order < 0 || v.Order > MaxVariableOrder {
		p.add("order", "%d is outside 0..%d", v.Order, MaxVariableOrder)
	}
	switch v.Type {
	case orchestrator.VariableText, orchestrator.VariableDateTime:
	default:
		p.add("type", "%q must be text or datetime", v.Type)
	}
	if v.Secure && v.Popover {
		p.add("popover", "a secure variable is never shown in the popover (A11.3)")
	}
	return p.err()
}

// withDefaultType makes an unset type text, the default of every variable.
func withDefaultType(v orchestrator.VariableDef) orchestrator.VariableDef {
	if v.Type == "" {
		v.Type = orchestrator.VariableText
	}
	return v
}

// AddVariableDef stores a new variable definition and returns it with its id.
func (db *DB) AddVariableDef(ctx context.Context, v orchestrator.VariableDef) (orchestrator.VariableDef, error) {
	v = withDefaultType(v)
	if err := ValidateVariableDef(v); err != nil {
		return orchestrator.VariableDef{}, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPopoverLimit(ctx, tx, v); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO variable_defs (name, label, ord, editable, secure, popover, type)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, v.Name, v.Label, v.Order, boolInt(v.Editable), boolInt(v.Secure), boolInt(v.Popover), string(v.Type))
		if err != nil {
			return variableWriteError(err, v)
		}
		v.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return orchestrator.VariableDef{}, err
	}
	return v, nil
}

// UpdateVariableDef replaces every field of the definition v.ID.
func (db *DB) UpdateVariableDef(ctx context.Context, v orchestrator.VariableDef) (orchestrator.VariableDef, error) {
	v = withDefaultType(v)
	if err := ValidateVariableDef(v); err != nil {
		return orchestrator.VariableDef{}, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkPopoverLimit(ctx, tx, v); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE variable_defs SET name = ?, label = ?, ord = ?, editable = ?, secure = ?, popover = ?, type = ?
			WHERE id = ?`, v.Name, v.Label, v.Order, boolInt(v.Editable), boolInt(v.Secure), boolInt(v.Popover), string(v.Type), v.ID)
		if err != nil {
			return variableWriteError(err, v)
		}
		return mustAffect(res, "variable %d not found", v.ID)
	})
	if err != nil {
		return orchestrator.VariableDef{}, err
	}
	return v, nil
}

// RemoveVariableDef removes a variable definition. Stored interactions keep
// their values.
func (db *DB) RemoveVariableDef(ctx context.Context, id int64) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM variable_defs WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: remove variable %d: %w", id, err)
	}
	return mustAffect(res, "variable %d not found", id)
}

const variableCols = `id, name, label, ord, editable, secure, popover, type`

func scanVariableDef(s scanner) (orchestrator.VariableDef, error) {
	var v orchestrator.VariableDef
	err := s.Scan(&v.ID, &v.Name, &v.Label, &v.Order, &v.Editable, &v.Secure, &v.Popover, &v.Type)
	return v, err
}

// VariableDef returns the variable definition with id.
func (db *DB) VariableDef(ctx context.Context, id int64) (orchestrator.VariableDef, error) {
	v, err := scanVariableDef(db.r.QueryRowContext(ctx, `SELECT `+variableCols+` FROM variable_defs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, notFound("variable %d not found", id)
	}
	return v, err
}

// VariableDefByName finds a variable definition by name, ignoring case.
func (db *DB) VariableDefByName(ctx context.Context, name string) (orchestrator.VariableDef, error) {
	v, err := scanVariableDef(db.r.QueryRowContext(ctx, `SELECT `+variableCols+` FROM variable_defs WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return v, notFound("variable %q not found", name)
	}
	return v, err
}

// VariableDefs lists every variable definition in admin order, then by name.
func (db *DB) VariableDefs(ctx context.Context) ([]orchestrator.VariableDef, error) {
	defs := []orchestrator.VariableDef{}
	err := eachRow(ctx, db.r, `SELECT `+variableCols+` FROM variable_defs ORDER BY ord, name, id`, func(s scanner) error {
		v, err := scanVariableDef(s)
		defs = append(defs, v)
		return err
	})
	return defs, err
}

// checkPopoverLimit refuses a seventh popover variable (A1).
func checkPopoverLimit(ctx context.Context, tx *sql.Tx, v orchestrator.VariableDef) error {
	if !v.Popover {
		return nil
	}
	var others int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM variable_defs WHERE popover = 1 AND id <> ?`, v.ID).Scan(&others)
	if err != nil {
		return err
	}
	if others >= MaxPopoverVariables {
		return orchestrator.Errorf(orchestrator.CodeInvalid,
			"popover: already %d popover variables, the most the popover shows; unmark one first", others)
	}
	return nil
}

func variableWriteError(err error, v orchestrator.VariableDef) error {
	if isUnique(err, "variable_defs.name") {
		return conflict("variable %q already exists", v.Name)
	}
	return fmt.Errorf("store: variable %q: %w", v.Name, err)
}
