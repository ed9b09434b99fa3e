package app

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/ringside/ringside/internal/browsertest"
)

// P6, A5 in a real browser: the Queues tab of the Administration page shows
// each queue's music on hold class ("(default)" when it names none) and its
// form edits it, with the hint that empty means the configured default; a
// class Asterisk could not take is refused with the server's message
// naming music_class, nothing stored.
func TestAdminPageQueueMusicClassInBrowser_P6_A5(t *testing.T) {
	d := startDemo(t)
	ctx := context.Background()
	b := browsertest.New(t, d.URL, "admin-music-class")
	row := `#admin-entity-body tr[data-key="support"]`
	field := `#admin-form [name="music_class"]`
	stored := func() string {
		t.Helper()
		q, err := d.DB.QueueByName(ctx, "support")
		if err != nil {
			t.Fatal(err)
		}
		return q.MusicClass
	}
	edit := func() {
		t.Helper()
		b.Do("edit support", chromedp.Click(row+" [data-action=edit]"), chromedp.WaitVisible(field))
	}

	b.Do("open", chromedp.Navigate(d.URL+"/"), chromedp.WaitVisible("#login"))
	b.Do("sign in as admin", chromedp.SendKeys("#login", "admin@demo.local"), chromedp.SendKeys("#password", DemoPassword+"\r"),
		chromedp.WaitVisible("#admin-screen"))
	b.Do("open the queues tab", chromedp.Click("#admin-tab-queues"), chromedp.WaitVisible(row))
	b.WaitText("#admin-entity-head", "Music on hold class")
	b.WaitText(row, "(default)")

	edit()
	if v := b.Eval(fmt.Sprintf(`document.querySelector(%q).value`, field)); v != "" {
		t.Errorf("a queue on the default class shows %q in the form", v)
	}
	b.WaitText("#admin-form-fields", "empty: the configured default")
	b.Screenshot("music-class-form")

	b.Do("a class with a space", chromedp.SendKeys(field, "on hold"), chromedp.Click("#admin-form-save"))
	b.WaitText("#admin-form-error", "music_class:")
	if got := stored(); got != "" {
		t.Fatalf("a refused class was stored: %q", got)
	}

	b.Clear(field)
	b.Do("a good class", chromedp.SendKeys(field, "ringside"), chromedp.Click("#admin-form-save"),
		chromedp.WaitNotVisible("#admin-form"))
	b.WaitText(row, "ringside")
	if got := stored(); got != "ringside" {
		t.Fatalf("stored class %q, want ringside", got)
	}

	// Back to the default: the form shows the class, emptied it is "".
	edit()
	if v := b.Eval(fmt.Sprintf(`document.querySelector(%q).value`, field)); v != "ringside" {
		t.Errorf("the form shows class %q, want ringside", v)
	}
	b.Clear(field)
	b.Do("save empty", chromedp.Click("#admin-form-save"), chromedp.WaitNotVisible("#admin-form"))
	b.WaitText(row, "(default)")
	if got := stored(); got != "" {
		t.Fatalf("stored class %q after emptying it, want the default", got)
	}
}
