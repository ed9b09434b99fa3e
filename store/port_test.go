package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

var t0 = time.Date(2025, 3, 1, 9, 0, 0, 123456789, time.UTC)

func TestWebSessions(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	u := must[orchestrator.User](t)(db.AddUser(ctx, agentUser("a@example.com"), "password1"))
	const token = "s3cr3t-token-value-0123456789abcdef"
	exp := time.Now().Add(12 * time.Hour)
	if err := db.CreateWebSession(ctx, token, u.ID, exp); err != nil {
		t.Fatal(err)
	}
	id, gotExp, err := db.WebSession(ctx, token)
	if err != nil || id != u.ID || !gotExp.Equal(exp) {
		t.Fatalf("WebSession = %d, %v, %v; want %d, %v", id, gotExp, err, u.ID, exp)
	}
	_, _, err = db.WebSession(ctx, "other-token")
	wantCode(t, err, orchestrator.CodeNotFound, "session")
	wantCode(t, db.CreateWebSession(ctx, "t2", 999, exp), orchestrator.CodeNotFound, "user 999")

	if err := db.DeleteWebSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	_, _, err = db.WebSession(ctx, token)
	wantCode(t, err, orchestrator.CodeNotFound)
	if err := db.DeleteWebSession(ctx, token); err != nil {
		t.Errorf("second delete: %v", err)
	}

	// Housekeeping and revocation.
	must[struct{}](t)(struct{}{}, db.CreateWebSession(ctx, "old", u.ID, time.Now().Add(-time.Minute)))
	must[struct{}](t)(struct{}{}, db.CreateWebSession(ctx, "new", u.ID, time.Now().Add(time.Hour)))
	if n := must[int64](t)(db.DeleteExpiredWebSessions(ctx, time.Now())); n != 1 {
		t.Errorf("expired sessions removed: %d, want 1", n)
	}
	// "Sign out everywhere".
	must[struct{}](t)(struct{}{}, db.CreateWebSession(ctx, "elsewhere", u.ID, time.Now().Add(time.Hour)))
	if err := db.DeleteUserWebSessions(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = db.WebSession(ctx, "elsewhere")
	wantCode(t, err, orchestrator.CodeNotFound)
	must[struct{}](t)(struct{}{}, db.CreateWebSession(ctx, "new", u.ID, time.Now().Add(time.Hour)))
	// Changing the password ends the user's sessions.
	must[orchestrator.User](t)(db.UpdateUser(ctx, u, "a-new-password"))
	_, _, err = db.WebSession(ctx, "new")
	wantCode(t, err, orchestrator.CodeNotFound)
}

// The token must not be recoverable from the database: neither the table
// nor the files on disk (database, WAL) contain it.
func TestWebSessionTokenNotStoredInClear(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, filepath.Join(dir, "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	u := must[orchestrator.User](t)(db.AddUser(ctx, agentUser("a@example.com"), "password1"))
	const token = "ZmFrZS10b2tlbi1mb3ItdGVzdGluZy0xMjM0NTY3OA"
	if err := db.CreateWebSession(ctx, token, u.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := db.r.QueryRow(`SELECT token_hash FROM web_sessions`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored == token || len(stored) != 64 {
		t.Errorf("stored %q, want a SHA-256 hex digest", stored)
	}
	db.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "r.db*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(token)) {
			t.Errorf("%s contains the token in clear", filepath.Base(f))
		}
	}
}

func TestRememberedStation(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	u := must[orchestrator.User](t)(db.AddUser(ctx, agentUser("a@example.com"), "password1"))
	if st, err := db.RememberedStation(ctx, u.ID); st != nil || err != nil {
		t.Fatalf("RememberedStation before any = %v, %v; want nil, nil", st, err)
	}
	for _, st := range []orchestrator.StationRequest{
		{Type: orchestrator.StationExtension, Number: "2001"},
		{Type: orchestrator.StationDialNumber, Number: "+15551234567"},
	} {
		if err := db.RememberStation(ctx, u.ID, st); err != nil {
			t.Fatal(err)
		}
		got, err := db.RememberedStation(ctx, u.ID)
		if err != nil || got == nil || *got != st {
			t.Fatalf("RememberedStation = %v, %v; want %v", got, err, st)
		}
	}
	wantCode(t, db.RememberStation(ctx, u.ID, orchestrator.StationRequest{Type: "pigeon"}), orchestrator.CodeInvalid, "station.type")
	wantCode(t, db.RememberStation(ctx, 999, orchestrator.StationRequest{Type: "browser"}), orchestrator.CodeNotFound, "user 999")
	if err := db.ForgetStation(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if st, _ := db.RememberedStation(ctx, u.ID); st != nil {
		t.Errorf("station after ForgetStation: %v", st)
	}
}

// A13: every state change is stamped and stored, and read back in order.
func TestAgentSessionsAndStateHistory(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	rec := orchestrator.AgentSessionRecord{UserID: 7, Role: "agent", StationType: orchestrator.StationExtension,
		StationNumber: "2001", TeamID: 3, StartedAt: t0}
	id := must[int64](t)(db.StartAgentSession(ctx, rec))
	rec.ID = id
	if got := must[orchestrator.AgentSessionRecord](t)(db.AgentSession(ctx, id)); got != rec {
		t.Errorf("AgentSession = %+v, want %+v", got, rec)
	}
	if open := must[[]orchestrator.AgentSessionRecord](t)(db.OpenAgentSessions(ctx)); len(open) != 1 || open[0] != rec {
		t.Errorf("OpenAgentSessions = %+v", open)
	}

	// Recorded out of order; read back oldest first.
	changes := []orchestrator.StateChange{
		{UserID: 7, SessionID: id, State: orchestrator.StateAvailable, At: t0},
		{UserID: 7, SessionID: id, State: orchestrator.StateIdle, Reason: "lunch", At: t0.Add(2 * time.Minute)},
		{UserID: 7, SessionID: id, State: orchestrator.StateRinging, At: t0.Add(time.Minute)},
		{UserID: 8, State: orchestrator.StateAvailable, At: t0},
	}
	for _, c := range changes {
		if err := db.RecordState(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got := must[[]orchestrator.StateChange](t)(db.StateHistory(ctx, 7))
	want := []orchestrator.StateChange{changes[0], changes[2], changes[1]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("StateHistory =\n%+v\nwant\n%+v", got, want)
	}
	if h := must[[]orchestrator.StateChange](t)(db.StateHistory(ctx, 99)); h == nil || len(h) != 0 {
		t.Errorf("StateHistory of nobody = %#v, want empty", h)
	}
	wantCode(t, db.RecordState(ctx, orchestrator.StateChange{UserID: 7, State: "napping", At: t0}), orchestrator.CodeInvalid, "state:")
	wantCode(t, db.RecordState(ctx, orchestrator.StateChange{UserID: 7, SessionID: 555, State: "idle", At: t0}),
		orchestrator.CodeNotFound, "agent session 555")

	wantCode(t, db.EndAgentSession(ctx, id, t0.Add(-time.Hour)), orchestrator.CodeInvalid, "before the session started")
	if err := db.EndAgentSession(ctx, id, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := must[orchestrator.AgentSessionRecord](t)(db.AgentSession(ctx, id)); !got.EndedAt.Equal(t0.Add(time.Hour)) {
		t.Errorf("EndedAt = %v", got.EndedAt)
	}
	if open := must[[]orchestrator.AgentSessionRecord](t)(db.OpenAgentSessions(ctx)); len(open) != 0 {
		t.Errorf("still open: %+v", open)
	}
	wantCode(t, db.EndAgentSession(ctx, 999, t0), orchestrator.CodeNotFound, "agent session 999")
	_, err := db.StartAgentSession(ctx, orchestrator.AgentSessionRecord{UserID: 1, Role: "boss", StationType: "fax"})
	wantCode(t, err, orchestrator.CodeInvalid, "role:", "station_type:", "started_at: missing")
}

func TestInteractionsUpsertAndEvents(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	r := orchestrator.InteractionRecord{ID: "ix-1", Queue: "sales", Caller: "+15550001111",
		State: orchestrator.InteractionQueued, ArrivedAt: t0,
		Variables: map[string]string{"account": "42", "card": "4111 1111"}}
	if err := db.SaveInteraction(ctx, r); err != nil {
		t.Fatal(err)
	}
	if got := must[orchestrator.InteractionRecord](t)(db.Interaction(ctx, "ix-1")); !reflect.DeepEqual(got, r) {
		t.Errorf("Interaction = %+v, want %+v", got, r)
	}
	// The same id again updates every field, variables included.
	r.State, r.AgentID, r.AnsweredAt, r.EndedAt = orchestrator.InteractionWrapup, 7, t0.Add(time.Minute), t0.Add(5*time.Minute)
	r.Variables = map[string]string{"account": "43"}
	if err := db.SaveInteraction(ctx, r); err != nil {
		t.Fatal(err)
	}
	if open := must[[]orchestrator.InteractionRecord](t)(db.OpenInteractions(ctx)); len(open) != 1 || open[0].ID != "ix-1" {
		t.Errorf("OpenInteractions = %+v", open)
	}
	r.State, r.WrappedAt, r.WrapupCode, r.Variables = orchestrator.InteractionDone, t0.Add(6*time.Minute), "sale", nil
	if err := db.SaveInteraction(ctx, r); err != nil {
		t.Fatal(err)
	}
	got := must[orchestrator.InteractionRecord](t)(db.Interaction(ctx, "ix-1"))
	r.Variables = map[string]string{}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("after upsert = %+v, want %+v", got, r)
	}
	if n := count(t, db, "interactions"); n != 1 {
		t.Errorf("%d interaction rows, want 1", n)
	}
	if open := must[[]orchestrator.InteractionRecord](t)(db.OpenInteractions(ctx)); len(open) != 0 {
		t.Errorf("done interaction still open: %+v", open)
	}
	_, err := db.Interaction(ctx, "nope")
	wantCode(t, err, orchestrator.CodeNotFound, `interaction "nope" not found`)
	wantCode(t, db.SaveInteraction(ctx, orchestrator.InteractionRecord{ID: "x", State: "lost"}),
		orchestrator.CodeInvalid, "state:", "arrived_at:")

	events := []orchestrator.InteractionEvent{
		{InteractionID: "ix-1", At: t0, Kind: "arrived"},
		{InteractionID: "ix-1", At: t0.Add(10 * time.Second), Kind: "offered", UserID: 7, Detail: "2001"},
		{InteractionID: "ix-1", At: t0.Add(10 * time.Second), Kind: "answered", UserID: 7},
	}
	for _, e := range events {
		if err := db.AppendInteractionEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if got := must[[]orchestrator.InteractionEvent](t)(db.InteractionEvents(ctx, "ix-1")); !reflect.DeepEqual(got, events) {
		t.Errorf("InteractionEvents =\n%+v\nwant\n%+v", got, events)
	}
	wantCode(t, db.AppendInteractionEvent(ctx, orchestrator.InteractionEvent{InteractionID: "ghost", At: t0, Kind: "x"}),
		orchestrator.CodeNotFound, `interaction "ghost" not found`)
	_, err = db.InteractionEvents(ctx, "ghost")
	wantCode(t, err, orchestrator.CodeNotFound)
}

func TestAudit(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	entries := []orchestrator.AuditEntry{
		{At: t0, ActorID: 1, Action: "monitor.start", TargetUserID: 7, InteractionID: "ix-1", Detail: "listen"},
		{At: t0.Add(time.Second), ActorID: 7, Action: "recording.pause", InteractionID: "ix-1"},
		{At: t0.Add(2 * time.Second), Action: "recording.resume", InteractionID: "ix-1", Detail: "privacy shield"},
	}
	for _, e := range entries {
		if err := db.Audit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	got := must[[]orchestrator.AuditEntry](t)(db.AuditLog(ctx, 0))
	want := []orchestrator.AuditEntry{entries[2], entries[1], entries[0]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("AuditLog =\n%+v\nwant\n%+v", got, want)
	}
	if got := must[[]orchestrator.AuditEntry](t)(db.AuditLog(ctx, 1)); len(got) != 1 || got[0].Action != "recording.resume" {
		t.Errorf("AuditLog(1) = %+v", got)
	}
	wantCode(t, db.Audit(ctx, orchestrator.AuditEntry{}), orchestrator.CodeInvalid, "action:", "at: missing")
}

// Many goroutines writing and reading at once, and a second handle on the
// same file (an admin CLI next to a running server): no "database is
// locked", no lost rows.
func TestConcurrentWritersAndReaders(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "r.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	const workers, each = 6, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each*3)
	for w := 0; w < workers; w++ {
		db := a
		if w%2 == 1 {
			db = b
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				errs <- db.RecordState(ctx, orchestrator.StateChange{UserID: int64(w + 1), State: "available", At: t0.Add(time.Duration(i) * time.Second)})
				_, err := db.AddTeam(ctx, teamNamed(fmt.Sprintf("t-%d-%d", w, i)))
				errs <- err
				_, err = db.Teams(ctx)
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, a, "agent_state_history"); n != workers*each {
		t.Errorf("%d state rows, want %d", n, workers*each)
	}
	if n := count(t, b, "teams"); n != workers*each {
		t.Errorf("%d teams, want %d", n, workers*each)
	}
}
