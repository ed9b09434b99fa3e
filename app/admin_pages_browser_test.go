package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ringside/ringside/internal/browsertest"
	"github.com/ringside/ringside/orchestrator"
)

// P6 end to end, in a real browser against the demo stack: the demo admin
// works through the Administration tabs. A queue with a bad ring time is
// refused with the server's message next to the form and nothing stored;
// fixed, it is saved. An idle code's label is edited, a wrap-up code
// deleted after a confirmation, a team added — each checked in SQLite, and
// none of it reloads the page.
func TestAdminPagesManageProvisioningInBrowser_P6(t *testing.T) {
	d := startDemo(t)
	ctx := context.Background()
	b := browsertest.New(t, d.URL, "admin-pages")
	rowSel := func(key string) string { return fmt.Sprintf(`#admin-entity-body tr[data-key=%q]`, key) }
	field := func(name string) string { return fmt.Sprintf(`#admin-form [name=%q]`, name) }
	tab := func(key, wantRow string) {
		t.Helper()
		b.Do("open tab "+key, chromedp.Click("#admin-tab-"+key),
			chromedp.WaitVisible(fmt.Sprintf(`#admin-entity[data-entity=%q]`, key)), chromedp.WaitVisible(rowSel(wantRow)))
	}

	b.Do("open", chromedp.Navigate(d.URL+"/"), chromedp.WaitVisible("#login"))
	b.Do("sign in as admin", chromedp.SendKeys("#login", "admin@demo.local"), chromedp.SendKeys("#password", DemoPassword+"\r"),
		chromedp.WaitVisible("#admin-screen"), chromedp.WaitVisible(rowSel("agent1@demo.local")))
	// A marker on the window: a page reload would drop it.
	b.Do("mark the page", chromedp.Evaluate[chromedp.Void](`window.noReload = true`))

	// A queue with a bad ring time: the server's reason, nothing stored.
	tab("queues", "support")
	b.Do("add queue", chromedp.Click("#admin-add"), chromedp.WaitVisible("#admin-form"),
		chromedp.SendKeys(field("name"), "vip"))
	b.Clear(field("ring_time"))
	b.Do("bad ring time", chromedp.SendKeys(field("ring_time"), "0"), chromedp.Click("#admin-form-save"))
	b.WaitText("#admin-form-error", "ring_time:")
	b.Screenshot("bad-ring-time")
	if _, err := d.DB.QueueByName(ctx, "vip"); orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
		t.Fatalf("a refused queue was stored: %v", err)
	}
	b.Clear(field("ring_time"))
	b.Do("fixed ring time", chromedp.SendKeys(field("ring_time"), "25"), chromedp.Click(field("recording")),
		chromedp.Click("#admin-form-save"), chromedp.WaitVisible(rowSel("vip")), chromedp.WaitNotVisible("#admin-form"))
	q, err := d.DB.QueueByName(ctx, "vip")
	if err != nil || q.RingTime != 25*time.Second || !q.Recording {
		t.Fatalf("stored queue %+v (%v), want ring time 25s with recording", q, err)
	}

	// Edit an idle code's label.
	tab("idle-codes", "break")
	b.Do("edit break", chromedp.Click(rowSel("break")+" [data-action=edit]"), chromedp.WaitVisible("#admin-form"))
	b.Clear(field("label"))
	b.Do("new label", chromedp.SendKeys(field("label"), "Coffee break"), chromedp.Click("#admin-form-save"),
		chromedp.WaitNotVisible("#admin-form"))
	b.WaitText(rowSel("break"), "Coffee break")
	if c, err := d.DB.IdleCodeByCode(ctx, "break"); err != nil || c.Label != "Coffee break" {
		t.Fatalf("idle code break = %+v (%v)", c, err)
	}

	// Delete a wrap-up code, after the confirmation.
	tab("wrapup-codes", "escalated")
	b.Do("delete escalated", chromedp.Click(rowSel("escalated")+" [data-action=delete]"), chromedp.WaitVisible("#admin-confirm"))
	b.WaitText("#admin-confirm-text", "escalated")
	b.Screenshot("confirm-delete")
	b.Do("confirm", chromedp.Click("#admin-confirm-yes"), chromedp.WaitNotVisible("#admin-confirm"),
		chromedp.WaitNotPresent(rowSel("escalated")))
	if _, err := d.DB.WrapupCodeByCode(ctx, "escalated"); orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
		t.Fatalf("deleted wrap-up code still stored: %v", err)
	}

	// Add a team.
	tab("teams", "Team A")
	b.Do("add team", chromedp.Click("#admin-add"), chromedp.WaitVisible("#admin-form"),
		chromedp.SendKeys(field("name"), "Night shift"), chromedp.Click("#admin-form-save"), chromedp.WaitVisible(rowSel("Night shift")))
	if _, err := d.DB.TeamByName(ctx, "Night shift"); err != nil {
		t.Fatalf("team not stored: %v", err)
	}
	b.Screenshot("teams")

	if b.Eval(`window.noReload === true`) != "true" {
		t.Fatal("the page reloaded")
	}
}
