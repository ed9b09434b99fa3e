package store

import (
	"context"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// P5: a restarted controller reads back each open sign-in's last state.
func TestLastSessionState_P5(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	start := func(user int64) int64 {
		return must[int64](t)(db.StartAgentSession(ctx, orchestrator.AgentSessionRecord{UserID: user, Role: "agent",
			StationType: orchestrator.StationExtension, StationNumber: "2001", StartedAt: t0}))
	}
	s1, s2 := start(7), start(7)
	_, err := db.LastSessionState(ctx, 7, s1)
	wantCode(t, err, orchestrator.CodeNotFound, "no state stored")
	for _, c := range []orchestrator.StateChange{
		{UserID: 7, SessionID: s1, State: orchestrator.StateAvailable, At: t0},
		{UserID: 7, SessionID: s1, State: orchestrator.StateIdle, Reason: "lunch", At: t0.Add(time.Minute)},
		// Written later with the same time: the later row wins.
		{UserID: 7, SessionID: s1, State: orchestrator.StateIdle, Reason: "break", At: t0.Add(time.Minute)},
		// Another sign-in of the same user, and another user, later still.
		{UserID: 7, SessionID: s2, State: orchestrator.StateRONA, Reason: "no_answer", At: t0.Add(time.Hour)},
		{UserID: 8, State: orchestrator.StateEngaged, At: t0.Add(time.Hour)},
	} {
		if err := db.RecordState(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	got := must[orchestrator.StateChange](t)(db.LastSessionState(ctx, 7, s1))
	want := orchestrator.StateChange{UserID: 7, SessionID: s1, State: orchestrator.StateIdle, Reason: "break", At: t0.Add(time.Minute)}
	if got != want {
		t.Errorf("LastSessionState = %+v, want %+v", got, want)
	}
	if got := must[orchestrator.StateChange](t)(db.LastSessionState(ctx, 7, s2)); got.State != orchestrator.StateRONA {
		t.Errorf("second session's last state = %+v", got)
	}
	_, err = db.LastSessionState(ctx, 8, s1)
	wantCode(t, err, orchestrator.CodeNotFound)
}

// P5: the legs of an interaction are stored, so a restarted controller can
// find the call again on the PBX; open interactions carry them.
func TestInteractionLegs_P5(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	r := orchestrator.InteractionRecord{ID: "ix-1", Queue: "sales", Caller: "+15550001111",
		State: orchestrator.InteractionConnected, AgentID: 7, ArrivedAt: t0, AnsweredAt: t0.Add(time.Second),
		CustomerLeg: "1700000000.42", AgentLeg: "ix-1-leg-1", Variables: map[string]string{}}
	if err := db.SaveInteraction(ctx, r); err != nil {
		t.Fatal(err)
	}
	open := must[[]orchestrator.InteractionRecord](t)(db.OpenInteractions(ctx))
	if len(open) != 1 || open[0].CustomerLeg != r.CustomerLeg || open[0].AgentLeg != r.AgentLeg {
		t.Fatalf("OpenInteractions = %+v", open)
	}
	// A requeue clears the handler's leg; the update stores that too.
	r.State, r.AgentLeg = orchestrator.InteractionQueued, ""
	if err := db.SaveInteraction(ctx, r); err != nil {
		t.Fatal(err)
	}
	if got := must[orchestrator.InteractionRecord](t)(db.Interaction(ctx, "ix-1")); got.AgentLeg != "" || got.CustomerLeg != r.CustomerLeg {
		t.Errorf("after requeue: %+v", got)
	}
	long := make([]byte, 129)
	for i := range long {
		long[i] = 'x'
	}
	r.CustomerLeg, r.AgentLeg = orchestrator.LegID(long), orchestrator.LegID(long)
	wantCode(t, db.SaveInteraction(ctx, r), orchestrator.CodeInvalid, "customer_leg:", "agent_leg:")
}

// Rows written before migration 0005 read back with no legs, which the
// orchestrator closes rather than leaves open (P5).
func TestInteractionLegsMigrationDefault_P5(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if _, err := db.w.ExecContext(ctx, `INSERT INTO interactions (id, queue, caller, state, arrived_at)
		VALUES ('old', 'sales', '+1555', 'connected', ?)`, formatTime(t0)); err != nil {
		t.Fatal(err)
	}
	got := must[orchestrator.InteractionRecord](t)(db.Interaction(ctx, "old"))
	if got.CustomerLeg != "" || got.AgentLeg != "" {
		t.Errorf("legs of an old row = %q, %q", got.CustomerLeg, got.AgentLeg)
	}
}
