package app

import (
	"context"
	"strings"
	"testing"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/pbxsim"
)

// P5 end to end over ARI and pbxsim: the controller stops while agent 1 is
// on a recorded call and agent 2 is Idle (lunch); the simulated PBX and the
// database stay. A new controller on the same PBX and database finds it all
// again with no manual step: agent 1 is signed in and On a call with the
// same interaction, caller and agent still hear each other, the recording
// goes on in a new file; agent 2 is Idle for lunch. Ending the call gives
// wrap-up, and the interaction is stored once with its whole timeline,
// the restart included.
func TestRestartControllerResumesCalls_P5(t *testing.T) {
	d := startDemo(t)
	ctx := context.Background()
	sign := func(login, ext string) int64 {
		uid := userID(t, d, login)
		if _, err := d.Orch.SignIn(ctx, orchestrator.SignInRequest{UserID: uid, Role: "agent",
			Station: orchestrator.StationRequest{Type: orchestrator.StationExtension, Number: ext}}); err != nil {
			t.Fatal(err)
		}
		return uid
	}
	a2 := sign("agent2@demo.local", "2002")
	must(t, d.Orch.SetState(ctx, a2, orchestrator.StateIdle, "lunch"))
	a1 := sign("agent1@demo.local", "2001")
	cust := placeCall(t, d, "support", "+15550501", map[string]string{"account": "AC-1"})
	leg := answerStation(t, d, "PJSIP/2001")
	ix := waitAgent(t, d, a1, "on the call", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateEngaged && v.Interaction != nil && v.Interaction.State == orchestrator.InteractionConnected
	}).Interaction.ID
	hears(t, d, cust, leg, true, "agent hears caller before the restart")

	oldURL := d.URL
	if err := d.restartController(ctx); err != nil {
		t.Fatal(err)
	}
	if d.URL == oldURL {
		t.Fatal("the new controller should serve on a new address")
	}

	v := waitAgent(t, d, a1, "On a call with the same interaction", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateEngaged && v.Interaction != nil && v.Interaction.ID == ix &&
			v.Interaction.State == orchestrator.InteractionConnected
	})
	if v.Station.Number != "2001" {
		t.Errorf("agent 1's station after the restart: %+v", v.Station)
	}
	// The calls are settled once the PBX has listed its legs; the
	// timeline says so.
	waitFor(t, "the call is recovered on the PBX", func() bool {
		evs, err := d.DB.InteractionEvents(ctx, ix)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.Kind == "recording_continued" {
				return true
			}
		}
		return false
	})
	hears(t, d, cust, leg, true, "agent hears caller after the restart")
	hears(t, d, leg, cust, true, "caller hears agent after the restart")
	for _, id := range []string{cust, leg} {
		if l, _ := d.Sim.Leg(id); l.State != pbxsim.LegUp {
			t.Fatalf("leg %s is %s after the restart", id, l.State)
		}
	}
	if v2 := waitAgent(t, d, a2, "Idle", func(v *orchestrator.AgentView) bool { return v.State == orchestrator.StateIdle }); v2.Reason != "lunch" {
		t.Errorf("agent 2 came back Idle with reason %q, want lunch", v2.Reason)
	}

	must(t, d.Sim.Hangup(cust))
	waitAgent(t, d, a1, "in wrap-up", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateWrapup && v.Interaction != nil && v.Interaction.ID == ix
	})
	must(t, d.Orch.Wrapup(ctx, a1, ix, "resolved"))
	waitAgent(t, d, a1, "Available", func(v *orchestrator.AgentView) bool { return v.State == orchestrator.StateAvailable })

	var rec orchestrator.InteractionRecord
	waitFor(t, "the interaction is stored done", func() bool {
		var err error
		rec, err = d.DB.Interaction(ctx, ix)
		return err == nil && rec.State == orchestrator.InteractionDone
	})
	if rec.AgentID != a1 || rec.WrapupCode != "resolved" || rec.Variables["account"] != "AC-1" || rec.AnsweredAt.IsZero() {
		t.Errorf("stored interaction: %+v", rec)
	}
	open, err := d.DB.OpenInteractions(ctx)
	if err != nil || len(open) != 0 {
		t.Errorf("open interactions after wrap-up: %+v %v", open, err)
	}
	events, err := d.DB.InteractionEvents(ctx, ix)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	var recovered string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
		if e.Kind == "recovered" {
			recovered = e.Detail
		}
	}
	got := strings.Join(kinds, " ")
	for _, want := range []string{"arrived", "offered", "answered", "recording_started", "recovered", "recording_continued", "ended", "wrapped_up"} {
		if !strings.Contains(got, want) {
			t.Errorf("timeline %q lacks %s", got, want)
		}
	}
	if !strings.Contains(recovered, "recovered after a controller restart") {
		t.Errorf("recovered event detail %q", recovered)
	}
}
