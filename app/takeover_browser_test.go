package app

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ringside/ringside/internal/browsertest"
	"github.com/ringside/ringside/orchestrator"
)

// S2 in real browsers on the demo stack: agent 1 is on a call in one
// browser; signing in from a second browser (its own cookies) prompts,
// Continue takes the desktop over with the call intact, the first browser
// says it was replaced and keeps no working controls, and the agent's state
// on the server never moved. A reload keeps the desktop without a prompt, a
// second tab of the same browser (shared cookie) is prompted too, and "Use
// here" takes the desktop back.
func TestDesktopTakeoverInBrowser_S2(t *testing.T) {
	d := startDemo(t)
	first := openDesk(t, d, "agent1@demo.local", "2001")
	connectedCall(t, d, first, "+15550301")
	uid := userID(t, d, "agent1@demo.local")
	before := waitAgent(t, d, uid, "on the call", func(v *orchestrator.AgentView) bool {
		return v.Interaction != nil && v.Interaction.State == orchestrator.InteractionConnected
	})

	// A second browser: signing in is fine, the desktop asks first.
	second := browsertest.New(t, d.URL, "agent1-second")
	second.Do("open", chromedp.Navigate(d.URL+"/"), chromedp.WaitVisible("#login"))
	second.Do("sign in", chromedp.SendKeys("#login", "agent1@demo.local"), chromedp.SendKeys("#password", DemoPassword+"\r"),
		chromedp.WaitVisible("#elsewhere-screen"))
	second.WaitText("#elsewhere-text", "Ringside is open in another tab or browser")
	if !second.Visible("#desktop-screen", false) || !second.Visible("#station-screen", false) {
		t.Fatal("the prompt shows the desktop or the station form behind it")
	}
	second.Screenshot("prompt")
	// Cancel leaves the other desktop alone; Use here is still offered.
	second.Do("cancel", chromedp.Click("#elsewhere-cancel"))
	second.WaitText("#elsewhere-text", "stays open in the other tab or browser")
	second.WaitText("#elsewhere-continue", "Use here")
	first.Do("first keeps working", chromedp.WaitVisible("#call-panel"))

	second.Do("continue", chromedp.Click("#elsewhere-continue"), chromedp.WaitVisible("#call-panel"))
	second.WaitText("#call-caller", "+15550301")
	second.WaitText("#station-label", "2001")
	second.Wait("on a call", `document.querySelector('#state-select option:checked')?.textContent === 'On a call'`)
	second.Screenshot("took-over")

	first.Do("replaced", chromedp.WaitVisible("#elsewhere-screen"))
	first.WaitText("#elsewhere-text", "This desktop was replaced by one opened in another tab or browser")
	for _, sel := range []string{"#call-panel", "#end-call", "#hold", "#state-select", "#sign-out", "#sim-panel", "#elsewhere-cancel"} {
		if !first.Visible(sel, false) {
			t.Fatalf("the replaced desktop still shows %s", sel)
		}
	}
	first.Screenshot("replaced")

	after := waitAgent(t, d, uid, "still on the call", func(v *orchestrator.AgentView) bool { return true })
	if after.State != before.State || !after.Since.Equal(before.Since) || after.Station.Number != "2001" ||
		after.Interaction == nil || after.Interaction.ID != before.Interaction.ID || after.Interaction.State != orchestrator.InteractionConnected {
		t.Fatalf("the takeover changed the agent: before %+v, after %+v", before, after)
	}

	// The new desktop works: end and wrap up the call.
	second.Do("end", chromedp.Click("#end-call"), chromedp.WaitVisible("#wrapup-dialog"))
	second.Pick("#wrapup-code", "resolved")
	second.Do("wrap up", chromedp.Click("#wrapup-submit"), chromedp.WaitVisible("#waiting-panel"))
	second.Wait("available", `document.querySelector('#state-select').value === 'available'`)
	if !first.Visible("#elsewhere-screen", true) || !first.Visible("#waiting-panel", false) {
		t.Fatal("the replaced desktop came back by itself")
	}

	// A reload of the same tab keeps the desktop: no prompt (S10).
	second.Do("reload", chromedp.Reload(), chromedp.WaitVisible("#state-select"))
	second.WaitText("#station-label", "2001")
	if !second.Visible("#elsewhere-screen", false) {
		t.Fatal("a reload was prompted")
	}

	// A new tab of the second browser shares its cookie, not its desktop.
	tabCtx, closeTab := chromedp.NewContext(second.Ctx)
	defer closeTab()
	tab := &browsertest.Browser{T: t, Ctx: tabCtx, URL: d.URL}
	tab.Do("open a second tab", chromedp.Navigate(d.URL+"/"), chromedp.WaitVisible("#elsewhere-screen"))
	tab.WaitText("#elsewhere-text", "Ringside is open in another tab or browser")

	// Use here, from the first browser, takes the desktop back.
	first.Do("use here", chromedp.Click("#elsewhere-continue"), chromedp.WaitVisible("#waiting-panel"))
	first.Wait("available", `document.querySelector('#state-select').value === 'available'`)
	second.Do("second replaced", chromedp.WaitVisible("#elsewhere-screen"))
	second.WaitText("#elsewhere-text", "This desktop was replaced")
	if !tab.Visible("#elsewhere-screen", true) {
		t.Fatal("the prompted tab moved on by itself")
	}
	waitAgent(t, d, uid, "available", func(v *orchestrator.AgentView) bool { return v.State == orchestrator.StateAvailable })

	// Closing the live desktop's page frees it at once: the second browser,
	// reloaded right after (well inside the 10 s grace), is not prompted.
	first.Do("close the desktop's page", chromedp.Navigate("about:blank"))
	second.Do("reload after the close", chromedp.Reload(), chromedp.WaitVisible("#state-select"))
	if !second.Visible("#elsewhere-screen", false) {
		t.Fatal("a desktop opened right after the other was closed was prompted")
	}
	second.WaitText("#station-label", "2001")
}
