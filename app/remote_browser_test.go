package app

import (
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ringside/ringside/internal/browsertest"
)

// R3, R7 in the browser: the remote agent's desktop shows the mobile its
// virtual extension rings, and the demo handset follows the trunk legs to
// that mobile (their endpoint names the mobile, not 8001): it rings, answers
// and hangs up, and the desktop goes to wrap-up.
func TestRemoteAgentHandsetInBrowser_R3_R7(t *testing.T) {
	d := startDemo(t)
	b := openDesk(t, d, remoteLogin, "8001")
	b.WaitText("#station-label", "8001 (mobile "+remoteMobile+")")
	b.Wait("Virtual (R7)", `document.querySelector('#state-select option:checked').textContent === 'Virtual'`)
	b.WaitText("#sim-station", remoteMobile)

	placeCall(t, d, "support", "+15550401", nil)
	b.Do("offer", chromedp.WaitVisible("#offer-popover"))
	b.answerOnHandset()
	b.Do("call panel", chromedp.WaitVisible("#call-panel"))
	b.WaitText("#call-caller", "+15550401")
	b.Do("hang up the mobile", chromedp.Click("#sim-handset [data-testid=sim-hangup]"), chromedp.WaitVisible("#wrapup-dialog"))
}

// S4.1 in the browser: the country picker reads a national number, the
// server's reason shows for a bad one, and the handset rings the E.164
// number through the trunk.
func TestDialNumberStationInBrowser_S4_1(t *testing.T) {
	d := startDemo(t)
	b := &desk{Browser: browsertest.New(t, d.URL, "dial")}
	b.Do("open", chromedp.Navigate(d.URL+"/"), chromedp.WaitVisible("#login"))
	b.Do("sign in", chromedp.SendKeys("#login", "agent2@demo.local"), chromedp.SendKeys("#password", DemoPassword+"\r"), chromedp.WaitVisible("#station-select"))
	b.Do("dial number", chromedp.Click("#station-type-dial"))
	b.Wait("picker defaults to +1", `document.querySelector('#dial-country').value === 'US' && document.querySelector('#dial-country').options.length > 200`)
	b.Pick("#dial-country", "GB")
	b.Do("too short", chromedp.SendKeys("#dial-number", "0123"), chromedp.Click("#start-session"))
	b.WaitText("#station-error", "0123: too short for United Kingdom (+44)")
	b.Clear("#dial-number")
	b.Do("national number", chromedp.SendKeys("#dial-number", "07911 123456"), chromedp.Click("#start-session"), chromedp.WaitVisible("#state-select"))
	b.WaitText("#station-label", "+447911123456")

	placeCall(t, d, "support", "+15550402", nil)
	ringingLeg(t, d, "PJSIP/+447911123456@trunk")
	b.answerOnHandset()
	b.Do("call panel", chromedp.WaitVisible("#call-panel"))
}
