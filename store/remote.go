package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// Remote agents (R3, R4). A user's allow-remote flag, mobile number and
// virtual extension are saved together by applyRemote, in the caller's
// transaction: it is the one code path behind SetRemoteAccess, AddUser and
// UpdateUser, so the three settings are never half saved.
//
// The user's mobile is the source of truth. The virtual extension's mobile
// column is a copy (the schema requires it on virtual rows and the
// orchestrator dials it), rewritten here whenever the user's mobile is
// saved, and taken from the owner whenever a virtual extension is written
// (followOwner).

// normalizeMobile returns a mobile number in E.164 form, or the reason it
// is not one.
func normalizeMobile(raw string) (string, string) {
	m, err := orchestrator.ParseDialNumber(strings.TrimSpace(raw), "")
	if err != nil {
		var oe *orchestrator.Error
		if errors.As(err, &oe) {
			return "", oe.Message
		}
		return "", err.Error()
	}
	return m, ""
}

// normalizeRemote checks remote settings on their own and returns them in
// stored form: the mobile in E.164, the extension number trimmed. What
// needs the database (is the number free?) is checked by applyRemote.
func normalizeRemote(ra orchestrator.RemoteAccess) (orchestrator.RemoteAccess, problems) {
	var p problems
	ra.Mobile = strings.TrimSpace(ra.Mobile)
	ra.VirtualExtension = strings.TrimSpace(ra.VirtualExtension)
	switch {
	case ra.Mobile != "":
		m, reason := normalizeMobile(ra.Mobile)
		if reason != "" {
			p.add("mobile", "%s", reason)
		} else {
			ra.Mobile = m
		}
	case ra.AllowRemote:
		p.add("mobile", "required when remote sign-in is allowed")
	case ra.VirtualExtension != "":
		p.add("mobile", "required for a virtual extension (it rings the mobile)")
	}
	if ra.VirtualExtension != "" && !extNumberRE.MatchString(ra.VirtualExtension) {
		p.add("virtual_extension", "%q may contain only letters, digits and + * # _ . - (at most 32)", ra.VirtualExtension)
	}
	return ra, p
}

// ValidateRemoteAccess checks remote settings on their own (R4).
func ValidateRemoteAccess(ra orchestrator.RemoteAccess) error {
	_, p := normalizeRemote(ra)
	return p.err()
}

// SetRemoteAccess saves a user's remote settings (R4) in one transaction:
// the allow-remote flag and mobile on the user, and their virtual extension
// created, renumbered or removed to match. Saving links the virtual
// extension to the user. actorID (0: none) is recorded in the audit trail
// with the change. It returns the settings as stored.
func (db *DB) SetRemoteAccess(ctx context.Context, actorID, userID int64, ra orchestrator.RemoteAccess) (orchestrator.RemoteAccess, error) {
	ra, p := normalizeRemote(ra)
	if err := p.err(); err != nil {
		return orchestrator.RemoteAccess{}, err
	}
	var out orchestrator.RemoteAccess
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := userByID(ctx, tx, userID); err != nil {
			return err
		}
		if err := applyRemote(ctx, tx, userID, ra); err != nil {
			return err
		}
		u, err := userByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		out = u.Remote()
		detail := fmt.Sprintf("user=%s allow_remote=%t mobile=%s virtual_extension=%s", u.Login, out.AllowRemote, out.Mobile, out.VirtualExtension)
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, action, target_user_id, interaction_id, detail)
			VALUES (?, ?, 'admin.remote_access', ?, '', ?)`, formatTime(time.Now()), nullID(actorID), userID, detail)
		return err
	})
	return out, err
}

// applyRemote writes normalized remote settings for userID inside tx.
func applyRemote(ctx context.Context, tx *sql.Tx, userID int64, ra orchestrator.RemoteAccess) error {
	cur, hasCur, err := virtualOf(ctx, tx, userID)
	if err != nil {
		return err
	}
	switch {
	case ra.VirtualExtension == "" && hasCur:
		if _, err := tx.ExecContext(ctx, `DELETE FROM extensions WHERE id = ?`, cur.ID); err != nil {
			return fmt.Errorf("store: remove virtual extension %q: %w", cur.Number, err)
		}
		if err := moveRememberedStation(ctx, tx, userID, cur.Number, ""); err != nil {
			return err
		}
	case ra.VirtualExtension == "" || hasCur && ra.VirtualExtension == cur.Number:
		// nothing to link or already linked
	default:
		if err := checkVirtualNumberFree(ctx, tx, userID, ra.VirtualExtension); err != nil {
			return err
		}
		if hasCur { // renumber: the same extension, so history and sign-ins on it stay one station
			if _, err := tx.ExecContext(ctx, `UPDATE extensions SET number = ? WHERE id = ?`, ra.VirtualExtension, cur.ID); err != nil {
				return fmt.Errorf("store: renumber virtual extension %q: %w", cur.Number, err)
			}
			if err := moveRememberedStation(ctx, tx, userID, cur.Number, ra.VirtualExtension); err != nil {
				return err
			}
			if err := moveOpenSession(ctx, tx, userID, cur.Number, ra.VirtualExtension); err != nil {
				return err
			}
		} else {
			_, err := tx.ExecContext(ctx, `INSERT INTO extensions (number, dial_string, kind, owner_id, mobile)
				VALUES (?, '', 'virtual', ?, ?)`, ra.VirtualExtension, userID, ra.Mobile)
			if err != nil {
				return fmt.Errorf("store: add virtual extension %q: %w", ra.VirtualExtension, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET allow_remote = ?, mobile = ? WHERE id = ?`,
		boolInt(ra.AllowRemote), ra.Mobile, userID); err != nil {
		return fmt.Errorf("store: remote settings of user %d: %w", userID, err)
	}
	// The virtual extension rings the user's mobile: keep its copy in step.
	if ra.Mobile != "" {
		if _, err := tx.ExecContext(ctx, `UPDATE extensions SET mobile = ? WHERE owner_id = ? AND kind = 'virtual'`,
			ra.Mobile, userID); err != nil {
			return fmt.Errorf("store: virtual extension mobile of user %d: %w", userID, err)
		}
	}
	return nil
}

