package webui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ringside/ringside/internal/browsertest"
)

// signIn takes a browser from the sign-in screen to the desktop on an
// extension; role is asked only of users with both roles (S3).
func signIn(b *browsertest.Browser, login, role, ext string) {
	b.T.Helper()
	b.Do("open "+login, chromedp.EmulateViewport(1280, 720), chromedp.Navigate(b.URL+"/"), chromedp.WaitVisible("#login"),
		chromedp.SendKeys("#login", login), chromedp.SendKeys("#password", "secret\r"), chromedp.WaitVisible("#station-select"))
	b.Wait("stations", `document.querySelector('#station-select').options.length === 3`)
	if role != "" {
		b.Pick("#role-select", role)
	}
	b.Pick("#station-select", ext)
	b.Do("start "+login, chromedp.Click("#start-session"), chromedp.WaitVisible("#state-select"))
	b.WaitText("#station-label", ext)
	b.Wait("idle codes", `document.querySelector('#state-select').options.length === 4`)
}

// disabledWhy checks that a button is disabled with the server's reason as
// its tooltip (the title a pointer shows on hover).
func disabledWhy(t *testing.T, b *browsertest.Browser, sel, reason string) {
	t.Helper()
	b.Wait(sel+" disabled", fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e.disabled && e.title === %q; })()`, sel, reason))
}

func enabled(t *testing.T, b *browsertest.Browser, sel string) {
	t.Helper()
	b.Wait(sel+" enabled", fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !e.disabled && e.title === ''; })()`, sel))
}

// layout is where the panels that must not move sit on the page.
const layout = `JSON.stringify(['#call-panel', '#call-data-panel', '#sim-panel', '#call-actions'].map((s) => { const r = document.querySelector(s).getBoundingClientRect(); return [s, r.x, r.y, r.width, r.height]; }))`

