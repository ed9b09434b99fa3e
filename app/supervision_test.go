package app

import (
	"context"
	"testing"

	"github.com/ringside/ringside/orchestrator"
)

// hears waits until from→to audio is as wanted on the simulated PBX.
func hears(t *testing.T, d *Demo, from, to string, want bool, what string) {
	t.Helper()
	waitFor(t, what, func() bool {
		ok, err := d.Sim.Hears(from, to)
		return err == nil && ok == want
	})
}

// M2–M5.3 audio paths end to end over ARI: listen, pause, whisper, barge,
// and a barging supervisor held while the agent consults, restored after.
func TestMonitoringAudioPaths_M2_M5_3(t *testing.T) {
	d := startDemo(t)
	ctx := context.Background()
	signIn(t, d, "agent1@demo.local", "2001")
	signIn(t, d, "agent2@demo.local", "2002")
	sup := userID(t, d, "supervisor@demo.local")
	if _, err := d.Orch.SignIn(ctx, orchestrator.SignInRequest{UserID: sup, Role: "supervisor",
		Station: orchestrator.StationRequest{Type: orchestrator.StationExtension, Number: "3001"}}); err != nil {
		t.Fatal(err)
	}
	cust := placeCall(t, d, "support", "+15550301", nil)
	agentLeg := answerStation(t, d, "PJSIP/2001")
	uid1 := userID(t, d, "agent1@demo.local")
	ix := waitAgent(t, d, uid1, "connected", func(v *orchestrator.AgentView) bool {
		return v.Interaction != nil && v.Interaction.State == orchestrator.InteractionConnected
	}).Interaction.ID

	m, err := d.Orch.StartMonitor(ctx, sup, uid1, orchestrator.MonitorListen)
	if err != nil {
		t.Fatal(err)
	}
	supLeg := answerStation(t, d, "PJSIP/3001")
	// M2: the supervisor hears both; neither hears the supervisor.
	hears(t, d, agentLeg, supLeg, true, "supervisor hears the agent")
	hears(t, d, cust, supLeg, true, "supervisor hears the customer")
	hears(t, d, supLeg, agentLeg, false, "agent does not hear a listening supervisor")
	hears(t, d, supLeg, cust, false, "customer does not hear a listening supervisor")
	// M3: paused, the supervisor hears nothing.
	must(t, d.Orch.ChangeMonitor(ctx, sup, m.ID, "pause"))
	hears(t, d, agentLeg, supLeg, false, "paused supervisor hears nothing")
	must(t, d.Orch.ChangeMonitor(ctx, sup, m.ID, "resume"))
	hears(t, d, agentLeg, supLeg, true, "resumed supervisor hears again")
	// M7 whisper: the agent alone hears the supervisor.
	must(t, d.Orch.ChangeMonitor(ctx, sup, m.ID, "whisper"))
	hears(t, d, supLeg, agentLeg, true, "agent hears the whisper")
	hears(t, d, supLeg, cust, false, "customer does not hear the whisper")
	// M4 barge: all three hear each other.
	must(t, d.Orch.ChangeMonitor(ctx, sup, m.ID, "barge"))
	hears(t, d, supLeg, cust, true, "customer hears the barging supervisor")
	hears(t, d, supLeg, agentLeg, true, "agent hears the barging supervisor")
	hears(t, d, cust, supLeg, true, "barging supervisor hears the customer")

	// M5.3: the agent consults: the supervisor is held, then the barge continues.
	uid2 := userID(t, d, "agent2@demo.local")
	must(t, d.Orch.Consult(ctx, uid1, ix, orchestrator.Target{Type: orchestrator.TargetAgent, ID: uid2}))
	agent2Leg := answerStation(t, d, "PJSIP/2002")
	hears(t, d, supLeg, agentLeg, false, "agent does not hear the held supervisor")
	hears(t, d, supLeg, agent2Leg, false, "agent 2 does not hear the held supervisor")
	hears(t, d, agentLeg, supLeg, false, "held supervisor does not hear the consult")
	must(t, d.Orch.EndConsult(ctx, uid1, ix))
	hears(t, d, supLeg, cust, true, "barge restored: customer hears the supervisor")
	hears(t, d, cust, supLeg, true, "barge restored: supervisor hears the customer")
	// M5.6: End ends the barge.
	must(t, d.Orch.StopMonitor(ctx, sup, m.ID))
	hears(t, d, supLeg, cust, false, "after End nobody hears the supervisor")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