// checkVirtualNumberFree refuses a virtual extension number that is a
// physical extension or another user's virtual extension, naming which.
func checkVirtualNumberFree(ctx context.Context, tx *sql.Tx, userID int64, number string) error {
	e, err := extensionByNumber(ctx, tx, number)
	if orchestrator.ErrorCode(err) == orchestrator.CodeNotFound {
		return nil
	} else if err != nil {
		return err
	}
	if e.Kind == orchestrator.ExtensionPhysical {
		return conflict("virtual_extension: %s is a physical extension; pick a number no extension has", number)
	}
	if e.OwnerID != userID {
		var login string
		_ = tx.QueryRowContext(ctx, `SELECT login FROM users WHERE id = ?`, e.OwnerID).Scan(&login)
		return conflict("virtual_extension: %s is the virtual extension of %q", number, login)
	}
	return nil
}

// virtualOf returns the user's virtual extension, if they have one.
func virtualOf(ctx context.Context, q querier, userID int64) (orchestrator.Extension, bool, error) {
	e, err := scanExtension(q.QueryRowContext(ctx, `SELECT `+extensionCols+` FROM extensions
		WHERE owner_id = ? AND kind = 'virtual'`, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return e, false, nil
	}
	return e, err == nil, err
}

// moveRememberedStation follows a renumbered virtual extension in the
// user's remembered station (S5), or forgets it when the extension is gone
// (to ""), so the next sign-in does not offer a number that no longer works.
func moveRememberedStation(ctx context.Context, tx *sql.Tx, userID int64, from, to string) error {
	var err error
	if to == "" {
		_, err = tx.ExecContext(ctx, `DELETE FROM remembered_stations WHERE user_id = ? AND type = 'extension' AND number = ?`, userID, from)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE remembered_stations SET number = ? WHERE user_id = ? AND type = 'extension' AND number = ?`, to, userID, from)
	}
	if err != nil {
		return fmt.Errorf("store: remembered station of user %d: %w", userID, err)
	}
	return nil
}

// moveOpenSession follows a renumbered virtual extension in the user's
// open sign-in, if they are signed in on it: the orchestrator moves the
// live agent to the new number (RemoteAccessChanged), and a restarted
// controller (P5) re-resolves the station from this row, which would
// otherwise name a number that no longer exists and end the sign-in.
// Ended sign-ins keep the number they had.
func moveOpenSession(ctx context.Context, tx *sql.Tx, userID int64, from, to string) error {
	_, err := tx.ExecContext(ctx, `UPDATE agent_sessions SET station_number = ?
		WHERE user_id = ? AND ended_at IS NULL AND station_type = 'extension' AND station_number = ?`, to, userID, from)
	if err != nil {
		return fmt.Errorf("store: open sign-in of user %d: %w", userID, err)
	}
	return nil
}

// followOwner sets a virtual extension's mobile to its owner's. A mobile
// given with it must be the owner's, since a different one would be
// silently replaced; old is the stored copy on update, which callers that
// read, change and write the row send back unchanged.
func followOwner(ctx context.Context, tx *sql.Tx, e *orchestrator.Extension, old string) error {
	owner, err := userByID(ctx, tx, e.OwnerID)
	if err != nil {
		return err
	}
	if owner.Mobile == "" {
		return orchestrator.Errorf(orchestrator.CodeInvalid,
			"owner: user %q has no mobile number; set theirs first (a virtual extension rings its owner's mobile)", owner.Login)
	}
	if e.Mobile != "" && e.Mobile != old && e.Mobile != owner.Mobile {
		if m, _ := normalizeMobile(e.Mobile); m != owner.Mobile {
			return orchestrator.Errorf(orchestrator.CodeInvalid,
				"mobile: a virtual extension rings its owner's mobile (%s); change the user's mobile instead", owner.Mobile)
		}
	}
	e.Mobile = owner.Mobile
	return nil
}
