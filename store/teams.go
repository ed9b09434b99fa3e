package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ringside/ringside/orchestrator"
)

// ValidateTeam checks a team before it is stored.
func ValidateTeam(t orchestrator.Team) error {
	var p problems
	p.text("name", t.Name, 64)
	return p.err()
}

// AddTeam stores a new team and returns it with its id.
func (db *DB) AddTeam(ctx context.Context, t orchestrator.Team) (orchestrator.Team, error) {
	if err := ValidateTeam(t); err != nil {
		return orchestrator.Team{}, err
	}
	res, err := db.w.ExecContext(ctx, `INSERT INTO teams (name) VALUES (?)`, t.Name)
	if err != nil {
		return orchestrator.Team{}, teamWriteError(err, t)
	}
	t.ID, err = res.LastInsertId()
	return t, err
}

// UpdateTeam renames the team t.ID.
func (db *DB) UpdateTeam(ctx context.Context, t orchestrator.Team) (orchestrator.Team, error) {
	if err := ValidateTeam(t); err != nil {
		return orchestrator.Team{}, err
	}
	res, err := db.w.ExecContext(ctx, `UPDATE teams SET name = ? WHERE id = ?`, t.Name, t.ID)
	if err != nil {
		return orchestrator.Team{}, teamWriteError(err, t)
	}
	if err := mustAffect(res, "team %d not found", t.ID); err != nil {
		return orchestrator.Team{}, err
	}
	return t, nil
}

// RemoveTeam removes an empty team. A team with members is refused rather
// than silently leaving its agents without one.
func (db *DB) RemoveTeam(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		t, err := teamByID(ctx, tx, id)
		if err != nil {
			return err
		}
		var members int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE team_id = ?`, id).Scan(&members); err != nil {
			return err
		}
		if members > 0 {
			return conflict("team %q still has %d member(s); move them to another team first", t.Name, members)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM teams WHERE id = ?`, id)
		return err
	})
}

// Team returns the team with id.
func (db *DB) Team(ctx context.Context, id int64) (orchestrator.Team, error) {
	return teamByID(ctx, db.r, id)
}

// TeamByName finds a team by name, ignoring case.
func (db *DB) TeamByName(ctx context.Context, name string) (orchestrator.Team, error) {
	var t orchestrator.Team
	err := db.r.QueryRowContext(ctx, `SELECT id, name FROM teams WHERE name = ?`, name).Scan(&t.ID, &t.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFound("team %q not found", name)
	}
	return t, err
}

// Teams lists every team by name.
func (db *DB) Teams(ctx context.Context) ([]orchestrator.Team, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT id, name FROM teams ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	teams := []orchestrator.Team{}
	for rows.Next() {
		var t orchestrator.Team
		if err := rows.Scan(&t.ID, &t.Name); err != nil {
			return nil, err
		}
		teams = append(teams, t)
	}
	return teams, rows.Err()
}

func teamByID(ctx context.Context, q querier, id int64) (orchestrator.Team, error) {
	var t orchestrator.Team
	err := q.QueryRowContext(ctx, `SELECT id, name FROM teams WHERE id = ?`, id).Scan(&t.ID, &t.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFound("team %d not found", id)
	}
	return t, err
}

func teamWriteError(err error, t orchestrator.Team) error {
	if isUnique(err, "teams.name") {
		return conflict("team %q already exists", t.Name)
	}
	return fmt.Errorf("store: team %q: %w", t.Name, err)
}

// mustAffect turns "no row matched" into a not-found error.
func mustAffect(res sql.Result, format string, args ...any) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(format, args...)
	}
	return nil
}
