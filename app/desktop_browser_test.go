package app

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ringside/ringside/internal/browsertest"
	"github.com/ringside/ringside/orchestrator"
)

// The walking skeleton end to end, in a real browser against the real demo
// stack (pbxsim spoken to through the ARI adapter, SQLite): an agent signs
// in on an extension (S4.2), goes Available (A2), a customer call placed
// through /api/v1/sim pops the contact request with its variables and
// without the secure one (A1), the simulated phone answers (A4), the timer
// runs, the agent ends the call, picks a wrap-up code (A12) and is Available
// again; the interaction and the state history are in SQLite (A13).
func TestAgentHandlesCallInBrowser(t *testing.T) {
	d := startDemo(t)
	b := browsertest.New(t, d.URL, "agent")
	b.Do("open", chromedp.Navigate(d.URL+"/"), chromedp.WaitVisible("#login"))
	b.Do("sign in", chromedp.SendKeys("#login", "agent1@demo.local"), chromedp.SendKeys("#password", DemoPassword+"\r"),
		chromedp.WaitVisible("#station-select"))
	b.Wait("personal extension first (R6)", `document.querySelector('#station-select').value === '2001'`)
	b.Do("start", chromedp.Click("#start-session"), chromedp.WaitVisible("#state-select"), chromedp.WaitVisible("#sim-handset"))
	b.WaitText("#station-label", "2001")
	b.Screenshot("desktop")

	// Go Idle, then Available again from the state picker.
	b.Pick("#state-select", "idle:break")
	b.WaitText("#waiting-title", "Break")
	b.Pick("#state-select", "available")
	b.Wait("available", `document.querySelector('#state-select').value === 'available'`)

	cust := placeCall(t, d, "support", "+15550123", map[string]string{
		"customer_name": "Dana Customer", "account": "AC-77", "reason": "Billing", "card_last4": "4242",
	})
	b.Do("contact request", chromedp.WaitVisible("#offer-popover"))
	b.WaitText("#offer-vars", "Dana Customer")
	vars := b.Text("#offer-vars")
	for _, want := range []string{"AC-77", "Billing"} {
		if !strings.Contains(vars, want) {
			t.Fatalf("popover %q lacks %q (A1)", vars, want)
		}
	}
	if strings.Contains(vars, "4242") || strings.Contains(vars, "Card") || strings.Contains(vars, "*****") {
		t.Fatalf("popover %q shows the secure variable (A1, A11.3)", vars)
	}
	b.Screenshot("offer")

	// The simulated handset answers the agent's station.
	b.Wait("handset rings", `document.querySelector('#sim-handset [data-testid=sim-answer]') !== null`)
	b.Do("answer", chromedp.Click("#sim-handset [data-testid=sim-answer]"), chromedp.WaitVisible("#call-panel"))
	b.WaitText("#call-caller", "+15550123")
	b.WaitText("#call-queue", "support")
	first := b.Seconds("#call-timer")
	b.Wait("timer runs", fmt.Sprintf(`(() => { const p = document.querySelector('#call-timer').textContent.split(':').map(Number); return p.reduce((a, x) => a * 60 + x, 0) > %d; })()`, first))
	// The PBX really bridged the two: each hears the other.
	agentLeg := ""
	for _, l := range d.Sim.Legs() {
		if l.Endpoint == "PJSIP/2001" && l.State == "up" {
			agentLeg = l.ID
		}
	}
	for _, pair := range [][2]string{{cust, agentLeg}, {agentLeg, cust}} {
		if ok, err := d.Sim.Hears(pair[0], pair[1]); err != nil || !ok {
			t.Fatalf("%s does not hear %s (%v)", pair[0], pair[1], err)
		}
	}
	b.Screenshot("call")
	uid := userID(t, d, "agent1@demo.local")
	ixID := waitAgent(t, d, uid, "connected", func(v *orchestrator.AgentView) bool {
		return v.Interaction != nil && v.Interaction.State == orchestrator.InteractionConnected
	}).Interaction.ID

	b.Do("end", chromedp.Click("#end-call"), chromedp.WaitVisible("#wrapup-dialog"))
	b.Pick("#wrapup-code", "resolved")
	b.Do("wrap up", chromedp.Click("#wrapup-submit"), chromedp.WaitVisible("#waiting-panel"))
	b.Wait("available again", `document.querySelector('#state-select').value === 'available'`)
	b.Screenshot("available-again")

	// What SQLite holds.
	ctx := context.Background()
	hist, err := d.DB.StateHistory(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	var got []orchestrator.AgentState
	for _, c := range hist {
		got = append(got, c.State)
	}
	want := []orchestrator.AgentState{"available", "idle", "available", "ringing", "engaged", "wrapup", "available"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("stored state history %v, want %v", got, want)
	}
	ix, err := d.DB.Interaction(ctx, ixID)
	if err != nil {
		t.Fatal(err)
	}
	events, err := d.DB.InteractionEvents(ctx, ixID)
	if err != nil {
		t.Fatal(err)
	}
	if ix.State != orchestrator.InteractionDone || ix.WrapupCode != "resolved" || ix.AnsweredAt.IsZero() || ix.EndedAt.IsZero() || ix.Queue != "support" {
		t.Fatalf("stored interaction %s: %+v", ixID, ix)
	}
	var kinds []string
	for _, e := range events {
		kinds = append(kinds, e.Kind)
	}
	if fmt.Sprint(kinds) != "[arrived offered recording_started answered ended wrapped_up]" {
		t.Fatalf("stored timeline %v", kinds)
	}
}
