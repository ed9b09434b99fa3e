package app

import (
	"context"
	"testing"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/pbxsim"
)

// followRig: agents 1 and 2 (the demo's one team) signed in, a customer
// call connected to agent 1, and the supervisor on 3001 monitoring agent 1
// in mode, their station answered.
type followRig struct {
	d                  *Demo
	sup, uid1, uid2    int64
	ix                 string
	cust, agent1, supL string
	mon                orchestrator.MonitorID
}

func startFollowRig(t *testing.T, mode orchestrator.MonitorMode) *followRig {
	t.Helper()
	d := startDemo(t)
	ctx := context.Background()
	signIn(t, d, "agent1@demo.local", "2001")
	signIn(t, d, "agent2@demo.local", "2002")
	r := &followRig{d: d, sup: userID(t, d, "supervisor@demo.local"),
		uid1: userID(t, d, "agent1@demo.local"), uid2: userID(t, d, "agent2@demo.local")}
	if _, err := d.Orch.SignIn(ctx, orchestrator.SignInRequest{UserID: r.sup, Role: "supervisor",
		Station: orchestrator.StationRequest{Type: orchestrator.StationExtension, Number: "3001"}}); err != nil {
		t.Fatal(err)
	}
	r.cust = placeCall(t, d, "support", "+15550311", nil)
	r.agent1 = answerStation(t, d, "PJSIP/2001")
	r.ix = waitAgent(t, d, r.uid1, "connected", func(v *orchestrator.AgentView) bool {
		return v.Interaction != nil && v.Interaction.State == orchestrator.InteractionConnected
	}).Interaction.ID
	m, err := d.Orch.StartMonitor(ctx, r.sup, r.uid1, orchestrator.MonitorListen)
	if err != nil {
		t.Fatal(err)
	}
	r.mon = m.ID
	r.supL = answerStation(t, d, "PJSIP/3001")
	hears(t, d, r.agent1, r.supL, true, "supervisor hears agent 1")
	if mode != orchestrator.MonitorListen {
		must(t, d.Orch.ChangeMonitor(ctx, r.sup, r.mon, string(mode)))
	}
	return r
}

// followed checks the supervisor now monitors agent 2 on the same,
// never re-dialled station leg, and the agents' views say so.
func (r *followRig) followed(t *testing.T, mode orchestrator.MonitorMode) {
	t.Helper()
	v := waitAgent(t, r.d, r.sup, "monitoring agent 2", func(v *orchestrator.AgentView) bool {
		return v.Monitoring != nil && v.Monitoring.AgentID == r.uid2 && v.Monitoring.State == orchestrator.MonitorActive
	})
	if v.Monitoring.ID != r.mon || v.Monitoring.Mode != mode {
		t.Fatalf("monitoring after the transfer: %+v", v.Monitoring)
	}
	waitAgent(t, r.d, r.uid2, "shown monitored", func(v *orchestrator.AgentView) bool { return v.MonitoredBy == "Sam Supervisor" })
	waitAgent(t, r.d, r.uid1, "no longer shown monitored", func(v *orchestrator.AgentView) bool { return v.MonitoredBy == "" })
	var legs int
	for _, l := range r.d.Sim.Legs() {
		if l.Endpoint == "PJSIP/3001" {
			legs++
		}
	}
	if l, ok := r.d.Sim.Leg(r.supL); legs != 1 || !ok || l.State != pbxsim.LegUp {
		t.Fatalf("the supervisor's station: %d legs dialled, leg %s %+v", legs, r.supL, l)
	}
}

// M2, M5.4 end to end over ARI: agent 1 blind-transfers the call to agent 2
// of the same team; the listening supervisor, on the same leg, now hears
// agent 2 and the customer, and neither hears the supervisor.
func TestMonitorFollowsBlindTransferOverARI_M5_4(t *testing.T) {
	r := startFollowRig(t, orchestrator.MonitorListen)
	d, ctx := r.d, context.Background()
	must(t, d.Orch.Transfer(ctx, r.uid1, r.ix, orchestrator.Target{Type: orchestrator.TargetAgent, ID: r.uid2}, orchestrator.TransferBlind))
	agent2 := answerStation(t, d, "PJSIP/2002")
	r.followed(t, orchestrator.MonitorListen)
	hears(t, d, agent2, r.supL, true, "supervisor hears agent 2")
	hears(t, d, r.cust, r.supL, true, "supervisor hears the customer")
	hears(t, d, r.supL, agent2, false, "agent 2 does not hear the listening supervisor")
	hears(t, d, r.supL, r.cust, false, "the customer does not hear the listening supervisor")
	hears(t, d, agent2, r.cust, true, "agent 2 and the customer talk")
	// M5.6 as before: End ends it; the supervisor hears nothing more.
	must(t, d.Orch.StopMonitor(ctx, r.sup, r.mon))
	hears(t, d, agent2, r.supL, false, "after End the supervisor hears nothing")
}

// M4, M5.3, M5.4 end to end over ARI: the supervisor barges, agent 1
// consults agent 2 (the supervisor is held) and transfers to them: the
// barge continues with agent 2, all three hearing each other.
func TestMonitorBargeFollowsConsultTransferOverARI_M5_4(t *testing.T) {
	r := startFollowRig(t, orchestrator.MonitorBarge)
	d, ctx := r.d, context.Background()
	hears(t, d, r.supL, r.cust, true, "the customer hears the barging supervisor")
	must(t, d.Orch.Consult(ctx, r.uid1, r.ix, orchestrator.Target{Type: orchestrator.TargetAgent, ID: r.uid2}))
	agent2 := answerStation(t, d, "PJSIP/2002")
	waitAgent(t, d, r.uid1, "consult connected", func(v *orchestrator.AgentView) bool {
		return v.Interaction != nil && v.Interaction.Consult != nil && v.Interaction.Consult.State == orchestrator.ConsultConnected
	})
	hears(t, d, r.supL, agent2, false, "agent 2 does not hear the held supervisor")
	must(t, d.Orch.Transfer(ctx, r.uid1, r.ix, orchestrator.Target{}, orchestrator.TransferConsult))
	r.followed(t, orchestrator.MonitorBarge)
	for _, p := range [][2]string{{r.supL, agent2}, {r.supL, r.cust}, {agent2, r.supL}, {r.cust, r.supL}, {agent2, r.cust}, {r.cust, agent2}} {
		hears(t, d, p[0], p[1], true, p[0]+" heard by "+p[1]+" in the barge after the transfer")
	}
}
