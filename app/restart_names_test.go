package app

import (
	"context"
	"slices"
	"testing"

	"github.com/ringside/ringside/orchestrator"
)

// P5 over ARI and pbxsim: the controller restarts while a supervisor
// monitors agent 1 and agent 1's consult waits in a queue. The previous
// run's monitor bridge and consult room may still be on the PBX under the
// names a new run would give again (Asterisk refuses a second bridge of an
// id with 409). After the restart the same supervisor monitors the same
// call again, and agent 1 consults again on it: both work. The old run's
// monitor bridge and snoop are swept away.
func TestRestartReusesNoPBXNames_P5(t *testing.T) {
	d := startDemo(t)
	ctx := context.Background()
	sign := func(login, role, ext string) int64 {
		uid := userID(t, d, login)
		if _, err := d.Orch.SignIn(ctx, orchestrator.SignInRequest{UserID: uid, Role: role,
			Station: orchestrator.StationRequest{Type: orchestrator.StationExtension, Number: ext}}); err != nil {
			t.Fatal(err)
		}
		return uid
	}
	a2 := sign("agent2@demo.local", "agent", "2002")
	must(t, d.Orch.SetState(ctx, a2, orchestrator.StateIdle, "break"))
	a1 := sign("agent1@demo.local", "agent", "2001")
	sup := sign("supervisor@demo.local", "supervisor", "3001")
	cust := placeCall(t, d, "support", "+15550601", nil)
	leg1 := answerStation(t, d, "PJSIP/2001")
	ix := waitAgent(t, d, a1, "connected", func(v *orchestrator.AgentView) bool {
		return v.Interaction != nil && v.Interaction.State == orchestrator.InteractionConnected
	}).Interaction.ID

	old, err := d.Orch.StartMonitor(ctx, sup, a1, orchestrator.MonitorListen)
	if err != nil {
		t.Fatal(err)
	}
	supLeg := answerStation(t, d, "PJSIP/3001")
	hears(t, d, leg1, supLeg, true, "the supervisor listens before the restart")
	support := orchestrator.Target{Type: orchestrator.TargetQueue, ID: queueID(t, d, "support")}
	must(t, d.Orch.Consult(ctx, a1, ix, support))
	waitAgent(t, d, a1, "consult waiting in support", func(v *orchestrator.AgentView) bool {
		return v.Interaction.Consult != nil && v.Interaction.Consult.State == orchestrator.ConsultQueued
	})

	t.Cleanup(func() { // what the PBX looked like, when it did not work out
		if t.Failed() {
			for _, l := range d.Sim.Legs() {
				t.Logf("PBX leg at the failure: %+v", l)
			}
			t.Logf("PBX bridges at the failure: %v", d.Sim.Bridges())
			evs, _ := d.DB.InteractionEvents(context.Background(), ix)
			for _, e := range evs {
				t.Logf("timeline: %+v", e)
			}
		}
	})
	if err := d.restartController(ctx); err != nil {
		t.Fatal(err)
	}
	waitAgent(t, d, a1, "back on the call, no consult", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateEngaged && v.Interaction != nil && v.Interaction.ID == ix &&
			v.Interaction.State == orchestrator.InteractionConnected && v.Interaction.Consult == nil
	})
	waitFor(t, "the restart's recovery hung up the old monitoring leg", func() bool {
		l, ok := d.Sim.Leg(supLeg)
		return !ok || l.State == "down"
	})
	hears(t, d, cust, leg1, true, "agent 1 hears the customer after the restart")
	// The old run's monitor bridge and its snoop on agent 1 are swept away.
	waitFor(t, "the old monitor bridge and snoop swept", func() bool {
		return !slices.Contains(d.Sim.Bridges(), "mon-"+string(old.ID)) && len(d.Sim.Snoops()) == 0
	})

	// The same supervisor monitors the same call again.
	if _, err := d.Orch.StartMonitor(ctx, sup, a1, orchestrator.MonitorListen); err != nil {
		t.Fatal(err)
	}
	supLeg2 := answerStation(t, d, "PJSIP/3001")
	waitAgent(t, d, sup, "monitoring again", func(v *orchestrator.AgentView) bool {
		return v.Monitoring != nil && v.Monitoring.State == orchestrator.MonitorActive
	})
	hears(t, d, leg1, supLeg2, true, "the supervisor hears agent 1 again")

	// Agent 1 consults again on the same call: the room is made afresh.
	must(t, d.Orch.Consult(ctx, a1, ix, support))
	must(t, d.Orch.SetState(ctx, a2, orchestrator.StateAvailable, ""))
	leg2 := answerStation(t, d, "PJSIP/2002")
	waitAgent(t, d, a1, "consult connected", func(v *orchestrator.AgentView) bool {
		c := v.Interaction.Consult
		return c != nil && c.State == orchestrator.ConsultConnected && c.With.UserID == a2
	})
	hears(t, d, leg1, leg2, true, "agent 2 hears agent 1 in the new consult room")
	hears(t, d, leg2, leg1, true, "agent 1 hears agent 2 in the new consult room")
}
