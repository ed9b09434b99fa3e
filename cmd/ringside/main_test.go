package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"golang.org/x/crypto/bcrypt"

	"github.com/ringside/ringside/store"
)

func TestMain(m *testing.M) {
	store.BcryptCost = bcrypt.MinCost
	os.Exit(m.Run())
}

// result is one in-process run of the CLI.
type result struct {
	out, errOut string
	err         error
}

// ringside runs the command tree in-process with args, stdin as standard
// input, and captures what it prints.
func ringside(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(stdin))
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return result{out: out.String(), errOut: errOut.String(), err: err}
}

// ok runs the CLI and fails the test on an error.
func ok(t *testing.T, args ...string) string {
	t.Helper()
	r := ringside(t, "", args...)
	if r.err != nil {
		t.Fatalf("ringside %s: %v", strings.Join(args, " "), r.err)
	}
	return r.out
}

// fails runs the CLI and wants an error mentioning every one of parts.
func fails(t *testing.T, args []string, parts ...string) {
	t.Helper()
	r := ringside(t, "", args...)
	if r.err == nil {
		t.Fatalf("ringside %s succeeded:\n%s", strings.Join(args, " "), r.out)
	}
	for _, p := range parts {
		if !strings.Contains(r.err.Error(), p) {
			t.Errorf("ringside %s: error %q does not mention %q", strings.Join(args, " "), r.err, p)
		}
	}
}

// newDB makes a migrated database and returns its path.
func newDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ringside.db")
	ok(t, "migrate", "--db", path)
	return path
}

func decode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("output is not the JSON expected: %v\n%s", err, s)
	}
	return v
}

func TestVersion(t *testing.T) {
	if out := ok(t, "version"); !strings.HasPrefix(out, "ringside ") {
		t.Errorf("version printed %q", out)
	}
}

func TestMigrateCreatesAndIsIdempotent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "r.db")
	want := "schema version " + itoa(store.LatestVersion())
	for i := 0; i < 2; i++ {
		if out := ok(t, "migrate", "--db", path); !strings.Contains(out, want) {
			t.Errorf("run %d: %q, want %q", i, out, want)
		}
	}
}

func TestAdminNeedsAnExistingDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "typo.db")
	fails(t, []string{"admin", "--db", path, "users", "list"}, "does not exist", "ringside migrate --db "+path)
	if _, err := os.Stat(path); err == nil {
		t.Error("a failed admin command created the database")
	}
}

// The lead's serve and demo commands register through extraCommands.
func TestExtraCommandsAreAdded(t *testing.T) {
	saved := extraCommands
	t.Cleanup(func() { extraCommands = saved })
	ran := false
	extraCommands = append(extraCommands, func() *cobra.Command {
		return &cobra.Command{Use: "registered-by-test", RunE: func(*cobra.Command, []string) error { ran = true; return nil }}
	})
	ok(t, "registered-by-test")
	if !ran {
		t.Error("registered command did not run")
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
