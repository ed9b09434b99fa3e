package app

import (
	"context"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/pbxsim"
)

// P4, S9 end to end over ARI and pbxsim: the PBX link drops while three
// calls are in progress, and things happen that the controller cannot see:
//   - call 1's caller hangs up;
//   - call 2 just goes on talking;
//   - call 3 rings agent 3, who answers; with no WebSocket for the
//     application Asterisk hangs the answered station up (PBX-NOTES).
//
// When the link is back, with no manual step, the controller has caught
// up: agent 1 is in wrap-up and their station hung up, agent 2 is still on
// the call with audio both ways, agent 3 is in RONA and call 3 waits in its
// queue, hearing music, and is offered to the next agent who is free.
func TestResyncAfterLinkLoss_P4(t *testing.T) {
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
	connected := func(uid int64) func(*orchestrator.AgentView) bool {
		return func(v *orchestrator.AgentView) bool {
			return v.State == orchestrator.StateEngaged && v.Interaction != nil && v.Interaction.State == orchestrator.InteractionConnected
		}
	}

	a1 := sign("agent1@demo.local", "2001")
	cust1 := placeCall(t, d, "support", "+15550401", nil)
	leg1 := answerStation(t, d, "PJSIP/2001")
	ix1 := waitAgent(t, d, a1, "on call 1", connected(a1)).Interaction.ID

	a2 := sign("agent2@demo.local", "2002")
	cust2 := placeCall(t, d, "support", "+15550402", nil)
	leg2 := answerStation(t, d, "PJSIP/2002")
	waitAgent(t, d, a2, "on call 2", connected(a2))
	hears(t, d, cust2, leg2, true, "agent 2 hears caller 2")

	a3 := sign("agent3@demo.local", "2003")
	cust3 := placeCall(t, d, "support", "+15550403", nil)
	leg3 := ringingLeg(t, d, "PJSIP/2003")
	ix3 := waitAgent(t, d, a3, "offered call 3", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateRinging && v.Interaction != nil
	}).Interaction.ID

	d.Sim.DropLink()
	waitFor(t, "the controller sees the link down (S9 banner)", func() bool { return !d.Orch.PBXLinkUp() })
	must(t, d.Sim.Hangup(cust1))
	must(t, d.Sim.Answer(leg3))
	if l, _ := d.Sim.Leg(leg3); l.State != pbxsim.LegDown {
		t.Fatalf("agent 3's station answered into an application without a WebSocket is %s; Asterisk hangs it up", l.State)
	}
	time.Sleep(300 * time.Millisecond) // an outage long enough for a failed reconnection or two
	d.Sim.RestoreLink()
	waitFor(t, "the link is back and the banner gone", d.Orch.PBXLinkUp)

	// Call 1: the caller left, so the call ended and agent 1 wraps up.
	v := waitAgent(t, d, a1, "in wrap-up for call 1", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateWrapup && v.Interaction != nil && v.Interaction.ID == ix1
	})
	if v.Interaction.State != orchestrator.InteractionWrapup {
		t.Fatalf("call 1 after the resync: %+v", v.Interaction)
	}
	waitFor(t, "agent 1's station is hung up", func() bool {
		l, ok := d.Sim.Leg(leg1)
		return ok && l.State == pbxsim.LegDown
	})

	// Call 3: the station is gone, so agent 3 is RONA and the call waits.
	waitAgent(t, d, a3, "RONA", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateRONA && v.Interaction == nil
	})
	waitFor(t, "caller 3 waits with music", func() bool {
		ok, err := d.Sim.HearsMusic(cust3)
		return err == nil && ok
	})

	// Call 2 went on across the outage and still does, audio intact.
	waitAgent(t, d, a2, "still on call 2", connected(a2))
	hears(t, d, cust2, leg2, true, "agent 2 still hears caller 2")
	hears(t, d, leg2, cust2, true, "caller 2 still hears agent 2")
	if l, _ := d.Sim.Leg(cust2); l.State != pbxsim.LegUp {
		t.Fatalf("caller 2 is %s after the outage", l.State)
	}

	// Agent 1 wraps up and is free: call 3 is offered to them.
	must(t, d.Orch.Wrapup(ctx, a1, ix1, "resolved"))
	waitAgent(t, d, a1, "offered call 3", func(v *orchestrator.AgentView) bool {
		return v.State == orchestrator.StateRinging && v.Interaction != nil && v.Interaction.ID == ix3
	})
	ringingLeg(t, d, "PJSIP/2001")
}
