package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/ringside/ringside/orchestrator"
)

// extNumberRE is what an agent picks and a PBX knows as an extension.
var extNumberRE = regexp.MustCompile(`^[A-Za-z0-9+*#_.-]{1,32}$`)

// ValidateExtension checks an extension's own fields; the owner is checked
// against the database when it is written.
//
// A physical extension needs the dial string the PBX dials (PJSIP/2001 on
// Asterisk, user/2001 on FreeSWITCH) and has no mobile. A virtual one (R3)
// follows its owner to their mobile number, so it needs an owner; its
// mobile is the owner's (filled in when it is written), and its dial string
// is optional because Ringside reaches the mobile through the dial-number
// trunk template.
func ValidateExtension(e orchestrator.Extension) error {
	var p problems
	if !extNumberRE.MatchString(e.Number) {
		if e.Number == "" {
			p.add("number", "missing")
		} else {
			p.add("number", "%q may contain only letters, digits and + * # _ . - (at most 32)", e.Number)
		}
	}
	if e.DialString != "" || e.Kind == orchestrator.ExtensionPhysical {
		switch {
		case e.DialString == "":
			p.add("dial_string", "missing (a physical extension needs what the PBX dials, e.g. PJSIP/%s)", e.Number)
		case len(e.DialString) > 256:
			p.add("dial_string", "longer than 256 characters")
		case strings.IndexFunc(e.DialString, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
			p.add("dial_string", "must not contain spaces or control characters")
		case !strings.Contains(e.DialString, "/"):
			p.add("dial_string", "%q is not a PBX dial string like PJSIP/2001 or user/2001", e.DialString)
		}
	}
	switch e.Kind {
	case orchestrator.ExtensionPhysical:
		if e.Mobile != "" {
			p.add("mobile", "only virtual extensions follow a mobile")
		}
	case orchestrator.ExtensionVirtual:
		if e.OwnerID == 0 {
			p.add("owner", "missing (a virtual extension follows one user)")
		}
		if e.Mobile != "" {
			if _, reason := normalizeMobile(e.Mobile); reason != "" {
				p.add("mobile", "%s", reason)
			}
		}
	case "":
		p.add("kind", "missing (physical or virtual)")
	default:
		p.add("kind", "%q must be physical or virtual", e.Kind)
	}
	if e.OwnerID < 0 {
		p.add("owner", "%d is not an id", e.OwnerID)
	}
	return p.err()
}

// AddExtension stores a new extension and returns it with its id.
func (db *DB) AddExtension(ctx context.Context, e orchestrator.Extension) (orchestrator.Extension, error) {
	if err := ValidateExtension(e); err != nil {
		return orchestrator.Extension{}, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkExtensionRefs(ctx, tx, e); err != nil {
			return err
		}
		if e.Kind == orchestrator.ExtensionVirtual {
			if err := followOwner(ctx, tx, &e, ""); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO extensions (number, dial_string, kind, owner_id, mobile)
			VALUES (?, ?, ?, ?, ?)`, e.Number, e.DialString, string(e.Kind), nullID(e.OwnerID), e.Mobile)
		if err != nil {
			return extensionWriteError(ctx, tx, err, e)
		}
		e.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return orchestrator.Extension{}, err
	}
	return e, nil
}

// UpdateExtension replaces every field of the extension e.ID. Turning a
// virtual extension physical is allowed; turning a user's personal
// extension virtual is not.
func (db *DB) UpdateExtension(ctx context.Context, e orchestrator.Extension) (orchestrator.Extension, error) {
	if err := ValidateExtension(e); err != nil {
		return orchestrator.Extension{}, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := extensionByID(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		if err := checkExtensionRefs(ctx, tx, e); err != nil {
			return err
		}
		if e.Kind == orchestrator.ExtensionVirtual {
			var login string
			err := tx.QueryRowContext(ctx, `SELECT login FROM users WHERE personal_extension_id = ? LIMIT 1`, e.ID).Scan(&login)
			if err == nil {
				return conflict("extension %s is the personal extension of %q; it cannot become virtual", e.Number, login)
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if err := followOwner(ctx, tx, &e, old.Mobile); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE extensions SET number = ?, dial_string = ?, kind = ?, owner_id = ?, mobile = ?
			WHERE id = ?`, e.Number, e.DialString, string(e.Kind), nullID(e.OwnerID), e.Mobile, e.ID)
		if err != nil {
			return extensionWriteError(ctx, tx, err, e)
		}
		return nil
	})
	if err != nil {
		return orchestrator.Extension{}, err
	}
	return e, nil
}

// RemoveExtension removes an extension; users who had it as their personal
// extension are left without one.
func (db *DB) RemoveExtension(ctx context.Context, id int64) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM extensions WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: remove extension %d: %w", id, err)
	}
	return mustAffect(res, "extension %d not found", id)
}

const extensionCols = `id, number, dial_string, kind, coalesce(owner_id, 0), mobile`

func scanExtension(s scanner) (orchestrator.Extension, error) {
	var e orchestrator.Extension
	err := s.Scan(&e.ID, &e.Number, &e.DialString, &e.Kind, &e.OwnerID, &e.Mobile)
	return e, err
}

// Extension returns the extension with id.
func (db *DB) Extension(ctx context.Context, id int64) (orchestrator.Extension, error) {
	return extensionByID(ctx, db.r, id)
}

// ExtensionByNumber finds an extension by the number agents pick.
func (db *DB) ExtensionByNumber(ctx context.Context, number string) (orchestrator.Extension, error) {
	return extensionByNumber(ctx, db.r, number)
}

func extensionByNumber(ctx context.Context, q querier, number string) (orchestrator.Extension, error) {
	e, err := scanExtension(q.QueryRowContext(ctx, `SELECT `+extensionCols+` FROM extensions WHERE number = ?`, number))
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound("extension %q not found", number)
	}
	return e, err
}

// Extensions lists every extension by number: shorter numbers first, so
// that all-digit numbers come in numeric order (200 before 1000).
func (db *DB) Extensions(ctx context.Context) ([]orchestrator.Extension, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+extensionCols+` FROM extensions ORDER BY length(number), number`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	exts := []orchestrator.Extension{}
	for rows.Next() {
		e, err := scanExtension(rows)
		if err != nil {
			return nil, err
		}
		exts = append(exts, e)
	}
	return exts, rows.Err()
}

func extensionByID(ctx context.Context, q querier, id int64) (orchestrator.Extension, error) {
	e, err := scanExtension(q.QueryRowContext(ctx, `SELECT `+extensionCols+` FROM extensions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, notFound("extension %d not found", id)
	}
	return e, err
}

func checkExtensionRefs(ctx context.Context, tx *sql.Tx, e orchestrator.Extension) error {
	if e.OwnerID == 0 {
		return nil
	}
	_, err := userByID(ctx, tx, e.OwnerID)
	return err
}

func extensionWriteError(ctx context.Context, tx *sql.Tx, err error, e orchestrator.Extension) error {
	switch {
	case isUnique(err, "extensions.number"):
		return conflict("extension %q already exists", e.Number)
	case isUnique(err, "extensions.owner_id"), isUnique(err, "extensions_one_virtual_per_owner"):
		var login, other string
		_ = tx.QueryRowContext(ctx, `SELECT u.login, x.number FROM users u JOIN extensions x ON x.owner_id = u.id
			WHERE u.id = ? AND x.kind = 'virtual'`, e.OwnerID).Scan(&login, &other)
		return conflict("user %q already has virtual extension %q", login, other)
	}
	return fmt.Errorf("store: extension %q: %w", e.Number, err)
}
