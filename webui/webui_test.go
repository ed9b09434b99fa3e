package webui

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// The ids browser tests (and the lead's end-to-end test) rely on.
var stableIDs = []string{
	"login", "password", "signin", "signin-error",
	"station-screen", "role-field", "role-select", "station-select", "station-type-extension", "station-type-dial", "dial-international", "dial-country", "dial-number", "remember", "start-session", "station-error", "logout",
	"desktop-screen", "user-name", "user-role", "state-select", "state-time", "station-label", "sign-out", "banner", "banner-text", "link-status",
	"health-banner", "health-list", // S9
	"waiting-panel", "connecting", "offer-popover", "offer-vars",
	"call-panel", "call-caller", "call-queue", "call-timer", "call-state", "end-call", "call-vars",
	"wrapup-dialog", "wrapup-code", "wrapup-countdown", "wrapup-submit", "wrapup-error",
	"rona-prompt", "rona-available", "rona-idle", "rona-idle-code",
	// call handling (A5–A11)
	"call-view", "hold", "resume", "consult", "transfer", "conference", "rec-indicator", "rec-pause", "rec-resume",
	"consult-dialog", "consult-tab-agent", "consult-tab-queue", "consult-tab-dial", "consult-search", "consult-agents", "consult-queues", "consult-number", "consult-go", "consult-error",
	"transfer-dialog", "transfer-tab-agent", "transfer-tab-queue", "transfer-tab-dial", "transfer-search", "transfer-agents", "transfer-queues", "transfer-number", "transfer-go", "transfer-error",
	"consult-panel", "consult-with", "consult-state", "consult-held", "consult-resume-customer", "consult-resume-consulted", "consult-end", "consult-transfer", "consult-conference", "consult-exit",
	"consult-popover", "consult-from", "consult-vars", "call-data-panel", "notice", "notice-text",
	"sim-panel", "sim-handset", "sim-legs", "customer-panel", "customer-queue", "customer-caller", "customer-vars", "customer-call", "customer-legs", "customer-error",
	// one live desktop per user (S2)
	"elsewhere-screen", "elsewhere-title", "elsewhere-text", "elsewhere-continue", "elsewhere-cancel", "elsewhere-signout", "elsewhere-error",
	// the supervisor's interaction detail (M2)
	"ix-detail", "ix-detail-note", "ix-detail-close", "ix-detail-state", "ix-detail-caller", "ix-detail-queue", "ix-detail-agents", "ix-detail-consult",
	"ix-detail-held", "ix-detail-recording", "ix-detail-arrived", "ix-detail-answered", "ix-detail-timer", "ix-detail-vars",
	"ix-detail-listen", "ix-detail-whisper", "ix-detail-barge", "ix-detail-monitor",
	// administration (P6)
	"admin-screen", "admin-error", "admin-tabs", "admin-tab-users", "admin-tab-teams", "admin-tab-queues", "admin-tab-extensions",
	"admin-tab-idle-codes", "admin-tab-wrapup-codes", "admin-tab-variables", "admin-entity", "admin-entity-title", "admin-add",
	"admin-form", "admin-form-title", "admin-form-fields", "admin-form-error", "admin-form-save", "admin-form-cancel",
	"admin-entity-table", "admin-entity-head", "admin-entity-body", "admin-entity-empty", "admin-remote", "admin-users-body",
	"admin-confirm", "admin-confirm-text", "admin-confirm-error", "admin-confirm-yes", "admin-confirm-no",
}

func get(t *testing.T, h http.Handler, method, path string) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, nil))
	return rec.Result()
}

func TestHandlerServesTheDesktop(t *testing.T) {
	h := Handler()
	r := get(t, h, "GET", "/")
	body, _ := io.ReadAll(r.Body)
	if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(body), `<script type="module" src="/js/app.js">`) {
		t.Fatalf("/: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
	for _, p := range []string{"/js/app.js", "/js/api.js", "/js/dom.js", "/js/format.js", "/js/sim.js", "/js/calls.js", "/js/supervisor.js", "/js/detail.js", "/js/datetime.js"} {
		if r := get(t, h, "GET", p); r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/javascript") {
			t.Errorf("%s: %d %s (modules need a JavaScript type)", p, r.StatusCode, r.Header.Get("Content-Type"))
		}
	}
	if r := get(t, h, "GET", "/app.css"); r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/css") {
		t.Errorf("/app.css: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if r := get(t, h, "GET", "/js/"); r.StatusCode != 404 {
		t.Errorf("/js/ lists the directory: %d", r.StatusCode)
	}
	if r := get(t, h, "POST", "/"); r.StatusCode != 405 {
		t.Errorf("POST /: %d", r.StatusCode)
	}
	if r := get(t, h, "GET", "/nope.js"); r.StatusCode != 404 {
		t.Errorf("/nope.js: %d", r.StatusCode)
	}
}

func TestStableIDs(t *testing.T) {
	html, err := fs.ReadFile(Static(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, m := range regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(string(html), -1) {
		seen[m[1]]++
	}
	for _, id := range stableIDs {
		if seen[id] != 1 {
			t.Errorf("id %q appears %d times in index.html, want once", id, seen[id])
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("id %q appears %d times", id, n)
		}
	}
}

// No CDN, no external fonts, nothing inline that the CSP would block.
func TestSelfContained(t *testing.T) {
	external := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/|@import|url\(\s*['"]?https?:`)
	err := fs.WalkDir(Static(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Static(), path)
		if err != nil {
			return err
		}
		if m := external.Find(b); m != nil {
			t.Errorf("%s refers to something outside: %q", path, m)
		}
		if strings.HasSuffix(path, ".html") {
			for _, bad := range []*regexp.Regexp{regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]+</script>`), regexp.MustCompile(`\sstyle="`), regexp.MustCompile(`\son[a-z]+="`)} {
				if m := bad.Find(b); m != nil {
					t.Errorf("%s has inline code the CSP blocks: %q", path, m)
				}
			}
		}
		if strings.HasSuffix(path, ".js") && regexp.MustCompile(`\.innerHTML\s*=|insertAdjacentHTML|document\.write`).Match(b) {
			t.Errorf("%s writes HTML; use text nodes", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
