package app

import (
	"strings"
	"testing"

	"github.com/ringside/ringside/orchestrator"
)

// answerStation answers the simulated station leg that rings on endpoint.
func answerStation(t *testing.T, d *Demo, endpoint string) string {
	t.Helper()
	id := ringingLeg(t, d, endpoint)
	if err := d.Sim.Answer(id); err != nil {
		t.Fatal(err)
	}
	return id
}

// A7, A6.4, A10.4 over HTTP on the real stack: every forbidden action is
// answered 409 with the reason.
func TestForbiddenActionsAre409WithReason_A7_A10_4(t *testing.T) {
	d := startDemo(t)
	a1 := signIn(t, d, "agent1@demo.local", "2001")
	placeCall(t, d, "support", "+15550111", nil)
	answerStation(t, d, "PJSIP/2001")
	uid1 := userID(t, d, "agent1@demo.local")
	ix := waitAgent(t, d, uid1, "connected", func(v *orchestrator.AgentView) bool {
		return v.Interaction != nil && v.Interaction.State == orchestrator.InteractionConnected
	}).Interaction.ID
	p := "/api/v1/interactions/" + ix

	a1.conflict("POST", p+"/consult/exit", nil) // agent 1 has no consult to exit
	a2 := signIn(t, d, "agent2@demo.local", "2002")
	uid2 := userID(t, d, "agent2@demo.local")
	a1.must("POST", p+"/consult", map[string]any{"target": map[string]any{"type": "agent", "id": uid2}}, 204)
	// A6.4: before agent 2 answers.
	if msg := a1.conflict("POST", p+"/transfer", map[string]any{"mode": "consult"}); !strings.Contains(msg, "not answered") {
		t.Fatalf("transfer before the answer: %q", msg)
	}
	a1.conflict("POST", p+"/conference", nil)
	answerStation(t, d, "PJSIP/2002")
	waitAgent(t, d, uid2, "in the consult", func(v *orchestrator.AgentView) bool { return v.State == orchestrator.StateEngaged })

	// A7: agent 2 cannot resume, end the consult, transfer, conference or wrap up.
	for _, path := range []string{"/resume", "/consult/end", "/conference", "/hold", "/end", "/recording/pause"} {
		a2.conflict("POST", p+path, nil)
	}
	a2.conflict("POST", p+"/transfer", map[string]any{"mode": "consult"})
	a2.conflict("POST", p+"/wrapup", map[string]any{"code": "resolved"})
	// Agent 1 cannot exit (they end), nor end the call mid-consult.
	a1.conflict("POST", p+"/consult/exit", nil)
	a1.conflict("POST", p+"/end", nil)
	// A10.4: no recording pause or resume during a consult or conference.
	if msg := a1.conflict("POST", p+"/recording/pause", nil); !strings.Contains(msg, "consult") {
		t.Fatalf("pause during consult: %q", msg)
	}
	a1.must("POST", p+"/conference", nil, 204)
	if msg := a1.conflict("POST", p+"/recording/pause", nil); !strings.Contains(msg, "conference") {
		t.Fatalf("pause during conference: %q", msg)
	}
	a1.conflict("POST", p+"/recording/resume", nil)
	// Exit the conference as agent 2; the recording can be paused again.
	a2.must("POST", p+"/consult/exit", nil, 204)
	a1.must("POST", p+"/recording/pause", nil, 204)
	a1.conflict("POST", p+"/recording/pause", nil)
	a1.must("POST", p+"/recording/resume", nil, 204)
}
