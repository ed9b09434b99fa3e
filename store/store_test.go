package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/ringside/ringside/orchestrator"
)

func TestMain(m *testing.M) {
	BcryptCost = bcrypt.MinCost // hashing at the real cost would dominate the suite
	os.Exit(m.Run())
}

// openTest opens a fresh database file in a temporary directory.
func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "ringside.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// wantCode fails unless err is an *orchestrator.Error with code whose
// message contains every one of parts.
func wantCode(t *testing.T, err error, code orchestrator.Code, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	var e *orchestrator.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T %q, want *orchestrator.Error %s", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("got code %s (%q), want %s", e.Code, e.Message, code)
	}
	for _, p := range parts {
		if !strings.Contains(e.Message, p) {
			t.Errorf("message %q does not mention %q", e.Message, p)
		}
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func count(t *testing.T, db *DB, table string) int {
	t.Helper()
	var n int
	if err := db.r.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
