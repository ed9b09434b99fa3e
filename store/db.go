// Package store keeps Ringside's provisioning and history in SQLite. It
// implements the orchestrator's Store port and the provisioning CRUD that
// the admin CLI and the admin API use.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3" // also registers the "sqlite3" driver (cgo)

	"github.com/ringside/ringside/orchestrator"
)

// busyTimeout is how long a connection waits for another process's write
// lock (an admin CLI run against the database of a running server) before
// giving up with "database is locked".
const busyTimeout = 5 * time.Second

// readConns bounds the read pool. Readers never block each other or the
// writer in WAL mode, so a few are enough on a small machine.
const readConns = 4

// DB is the SQLite database.
//
// Writes go through w, a pool of exactly one connection whose transactions
// begin IMMEDIATE: SQLite allows one writer at a time anyway, and funnelling
// writes through one connection turns lock contention inside this process
// into a plain Go queue instead of SQLITE_BUSY errors (a deferred
// transaction that upgrades from read to write can fail with BUSY no matter
// the busy timeout). Reads go through r, a separate pool of read-only
// connections, so the API's list and lookup queries never wait behind the
// orchestrator's history writes; WAL gives every reader a consistent
// snapshot. An in-memory database cannot be shared between connections, so
// there r is w.
type DB struct {
	w    *sql.DB
	r    *sql.DB
	path string
}

var _ orchestrator.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path and applies any
// pending migrations. ":memory:" gives a private in-memory database.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: database path is empty")
	}
	if strings.ContainsRune(path, '?') {
		// The driver reads everything after '?' as connection options.
		return nil, fmt.Errorf("store: database path %q must not contain '?'", path)
	}
	memory := path == ":memory:"

	common := fmt.Sprintf("_foreign_keys=on&_busy_timeout=%d&_synchronous=NORMAL",
		busyTimeout.Milliseconds())
	w, err := sql.Open("sqlite3", path+"?"+common+"&_journal_mode=WAL&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0) // an in-memory database lives as long as its connection
	w.SetConnMaxIdleTime(0)
	db := &DB{w: w, r: w, path: path}

	// Connect the writer first: it creates the file and switches it to WAL,
	// which the read-only readers then find in place.
	if err := connect(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	if !memory {
		r, err := sql.Open("sqlite3", path+"?"+common+"&_query_only=on")
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
		r.SetMaxOpenConns(readConns)
		r.SetMaxIdleConns(readConns)
		db.r = r
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// connect makes the writer's first connection. Switching a new file to WAL
// needs an exclusive lock, and SQLite answers "database is locked" at once,
// without its busy handler, when another process is doing the same (serve
// and migrate started together): retry that for up to busyTimeout.
func connect(ctx context.Context, w *sql.DB) error {
	deadline := time.Now().Add(busyTimeout)
	for {
		err := w.PingContext(ctx)
		var se sqlite3.Error
		if err == nil || !errors.As(err, &se) || se.Code != sqlite3.ErrBusy || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Close closes both pools.
func (db *DB) Close() error {
	var err error
	if db.r != db.w {
		err = db.r.Close()
	}
	return errors.Join(err, db.w.Close())
}

// Path is the path the database was opened with.
func (db *DB) Path() string { return db.path }

// Ping checks that the database can be read and written, for the health
// probe and /readyz (S9). Writes are short, so it waits behind one at most
// briefly; callers bound it with a timeout.
func (db *DB) Ping(ctx context.Context) error {
	var n int
	if err := db.r.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		return fmt.Errorf("store: ping: read: %w", err)
	}
	// A write too: SQLite serves reads from its page cache, so a database
	// that can no longer be written (disk full, read-only, I/O errors) only
	// shows on a write. One row, rewritten in place: the WAL checkpoint
	// keeps the cost to a page every few seconds.
	if _, err := db.w.ExecContext(ctx, `INSERT INTO health_probe (id, at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET at = excluded.at`, formatTime(time.Now())); err != nil {
		return fmt.Errorf("store: ping: write: %w", err)
	}
	return nil
}

// querier is what both *sql.DB and *sql.Tx offer, so lookups can run either
// on the read pool or inside a write transaction.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inTx runs f in one write transaction: it commits when f returns nil and
// rolls back otherwise, so a failed multi-row change leaves nothing behind.
func (db *DB) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := f(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}
