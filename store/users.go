package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/ringside/ringside/orchestrator"
)

// BcryptCost is the work factor for new password hashes. Tests lower it to
// bcrypt.MinCost before using the store; nothing else should change it.
var BcryptCost = bcrypt.DefaultCost

// Password bounds. bcrypt reads only the first 72 bytes, so a longer
// password would be silently truncated: refuse it instead.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 72
)

// NormalizeLogin is the stored form of a login: trimmed and lower-case, so
// that sign-in ignores case (S1).
func NormalizeLogin(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

// ValidatePassword checks a new password's length.
func ValidatePassword(password string) error {
	var p problems
	switch {
	case len(password) < MinPasswordLen:
		p.add("password", "shorter than %d characters", MinPasswordLen)
	case len(password) > MaxPasswordLen:
		p.add("password", "longer than %d bytes", MaxPasswordLen)
	}
	return p.err()
}

// ValidateUser checks a user's own fields (u.Login already normalized).
// References to teams, queues and extensions are checked against the
// database when the user is written.
func ValidateUser(u orchestrator.User) error {
	var p problems
	p.email("login", u.Login)
	p.text("name", u.Name, 128)
	if len(u.Roles) == 0 {
		p.add("roles", "at least one of admin, supervisor, agent")
	}
	for _, r := range u.Roles {
		if !orchestrator.ValidRole(r) {
			p.add("roles", "%q is not a role (admin, supervisor, agent)", r)
		}
	}
	_, remote := normalizeRemote(u.Remote())
	p = append(p, remote...)
	if u.TeamID < 0 {
		p.add("team_id", "%d is not an id", u.TeamID)
	}
	if u.PersonalExtensionID < 0 {
		p.add("personal_extension_id", "%d is not an id", u.PersonalExtensionID)
	}
	for _, q := range u.Queues {
		if q <= 0 {
			p.add("queues", "%d is not an id", q)
		}
	}
	return p.err()
}

// canonicalUser normalizes what has one right form: the login's case, the
// order and uniqueness of roles and queues, the mobile in E.164.
func canonicalUser(u orchestrator.User) orchestrator.User {
	u.Login = NormalizeLogin(u.Login)
	if ra, p := normalizeRemote(u.Remote()); len(p) == 0 { // invalid ones stay, for ValidateUser to name
		u.AllowRemote, u.Mobile, u.VirtualExtension = ra.AllowRemote, ra.Mobile, ra.VirtualExtension
	}
	roles := make([]orchestrator.Role, 0, len(u.Roles))
	for _, r := range []orchestrator.Role{orchestrator.RoleAdmin, orchestrator.RoleSupervisor, orchestrator.RoleAgent} {
		if slices.Contains(u.Roles, r) {
			roles = append(roles, r)
		}
	}
	for _, r := range u.Roles { // unknown roles stay, for ValidateUser to name
		if !orchestrator.ValidRole(r) && !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	u.Roles = roles
	qs := slices.Clone(u.Queues)
	slices.Sort(qs)
	u.Queues = slices.Compact(qs)
	if u.Queues == nil {
		u.Queues = []int64{}
	}
	return u
}

func hashPassword(password string) (string, error) {
	if err := ValidatePassword(password); err != nil {
		return "", err
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), BcryptCost)
	if err != nil {
		return "", fmt.Errorf("store: hash password: %w", err)
	}
	return string(h), nil
}

// AddUser stores a new user with a bcrypt hash of password, their roles,
// queue skills and remote settings (a virtual extension is created for
// u.VirtualExtension), all in one transaction. u.ID and u.PasswordHash are
// ignored.
func (db *DB) AddUser(ctx context.Context, u orchestrator.User, password string) (orchestrator.User, error) {
	u = canonicalUser(u)
	if err := joinInvalid(ValidateUser(u), ValidatePassword(password)); err != nil {
		return orchestrator.User{}, err
	}
	hash, err := hashPassword(password) // before the transaction: bcrypt is slow on purpose
	if err != nil {
		return orchestrator.User{}, err
	}
	return db.addUser(ctx, u, hash)
}

// AddUserWithHash stores a new user whose password is already a bcrypt
// hash: users imported from another system, and the demo's users, whose
// well-known short password the length rule for new passwords would refuse.
func (db *DB) AddUserWithHash(ctx context.Context, u orchestrator.User, hash string) (orchestrator.User, error) {
	u = canonicalUser(u)
	if err := ValidateUser(u); err != nil {
		return orchestrator.User{}, err
	}
	if _, err := bcrypt.Cost([]byte(hash)); err != nil {
		return orchestrator.User{}, orchestrator.Errorf(orchestrator.CodeInvalid, "password_hash: not a bcrypt hash")
	}
	return db.addUser(ctx, u, hash)
}

func (db *DB) addUser(ctx context.Context, u orchestrator.User, hash string) (orchestrator.User, error) {
	var out orchestrator.User
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := checkUserRefs(ctx, tx, u); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO users
			(login, name, password_hash, allow_remote, mobile, team_id, personal_extension_id)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			u.Login, u.Name, hash, boolInt(u.AllowRemote), u.Mobile, nullID(u.TeamID), nullID(u.PersonalExtensionID))
		if err != nil {
			return userWriteError(err, u)
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if err := writeUserLinks(ctx, tx, u); err != nil {
			return err
		}
		if err := applyRemote(ctx, tx, u.ID, u.Remote()); err != nil {
			return err
		}
		out, err = userByID(ctx, tx, u.ID)
		return err
	})
	return out, err
}

