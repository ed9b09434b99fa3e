package app

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/ringside/ringside/internal/browsertest"
)

// The telephony banner's words (orchestrator/health.go).
const (
	pbxBannerHead = "Telephony link lost"
	pbxBannerBody = "new calls cannot be offered, answered or transferred; calls in progress continue"
)

// bannerShows is JavaScript: the health banner is on screen and contains text.
func bannerShows(text string) string {
	return fmt.Sprintf(`(() => { const b = document.querySelector('#health-banner'); return !!b && !b.hidden && b.getClientRects().length > 0 && b.textContent.includes(%q); })()`, text)
}

const bannerGone = `document.querySelector('#health-banner').hidden && document.querySelector('#health-list').children.length === 0`

// waitLong polls a predicate for up to 30 s: the ARI adapter reconnects
// with backoff, so the link may take several seconds to come back.
func (b *desk) waitLong(what, js string) {
	b.T.Helper()
	b.Do(what, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(100*time.Millisecond)))
}

// readyz returns /readyz's status code.
func readyz(t *testing.T, d *Demo) int {
	t.Helper()
	resp, err := http.Get(d.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// S9, P4 on the real demo stack: while pbxsim has cut the ARI link, every
// desktop (an agent's and a supervisor's) names the telephony features
// that are unavailable; a desktop reloaded during the outage shows it at
// once from its snapshot; when the link is back the banner clears by
// itself, without a reload.
func TestHealthBannerInBrowser_S9_P4(t *testing.T) {
	d := startDemo(t)
	agent := openDesk(t, d, "agent1@demo.local", "2001")
	sup := openSupervisor(t, d)
	for _, b := range []*desk{agent, sup} {
		if !b.Visible("#health-banner", false) {
			t.Fatalf("%s: a health banner while everything works", b.ext)
		}
	}
	if code := readyz(t, d); code != http.StatusOK {
		t.Fatalf("/readyz = %d before the outage", code)
	}

	d.Sim.DropLink()
	for _, b := range []*desk{agent, sup} {
		b.Wait("telephony banner", bannerShows(pbxBannerHead))
		b.WaitText("#health-banner", pbxBannerBody)
	}
	agent.Screenshot("link-down")
	waitFor(t, "/readyz reports the PBX", func() bool { return readyz(t, d) == http.StatusServiceUnavailable })

	// A desktop that (re)connects during the outage gets it from the snapshot.
	agent.Do("reload", chromedp.Reload(), chromedp.WaitVisible("#state-select"))
	agent.Wait("banner after reload", bannerShows(pbxBannerHead))

	for _, b := range []*desk{agent, sup} {
		b.Do("mark the page", chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`))
	}
	d.Sim.RestoreLink()
	for _, b := range []*desk{agent, sup} {
		b.waitLong("banner clears by itself", bannerGone)
		if b.Eval(`window.notReloaded === true`) != "true" {
			t.Fatalf("%s: the page was reloaded to clear the banner", b.ext)
		}
	}
	agent.Screenshot("link-back")
	waitFor(t, "/readyz ready again", func() bool { return readyz(t, d) == http.StatusOK })
	agent.WaitText("#station-label", "2001") // still the same desk
}

// S9 before sign-in: the sign-in screen, which has no event stream yet,
// shows the banner when a part goes down and clears it by itself when the
// part is back; signing in then works without a reload.
func TestHealthBannerOnSignIn_S9(t *testing.T) {
	d := startDemo(t)
	b := &desk{Browser: browsertest.New(t, d.URL, "signin"), ext: "2001"}
	b.Do("open", chromedp.Navigate(d.URL+"/"), chromedp.WaitVisible("#login"))
	if !b.Visible("#health-banner", false) {
		t.Fatal("a health banner on the sign-in screen while everything works")
	}
	d.Sim.DropLink()
	b.waitLong("telephony banner on the sign-in screen", bannerShows(pbxBannerHead))
	b.Do("mark the page", chromedp.Evaluate[chromedp.Void](`window.notReloaded = true`))
	d.Sim.RestoreLink()
	b.waitLong("banner clears by itself", bannerGone)
	if b.Eval(`window.notReloaded === true`) != "true" {
		t.Fatal("the page was reloaded to clear the banner")
	}
	b.Do("sign in", chromedp.SendKeys("#login", "agent1@demo.local"), chromedp.SendKeys("#password", DemoPassword+"\r"), chromedp.WaitVisible("#station-select"))
	if !b.Visible("#health-banner", false) {
		t.Fatal("a health banner after signing in with everything up")
	}
}
