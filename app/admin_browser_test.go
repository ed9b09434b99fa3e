package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ringside/ringside/internal/browsertest"
	"github.com/ringside/ringside/orchestrator"
)

// R4 end to end, in a real browser against the demo stack: the demo admin
// (no station needed) opens Administration, enables remote sign-in for an
// agent with a mobile and a virtual extension and saves; SQLite then holds
// the virtual extension linked to the agent, ringing that mobile. A bad
// mobile shows the server's reason next to the row and changes nothing; a
// number that is another agent's virtual extension is refused by name.
// The agent's station list then shows it second, as "mobile <number>"
// (R5, R6).
func TestAdminSetsRemoteAccessInBrowser_R4(t *testing.T) {
	d := startDemo(t)
	ctx := context.Background()
	b := browsertest.New(t, d.URL, "admin")
	row := func(login, rest string) string {
		return fmt.Sprintf(`#admin-users-body tr[data-login=%q] %s`, login, rest)
	}
	const agent = "agent3@demo.local"

	b.Do("open", chromedp.Navigate(d.URL+"/"), chromedp.WaitVisible("#login"))
	b.Do("sign in as admin", chromedp.SendKeys("#login", "admin@demo.local"), chromedp.SendKeys("#password", DemoPassword+"\r"),
		chromedp.WaitVisible("#admin-screen"), chromedp.WaitVisible(row(agent, "[name=mobile]")))
	if !b.Visible("#station-screen", false) || !b.Visible("#admin-back", false) {
		t.Fatal("an admin-only user is asked for a station, or offered a desk to go back to")
	}
	b.WaitText(row("remote1@demo.local", "td"), "Rita Remote")
	if got := b.Eval(fmt.Sprintf(`document.querySelector(%q).value`, row("remote1@demo.local", "[name=virtual_extension]"))); got != "8001" {
		t.Fatalf("remote1's virtual extension shows %q, want 8001", got)
	}
	b.Screenshot("administration")

	// A bad mobile: the reason shows on the row and nothing is stored.
	before, err := d.DB.UserByLogin(ctx, agent)
	if err != nil {
		t.Fatal(err)
	}
	b.Do("bad mobile", chromedp.Click(row(agent, "[name=allow_remote]")),
		chromedp.SendKeys(row(agent, "[name=mobile]"), "12"),
		chromedp.SendKeys(row(agent, "[name=virtual_extension]"), "8103"),
		chromedp.Click(row(agent, "[data-action=save]")))
	b.WaitText(row(agent, ".admin-status.error"), "mobile:")
	b.Screenshot("bad-mobile")
	if after, err := d.DB.UserByLogin(ctx, agent); err != nil || after.Remote() != before.Remote() {
		t.Fatalf("a refused save changed the user: %+v (%v)", after.Remote(), err)
	}
	if _, err := d.DB.ExtensionByNumber(ctx, "8103"); orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
		t.Fatalf("a refused save created the virtual extension: %v", err)
	}

	// Fixed: saved, shown in the stored (E.164) form, and linked.
	b.Clear(row(agent, "[name=mobile]"))
	b.Do("good mobile", chromedp.SendKeys(row(agent, "[name=mobile]"), "+1 555 555 0199"),
		chromedp.Click(row(agent, "[data-action=save]")))
	b.WaitText(row(agent, ".admin-status.ok"), "Saved")
	b.Wait("mobile in E.164", fmt.Sprintf(`document.querySelector(%q).value === '+15555550199'`, row(agent, "[name=mobile]")))
	b.Screenshot("saved")
	u, err := d.DB.UserByLogin(ctx, agent)
	if err != nil {
		t.Fatal(err)
	}
	if want := (orchestrator.RemoteAccess{AllowRemote: true, Mobile: "+15555550199", VirtualExtension: "8103"}); u.Remote() != want {
		t.Fatalf("stored %+v, want %+v", u.Remote(), want)
	}
	ext, err := d.DB.ExtensionByNumber(ctx, "8103")
	if err != nil {
		t.Fatal(err)
	}
	if ext.Kind != orchestrator.ExtensionVirtual || ext.OwnerID != u.ID || ext.Mobile != "+15555550199" {
		t.Fatalf("virtual extension %+v is not linked to %s (id %d)", ext, agent, u.ID)
	}

	// Another agent's virtual extension is refused by name.
	b.Do("taken number", chromedp.SendKeys(row("agent2@demo.local", "[name=mobile]"), "+15555550198"),
		chromedp.SendKeys(row("agent2@demo.local", "[name=virtual_extension]"), "8001"),
		chromedp.Click(row("agent2@demo.local", "[data-action=save]")))
	b.WaitText(row("agent2@demo.local", ".admin-status.error"), `virtual_extension: 8001 is the virtual extension of "remote1@demo.local"`)

	// R5, R6: the agent's station list: personal extension, then the virtual
	// one as "mobile <number>"; and the admin pages are not theirs.
	c := apiLogin(t, d, agent)
	body := c.must("GET", "/api/v1/stations", nil, http.StatusOK)
	stations, _ := body["stations"].([]any)
	if len(stations) < 2 {
		t.Fatalf("stations = %v", body)
	}
	first, second := stations[0].(map[string]any), stations[1].(map[string]any)
	if first["number"] != "2003" || second["number"] != "8103" || second["label"] != "mobile +15555550199" {
		t.Fatalf("station list starts %v, %v; want 2003, then 8103 as \"mobile +15555550199\"", first, second)
	}
	if status, _ := c.call("GET", "/api/v1/admin/users", nil); status != http.StatusForbidden {
		t.Fatalf("an agent reads the admin user list: %d", status)
	}
}

// A user who is admin and supervisor reaches Administration from the
// station step and comes back to it.
func TestAdminAlsoOnDeskOpensAdministration_R4(t *testing.T) {
	d := startDemo(t)
	ctx := context.Background()
	sup, err := d.DB.UserByLogin(ctx, "supervisor@demo.local")
	if err != nil {
		t.Fatal(err)
	}
	sup.Roles = append(sup.Roles, orchestrator.RoleAdmin)
	if _, err := d.DB.UpdateUser(ctx, sup, ""); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t, d.URL, "admin-supervisor")
	b.Do("open", chromedp.Navigate(d.URL+"/"), chromedp.WaitVisible("#login"))
	b.Do("sign in", chromedp.SendKeys("#login", "supervisor@demo.local"), chromedp.SendKeys("#password", DemoPassword+"\r"),
		chromedp.WaitVisible("#station-select"), chromedp.WaitVisible("#admin-open"))
	b.Screenshot("station-with-administration")
	b.Do("open administration", chromedp.Click("#admin-open"), chromedp.WaitVisible("#admin-screen"),
		chromedp.WaitVisible(`#admin-users-body tr[data-login="agent1@demo.local"]`), chromedp.WaitVisible("#admin-back"))
	if !b.Visible("#admin-open", false) {
		t.Error("the Administration button stays on the Administration view")
	}
	b.Do("back to the desk", chromedp.Click("#admin-back"), chromedp.WaitVisible("#station-select"), chromedp.WaitVisible("#admin-open"))
}

// apiLogin signs login in over the REST API without starting a session.
func apiLogin(t *testing.T, d *Demo, login string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: d.URL, http: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
	c.must("POST", "/api/v1/auth/login", map[string]any{"login": login, "password": DemoPassword}, http.StatusOK)
	return c
}
