package webui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ringside/ringside/api"
)

// browser is one headless chromium tab on a test server with fakes.
type browser struct {
	t    *testing.T
	ctx  context.Context
	url  string
	desk *desk
	shot int
}

// newBrowser starts the API (with the embedded UI and a fake desk) and a
// chromium tab at 1280×720. It skips when chromium is not installed.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("browser test: not in -short")
	}
	path := os.Getenv("RINGSIDE_CHROMIUM")
	if path == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				path = p
				break
			}
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("browser test: no chromium in CI (scripts/test.sh installs Debian's chromium)")
		}
		t.Skip("browser test: no chromium (apt-get install chromium)")
	}
	d := newDesk()
	d.wrapupTime = 90 * time.Second
	srv := httptest.NewServer(api.New(api.Options{
		Controller: d, Accounts: newAccounts(), Sim: d, UI: Handler(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}).Handler())
	t.Cleanup(srv.Close)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1280, 720), chromedp.Flag("disable-background-networking", true), chromedp.Flag("lang", "en-US"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	return &browser{t: t, ctx: ctx, url: srv.URL, desk: d}
}

func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.screenshot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
}

// wait polls a JavaScript predicate.
func (b *browser) wait(what, js string) {
	b.t.Helper()
	b.do(what, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(50*time.Millisecond)))
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).textContent`, sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	b.wait(fmt.Sprintf("%s shows %q", sel, want), fmt.Sprintf(`(document.querySelector(%q)?.textContent || '').includes(%q)`, sel, want))
}

func (b *browser) pick(sel, value string) {
	b.t.Helper()
	b.do("pick "+value, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`(() => { const s = document.querySelector(%q); s.value = %q; s.dispatchEvent(new Event('change', {bubbles: true})); })()`, sel, value)))
}

// screenshot saves the viewport to $RINGSIDE_SCREENSHOTS, when set.
func (b *browser) screenshot(name string) {
	dir := os.Getenv("RINGSIDE_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.shot++
	file := filepath.Join(dir, fmt.Sprintf("%02d-%s.png", b.shot, name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

// The agent's path through the desktop in a real browser: S1 sign-in with
// the server's error, S3/S5 station, A1 Connecting then Contact request
// without secure variables, A4 call panel with a running timer, A12 wrap-up
// with a countdown, A3 RONA prompt, S10 reload, S8 sign-out.
func TestDesktopInBrowser(t *testing.T) {
	b := newBrowser(t)
	b.do("open", chromedp.EmulateViewport(1280, 720), chromedp.Navigate(b.url+"/"), chromedp.WaitVisible("#login"))
	b.screenshot("signin")

	// S1: the server's message for bad credentials.
	b.do("bad sign-in", chromedp.SendKeys("#login", "ann@example.com"), chromedp.SendKeys("#password", "nope"), chromedp.Click("#signin"))
	b.waitText("#signin-error", "wrong login or password")
	b.screenshot("signin-error")

	// Sign in (Enter submits); agent only: no role picker (S3); R6 order.
	b.clear("#password")
	b.do("sign in", chromedp.SendKeys("#password", "secret\r"), chromedp.WaitVisible("#station-select"))
	b.wait("stations listed", `document.querySelector('#station-select').options.length === 3`)
	if !b.visible("#role-field", false) {
		t.Fatal("an agent-only user is asked for a role (S3)")
	}
	b.screenshot("station")

	// A bad dial number shows the server's reason (S4.1, S7).
	b.do("dial number", chromedp.Click("#station-type-dial"), chromedp.SendKeys("#dial-number", "555"), chromedp.Click("#start-session"))
	b.waitText("#station-error", "not a valid international number")
	b.do("extension", chromedp.Click("#station-type-extension"), chromedp.Click("#remember"), chromedp.Click("#start-session"))
	b.do("desktop", chromedp.WaitVisible("#state-select"), chromedp.WaitVisible("#sim-handset"))
	b.waitText("#user-name", "Ann Agent")
	b.waitText("#station-label", "2002") // R6: the personal extension comes first
	b.wait("available", `document.querySelector('#state-select').value === 'available'`)
	b.wait("idle codes", `document.querySelector('#state-select').options.length === 4`)
	b.screenshot("desktop-available")

	// A refused state change shows the server's message and keeps the real state.
	b.pick("#state-select", "idle:lunch")
	b.waitText("#banner-text", "lunch is not before 11:30")
	b.wait("reverted", `document.querySelector('#state-select').value === 'available'`)
	b.pick("#state-select", "idle:break")
	b.waitText("#waiting-title", "Idle – Break")
	b.screenshot("desktop-idle")
	b.do("dismiss", chromedp.Click("#banner-close"))
	b.pick("#state-select", "available")
	b.waitText("#waiting-title", "Waiting for calls")

	// A1: Connecting, then Contact request with the popover variables only.
	b.desk.mu.Lock()
	b.desk.holdConnecting = true
	b.desk.mu.Unlock()
	b.do("customer calls", chromedp.SendKeys("#customer-vars", "account=42, tier=gold"), chromedp.Click("#customer-call"), chromedp.WaitVisible("#connecting"))
	if b.visible("#offer-popover", true) {
		t.Fatal("the contact request shows while still connecting")
	}
	b.screenshot("connecting")
	b.desk.ring()
	b.do("offer", chromedp.WaitVisible("#offer-popover"), chromedp.WaitNotVisible("#connecting"))
	b.waitText("#offer-vars", "42")
	if vars := b.text("#offer-vars"); !strings.Contains(vars, "Account42") || !strings.Contains(vars, "Tiergold") || strings.Contains(vars, "PIN") || strings.Contains(vars, "*****") {
		t.Fatalf("popover variables = %q (A1: secure ones never shown)", vars)
	}
	b.wait("handset rings", `document.querySelector('#sim-handset [data-testid=sim-answer]') !== null`)
	b.screenshot("offer")

	// A4: answer on the (simulated) phone: the call panel and a running timer.
	b.do("answer", chromedp.Click("#sim-handset [data-testid=sim-answer]"), chromedp.WaitVisible("#call-panel"), chromedp.WaitNotVisible("#offer-popover"))
	b.waitText("#call-caller", "+15550100")
	b.waitText("#call-queue", "sales")
	first := b.seconds("#call-timer")
	if first < 65 {
		t.Fatalf("call timer %d s; it counts from answered_at", first)
	}
	b.wait("timer runs", fmt.Sprintf(`(() => { const [m, s] = document.querySelector('#call-timer').textContent.split(':').map(Number); return m * 60 + s > %d; })()`, first))
	if !b.visible("#state-select", true) || b.text("#state-select option:checked") != "On a call" {
		t.Fatalf("state picker shows %q during a call", b.text("#state-select option:checked"))
	}
	b.screenshot("call")

	// A12: End, then the wrap-up dialog with a countdown.
	b.do("end", chromedp.Click("#end-call"), chromedp.WaitVisible("#wrapup-dialog"), chromedp.WaitVisible("#wrapup-countdown"))
	b.waitText("#wrapup-countdown", "Wrap-up ends by itself in 1:")
	if opts := b.text("#wrapup-code"); !strings.Contains(opts, "Sale") || strings.Contains(opts, "Timed out") {
		t.Fatalf("wrap-up codes = %q", opts)
	}
	b.screenshot("wrapup")
	b.pick("#wrapup-code", "info")
	b.do("wrap up", chromedp.Click("#wrapup-submit"), chromedp.WaitVisible("#waiting-panel"))
	b.waitText("#waiting-title", "Waiting for calls")

	// A3: a rejected offer: the RONA prompt; RONA shows in the state picker.
	b.desk.mu.Lock()
	b.desk.holdConnecting = false
	b.desk.mu.Unlock()
	b.do("second call", chromedp.Click("#customer-call"), chromedp.WaitVisible("#offer-popover"))
	b.wait("handset rings", `document.querySelector('#sim-handset [data-testid=sim-reject]') !== null`)
	b.do("reject", chromedp.Click("#sim-handset [data-testid=sim-reject]"), chromedp.WaitVisible("#rona-prompt"))
	b.waitText("#rona-text", "You did not answer a call from sales")
	b.wait("RONA in picker", `document.querySelector('#state-select option:checked').textContent === 'RONA'`)
	b.screenshot("rona")
	b.do("go available", chromedp.Click("#rona-available"), chromedp.WaitVisible("#waiting-panel"))
	b.wait("available", `document.querySelector('#state-select').value === 'available'`)

	// S10: a reload restores the desktop from the server.
	b.do("reload", chromedp.Reload(), chromedp.WaitVisible("#state-select"))
	b.waitText("#station-label", "2002")

	// The stream ends (the desktop fell behind): the desktop reconnects and
	// the new snapshot brings what it missed meanwhile.
	b.desk.closeStreams()
	if err := b.desk.SetState(context.Background(), 1, "idle", "training"); err != nil {
		t.Fatal(err)
	}
	b.waitText("#waiting-title", "Idle – Training")
	b.wait("link back", `document.querySelector('#link-status').hidden`)
	b.pick("#state-select", "available")
	b.waitText("#waiting-title", "Waiting for calls")

	// S8: sign-out from a non-talking state, back to sign-in.
	b.do("sign out", chromedp.Click("#sign-out"), chromedp.WaitVisible("#login"))

	// S3, S5: a user with both roles picks one; the remembered station is preselected.
	b.clear("#login")
	b.do("sue", chromedp.SendKeys("#login", "sue@example.com"), chromedp.SendKeys("#password", "secret\r"), chromedp.WaitVisible("#role-select"))
	b.screenshot("station-both-roles")
	b.do("back", chromedp.Click("#logout"), chromedp.WaitVisible("#login"))
	b.clear("#login")
	b.do("ann again", chromedp.SendKeys("#login", "ann@example.com"), chromedp.SendKeys("#password", "secret\r"), chromedp.WaitVisible("#station-select"))
	b.wait("remembered", `document.querySelector('#station-select').value === '2002' && document.querySelector('#remember').checked`)
}

func (b *browser) clear(sel string) {
	b.t.Helper()
	b.do("clear "+sel, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ""`, sel)))
}

func (b *browser) visible(sel string, want bool) bool {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.getClientRects().length > 0; })()`, sel)))
	if err != nil {
		b.t.Fatal(err)
	}
	return v == want
}

func (b *browser) seconds(sel string) int {
	b.t.Helper()
	parts := strings.Split(b.text(sel), ":")
	n := 0
	for _, p := range parts {
		v, _ := strconv.Atoi(p)
		n = n*60 + v
	}
	return n
}
