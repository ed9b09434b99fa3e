package app

import (
	"context"
	"testing"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/pbxsim"
)

// A6.1, A6.3, A6.4, A6.5, A8.2 end to end over HTTP, ARI and pbxsim: agent
// 1 consults queue support while agent 2, its only other agent, is Idle.
// The consult waits in the queue; agent 2 goes Available, is offered it and
// answers; agent 1 and agent 2 hear each other while the customer hears
// music; then the consult transfer hands the call to agent 2.
func TestConsultToQueueWaitsOverARI_A6_1(t *testing.T) {
	d := startDemo(t)
	ctx := context.Background()
	a1 := signIn(t, d, "agent1@demo.local", "2001")
	a2 := signIn(t, d, "agent2@demo.local", "2002")
	uid1, uid2 := userID(t, d, "agent1@demo.local"), userID(t, d, "agent2@demo.local")
	a2.must("PUT", "/api/v1/session/state", map[string]any{"state": "idle", "reason_code": "break"}, 204)

	cust := placeCall(t, d, "support", "+15550421", nil)
	leg1 := answerStation(t, d, "PJSIP/2001")
	ix := waitAgent(t, d, uid1, "connected", func(v *orchestrator.AgentView) bool {
		return v.Interaction != nil && v.Interaction.State == orchestrator.InteractionConnected
	}).Interaction.ID
	p := "/api/v1/interactions/" + ix
	hears(t, d, leg1, cust, true, "agent 1 and the customer talk")

	// Nobody of support is ready: the consult waits rather than failing.
	a1.must("POST", p+"/consult", map[string]any{"target": map[string]any{"type": "queue", "id": queueID(t, d, "support")}}, 204)
	v := waitAgent(t, d, uid1, "waiting in queue support", func(v *orchestrator.AgentView) bool {
		c := v.Interaction.Consult
		return c != nil && c.State == orchestrator.ConsultQueued && c.Queue == "support" && !c.Since.IsZero()
	})
	if !v.Interaction.Held {
		t.Fatal("A6.3: the customer is not held while the consult waits")
	}
	a1.conflict("POST", p+"/transfer", map[string]any{"mode": "consult"}) // A6.4
	waitFor(t, "the customer on music", func() bool {
		l, ok := d.Sim.Leg(cust)
		return ok && l.State == pbxsim.LegHeld
	})
	for _, l := range d.Sim.Legs() {
		if l.Endpoint == "PJSIP/2002" {
			t.Fatalf("agent 2's station was dialled while Idle: %+v", l)
		}
	}

	a2.must("PUT", "/api/v1/session/state", map[string]any{"state": "available"}, 204)
	w := waitAgent(t, d, uid2, "offered the consult", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateRinging && v.Interaction != nil
	})
	if w.Interaction.Role != orchestrator.RoleConsulted || w.Interaction.From == nil || w.Interaction.From.UserID != uid1 {
		t.Fatalf("A6.5: agent 2's consult popover: %+v", w.Interaction)
	}
	leg2 := answerStation(t, d, "PJSIP/2002")
	waitAgent(t, d, uid1, "consult connected", func(v *orchestrator.AgentView) bool {
		c := v.Interaction.Consult
		return c != nil && c.State == orchestrator.ConsultConnected && c.With.UserID == uid2 && v.Interaction.Actions[orchestrator.ActionTransfer].Allowed
	})
	hears(t, d, leg1, leg2, true, "agent 2 hears agent 1")
	hears(t, d, leg2, leg1, true, "agent 1 hears agent 2")
	hears(t, d, leg1, cust, false, "the held customer does not hear agent 1")
	hears(t, d, leg2, cust, false, "the held customer does not hear agent 2")
	if l, _ := d.Sim.Leg(cust); l.State != pbxsim.LegHeld {
		t.Fatalf("the customer is not on music during the consult: %+v", l)
	}

	a1.must("POST", p+"/transfer", map[string]any{"mode": "consult"}, 204)
	waitAgent(t, d, uid1, "in wrap-up", func(v *orchestrator.AgentView) bool { return v.State == orchestrator.StateWrapup })
	waitAgent(t, d, uid2, "owning the call", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateEngaged && v.Interaction != nil && v.Interaction.Role == orchestrator.RoleOwner
	})
	hears(t, d, leg2, cust, true, "the customer hears agent 2")
	hears(t, d, cust, leg2, true, "agent 2 hears the customer")
	waitFor(t, "agent 1's leg gone", func() bool {
		l, ok := d.Sim.Leg(leg1)
		return !ok || l.State == pbxsim.LegDown
	})
	must(t, d.Orch.EndInteraction(ctx, uid2, ix))
}
