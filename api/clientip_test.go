package api

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
)

func prefixes(t *testing.T, ss ...string) []netip.Prefix {
	t.Helper()
	var ps []netip.Prefix
	for _, s := range ss {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

// The client-address rule (S1 behind a reverse proxy): forwarded headers
// count only from a trusted peer, and only as far as trusted hops vouch.
func TestClientIP_S1(t *testing.T) {
	lan := prefixes(t, "10.0.0.0/8", "::1/128", "fd00::/8")
	for _, c := range []struct {
		name    string
		trusted []netip.Prefix
		peer    string
		xff     []string // one X-Forwarded-For line each
		realIP  string
		want    string
	}{
		{"no proxies configured: headers ignored", nil, "10.0.0.1:5000", []string{"203.0.113.7"}, "203.0.113.8", "10.0.0.1"},
		{"no proxies configured: loopback not trusted by default", nil, "127.0.0.1:5000", []string{"203.0.113.7"}, "", "127.0.0.1"},
		{"untrusted peer with spoofed XFF", lan, "198.51.100.4:5000", []string{"203.0.113.7"}, "", "198.51.100.4"},
		{"untrusted peer with spoofed X-Real-IP", lan, "198.51.100.4:5000", nil, "203.0.113.7", "198.51.100.4"},
		{"private but unlisted peer not trusted", lan, "192.168.1.5:5000", []string{"203.0.113.7"}, "", "192.168.1.5"},
		{"trusted peer, one entry", lan, "10.0.0.1:5000", []string{"203.0.113.7"}, "", "203.0.113.7"},
		{"trusted peer, client-sent entry on the left", lan, "10.0.0.1:5000", []string{"6.6.6.6, 203.0.113.7"}, "", "203.0.113.7"},
		{"trusted peer, spoofed trusted entry on the left", lan, "10.0.0.1:5000", []string{"10.9.9.9, 203.0.113.7"}, "", "203.0.113.7"},
		{"chain of trusted proxies", lan, "10.0.0.1:5000", []string{"6.6.6.6, 203.0.113.7, 10.0.0.3, 10.0.0.2"}, "", "203.0.113.7"},
		{"several header lines are one list", lan, "10.0.0.1:5000", []string{"6.6.6.6", "203.0.113.7, 10.0.0.2"}, "", "203.0.113.7"},
		{"all entries trusted: left-most", lan, "10.0.0.1:5000", []string{"10.0.0.5, 10.0.0.3, 10.0.0.2"}, "", "10.0.0.5"},
		{"XFF wins over X-Real-IP", lan, "10.0.0.1:5000", []string{"203.0.113.7"}, "203.0.113.8", "203.0.113.7"},
		{"X-Real-IP when no XFF", lan, "10.0.0.1:5000", nil, "203.0.113.8", "203.0.113.8"},
		{"blank XFF: X-Real-IP", lan, "10.0.0.1:5000", []string{" , "}, "203.0.113.8", "203.0.113.8"},
		{"malformed X-Real-IP: the peer", lan, "10.0.0.1:5000", nil, "localhost", "10.0.0.1"},
		{"no headers: the peer", lan, "10.0.0.1:5000", nil, "", "10.0.0.1"},
		{"garbage left of the client ignored", lan, "10.0.0.1:5000", []string{"<script>, 203.0.113.7"}, "", "203.0.113.7"},
		{"garbage from the peer: the peer", lan, "10.0.0.1:5000", []string{"203.0.113.7, unknown"}, "203.0.113.8", "10.0.0.1"},
		{"garbage behind a trusted hop: that hop", lan, "10.0.0.1:5000", []string{"203.0.113.7, 999.1.1.1, 10.0.0.2"}, "", "10.0.0.2"},
		{"CIDR text is not an address", lan, "10.0.0.1:5000", []string{"203.0.113.0/24"}, "", "10.0.0.1"},
		{"stray commas ignored", lan, "10.0.0.1:5000", []string{"203.0.113.7,, 10.0.0.2,"}, "", "203.0.113.7"},
		{"entry with port", lan, "10.0.0.1:5000", []string{"203.0.113.7:41234"}, "", "203.0.113.7"},
		{"IPv6 client", lan, "10.0.0.1:5000", []string{"2001:db8::7"}, "", "2001:db8::7"},
		{"bracketed IPv6 with port", lan, "10.0.0.1:5000", []string{"[2001:db8::7]:41234"}, "", "2001:db8::7"},
		{"bracketed IPv6", lan, "10.0.0.1:5000", []string{"[2001:db8::7]"}, "", "2001:db8::7"},
		{"bracketed IPv4 is malformed", lan, "10.0.0.1:5000", []string{"[203.0.113.7]"}, "", "10.0.0.1"},
		{"IPv6 trusted peer", lan, "[::1]:5000", []string{"2001:db8::7, fd00::2"}, "", "2001:db8::7"},
		{"IPv6 untrusted peer", lan, "[2001:db8::9]:5000", []string{"2001:db8::7"}, "", "2001:db8::9"},
		{"IPv4-mapped entry unmapped", lan, "10.0.0.1:5000", []string{"::ffff:203.0.113.7, ::ffff:10.0.0.2"}, "", "203.0.113.7"},
		{"zone dropped", lan, "10.0.0.1:5000", []string{"fe80::1%eth0"}, "", "fe80::1"},
		{"single-address proxy", prefixes(t, "127.0.0.1/32"), "127.0.0.1:5000", []string{"203.0.113.7"}, "", "203.0.113.7"},
		{"RemoteAddr not an address: as is", lan, "pipe", []string{"203.0.113.7"}, "", "pipe"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", nil)
			r.RemoteAddr = c.peer
			for _, line := range c.xff {
				r.Header.Add("X-Forwarded-For", line)
			}
			if c.realIP != "" {
				r.Header.Set("X-Real-IP", c.realIP)
			}
			if got := clientIP(r, trustedPrefixes(c.trusted)); got != c.want {
				t.Errorf("clientIP = %q, want %q", got, c.want)
			}
		})
	}
}

// Options.TrustedProxies may come unmasked or IPv4-mapped; both still
// match the addresses parseHop yields. The zero Prefix trusts nothing.
func TestTrustedPrefixesCanonical_S1(t *testing.T) {
	got := trustedPrefixes([]netip.Prefix{
		netip.MustParsePrefix("10.1.2.3/8"), netip.MustParsePrefix("::ffff:192.168.0.0/112"), {},
	})
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.0.0/16")}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("trustedPrefixes = %v, want %v", got, want)
	}
}

