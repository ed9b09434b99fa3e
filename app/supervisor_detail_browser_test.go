package app

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// M2: the supervisor opens an agent's live call from the team table into
// the interaction detail: caller, queue, the agent, the call data with the
// secure value masked (A11.3). Listen starts monitoring from the detail
// (the monitoring pane shows it, and the detail's buttons become the
// server's monitor actions); the detail follows the call into wrap-up and
// closes by itself, with a note, when the interaction is over.
func TestSupervisorInteractionDetailInBrowser_M2(t *testing.T) {
	d := startDemo(t)
	agent := openDesk(t, d, "agent1@demo.local", "2001")
	sup := openSupervisor(t, d)
	uid := userID(t, d, "agent1@demo.local")

	const caller = "+15550601"
	placeCall(t, d, "support", caller, map[string]string{"customer_name": "Pat Customer", "account": "A-77", "card_last4": "9876"})
	agent.Do("offer", chromedp.WaitVisible("#offer-popover"))
	agent.answerOnHandset()
	agent.Do("call panel", chromedp.WaitVisible("#call-panel"))
	sup.WaitText(row(uid)+" [data-testid=agent-state]", "On a call")

	sup.Do("open detail", chromedp.Click(row(uid)+" [data-testid=act-detail]"), chromedp.WaitVisible("#ix-detail"))
	sup.WaitText("#ix-detail-caller", caller)
	sup.WaitText("#ix-detail-queue", "support")
	sup.WaitText("#ix-detail-state", "Connected")
	sup.WaitText("#ix-detail-agents", "Alice Agent")
	sup.WaitText("#ix-detail-agents", "handling")
	sup.Wait("recording shown", `document.querySelector('#ix-detail-recording').textContent !== ''`)
	sup.WaitText("#ix-detail-held", "Not on hold")
	sup.WaitText(`#ix-detail-vars [data-var="customer_name"]`, "Pat Customer")
	sup.WaitText(`#ix-detail-vars [data-var="account"]`, "A-77")
	sup.WaitText(`#ix-detail-vars [data-var="card_last4"]`, "*****")
	// A11.3: the secure value is nowhere on the supervisor's page, nor in
	// the agent views the supervisor's desktop receives (the stream's
	// snapshot and events carry the same views as this list).
	if html := sup.Eval(`document.documentElement.outerHTML`); strings.Contains(html, "9876") {
		t.Fatal("the secure value reached the supervisor's page")
	}
	list, err := chromedp.Run(sup.Ctx, chromedp.Evaluate[string](`fetch('/api/v1/agents').then((r) => r.text())`, chromedp.EvalAwaitPromise))
	if err != nil || !strings.Contains(list, caller) || strings.Contains(list, "9876") {
		t.Fatalf("the supervisor's agent list: %v\n%s", err, list)
	}
	// The talk timer counts from the server's answer time.
	sup.Wait("talk timer", `/^\d+:\d\d$/.test(document.querySelector('#ix-detail-timer').textContent)`)
	sup.Screenshot("interaction-detail")

	// Barging needs a session first; Listen starts one from the detail.
	sup.Wait("barge waits for a session", `document.querySelector('#ix-detail-barge').disabled && document.querySelector('#ix-detail-barge').title.startsWith('Start Listen or Whisper first')`)
	sup.Wait("listen allowed", `!document.querySelector('#ix-detail-listen').disabled`)
	sup.Do("listen", chromedp.Click("#ix-detail-listen"), chromedp.WaitVisible("#monitor-pane"))
	sup.WaitText("#monitor-agent", "Alice Agent")
	sup.WaitText(row(uid)+" [data-testid=agent-monitored-by]", "Sam Supervisor")
	sup.answerOnHandset()
	sup.WaitText("#monitor-state", "active")
	sup.WaitText("#monitor-mode", "listen")
	sup.Do("detail knows", chromedp.WaitVisible("#ix-detail-monitor"))
	sup.WaitText("#ix-detail-monitor", "You are monitoring Alice Agent")
	sup.Wait("listen is the server's action now", `document.querySelector('#ix-detail-listen').disabled && document.querySelector('#ix-detail-listen').title === 'already in listen mode'`)
	sup.Wait("barge allowed", `!document.querySelector('#ix-detail-barge').disabled`)
	sup.Do("barge from the detail", chromedp.Click("#ix-detail-barge"))
	sup.WaitText("#monitor-mode", "barge")
	sup.Screenshot("interaction-detail-monitoring")

	// The call ends: monitoring ends with it, the detail shows the wrap-up.
	agent.Do("end call", chromedp.Click("#end-call"), chromedp.WaitVisible("#wrapup-dialog"))
	sup.Do("monitoring over", chromedp.WaitNotVisible("#monitor-pane"))
	sup.WaitText("#ix-detail-state", "Wrap-up")
	sup.WaitText("#ix-detail-agents", "wrapping up")
	sup.Wait("no monitoring of a finished call", `document.querySelector('#ix-detail-listen').disabled && document.querySelector('#ix-detail-listen').title === 'Not on a call'`)

	// The wrap-up is submitted: the interaction is over and the detail closes itself.
	agent.Pick("#wrapup-code", "resolved")
	agent.Do("wrap up", chromedp.Click("#wrapup-submit"), chromedp.WaitVisible("#waiting-panel"))
	sup.Do("detail closed", chromedp.WaitNotVisible("#ix-detail"))
	sup.WaitText("#ix-detail-note", fmt.Sprintf("The interaction with %s (support) has ended", caller))
	sup.Screenshot("interaction-detail-closed")
}
