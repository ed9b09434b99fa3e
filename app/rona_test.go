package app

import (
	"context"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/pbxsim"
)

// A3 end to end over ARI and pbxsim: agent 1's station never answers, so
// agent 1 goes RONA, and the call keeps its place: it is offered to the next
// agent who becomes available before a call that arrived later.
func TestRONAOverARI_A3(t *testing.T) {
	d := startDemo(t)
	ctx := context.Background()
	setRingTime(t, d, "support", time.Second)
	d.Sim.SetBehavior("PJSIP/2001", pbxsim.Behavior{Outcome: pbxsim.NoAnswer})
	a1, a2 := userID(t, d, "agent1@demo.local"), userID(t, d, "agent2@demo.local")
	ext := func(n string) orchestrator.StationRequest {
		return orchestrator.StationRequest{Type: orchestrator.StationExtension, Number: n}
	}
	if _, err := d.Orch.SignIn(ctx, orchestrator.SignInRequest{UserID: a1, Role: "agent", Station: ext("2001")}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Orch.SignIn(ctx, orchestrator.SignInRequest{UserID: a2, Role: "agent", Station: ext("2002")}); err != nil {
		t.Fatal(err)
	}
	if err := d.Orch.SetState(ctx, a2, orchestrator.StateIdle, "break"); err != nil {
		t.Fatal(err)
	}

	placeCall(t, d, "support", "+15550001", nil)
	waitAgent(t, d, a1, "offered the first call", func(v *orchestrator.AgentView) bool { return v.State == orchestrator.StateRinging })
	placeCall(t, d, "support", "+15550002", nil) // waits: nobody else is available
	waitAgent(t, d, a1, "RONA", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateRONA && v.Interaction == nil
	})

	if err := d.Orch.SetState(ctx, a2, orchestrator.StateAvailable, ""); err != nil {
		t.Fatal(err)
	}
	v := waitAgent(t, d, a2, "offered a call", func(v *orchestrator.AgentView) bool { return v.Interaction != nil })
	if v.Interaction.Caller != "+15550001" {
		t.Fatalf("agent 2 was offered %s; the call back from RONA must go first", v.Interaction.Caller)
	}
	// The agent's station really rings on the PBX.
	waitFor(t, "agent 2's station rings on the PBX", func() bool {
		for _, l := range d.Sim.Legs() {
			if l.Endpoint == "PJSIP/2002" && l.State == "ringing" {
				return true
			}
		}
		return false
	})
	// RONA is in the stored state history (A13).
	hist, err := d.DB.StateHistory(ctx, a1)
	if err != nil {
		t.Fatal(err)
	}
	if last := hist[len(hist)-1]; last.State != orchestrator.StateRONA {
		t.Fatalf("last stored state of agent 1 = %+v", last)
	}
}