// lockedBuffer is a log sink the server's goroutines and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// proxied serves the API with the real Throttle (FreeAddr 3, so three
// failures from an address lock it; logins never lock) and the given
// trusted proxies. The harness's peer is always 127.0.0.1.
func proxied(t *testing.T, trusted ...string) (*harness, *lockedBuffer) {
	logs := &lockedBuffer{}
	clock := newFakeClock()
	h := newHarness(t, func(o *Options) {
		o.LoginLimiter = NewThrottle(ThrottlePolicy{FreeAddr: 3, FreeLogin: 1000, Now: clock.Now})
		o.TrustedProxies = prefixes(t, trusted...)
		o.Logger = slog.New(slog.NewTextHandler(logs, nil))
	})
	return h, logs
}

func (h *harness) tryLoginFrom(xff, login, password string) response {
	h.t.Helper()
	return h.do("POST", "/api/v1/auth/login", map[string]string{"login": login, "password": password}, "X-Forwarded-For", xff)
}

// S1 behind a reverse proxy: two clients behind one trusted proxy are
// throttled separately, so one client's typos do not lock out the other.
func TestThrottlePerClientBehindTrustedProxy_S1(t *testing.T) {
	h, logs := proxied(t, "127.0.0.1/32")
	for _, login := range []string{"ann", "sam", "adam"} {
		// What the client sent on the left, what the proxy saw on the right.
		h.wantError(h.tryLoginFrom("10.6.6.6, 203.0.113.7", login+"@example.com", "Winter2025!"), http.StatusUnauthorized, "unauthorized")
	}
	h.wantError(h.tryLoginFrom("203.0.113.7", "sue@example.com", "pw-sue"), http.StatusTooManyRequests, "throttled")
	// Another client through the same proxy is not affected…
	r := h.tryLoginFrom("203.0.113.8", "sue@example.com", "pw-sue")
	h.want(r, http.StatusOK)
	// …and the locked one cannot get out by changing the left of the header.
	h.wantError(h.tryLoginFrom("198.51.100.1, 203.0.113.7", "sue@example.com", "pw-sue"), http.StatusTooManyRequests, "throttled")

	out := logs.String()
	if !strings.Contains(out, `msg="sign-in refused" ip=203.0.113.7`) || !strings.Contains(out, `msg="sign-in throttled" ip=203.0.113.7`) {
		t.Errorf("sign-in log lines do not name the client behind the proxy:\n%s", out)
	}
}

// A forwarded header from a peer that is not a trusted proxy changes
// nothing: the peer's own limit holds however the header varies. With no
// proxies configured even loopback is not trusted (echo's default would be).
func TestThrottleIgnoresSpoofedForwardedFor_S1(t *testing.T) {
	for name, trusted := range map[string][]string{
		"none configured":     nil,
		"peer not among them": {"10.0.0.0/8", "::1/128"},
	} {
		t.Run(name, func(t *testing.T) {
			h, logs := proxied(t, trusted...)
			for i, login := range []string{"ann", "sam", "adam"} {
				xff := fmt.Sprintf("203.0.113.%d", i+1)
				h.wantError(h.tryLoginFrom(xff, login+"@example.com", "Winter2025!"), http.StatusUnauthorized, "unauthorized")
			}
			h.wantError(h.tryLoginFrom("203.0.113.99", "sue@example.com", "pw-sue"), http.StatusTooManyRequests, "throttled")
			h.wantError(h.do("POST", "/api/v1/auth/login", map[string]string{"login": "sue@example.com", "password": "pw-sue"},
				"X-Real-IP", "203.0.113.98"), http.StatusTooManyRequests, "throttled")
			if out := logs.String(); strings.Contains(out, "203.0.113.") || !strings.Contains(out, "ip=127.0.0.1") {
				t.Errorf("log lines should name the peer, not the header:\n%s", out)
			}
		})
	}
}
