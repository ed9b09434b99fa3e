package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ringside/ringside/internal/browsertest"
)

// desk is one agent's desktop in its own browser.
type desk struct {
	*browsertest.Browser
	ext string
}

// openDesk signs login in on ext in a new browser and waits for the desktop.
func openDesk(t *testing.T, d *Demo, login, ext string) *desk {
	t.Helper()
	b := &desk{Browser: browsertest.New(t, d.URL, login), ext: ext}
	b.Do("open", chromedp.Navigate(d.URL+"/"), chromedp.WaitVisible("#login"))
	b.Do("sign in", chromedp.SendKeys("#login", login), chromedp.SendKeys("#password", DemoPassword+"\r"), chromedp.WaitVisible("#station-select"))
	b.Pick("#station-select", ext)
	b.Do("start", chromedp.Click("#start-session"), chromedp.WaitVisible("#state-select"))
	b.WaitText("#station-label", ext)
	return b
}

// answerOnHandset answers the ringing station from the desktop's simulated handset.
func (b *desk) answerOnHandset() {
	b.T.Helper()
	b.Wait("handset rings", `document.querySelector('#sim-handset [data-testid=sim-answer]') !== null`)
	b.Do("answer", chromedp.Click("#sim-handset [data-testid=sim-answer]"))
}

// connectedCall gives b a connected customer call from the support queue.
func connectedCall(t *testing.T, d *Demo, b *desk, caller string) {
	t.Helper()
	placeCall(t, d, "support", caller, map[string]string{"customer_name": "Pat Customer"})
	b.Do("offer", chromedp.WaitVisible("#offer-popover"))
	b.answerOnHandset()
	b.Do("call panel", chromedp.WaitVisible("#call-panel"))
	b.WaitText("#call-caller", caller)
}

// A6, A8.2, A8.3 in two browsers: agent 1 consults agent 2, then transfers
// to them; agent 2's desktop shows the call and agent 1 wraps up.
func TestConsultThenTransferInBrowser_A6_A8(t *testing.T) {
	d := startDemo(t)
	a1 := openDesk(t, d, "agent1@demo.local", "2001")
	a2 := openDesk(t, d, "agent2@demo.local", "2002")
	connectedCall(t, d, a1, "+15550201")

	a1.Do("consult", chromedp.Click("#consult"), chromedp.WaitVisible("#consult-dialog"))
	a1.Wait("agent 2 listed", `document.querySelector('#consult-agents [data-testid=target-agent]') !== null`)
	a1.WaitText("#consult-agents", "Bob Agent")
	a1.Do("pick agent 2", chromedp.Click(`#consult-agents [data-testid=target-agent]`), chromedp.Click("#consult-go"), chromedp.WaitVisible("#consult-panel"))
	a1.WaitText("#consult-with", "Bob Agent")
	// Agent 2 gets the consult popover naming agent 1 (A1).
	a2.Do("consult popover", chromedp.WaitVisible("#consult-popover"))
	a2.WaitText("#consult-from", "Alice Agent")
	a2.Screenshot("consult-popover")
	a2.answerOnHandset()
	a1.WaitText("#consult-state", "onnected")
	a1.Screenshot("consulting")

	a1.Do("transfer", chromedp.Click("#consult-transfer"))
	a1.Do("agent 1 wraps up", chromedp.WaitVisible("#wrapup-dialog"))
	a2.Do("agent 2 has the call", chromedp.WaitVisible("#call-panel"))
	a2.WaitText("#call-caller", "+15550201")
	a2.Wait("agent 2 may end the call", `!document.querySelector('#end-call').disabled`)
	a2.Screenshot("after-transfer")
	a1.Pick("#wrapup-code", "resolved")
	a1.Do("submit", chromedp.Click("#wrapup-submit"), chromedp.WaitVisible("#waiting-panel"))
}

