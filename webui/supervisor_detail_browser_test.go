package webui

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ringside/ringside/internal/browsertest"
	"github.com/ringside/ringside/orchestrator"
)

// M2 on the fakes: the interaction detail opened from the call in the team
// table follows the call live (a consult with the customer held, the call
// data with the secure value masked and a date-time in local time), and
// closes by itself with a note once the interaction is over (here a
// supervisor ends the agent's wrap-up, G1).
func TestSupervisorInteractionDetailInBrowser_M2(t *testing.T) {
	b := newBrowser(t, "ann-detail")
	d := b.desk
	signIn(b.Browser, "ann@example.com", "", "2002")
	sue := browsertest.New(t, b.URL, "sue-detail")
	signIn(sue, "sue@example.com", "supervisor_agent", "2003")
	sue.Pick("#state-select", "idle:break") // the call goes to Ann
	sue.WaitText("#waiting-title", "Idle – Break")
	row := `#agents-table [data-testid=agent-row][data-user-id="1"]`
	sue.Do("ann's row", chromedp.WaitVisible(row))
	disabledWhy(t, sue, row+" [data-testid=act-detail]", "No interaction")

	if _, err := d.PlaceCall("sales", "+15550100", map[string]string{"account": "42", "callback": "2026-11-22T09:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	// Opened while ringing: the detail shows the offer, then the answer.
	sue.Do("open from the call column", chromedp.WaitVisible(row+" [data-testid=agent-call-open]"),
		chromedp.Click(row+" [data-testid=agent-call-open]"), chromedp.WaitVisible("#ix-detail"))
	sue.WaitText("#ix-detail-state", "Ringing")
	sue.WaitText("#ix-detail-agents", "Ann Agent · 2002 (being offered the call)")
	disabledWhy(t, sue, "#ix-detail-listen", "Not on a call")
	if err := d.Answer("agent-ix-1"); err != nil {
		t.Fatal(err)
	}
	sue.WaitText("#ix-detail-state", "Connected")
	sue.WaitText("#ix-detail-caller", "+15550100")
	sue.WaitText("#ix-detail-queue", "sales")
	sue.WaitText("#ix-detail-recording", "Recording")
	sue.WaitText(`#ix-detail-vars [data-var="account"]`, "42")
	sue.WaitText(`#ix-detail-vars [data-var="pin"]`, "*****")
	if got := sue.Text(`#ix-detail-vars [data-var="callback"]`); !strings.Contains(got, "Nov 22, 2026") {
		t.Fatalf("a date-time variable shows %q in the detail", got)
	}
	enabled(t, sue, "#ix-detail-listen")
	enabled(t, sue, "#ix-detail-whisper")

	// Live: Ann consults Bob; the customer is held.
	if err := d.Consult(context.Background(), 1, "ix-1", orchestrator.Target{Type: orchestrator.TargetAgent, ID: 5}); err != nil {
		t.Fatal(err)
	}
	sue.WaitText("#ix-detail-state", "Consulting")
	sue.WaitText("#ix-detail-consult", "With Bob Builder · 2005 · Team Red, ringing; the customer is on hold")
	sue.WaitText("#ix-detail-held", "The customer is on hold")
	sue.Screenshot("detail-consult")
	if err := d.EndConsult(context.Background(), 1, "ix-1"); err != nil {
		t.Fatal(err)
	}
	sue.WaitText("#ix-detail-consult", "None")

	// The call ends: the detail follows Ann into wrap-up; Sue ends the
	// wrap-up from the table and the detail closes with a note.
	if err := d.Hangup("cust-1"); err != nil {
		t.Fatal(err)
	}
	sue.WaitText("#ix-detail-state", "Wrap-up")
	sue.WaitText("#ix-detail-timer-label", "Wrap-up")
	sue.WaitText("#ix-detail-timer", "call ended")
	disabledWhy(t, sue, "#ix-detail-whisper", "Not on a call")
	sue.Do("end wrap-up", chromedp.Click(row+" [data-testid=act-end-wrapup]"), chromedp.WaitNotVisible("#ix-detail"))
	sue.WaitText("#ix-detail-note", "The interaction with +15550100 (sales) has ended, so its detail was closed.")
	sue.Screenshot("detail-closed")
}
