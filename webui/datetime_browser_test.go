package webui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// inTimeZone makes the tab live in zone, as an agent elsewhere would.
func inTimeZone(zone string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: zone})
		return err
	})
}

// savedValue is what the desk stored for a variable of a call.
func (d *desk) savedValue(id, name string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, v := range d.calls[id].base.Variables {
		if v.Name == name {
			return v.Value
		}
	}
	return ""
}

// A11.2: a date-time variable is read in the agent's local time and edited
// with the browser's date-time picker (to the second); a save sends RFC
// 3339 with the agent's UTC offset, and the server's refusal shows next to
// the field. The agent sits in India (UTC+05:30, no daylight saving, so
// the expected texts never change).
func TestDateTimeVariableInBrowser_A11_2(t *testing.T) {
	b := newBrowser(t, "datetime")
	d := b.desk
	b.Do("time zone", inTimeZone("Asia/Kolkata"))
	signIn(b.Browser, "ann@example.com", "", "2002")
	if _, err := d.PlaceCall("sales", "+15550100", map[string]string{"callback": "2026-11-22T09:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	b.Do("offer", chromedp.WaitVisible("#offer-popover"))
	if err := d.Answer("agent-ix-1"); err != nil {
		t.Fatal(err)
	}
	b.Do("call", chromedp.WaitVisible("#call-data-panel"))

	// Shown in local time, readable; the stored value on hover.
	const cb = `#call-vars [data-var="callback"]`
	const opened = `#call-vars [data-var="opened"]`
	b.WaitText(cb+" [data-testid=var-value]", "Nov 22, 2026")
	if got := b.Text(cb + " [data-testid=var-value]"); !strings.Contains(got, "2:30:00") {
		t.Fatalf("callback shows %q; 09:00Z is 14:30 in India", got)
	}
	if b.Attr(cb+" [data-testid=var-value]", "title") != "2026-11-22T09:00:00Z" {
		t.Fatal("the stored value is not on hover")
	}
	// A read-only date-time: readable local text and no editor.
	if got := b.Text(opened + " [data-testid=var-value]"); !strings.Contains(got, "Mar 1, 2026") || !strings.Contains(got, "2:45:00") {
		t.Fatalf("read-only date-time shows %q", got)
	}
	if b.Visible(opened+" [data-testid=var-edit]", true) {
		t.Fatal("a read-only date-time has Edit")
	}

	// The editor is a date-time picker with seconds, starting at the local value.
	const input = cb + " [data-testid=var-input]"
	if b.Attr(input, "type") != "datetime-local" || b.Attr(input, "step") != "1" {
		t.Fatalf("the editor is type=%q step=%q", b.Attr(input, "type"), b.Attr(input, "step"))
	}
	b.Do("edit", chromedp.Click(cb+" [data-testid=var-edit]"), chromedp.WaitVisible(input))
	// (The browser normalises away zero seconds.)
	if got := b.Eval(fmt.Sprintf(`document.querySelector(%q).value`, input)); got != "2026-11-22T14:30" {
		t.Fatalf("the picker starts at %q", got)
	}
	b.WaitText(cb+" [data-testid=var-zone]", "UTC+05:30") // ICU may name the zone Asia/Calcutta
	b.Screenshot("datetime-picker")

	// Save: RFC 3339 with the agent's offset goes to the server.
	pick := func(local string) {
		b.Do("pick "+local, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
			`(() => { const e = document.querySelector(%q); e.value = %q; e.dispatchEvent(new Event('input', {bubbles: true})); })()`, input, local)))
	}
	pick("2026-12-24T18:05:30")
	b.Do("save", chromedp.Click(cb+" [data-testid=var-save]"), chromedp.WaitNotVisible(input))
	if got := d.savedValue("ix-1", "callback"); got != "2026-12-24T18:05:30+05:30" {
		t.Fatalf("saved %q, want RFC 3339 with the agent's offset", got)
	}
	b.WaitText(cb+" [data-testid=var-value]", "Dec 24, 2026")
	if got := b.Text(cb + " [data-testid=var-value]"); !strings.Contains(got, "6:05:30") {
		t.Fatalf("after the save the value shows %q", got)
	}

	// Round trip: editing again starts at what was saved.
	b.Do("edit again", chromedp.Click(cb+" [data-testid=var-edit]"), chromedp.WaitVisible(input))
	if got := b.Eval(fmt.Sprintf(`document.querySelector(%q).value`, input)); got != "2026-12-24T18:05:30" {
		t.Fatalf("the picker reopens at %q", got)
	}

	// The server is the authority: its refusal shows next to the field and
	// the editor stays open with the agent's pick.
	pick("1999-12-31T23:59:59")
	b.Do("save refused", chromedp.Click(cb+" [data-testid=var-save]"))
	b.WaitText(cb+" [data-testid=var-notice]", "Callback must be in 2000 or later")
	if !b.Visible(input, true) || b.Eval(fmt.Sprintf(`document.querySelector(%q).value`, input)) != "1999-12-31T23:59:59" {
		t.Fatal("the editor closed or lost the pick after a refusal")
	}
	if got := d.savedValue("ix-1", "callback"); got != "2026-12-24T18:05:30+05:30" {
		t.Fatalf("a refused save changed the value to %q", got)
	}
	b.Screenshot("datetime-refused")

	// Clearing the picker clears the variable.
	pick("")
	b.Do("clear", chromedp.Click(cb+" [data-testid=var-save]"), chromedp.WaitNotVisible(input))
	b.WaitText(cb+" [data-testid=var-value]", "—")
	if got := d.savedValue("ix-1", "callback"); got != "" {
		t.Fatalf("cleared to %q", got)
	}
}