// A8.1, A8.2: a blind transfer to a queue reaches another agent, never the
// one who transferred.
func TestBlindTransferToQueueInBrowser_A8(t *testing.T) {
	d := startDemo(t)
	a1 := openDesk(t, d, "agent1@demo.local", "2001")
	connectedCall(t, d, a1, "+15550202")
	a2 := openDesk(t, d, "agent2@demo.local", "2002")

	a1.Do("transfer", chromedp.Click("#transfer"), chromedp.WaitVisible("#transfer-dialog"), chromedp.Click("#transfer-tab-queue"))
	a1.Wait("queues listed", `document.querySelector('#transfer-queues [data-testid=target-queue]') !== null`)
	sales := queueID(t, d, "sales")
	a1.Do("pick sales", chromedp.Click(fmt.Sprintf(`#transfer-queues [data-queue-id="%d"]`, sales)), chromedp.Click("#transfer-go"))
	a1.Do("agent 1 wraps up", chromedp.WaitVisible("#wrapup-dialog"))
	a2.Do("agent 2 is offered it", chromedp.WaitVisible("#offer-popover"))
	a2.answerOnHandset()
	a2.Do("agent 2 has the call", chromedp.WaitVisible("#call-panel"))
	a2.WaitText("#call-queue", "sales")
}

// A9: agent 1, the customer and agent 2 in one conversation.
func TestConferenceInBrowser_A9(t *testing.T) {
	d := startDemo(t)
	a1 := openDesk(t, d, "agent1@demo.local", "2001")
	a2 := openDesk(t, d, "agent2@demo.local", "2002")
	connectedCall(t, d, a1, "+15550203")
	a1.Do("consult", chromedp.Click("#consult"), chromedp.WaitVisible("#consult-dialog"))
	a1.Wait("agent 2 listed", `document.querySelector('#consult-agents [data-testid=target-agent]') !== null`)
	a1.Do("consult agent 2", chromedp.Click(`#consult-agents [data-testid=target-agent]`), chromedp.Click("#consult-go"))
	a2.Do("consult popover", chromedp.WaitVisible("#consult-popover"))
	a2.answerOnHandset()
	a1.Wait("conference allowed", `!document.querySelector('#consult-conference').disabled`)
	a1.Do("conference", chromedp.Click("#consult-conference"))
	a1.WaitText("#consult-state", "onference")
	a1.Screenshot("conference")
	// All three hear each other on the PBX.
	legs := map[string]string{}
	waitFor(t, "three legs in one room", func() bool {
		rooms := map[string]int{}
		for _, l := range d.Sim.Legs() {
			if l.State == "up" && l.Room != "" {
				rooms[l.Room]++
				legs[l.Endpoint] = l.ID
			}
		}
		for _, n := range rooms {
			if n == 3 {
				return true
			}
		}
		return false
	})
	var cust string
	for ep, id := range legs {
		if ep != "PJSIP/2001" && ep != "PJSIP/2002" {
			cust = id
		}
	}
	parties := []string{cust, legs["PJSIP/2001"], legs["PJSIP/2002"]}
	for _, from := range parties {
		for _, to := range parties {
			if from == to {
				continue
			}
			if ok, err := d.Sim.Hears(from, to); err != nil || !ok {
				t.Fatalf("%s does not hear %s in the conference (%v)", to, from, err)
			}
		}
	}
}

// A10.2, A10.3: pausing the recording shows the indicator, and the privacy
// shield resumes it by itself.
func TestRecordingPauseInBrowser_A10(t *testing.T) {
	d := startDemo(t)
	ctx := context.Background()
	q, err := d.DB.QueueByName(ctx, "support")
	if err != nil {
		t.Fatal(err)
	}
	q.PrivacyShield = 3 * time.Second
	if _, err := d.DB.UpdateQueue(ctx, q); err != nil {
		t.Fatal(err)
	}
	a1 := openDesk(t, d, "agent1@demo.local", "2001")
	connectedCall(t, d, a1, "+15550204")
	a1.WaitText("#rec-indicator", "Recording")
	a1.Do("pause", chromedp.Click("#rec-pause"))
	a1.WaitText("#rec-indicator", "Paused")
	a1.Screenshot("recording-paused")
	a1.Wait("privacy shield resumes", `(document.querySelector('#rec-indicator')?.textContent || '').includes('Recording') && !(document.querySelector('#rec-indicator')?.textContent || '').includes('Paused')`)
}

func queueID(t *testing.T, d *Demo, name string) int64 {
	t.Helper()
	q, err := d.DB.QueueByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return q.ID
}