// The call-handling desktop in a real browser, driven by the server's
// actions: A5 hold disables End with the reason; A10 recording pause with
// the privacy-shield countdown, then resume; A6 consult to an agent picked
// from a searchable list with states (A6.1), the consult panel opening
// without moving anything, A6.4 Transfer/Conference disabled until the
// consulted agent answers, the consulted agent's popover (A1) and panel
// with Exit consult only (A7), swap (A6.3), conference (A9), end consult
// (A6.7), exit consult (A6.5), a failed consult's notice (A6.6); A11 call
// data: an overwritten edit (A11.4), the 256-character limit (A11.2), secure
// reveal until the next update (A11.3); A8 consult transfer (the consulted
// agent becomes the owner) and blind transfer to a queue from the picker,
// each followed by the transferring agent's wrap-up dialog (A8.3).
func TestCallHandlingInBrowser(t *testing.T) {
	b := newBrowser(t, "ann")
	d := b.desk
	signIn(b.Browser, "ann@example.com", "", "2002")
	sue := browsertest.New(t, b.URL, "sue")
	signIn(sue, "sue@example.com", "supervisor_agent", "2003")
	sue.Pick("#state-select", "idle:break")
	sue.WaitText("#waiting-title", "Idle – Break")

	// A call arrives and is answered.
	if _, err := d.PlaceCall("sales", "+15550100", map[string]string{"account": "42", "tier": "gold"}); err != nil {
		t.Fatal(err)
	}
	b.Do("offer", chromedp.WaitVisible("#offer-popover"))
	if err := d.Answer("agent-ix-1"); err != nil {
		t.Fatal(err)
	}
	b.Do("call", chromedp.WaitVisible("#call-panel"), chromedp.WaitVisible("#call-data-panel"))
	b.WaitText("#call-state", "Connected")
	enabled(t, b.Browser, "#hold")
	enabled(t, b.Browser, "#end-call")
	disabledWhy(t, b.Browser, "#resume", "The customer is not on hold")
	disabledWhy(t, b.Browser, "#conference", "Consult someone first")
	if !b.Visible("#consult-panel", false) {
		t.Fatal("a consult panel without a consult")
	}
	b.WaitText("#rec-indicator", "● Recording")
	b.Screenshot("call")

	// A5: hold; End is disabled with the server's reason; resume.
	b.Do("hold", chromedp.Click("#hold"))
	b.WaitText("#call-state", "On hold")
	disabledWhy(t, b.Browser, "#end-call", "Resume the customer before ending the call")
	disabledWhy(t, b.Browser, "#hold", "The customer is already on hold")
	enabled(t, b.Browser, "#resume")
	b.Screenshot("held")
	b.Do("resume", chromedp.Click("#resume"))
	b.WaitText("#call-state", "Connected")
	enabled(t, b.Browser, "#end-call")

	// A10.2, A10.3: pause recording: the indicator counts down to the
	// automatic resume; Resume recording brings it back.
	b.Do("pause recording", chromedp.Click("#rec-pause"))
	b.WaitText("#rec-indicator", "❚❚ Paused · resumes in 0:4")
	first := b.Text("#rec-text")
	b.Wait("countdown runs", fmt.Sprintf(`document.querySelector('#rec-text').textContent !== %q`, first))
	disabledWhy(t, b.Browser, "#rec-pause", "The recording is paused")
	b.Screenshot("recording-paused")
	b.Do("resume recording", chromedp.Click("#rec-resume"))
	b.WaitText("#rec-indicator", "● Recording")
	disabledWhy(t, b.Browser, "#rec-resume", "The recording is not paused")

	// A6.1: the consult dialog lists Available and Idle agents with their
	// state, searchable on the server.
	before := b.Eval(layout)
	b.Do("consult dialog", chromedp.Click("#consult"), chromedp.WaitVisible("#consult-dialog"), chromedp.WaitVisible("#consult-search"))
	b.Wait("agents listed", `document.querySelectorAll('#consult-agents [data-testid=target-agent]').length === 3`)
	if got := b.Eval(`[...document.querySelectorAll('#consult-agents [data-testid=target-agent]')].map((r) => r.dataset.userId + ':' + r.dataset.state + ':' + r.querySelector('.t-state').textContent).join(',')`); got != "5:idle:Idle,6:available:Available,2:idle:Idle" {
		t.Fatalf("consult agents = %s (A6.1: Available and Idle, with state)", got)
	}
	b.Screenshot("consult-dialog")
	b.Do("search", chromedp.SendKeys("#consult-search", "CAR"))
	b.Wait("filtered", `[...document.querySelectorAll('#consult-agents [data-testid=target-agent]')].map((r) => r.dataset.userId).join() === '6'`)
	b.Clear("#consult-search")
	b.Do("search sue", chromedp.SendKeys("#consult-search", "sue"))
	b.Wait("sue only", `[...document.querySelectorAll('#consult-agents [data-testid=target-agent]')].map((r) => r.dataset.userId).join() === '2'`)
	b.Do("nothing picked", chromedp.Click("#consult-go"))
	b.WaitText("#consult-error", "Choose an agent")
	b.Do("consult sue", chromedp.Click(`#consult-agents [data-user-id="2"]`), chromedp.Click("#consult-go"), chromedp.WaitNotVisible("#consult-dialog"))

	// The consult panel opens below the call panel; nothing else moves.
	b.Do("consult panel", chromedp.WaitVisible("#consult-panel"))
	b.WaitText("#consult-with", "Sue Both · 2003 · Team Red")
	b.WaitText("#consult-state", "Ringing")
	b.WaitText("#call-state", "Consulting")
	if after := b.Eval(layout); after != before {
		t.Fatalf("the consult panel moved the page:\n before %s\n after  %s", before, after)
	}
	// A6.4: until the consulted agent answers, Transfer and Conference are disabled; Resume is not.
	disabledWhy(t, b.Browser, "#consult-transfer", "Sue Both has not answered yet")
	disabledWhy(t, b.Browser, "#consult-conference", "Sue Both has not answered yet")
	enabled(t, b.Browser, "#consult-resume-customer")
	enabled(t, b.Browser, "#consult-end")
	disabledWhy(t, b.Browser, "#end-call", "Resume the customer before ending the call")
	disabledWhy(t, b.Browser, "#rec-pause", "Recording cannot be paused during a consult or conference") // A10.4
	if !b.Visible("#consult-exit", false) {
		t.Fatal("agent 1 is offered Exit consult")
	}
	b.Screenshot("consult-ringing")

	// A1, A6.5: Sue's consult popover names Ann, her DN and team, with the
	// popover variables and never the secure one.
	sue.Do("consult popover", chromedp.WaitVisible("#consult-popover"))
	sue.WaitText("#consult-from", "Ann Agent · DN 2002 · Team Red")
	if vars := sue.Text("#consult-vars"); !strings.Contains(vars, "Account42") || !strings.Contains(vars, "Tiergold") || strings.Contains(vars, "PIN") || strings.Contains(vars, "*****") {
		t.Fatalf("consult popover variables = %q", vars)
	}
	if !sue.Visible("#offer-popover", false) {
		t.Fatal("the consulted agent sees a customer offer")
	}
	sue.Wait("handset rings", `document.querySelector('#sim-handset [data-testid=sim-answer]') !== null`)
	sue.Screenshot("consult-popover")

	// Sue answers: she has Exit consult only (A7).
	sue.Do("answer consult", chromedp.Click("#sim-handset [data-testid=sim-answer]"), chromedp.WaitVisible("#consult-panel"), chromedp.WaitNotVisible("#consult-popover"))
	sue.WaitText("#consult-with", "Ann Agent · 2002 · Team Red")
	enabled(t, sue, "#consult-exit")
	for _, sel := range []string{"#call-actions", "#rec-strip", "#consult-end", "#consult-resume-customer", "#consult-resume-consulted", "#consult-transfer", "#consult-conference"} {
		if !sue.Visible(sel, false) {
			t.Errorf("the consulted agent sees %s (A7)", sel)
		}
	}
	sue.Screenshot("consulted-panel")

	// A6.3: connected; swap between the customer and Sue, never both held.
	b.WaitText("#consult-state", "Connected")
	b.WaitText("#consult-held", "The customer is on hold.")
	enabled(t, b.Browser, "#consult-transfer")
	enabled(t, b.Browser, "#consult-conference")
	disabledWhy(t, b.Browser, "#consult-resume-consulted", "You are talking to Sue Both")
	b.Do("resume customer", chromedp.Click("#consult-resume-customer"))
	b.WaitText("#consult-held", "Sue Both is on hold; you are talking to the customer.")
	sue.WaitText("#consult-held", "Ann Agent has put you on hold.")
	enabled(t, b.Browser, "#consult-resume-consulted")
	b.Screenshot("consult-swapped")
	b.Do("resume consulted", chromedp.Click("#consult-resume-consulted"))
	b.WaitText("#consult-held", "The customer is on hold.")

	// A9: conference, then A6.7 end consult: back to the customer.
	b.Do("conference", chromedp.Click("#consult-conference"))
	b.WaitText("#consult-state", "Conference")
	b.WaitText("#call-state", "Conference")
	sue.WaitText("#consult-held", "Conference")
	b.Screenshot("conference")
	b.Do("end consult", chromedp.Click("#consult-end"), chromedp.WaitNotVisible("#consult-panel"))
	b.WaitText("#call-state", "Connected")
	sue.WaitText("#waiting-title", "Idle – Break") // A7: agent 2 never wraps up a consult
	if after := b.Eval(layout); after != before {
		t.Fatalf("closing the consult panel moved the page:\n before %s\n after  %s", before, after)
	}

	// A6.5: a second consult, which Sue leaves with Exit consult.
	b.Do("consult again", chromedp.Click("#consult"), chromedp.WaitVisible("#consult-dialog"))
	b.Wait("agents", `document.querySelector('#consult-agents [data-user-id="2"]') !== null`)
	b.Do("pick sue", chromedp.DoubleClick(`#consult-agents [data-user-id="2"]`), chromedp.WaitNotVisible("#consult-dialog"), chromedp.WaitVisible("#consult-panel"))
	sue.Wait("handset rings", `document.querySelector('#sim-handset [data-testid=sim-answer]') !== null`)
	sue.Do("answer", chromedp.Click("#sim-handset [data-testid=sim-answer]"), chromedp.WaitVisible("#consult-exit"))
	enabled(t, sue, "#consult-exit")
	sue.Do("exit consult", chromedp.Click("#consult-exit"), chromedp.WaitVisible("#waiting-panel"))
	b.Do("consult over", chromedp.WaitNotVisible("#consult-panel"))
	b.WaitText("#call-state", "Connected")

	// A6.6: a consult nobody answers: agent 1 gets the notice in the banner.
	b.Do("third consult", chromedp.Click("#consult"), chromedp.WaitVisible("#consult-dialog"))
	b.Do("dial tab", chromedp.Click("#consult-tab-dial"), chromedp.WaitVisible("#consult-number"), chromedp.SendKeys("#consult-number", "12"), chromedp.Click("#consult-go"))
	b.WaitText("#consult-error", "must have 3 to 18 digits") // A6.2, the server's reason in the dialog
	b.Do("agent tab", chromedp.Click("#consult-tab-agent"))
	b.Wait("agents", `document.querySelector('#consult-agents [data-user-id="2"]') !== null`)
	b.Do("consult sue", chromedp.Click(`#consult-agents [data-user-id="2"]`), chromedp.Click("#consult-go"), chromedp.WaitVisible("#consult-panel"))
	sue.Do("sue ringing", chromedp.WaitVisible("#consult-popover"))
	if err := d.Reject(d.consultLeg("ix-1")); err != nil {
		t.Fatal(err)
	}
	b.Do("notice", chromedp.WaitVisible("#notice"))
	b.WaitText("#notice-text", "Consult failed: Sue Both did not answer")
	b.Do("consult gone", chromedp.WaitNotVisible("#consult-panel"))
	sue.Do("sue rona", chromedp.WaitVisible("#rona-prompt"))
	b.Screenshot("consult-failed-notice")
	b.Do("dismiss notice", chromedp.Click("#notice-close"), chromedp.WaitNotVisible("#notice"))
	b.WaitText("#call-state", "On hold")
	b.Do("resume", chromedp.Click("#resume"))
	b.WaitText("#call-state", "Connected")

	// A11.4: Ann edits the account while someone else saves it first: her
	// save is refused with the server's message and the winning value shows.
	const account = `#call-vars [data-var="account"]`
	b.Do("edit", chromedp.Click(account+" [data-testid=var-edit]"), chromedp.WaitVisible(account+" [data-testid=var-input]"))
	if got := b.Eval(`document.querySelector('#call-vars [data-var="account"] [data-testid=var-input]').value`); got != "42" {
		t.Fatalf("the editor starts with %q", got)
	}
	b.Clear(account + " [data-testid=var-input]")
	b.Do("type", chromedp.SendKeys(account+" [data-testid=var-input]", "43"))
	d.editAs("ix-1", "account", "99", "Sue Both")
	b.Wait("update arrived", `window.ringside.state.agent.interaction.variables.find((v) => v.name === 'account').value === '99'`)
	if got := b.Eval(`document.querySelector('#call-vars [data-var="account"] [data-testid=var-input]').value`); got != "43" {
		t.Fatalf("an update wiped the open editor: %q", got)
	}
	b.Screenshot("variable-editing")
	b.Do("save", chromedp.Click(account+" [data-testid=var-save]"))
	b.WaitText(account+" [data-testid=var-notice]", `Your value was overwritten: Sue Both saved "99" first.`)
	b.WaitText(account+" [data-testid=var-value]", "99")
	if !b.Visible(account+" [data-testid=var-input]", false) {
		t.Fatal("the editor stays open after the conflict")
	}
	b.Screenshot("variable-overwritten")
	// Editing again with the fresh version saves.
	b.Do("edit again", chromedp.Click(account+" [data-testid=var-edit]"), chromedp.WaitVisible(account+" [data-testid=var-input]"))
	b.Clear(account + " [data-testid=var-input]")
	b.Do("type again", chromedp.SendKeys(account+" [data-testid=var-input]", "100\r"))
	b.WaitText(account+" [data-testid=var-value]", "100")
	if !b.Visible(account+" [data-testid=var-notice]", false) {
		t.Fatal("the old conflict notice stays after a good save")
	}
	// A11.2: at most 256 characters, checked before anything is sent.
	const notes = `#call-vars [data-var="notes"]`
	if b.Attr(notes+" [data-testid=var-input]", "maxlength") != "256" {
		t.Fatal("the editor does not limit the length")
	}
	b.Do("edit notes", chromedp.Click(notes+" [data-testid=var-edit]"), chromedp.WaitVisible(notes+" [data-testid=var-input]"))
	b.Do("too long", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector('%s [data-testid=var-input]').value = 'x'.repeat(300)`, notes)),
		chromedp.Click(notes+" [data-testid=var-save]"))
	b.WaitText(notes+" [data-testid=var-notice]", "At most 256 characters (this is 300).")
	b.Do("cancel", chromedp.Click(notes+" [data-testid=var-cancel]"), chromedp.WaitNotVisible(notes+" [data-testid=var-input]"))

	// A11.3: the secure value is masked, revealed on request, masked again
	// at the next update.
	const pin = `#call-vars [data-var="pin"]`
	b.WaitText(pin+" [data-testid=var-value]", "*****")
	if b.Visible(pin+" [data-testid=var-edit]", true) {
		t.Fatal("a read-only secure variable has an editor")
	}
	b.Do("reveal", chromedp.Click(pin+" [data-testid=var-reveal]"))
	b.WaitText(pin+" [data-testid=var-value]", "4321")
	b.Screenshot("revealed")
	d.editAs("ix-1", "notes", "VIP", "Sue Both")
	b.WaitText(notes+" [data-testid=var-value]", "VIP")
	b.WaitText(pin+" [data-testid=var-value]", "*****")

	// A8.2: a consult transfer: Sue, Available again, takes the call as its
	// owner; Ann gets the wrap-up dialog (A8.3).
	sue.Do("sue available", chromedp.Click("#rona-available"), chromedp.WaitVisible("#waiting-panel"))
	sue.WaitText("#waiting-title", "Waiting for calls")
	b.Do("consult for transfer", chromedp.Click("#consult"), chromedp.WaitVisible("#consult-dialog"))
	b.Wait("sue available", `document.querySelector('#consult-agents [data-user-id="2"]')?.dataset.state === 'available'`)
	b.Do("consult sue", chromedp.Click(`#consult-agents [data-user-id="2"]`), chromedp.Click("#consult-go"), chromedp.WaitVisible("#consult-panel"))
	sue.Wait("handset rings", `document.querySelector('#sim-handset [data-testid=sim-answer]') !== null`)
	sue.Do("answer", chromedp.Click("#sim-handset [data-testid=sim-answer]"), chromedp.WaitVisible("#consult-exit"))
	enabled(t, b.Browser, "#consult-transfer")
	b.Do("consult transfer", chromedp.Click("#consult-transfer"), chromedp.WaitVisible("#wrapup-dialog"))
	enabled(t, b.Browser, "#wrapup-submit")
	b.Screenshot("wrapup-after-transfer")
	sue.Do("sue owns the call", chromedp.WaitVisible("#call-actions"), chromedp.WaitNotVisible("#consult-panel"))
	sue.WaitText("#call-title", "Call")
	enabled(t, sue, "#end-call")
	sue.WaitText(pin+" [data-testid=var-value]", "*****")
	sue.WaitText(account+" [data-testid=var-value]", "100")
	sue.Screenshot("owner-after-transfer")
	b.Pick("#wrapup-code", "sale")
	b.Do("wrap up", chromedp.Click("#wrapup-submit"), chromedp.WaitVisible("#waiting-panel"))
	b.WaitText("#waiting-title", "Waiting for calls")

	// A8.1: Sue's transfer dialog lists Available agents only (Ann is in
	// wrap-up, Bob idle); A8.2 a blind transfer to a queue; A8.3 wrap-up.
	sue.Do("transfer dialog", chromedp.Click("#transfer"), chromedp.WaitVisible("#transfer-dialog"))
	sue.Wait("available only", `[...document.querySelectorAll('#transfer-agents [data-testid=target-agent]')].map((r) => r.dataset.userId + ':' + r.dataset.state).join() === '1:available,6:available'`)
	sue.Do("queue tab", chromedp.Click("#transfer-tab-queue"), chromedp.WaitVisible("#transfer-queues"))
	sue.Wait("queues", `[...document.querySelectorAll('#transfer-queues [data-testid=target-queue]')].map((r) => r.dataset.queueId + ':' + r.textContent).join() === '3:billing,1:sales,2:support'`)
	sue.Do("pick support", chromedp.Click(`#transfer-queues [data-queue-id="2"]`))
	sue.Screenshot("transfer-dialog")
	sue.Do("transfer", chromedp.Click("#transfer-go"), chromedp.WaitNotVisible("#transfer-dialog"), chromedp.WaitVisible("#wrapup-dialog"))
	enabled(t, sue, "#wrapup-submit")
	sue.Do("wrap up", chromedp.Click("#wrapup-submit"), chromedp.WaitVisible("#waiting-panel"))
}
