package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestMigrationsApplyOnceAndAreIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// Once at Open, then again by hand, then again at a second Open.
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("third Migrate: %v", err)
	}
	db.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer db.Close()

	v, err := db.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v != LatestVersion() || v == 0 {
		t.Errorf("schema version %d, want %d", v, LatestVersion())
	}
	ms, _ := migrations()
	if n := count(t, db, "schema_migrations"); n != len(ms) {
		t.Errorf("%d schema_migrations rows, want %d", n, len(ms))
	}
}

func TestOpenSetsPragmas(t *testing.T) {
	db := openTest(t)
	for _, c := range []struct {
		pool  string
		query string
		want  string
	}{
		{"writer", "PRAGMA foreign_keys", "1"},
		{"reader", "PRAGMA foreign_keys", "1"},
		{"writer", "PRAGMA journal_mode", "wal"},
		{"writer", "PRAGMA busy_timeout", "5000"},
		{"reader", "PRAGMA query_only", "1"},
	} {
		pool := db.w
		if c.pool == "reader" {
			pool = db.r
		}
		var got string
		if err := pool.QueryRow(c.query).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%s %s = %s, want %s", c.pool, c.query, got, c.want)
		}
	}
}

func TestReaderPoolCannotWrite(t *testing.T) {
	db := openTest(t)
	if _, err := db.r.Exec(`INSERT INTO teams (name) VALUES ('x')`); err == nil {
		t.Fatal("a write through the read pool succeeded")
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.Exec(`INSERT INTO schema_migrations VALUES (9999, '9999_future.sql', '')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err = Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "newer than this ringside") {
		t.Fatalf("Open of a newer schema: %v", err)
	}
}

func TestOpenInMemory(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AddTeam(ctx, teamNamed("mem")); err != nil {
		t.Fatal(err)
	}
	if ts, err := db.Teams(ctx); err != nil || len(ts) != 1 {
		t.Fatalf("Teams = %v, %v", ts, err)
	}
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRejectsBadPaths(t *testing.T) {
	ctx := context.Background()
	for _, p := range []string{"", "a.db?mode=ro", filepath.Join(t.TempDir(), "no", "such", "dir", "r.db")} {
		if db, err := Open(ctx, p); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

// serve and migrate started together on a new file: both open it, the
// schema is applied once.
func TestConcurrentOpenOfNewDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	const n = 4
	errs := make(chan error, n)
	dbs := make(chan *DB, n)
	for i := 0; i < n; i++ {
		go func() {
			db, err := Open(ctx, path)
			errs <- err
			dbs <- db
		}()
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
		if db := <-dbs; db != nil {
			defer db.Close()
		}
	}
	db := openPath(t, path)
	ms, _ := migrations()
	if got := count(t, db, "schema_migrations"); got != len(ms) {
		t.Errorf("%d schema_migrations rows, want %d", got, len(ms))
	}
}

func openPath(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestPingWrites: the S9 probe must notice a database that reads fine but
// can no longer be written (read-only, disk full), which a read would not.
func TestPingWrites_S9(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(ctx); err != nil {
		t.Fatalf("healthy database: %v", err)
	}
	var at string
	if err := db.r.QueryRowContext(ctx, `SELECT at FROM health_probe WHERE id = 1`).Scan(&at); err != nil || at == "" {
		t.Fatalf("the probe left no row: %q, %v", at, err)
	}
	// The one writer connection refuses writes from now on; reads still work.
	if _, err := db.w.ExecContext(ctx, `PRAGMA query_only = ON`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Teams(ctx); err != nil {
		t.Fatalf("reads should still work: %v", err)
	}
	if err := db.Ping(ctx); err == nil || !strings.Contains(err.Error(), "write") {
		t.Fatalf("Ping on a database that cannot be written = %v, want a write error", err)
	}
}