// UpdateUser replaces the user u.ID's fields, roles, queue skills and
// remote settings in one transaction: like SetRemoteAccess, it creates,
// renumbers or removes their virtual extension to match u.VirtualExtension,
// so callers read the user, change it and write it back. An empty password
// keeps the current one; a new password also ends the user's web sessions,
// so a changed password locks out whoever held the old one. u.PasswordHash
// is ignored.
func (db *DB) UpdateUser(ctx context.Context, u orchestrator.User, password string) (orchestrator.User, error) {
	u = canonicalUser(u)
	var pwErr error
	if password != "" {
		pwErr = ValidatePassword(password)
	}
	if err := joinInvalid(ValidateUser(u), pwErr); err != nil {
		return orchestrator.User{}, err
	}
	hash := ""
	if password != "" {
		var err error
		if hash, err = hashPassword(password); err != nil {
			return orchestrator.User{}, err
		}
	}
	var out orchestrator.User
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		old, err := userByID(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if err := checkUserRefs(ctx, tx, u); err != nil {
			return err
		}
		if old.HasRole(orchestrator.RoleAdmin) && !u.HasRole(orchestrator.RoleAdmin) {
			if err := keepAnAdmin(ctx, tx, old); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE users SET login = ?, name = ?, allow_remote = ?, mobile = ?,
			team_id = ?, personal_extension_id = ? WHERE id = ?`,
			u.Login, u.Name, boolInt(u.AllowRemote), u.Mobile, nullID(u.TeamID), nullID(u.PersonalExtensionID), u.ID)
		if err != nil {
			return userWriteError(err, u)
		}
		if hash != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, u.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM web_sessions WHERE user_id = ?`, u.ID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_roles WHERE user_id = ?`, u.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM user_queues WHERE user_id = ?`, u.ID); err != nil {
			return err
		}
		if err := writeUserLinks(ctx, tx, u); err != nil {
			return err
		}
		if err := applyRemote(ctx, tx, u.ID, u.Remote()); err != nil {
			return err
		}
		out, err = userByID(ctx, tx, u.ID)
		return err
	})
	return out, err
}

// RemoveUser removes a user with their roles, skills, web sessions and
// remembered station. Their virtual extension goes too (it follows only
// them); physical extensions they owned become shared. History rows keep
// the user's id. The last admin cannot be removed.
func (db *DB) RemoveUser(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		u, err := userByID(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.HasRole(orchestrator.RoleAdmin) {
			if err := keepAnAdmin(ctx, tx, u); err != nil {
				return err
			}
		}
		stmts := []string{
			`DELETE FROM extensions WHERE owner_id = ? AND kind = 'virtual'`,
			`UPDATE extensions SET owner_id = NULL WHERE owner_id = ?`,
			`DELETE FROM users WHERE id = ?`,
		}
		for _, s := range stmts {
			if _, err := tx.ExecContext(ctx, s, id); err != nil {
				return fmt.Errorf("store: remove user %q: %w", u.Login, err)
			}
		}
		return nil
	})
}

// keepAnAdmin refuses a change that would leave no admin, since nobody
// could then administer Ringside from the web.
func keepAnAdmin(ctx context.Context, tx *sql.Tx, u orchestrator.User) error {
	var others int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM user_roles WHERE role = 'admin' AND user_id <> ?`, u.ID).Scan(&others)
	if err != nil {
		return err
	}
	if others == 0 {
		return conflict("user %q is the last admin; make another user admin first", u.Login)
	}
	return nil
}

// checkUserRefs checks that the team, queues and personal extension exist,
// naming the first that does not.
func checkUserRefs(ctx context.Context, tx *sql.Tx, u orchestrator.User) error {
	if u.TeamID != 0 {
		if _, err := teamByID(ctx, tx, u.TeamID); err != nil {
			return err
		}
	}
	for _, q := range u.Queues {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM queues WHERE id = ?`, q).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("queue %d not found", q)
		} else if err != nil {
			return err
		}
	}
	if u.PersonalExtensionID != 0 {
		e, err := extensionByID(ctx, tx, u.PersonalExtensionID)
		if err != nil {
			return err
		}
		if e.Kind != orchestrator.ExtensionPhysical {
			return orchestrator.Errorf(orchestrator.CodeInvalid,
				"personal_extension: %s is a virtual extension; a user's virtual extension is linked by making them its owner", e.Number)
		}
	}
	return nil
}

