package webui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ringside/ringside/api"
	"github.com/ringside/ringside/internal/browsertest"
)

// browser is a chromium tab on a test server with the embedded UI and a fake desk.
type browser struct {
	*browsertest.Browser
	desk *desk
}

func newBrowser(t *testing.T, name string) *browser {
	t.Helper()
	d := newDesk()
	d.wrapupTime = 90 * time.Second
	srv := httptest.NewServer(api.New(api.Options{
		Controller: d, Accounts: newAccounts(), Sim: d, UI: Handler(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}).Handler())
	t.Cleanup(srv.Close)
	return &browser{Browser: browsertest.New(t, srv.URL, name), desk: d}
}

// The agent's path through the desktop in a real browser: S1 sign-in with
// the server's error, S3/S5 station, A1 Connecting then Contact request
// without secure variables, A4 call panel with a running timer, A12 wrap-up
// with a countdown, A3 RONA prompt, S10 reload, S8 sign-out.
func TestDesktopInBrowser(t *testing.T) {
	b := newBrowser(t, "desk")
	b.Do("open", chromedp.EmulateViewport(1280, 720), chromedp.Navigate(b.URL+"/"), chromedp.WaitVisible("#login"))
	b.Screenshot("signin")

	// S1: the server's message for bad credentials.
	b.Do("bad sign-in", chromedp.SendKeys("#login", "ann@example.com"), chromedp.SendKeys("#password", "nope"), chromedp.Click("#signin"))
	b.WaitText("#signin-error", "wrong login or password")
	b.Screenshot("signin-error")

	// Sign in (Enter submits); agent only: no role picker (S3); R6 order.
	b.Clear("#password")
	b.Do("sign in", chromedp.SendKeys("#password", "secret\r"), chromedp.WaitVisible("#station-select"))
	b.Wait("stations listed", `document.querySelector('#station-select').options.length === 3`)
	if !b.Visible("#role-field", false) {
		t.Fatal("an agent-only user is asked for a role (S3)")
	}
	b.Screenshot("station")

	// A bad dial number shows the server's reason (S4.1, S7).
	b.Do("dial number", chromedp.Click("#station-type-dial"), chromedp.SendKeys("#dial-number", "555"), chromedp.Click("#start-session"))
	b.WaitText("#station-error", "555: too short for United States (+1)")
	b.Wait("country picker", `document.querySelector('#dial-country').value === 'US' && document.querySelector('#dial-country').options.length > 200`)
	b.Do("extension", chromedp.Click("#station-type-extension"), chromedp.Click("#remember"), chromedp.Click("#start-session"))
	b.Do("desktop", chromedp.WaitVisible("#state-select"), chromedp.WaitVisible("#sim-handset"))
	b.WaitText("#user-name", "Ann Agent")
	b.WaitText("#station-label", "2002") // R6: the personal extension comes first
	b.Wait("available", `document.querySelector('#state-select').value === 'available'`)
	b.Wait("idle codes", `document.querySelector('#state-select').options.length === 4`)
	b.Screenshot("desktop-available")

	// A refused state change shows the server's message and keeps the real state.
	b.Pick("#state-select", "idle:lunch")
	b.WaitText("#banner-text", "lunch is not before 11:30")
	b.Wait("reverted", `document.querySelector('#state-select').value === 'available'`)
	b.Pick("#state-select", "idle:break")
	b.WaitText("#waiting-title", "Idle – Break")
	b.Screenshot("desktop-idle")
	b.Do("dismiss", chromedp.Click("#banner-close"))
	b.Pick("#state-select", "available")
	b.WaitText("#waiting-title", "Waiting for calls")

	// A1: Connecting, then Contact request with the popover variables only.
	b.desk.mu.Lock()
	b.desk.holdConnecting = true
	b.desk.mu.Unlock()
	b.Do("customer calls", chromedp.SendKeys("#customer-vars", "account=42, tier=gold"), chromedp.Click("#customer-call"), chromedp.WaitVisible("#connecting"))
	if b.Visible("#offer-popover", true) {
		t.Fatal("the contact request shows while still connecting")
	}
	b.Screenshot("connecting")
	b.desk.ring()
	b.Do("offer", chromedp.WaitVisible("#offer-popover"), chromedp.WaitNotVisible("#connecting"))
	b.WaitText("#offer-vars", "42")
	if vars := b.Text("#offer-vars"); !strings.Contains(vars, "Account42") || !strings.Contains(vars, "Tiergold") || strings.Contains(vars, "PIN") || strings.Contains(vars, "*****") {
		t.Fatalf("popover variables = %q (A1: secure ones never shown)", vars)
	}
	b.Wait("handset rings", `document.querySelector('#sim-handset [data-testid=sim-answer]') !== null`)
	b.Screenshot("offer")

	// A4: answer on the (simulated) phone: the call panel and a running timer.
	b.Do("answer", chromedp.Click("#sim-handset [data-testid=sim-answer]"), chromedp.WaitVisible("#call-panel"), chromedp.WaitNotVisible("#offer-popover"))
	b.WaitText("#call-caller", "+15550100")
	b.WaitText("#call-queue", "sales")
	first := b.Seconds("#call-timer")
	if first < 65 {
		t.Fatalf("call timer %d s; it counts from answered_at", first)
	}
	b.Wait("timer runs", fmt.Sprintf(`(() => { const [m, s] = document.querySelector('#call-timer').textContent.split(':').map(Number); return m * 60 + s > %d; })()`, first))
	if !b.Visible("#state-select", true) || b.Text("#state-select option:checked") != "On a call" {
		t.Fatalf("state picker shows %q during a call", b.Text("#state-select option:checked"))
	}
	b.Screenshot("call")

	// A12: End, then the wrap-up dialog with a countdown.
	b.Do("end", chromedp.Click("#end-call"), chromedp.WaitVisible("#wrapup-dialog"), chromedp.WaitVisible("#wrapup-countdown"))
	b.WaitText("#wrapup-countdown", "Wrap-up ends by itself in 1:")
	if opts := b.Text("#wrapup-code"); !strings.Contains(opts, "Sale") || strings.Contains(opts, "Timed out") {
		t.Fatalf("wrap-up codes = %q", opts)
	}
	b.Screenshot("wrapup")
	b.Pick("#wrapup-code", "info")
	b.Do("wrap up", chromedp.Click("#wrapup-submit"), chromedp.WaitVisible("#waiting-panel"))
	b.WaitText("#waiting-title", "Waiting for calls")

	// A3: a rejected offer: the RONA prompt; RONA shows in the state picker.
	b.desk.mu.Lock()
	b.desk.holdConnecting = false
	b.desk.mu.Unlock()
	b.Do("second call", chromedp.Click("#customer-call"), chromedp.WaitVisible("#offer-popover"))
	b.Wait("handset rings", `document.querySelector('#sim-handset [data-testid=sim-reject]') !== null`)
	b.Do("reject", chromedp.Click("#sim-handset [data-testid=sim-reject]"), chromedp.WaitVisible("#rona-prompt"))
	b.WaitText("#rona-text", "You did not answer a call from sales")
	b.Wait("RONA in picker", `document.querySelector('#state-select option:checked').textContent === 'RONA'`)
	b.Screenshot("rona")
	b.Do("go available", chromedp.Click("#rona-available"), chromedp.WaitVisible("#waiting-panel"))
	b.Wait("available", `document.querySelector('#state-select').value === 'available'`)

	// S10: a reload restores the desktop from the server.
	b.Do("reload", chromedp.Reload(), chromedp.WaitVisible("#state-select"))
	b.WaitText("#station-label", "2002")

	// The stream ends (the desktop fell behind): the desktop reconnects and
	// the new snapshot brings what it missed meanwhile.
	b.desk.closeStreams()
	if err := b.desk.SetState(context.Background(), 1, "idle", "training"); err != nil {
		t.Fatal(err)
	}
	b.WaitText("#waiting-title", "Idle – Training")
	b.Wait("link back", `document.querySelector('#link-status').hidden`)
	b.Pick("#state-select", "available")
	b.WaitText("#waiting-title", "Waiting for calls")

	// S8: sign-out from a non-talking state, back to sign-in.
	b.Do("sign out", chromedp.Click("#sign-out"), chromedp.WaitVisible("#login"))

	// S3, S5: a user with both roles picks one; the remembered station is preselected.
	b.Clear("#login")
	b.Do("sue", chromedp.SendKeys("#login", "sue@example.com"), chromedp.SendKeys("#password", "secret\r"), chromedp.WaitVisible("#role-select"))
	b.Screenshot("station-both-roles")
	b.Do("back", chromedp.Click("#logout"), chromedp.WaitVisible("#login"))
	b.Clear("#login")
	b.Do("ann again", chromedp.SendKeys("#login", "ann@example.com"), chromedp.SendKeys("#password", "secret\r"), chromedp.WaitVisible("#station-select"))
	b.Wait("remembered", `document.querySelector('#station-select').value === '2002' && document.querySelector('#remember').checked`)
}
