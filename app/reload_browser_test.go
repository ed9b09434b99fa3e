package app

import (
	"fmt"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// timerAtLeast is JavaScript: the m:ss (or h:mm:ss) text of sel is at least n seconds.
func timerAtLeast(sel string, n int) string {
	return fmt.Sprintf(`(() => { const p = (document.querySelector(%q)?.textContent || '').trim().split(':').map(Number); return p.length > 1 && p.reduce((a, x) => a * 60 + x, 0) >= %d; })()`, sel, n)
}

// wrapupLeft reads the wrap-up countdown ("… in 0:27 (at …)") as seconds.
func (b *desk) wrapupLeft() int {
	b.T.Helper()
	n, err := strconv.Atoi(b.Eval(`(() => {
		const m = document.querySelector('#wrapup-countdown').textContent.match(/in ([0-9:]+)/);
		return m ? m[1].split(':').map(Number).reduce((a, x) => a * 60 + x, 0) : 'none';
	})()`))
	if err != nil {
		b.T.Fatalf("wrap-up countdown %q: %v", b.Text("#wrapup-countdown"), err)
	}
	return n
}

// reload reloads the page as a user would and waits for the desktop again.
func (b *desk) reload() {
	b.T.Helper()
	b.Do("mark the page", chromedp.Evaluate[chromedp.Void](`window.beforeReload = true`))
	b.Do("reload", chromedp.Reload(), chromedp.WaitVisible("#state-select"))
	if b.Eval(`window.beforeReload === true`) == "true" {
		b.T.Fatal("the page did not reload")
	}
}

// S10: reloading the page during a call brings back the same call panel,
// with its caller and actions, and timers that go on from the server's
// timestamps instead of starting again; the same after the call, in
// wrap-up, for the state and the wrap-up countdown.
func TestReloadRestoresCallAndTimers_S10(t *testing.T) {
	d := startDemo(t)
	b := openDesk(t, d, "agent1@demo.local", "2001")
	connectedCall(t, d, b, "+15550610")
	ixID := b.Eval(`window.ringside.state.agent.interaction.id`)
	b.Wait("call timer at 0:02", timerAtLeast("#call-timer", 2))
	before := b.Seconds("#call-timer")
	stateBefore := b.Seconds("#state-time")

	b.reload()
	b.Do("call panel again", chromedp.WaitVisible("#call-panel"))
	b.WaitText("#call-caller", "+15550610")
	b.WaitText("#call-queue", "support")
	if got := b.Eval(`window.ringside.state.agent.interaction.id`); got != ixID {
		t.Fatalf("after reload the desktop shows interaction %s, want %s", got, ixID)
	}
	for _, sel := range []string{"#hold", "#end-call", "#consult", "#transfer"} {
		if !b.Visible(sel, true) || !b.Enabled(sel) {
			t.Fatalf("after reload %s is not offered", sel)
		}
	}
	b.Wait("state shown", `document.querySelector('#state-select').value === 'busy:engaged'`)
	if after := b.Seconds("#call-timer"); after < before || after < 2 {
		t.Fatalf("call timer %d s after reload, %d s before: it started again", after, before)
	}
	if after := b.Seconds("#state-time"); after < stateBefore {
		t.Fatalf("time in state %d s after reload, %d s before", after, stateBefore)
	}
	b.Screenshot("call-after-reload")

	// Wrap-up: the countdown runs to the server's deadline across a reload.
	b.Do("end", chromedp.Click("#end-call"), chromedp.WaitVisible("#wrapup-dialog"), chromedp.WaitVisible("#wrapup-countdown"))
	b.Wait("wrap-up a second old", timerAtLeast("#state-time", 2))
	left := b.wrapupLeft()
	wrapBefore := b.Seconds("#state-time")
	if left > 28 {
		t.Fatalf("wrap-up countdown at %d s after 2 s of a 30 s wrap-up", left)
	}
	b.reload()
	b.Do("wrap-up again", chromedp.WaitVisible("#wrapup-dialog"), chromedp.WaitVisible("#wrapup-countdown"))
	b.WaitText("#wrapup-summary", "+15550610")
	b.Wait("state shown", `document.querySelector('#state-select').value === 'busy:wrapup'`)
	if got := b.wrapupLeft(); got > left {
		t.Fatalf("wrap-up countdown %d s after reload, %d s before: it started again", got, left)
	}
	if got := b.Seconds("#state-time"); got < wrapBefore {
		t.Fatalf("wrap-up time in state %d s after reload, %d s before", got, wrapBefore)
	}
	b.Screenshot("wrapup-after-reload")
	b.Pick("#wrapup-code", "resolved")
	b.Do("wrap up", chromedp.Click("#wrapup-submit"), chromedp.WaitVisible("#waiting-panel"))
}
