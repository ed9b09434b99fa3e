package webui

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ringside/ringside/internal/browsertest"
)

// The supervisor desktop on fakes: the live team table (G3), monitoring
// with pause/resume/barge/end driven by the server's actions (M1–M5.6),
// logging an agent out of a queue and setting them Idle (G1).
func TestSupervisorDesktopInBrowser_M1_M5_G1(t *testing.T) {
	b := newBrowser(t, "ann-sup")
	d := b.desk
	signIn(b.Browser, "ann@example.com", "", "2002")
	sue := browsertest.New(t, b.URL, "sue-sup")
	signIn(sue, "sue@example.com", "supervisor_agent", "2003")
	sue.Pick("#state-select", "idle:break") // the call goes to Ann
	sue.WaitText("#waiting-title", "Idle – Break")
	sue.Do("view", chromedp.WaitVisible("#supervisor-view"), chromedp.WaitVisible("#agents-table"))
	row := `#agents-table [data-testid=agent-row][data-user-id="1"]`
	sue.Do("ann's row", chromedp.WaitVisible(row))
	disabledWhy(t, sue, row+" [data-testid=act-monitor]", "Not on a call")

	// Expanding Ann's row shows her devices, the one she sits at marked (G3).
	devices := `#agents-table [data-testid=agent-devices][data-user-id="1"]`
	sue.Do("expand", chromedp.Click(row+" [data-testid=agent-expand]"), chromedp.WaitVisible(devices))
	sue.WaitText(devices+` [data-testid=device][data-active=true]`, "2002")
	sue.WaitText(devices+` [data-testid=device][data-active=true] [data-testid=device-active]`, "● active")
	sue.Screenshot("supervisor-agent-devices")
	sue.Do("collapse", chromedp.Click(row+" [data-testid=agent-expand]"), chromedp.WaitNotPresent(devices))

	// Ann takes a call; the table follows live.
	if _, err := d.PlaceCall("sales", "+15550100", nil); err != nil {
		t.Fatal(err)
	}
	if err := d.Answer("agent-ix-1"); err != nil {
		t.Fatal(err)
	}
	sue.WaitText(row+" [data-testid=agent-state]", "On a call")
	sue.Do("monitor", chromedp.Click(row+" [data-testid=act-monitor]"), chromedp.WaitVisible("#monitor-pane"))
	sue.WaitText("#monitor-agent", "Ann Agent")
	sue.WaitText("#monitor-state", "connecting")
	disabledWhy(t, sue, "#mon-pause", "your phone has not answered yet")
	sue.WaitText(row+" [data-testid=agent-monitored-by]", "Sue Both")
	disabledWhy(t, sue, row+" [data-testid=act-monitor]", "Already monitored by Sue Both")
	d.answerMonitor(2)
	sue.WaitText("#monitor-state", "active")
	sue.WaitText("#monitor-mode", "listen")
	disabledWhy(t, sue, "#mon-listen", "already in listen mode")
	sue.Do("pause", chromedp.Click("#mon-pause"), chromedp.WaitVisible("#monitor-paused"))
	disabledWhy(t, sue, "#mon-barge", "resume monitoring first")
	sue.Do("resume", chromedp.Click("#mon-resume"), chromedp.WaitNotVisible("#monitor-paused"))
	enabled(t, sue, "#mon-barge")
	sue.Do("barge", chromedp.Click("#mon-barge"))
	sue.WaitText("#monitor-mode", "barge")
	sue.Screenshot("supervisor-monitoring")
	sue.Do("end", chromedp.Click("#mon-end"), chromedp.WaitNotVisible("#monitor-pane"))
	sue.Wait("not monitored", `document.querySelector('#agents-table [data-testid=agent-row][data-user-id="1"] [data-testid=agent-monitored-by]').textContent === ''`)

	// Ann ends the call and wraps up; Sue logs her out of sales and sets her Idle.
	if err := d.Hangup("cust-1"); err != nil {
		t.Fatal(err)
	}
	sue.Do("queue logout", chromedp.Click(row+" [data-testid=act-queue-logout]"), chromedp.WaitVisible("#queue-picker"))
	sue.Pick("#queue-picker-select", "1")
	sue.Do("ok", chromedp.Click("#queue-picker-ok"))
	sue.Wait("out of sales", `!document.querySelector('#agents-table [data-testid=agent-row][data-user-id="1"] [data-testid=agent-queues]').textContent.includes('sales')`)
	sue.Do("end wrap-up", chromedp.Click(row+" [data-testid=act-end-wrapup]"))
	sue.WaitText(row+" [data-testid=agent-state]", "Available")
	sue.Do("idle", chromedp.Click(row+" [data-testid=act-idle]"), chromedp.WaitVisible("#idle-picker"))
	sue.Pick("#idle-picker-select", "lunch")
	sue.Do("ok", chromedp.Click("#idle-picker-ok"))
	sue.WaitText(row+" [data-testid=agent-state]", "Idle")
	sue.WaitText(row+" [data-testid=agent-reason]", "lunch")
	b.WaitText("#waiting-title", "Idle – Lunch")
	sue.Wait("queue strip", `document.querySelectorAll('#queue-strip .queue-tile').length === 3`)
}