// writeUserLinks inserts the user's roles and queue skills.
func writeUserLinks(ctx context.Context, tx *sql.Tx, u orchestrator.User) error {
	for _, r := range u.Roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_roles (user_id, role) VALUES (?, ?)`, u.ID, string(r)); err != nil {
			return fmt.Errorf("store: role %q: %w", r, err)
		}
	}
	for _, q := range u.Queues {
		if _, err := tx.ExecContext(ctx, `INSERT INTO user_queues (user_id, queue_id) VALUES (?, ?)`, u.ID, q); err != nil {
			return fmt.Errorf("store: queue skill %d: %w", q, err)
		}
	}
	return nil
}

func userWriteError(err error, u orchestrator.User) error {
	if isUnique(err, "users.login") {
		return conflict("user %q already exists", u.Login)
	}
	return fmt.Errorf("store: user %q: %w", u.Login, err)
}

// userCols reads a user from "users"; the virtual extension is the one the
// user owns (at most one, by the schema's unique index).
const userCols = `id, login, name, password_hash, allow_remote, mobile, coalesce(team_id, 0), coalesce(personal_extension_id, 0),
	coalesce((SELECT x.number FROM extensions x WHERE x.owner_id = users.id AND x.kind = 'virtual'), '')`

func scanUser(s scanner) (orchestrator.User, error) {
	var u orchestrator.User
	err := s.Scan(&u.ID, &u.Login, &u.Name, &u.PasswordHash, &u.AllowRemote, &u.Mobile, &u.TeamID, &u.PersonalExtensionID,
		&u.VirtualExtension)
	return u, err
}

// User returns the user with id, with roles and queue skills.
func (db *DB) User(ctx context.Context, id int64) (orchestrator.User, error) {
	return userByID(ctx, db.r, id)
}

// UserByLogin finds a user by login, ignoring case.
func (db *DB) UserByLogin(ctx context.Context, login string) (orchestrator.User, error) {
	login = NormalizeLogin(login)
	u, err := scanUser(db.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE login = ?`, login))
	if errors.Is(err, sql.ErrNoRows) {
		return u, notFound("user %q not found", login)
	} else if err != nil {
		return u, err
	}
	return u, loadUserLinks(ctx, db.r, &u)
}

// Users lists every user by login.
func (db *DB) Users(ctx context.Context) ([]orchestrator.User, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY login`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	users := []orchestrator.User{}
	index := map[int64]int{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		u.Roles, u.Queues = []orchestrator.Role{}, []int64{}
		index[u.ID] = len(users)
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Two more queries for every user's roles and skills, not two per user.
	err = eachRow(ctx, db.r, `SELECT user_id, role FROM user_roles ORDER BY user_id,
		CASE role WHEN 'admin' THEN 0 WHEN 'supervisor' THEN 1 ELSE 2 END`, func(s scanner) error {
		var id int64
		var r orchestrator.Role
		if err := s.Scan(&id, &r); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			users[i].Roles = append(users[i].Roles, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, db.r, `SELECT user_id, queue_id FROM user_queues ORDER BY user_id, queue_id`, func(s scanner) error {
		var id, q int64
		if err := s.Scan(&id, &q); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			users[i].Queues = append(users[i].Queues, q)
		}
		return nil
	})
	return users, err
}

func userByID(ctx context.Context, q querier, id int64) (orchestrator.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, notFound("user %d not found", id)
	} else if err != nil {
		return u, err
	}
	return u, loadUserLinks(ctx, q, &u)
}

func loadUserLinks(ctx context.Context, q querier, u *orchestrator.User) error {
	u.Roles, u.Queues = []orchestrator.Role{}, []int64{}
	err := eachRow(ctx, q, `SELECT role FROM user_roles WHERE user_id = ?
		ORDER BY CASE role WHEN 'admin' THEN 0 WHEN 'supervisor' THEN 1 ELSE 2 END`, func(s scanner) error {
		var r orchestrator.Role
		err := s.Scan(&r)
		u.Roles = append(u.Roles, r)
		return err
	}, u.ID)
	if err != nil {
		return err
	}
	return eachRow(ctx, q, `SELECT queue_id FROM user_queues WHERE user_id = ? ORDER BY queue_id`, func(s scanner) error {
		var id int64
		err := s.Scan(&id)
		u.Queues = append(u.Queues, id)
		return err
	}, u.ID)
}

// eachRow runs query and calls f for each row.
func eachRow(ctx context.Context, q querier, query string, f func(scanner) error, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := f(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
