// Package browsertest drives a headless Debian chromium tab for the browser
// tests. With CI=true a missing browser fails the test instead of skipping
// it, so CI can never pass without running them.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser is one chromium tab at 1280×720.
type Browser struct {
	T   *testing.T
	Ctx context.Context
	URL string // the server under test
	// name prefixes screenshots, so several tabs in one test do not collide.
	name string
	shot int
}

// chromiumPath finds the browser, or skips (fails in CI) when there is none.
func chromiumPath(t *testing.T) string {
	t.Helper()
	ci := os.Getenv("CI") == "true"
	if testing.Short() && !ci {
		t.Skip("browser test: not in -short")
	}
	if p := os.Getenv("RINGSIDE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if ci {
		t.Fatal("browser test: no chromium in CI (scripts/test.sh installs Debian's chromium)")
	}
	t.Skip("browser test: no chromium (apt-get install chromium)")
	return ""
}

// New starts chromium for url. Each call is a separate browser with its own
// profile (cookies), like a second person at another desk.
func New(t *testing.T, url, name string) *Browser {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.WindowSize(1280, 720), chromedp.Flag("disable-background-networking", true), chromedp.Flag("lang", "en-US"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	return &Browser{T: t, Ctx: ctx, URL: url, name: name}
}

// Do runs steps, failing the test (with a screenshot) when one fails.
func (b *Browser) Do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.T.Helper()
	if err := chromedp.Do(b.Ctx, steps...); err != nil {
		b.Screenshot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.T.Fatalf("%s: %v", what, err)
	}
}

// Wait polls a JavaScript predicate for up to 10 s.
func (b *Browser) Wait(what, js string) {
	b.T.Helper()
	b.Do(what, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(50*time.Millisecond)))
}

// Text returns an element's text content.
func (b *Browser) Text(sel string) string {
	b.T.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).textContent`, sel)))
	if err != nil {
		b.T.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// Eval returns the value of a JavaScript expression, as a string.
func (b *Browser) Eval(js string) string {
	b.T.Helper()
	s, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](fmt.Sprintf(`String(%s)`, js)))
	if err != nil {
		b.T.Fatalf("eval %s: %v", js, err)
	}
	return s
}

// Attr returns an attribute of the element sel, or "" when it has none.
func (b *Browser) Attr(sel, name string) string {
	b.T.Helper()
	return b.Eval(fmt.Sprintf(`document.querySelector(%q)?.getAttribute(%q) ?? ''`, sel, name))
}

// Enabled reports whether the control sel can be used (exists and is not disabled).
func (b *Browser) Enabled(sel string) bool {
	b.T.Helper()
	return b.Eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && !e.disabled; })()`, sel)) == "true"
}

// WaitText waits until sel's text contains want.
func (b *Browser) WaitText(sel, want string) {
	b.T.Helper()
	b.Wait(fmt.Sprintf("%s shows %q", sel, want), fmt.Sprintf(`(document.querySelector(%q)?.textContent || '').includes(%q)`, sel, want))
}

// Pick selects value in a <select> as a user would, firing change.
func (b *Browser) Pick(sel, value string) {
	b.T.Helper()
	b.Do("pick "+value, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`(() => { const s = document.querySelector(%q); s.value = %q; s.dispatchEvent(new Event('change', {bubbles: true})); })()`, sel, value)))
}

// Clear empties an input.
func (b *Browser) Clear(sel string) {
	b.T.Helper()
	b.Do("clear "+sel, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ""`, sel)))
}

// Visible reports whether sel's visibility equals want.
func (b *Browser) Visible(sel string, want bool) bool {
	b.T.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.getClientRects().length > 0; })()`, sel)))
	if err != nil {
		b.T.Fatal(err)
	}
	return v == want
}

// Seconds reads an m:ss (or h:mm:ss) timer as seconds.
func (b *Browser) Seconds(sel string) int {
	b.T.Helper()
	n := 0
	for _, p := range strings.Split(b.Text(sel), ":") {
		v, _ := strconv.Atoi(strings.TrimSpace(p))
		n = n*60 + v
	}
	return n
}

// Screenshot saves the viewport to $RINGSIDE_SCREENSHOTS, when set.
func (b *Browser) Screenshot(name string) {
	dir := os.Getenv("RINGSIDE_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.Ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.T.Logf("screenshot %s: %v", name, err)
		return
	}
	b.shot++
	file := filepath.Join(dir, fmt.Sprintf("%s-%02d-%s.png", b.name, b.shot, name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.T.Logf("screenshot %s: %v", name, err)
	}
}
