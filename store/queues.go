package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/ringside/ringside/internal/musicclass"
	"github.com/ringside/ringside/orchestrator"
)

// Bounds of a queue's settings; the schema's CHECKs say the same.
const (
	MaxQueuePriority  = 1000
	MaxRingTime       = 10 * time.Minute
	MaxWrapupTime     = time.Hour
	MaxPrivacyShield  = time.Hour
	maxQueueNameChars = 64
)

// ValidateQueue checks a queue before it is stored.
func ValidateQueue(q orchestrator.Queue) error {
	var p problems
	// The name travels in the dialplan (Stasis(ringside,queue=NAME), FreeSWITCH
	// ringside_queue=NAME), so it is an identifier, not free text.
	p.ident("name", q.Name, maxQueueNameChars)
	if q.Priority < 0 || q.Priority > MaxQueuePriority {
		p.add("priority", "%d is outside 0..%d", q.Priority, MaxQueuePriority)
	}
	seconds(&p, "ring_time", q.RingTime, time.Second, MaxRingTime)
	seconds(&p, "wrapup_time", q.WrapupTime, 0, MaxWrapupTime)
	seconds(&p, "privacy_shield", q.PrivacyShield, 0, MaxPrivacyShield)
	// A5: the class is asked of the PBX by name on every hold; empty means
	// the configured default.
	if q.MusicClass != "" {
		if why := musicclass.Problem(q.MusicClass); why != "" {
			p.add("music_class", "%s", why)
		}
	}
	return p.err()
}

// seconds checks a duration stored in whole seconds within [min, max].
func seconds(p *problems, field string, d, min, max time.Duration) {
	switch {
	case d%time.Second != 0:
		p.add(field, "%s is not a whole number of seconds", d)
	case d < min && min > 0:
		p.add(field, "must be at least %s", min)
	case d < min:
		p.add(field, "must not be negative")
	case d > max:
		p.add(field, "%s is longer than %s", d, max)
	}
}

// AddQueue stores a new queue and returns it with its id.
func (db *DB) AddQueue(ctx context.Context, q orchestrator.Queue) (orchestrator.Queue, error) {
	if err := ValidateQueue(q); err != nil {
		return orchestrator.Queue{}, err
	}
	res, err := db.w.ExecContext(ctx, `INSERT INTO queues
		(name, priority, ring_time_s, wrapup_time_s, recording, privacy_shield_s, allow_end_wrapup_early, music_class)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, queueArgs(q)...)
	if err != nil {
		return orchestrator.Queue{}, queueWriteError(err, q)
	}
	q.ID, err = res.LastInsertId()
	return q, err
}

// UpdateQueue replaces every setting of the queue q.ID.
func (db *DB) UpdateQueue(ctx context.Context, q orchestrator.Queue) (orchestrator.Queue, error) {
	if err := ValidateQueue(q); err != nil {
		return orchestrator.Queue{}, err
	}
	res, err := db.w.ExecContext(ctx, `UPDATE queues SET
		name = ?, priority = ?, ring_time_s = ?, wrapup_time_s = ?, recording = ?,
		privacy_shield_s = ?, allow_end_wrapup_early = ?, music_class = ? WHERE id = ?`,
		append(queueArgs(q), q.ID)...)
	if err != nil {
		return orchestrator.Queue{}, queueWriteError(err, q)
	}
	if err := mustAffect(res, "queue %d not found", q.ID); err != nil {
		return orchestrator.Queue{}, err
	}
	return q, nil
}

// RemoveQueue removes a queue and, with it, every user's skill for it.
// Interactions keep the queue's name, so history is unaffected.
func (db *DB) RemoveQueue(ctx context.Context, id int64) error {
	res, err := db.w.ExecContext(ctx, `DELETE FROM queues WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("store: remove queue %d: %w", id, err)
	}
	return mustAffect(res, "queue %d not found", id)
}

const queueCols = `id, name, priority, ring_time_s, wrapup_time_s, recording, privacy_shield_s, allow_end_wrapup_early, music_class`

// Queue returns the queue with id.
func (db *DB) Queue(ctx context.Context, id int64) (orchestrator.Queue, error) {
	q, err := scanQueue(db.r.QueryRowContext(ctx, `SELECT `+queueCols+` FROM queues WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return q, notFound("queue %d not found", id)
	}
	return q, err
}

// QueueByName finds a queue by name, ignoring case, as calls name it.
func (db *DB) QueueByName(ctx context.Context, name string) (orchestrator.Queue, error) {
	q, err := scanQueue(db.r.QueryRowContext(ctx, `SELECT `+queueCols+` FROM queues WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return q, notFound("queue %q not found", name)
	}
	return q, err
}

// Queues lists every queue by name.
func (db *DB) Queues(ctx context.Context) ([]orchestrator.Queue, error) {
	rows, err := db.r.QueryContext(ctx, `SELECT `+queueCols+` FROM queues ORDER BY name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	qs := []orchestrator.Queue{}
	for rows.Next() {
		q, err := scanQueue(rows)
		if err != nil {
			return nil, err
		}
		qs = append(qs, q)
	}
	return qs, rows.Err()
}

func queueArgs(q orchestrator.Queue) []any {
	return []any{q.Name, q.Priority, int64(q.RingTime / time.Second), int64(q.WrapupTime / time.Second),
		boolInt(q.Recording), int64(q.PrivacyShield / time.Second), boolInt(q.AllowEndWrapupEarly), q.MusicClass}
}

type scanner interface{ Scan(dest ...any) error }

func scanQueue(s scanner) (orchestrator.Queue, error) {
	var q orchestrator.Queue
	var ring, wrap, shield int64
	err := s.Scan(&q.ID, &q.Name, &q.Priority, &ring, &wrap, &q.Recording, &shield, &q.AllowEndWrapupEarly, &q.MusicClass)
	q.RingTime = time.Duration(ring) * time.Second
	q.WrapupTime = time.Duration(wrap) * time.Second
	q.PrivacyShield = time.Duration(shield) * time.Second
	return q, err
}

func queueWriteError(err error, q orchestrator.Queue) error {
	if isUnique(err, "queues.name") {
		return conflict("queue %q already exists", q.Name)
	}
	return fmt.Errorf("store: queue %q: %w", q.Name, err)
}
