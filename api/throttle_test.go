package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// throttled serves the API with the real Throttle on a fake clock.
func throttled(t *testing.T, p ThrottlePolicy) (*harness, *fakeClock) {
	clock := newFakeClock()
	p.Now = clock.Now
	h := newHarness(t, func(o *Options) { o.LoginLimiter = NewThrottle(p) })
	return h, clock
}

func (h *harness) tryLogin(login, password string) response {
	h.t.Helper()
	return h.do("POST", "/api/v1/auth/login", map[string]string{"login": login, "password": password})
}

// retryAfter reads a 429's Retry-After in seconds, failing without one.
func retryAfter(t *testing.T, r response) int {
	t.Helper()
	n, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || n < 1 {
		t.Fatalf("Retry-After = %q on a %d answer", r.Header.Get("Retry-After"), r.StatusCode)
	}
	return n
}

// S1 acceptance: ten wrong passwords in a row are throttled, and an
// eleventh attempt with the right password is refused too until the lock
// has passed; then it signs in.
func TestTenWrongPasswordsThrottle_S1(t *testing.T) {
	h, clock := throttled(t, ThrottlePolicy{})
	var statuses []int
	for i := 1; i <= 10; i++ {
		r := h.tryLogin("ann@example.com", fmt.Sprintf("guess-%d", i))
		statuses = append(statuses, r.StatusCode)
		switch {
		case i <= 5:
			h.wantError(r, http.StatusUnauthorized, "unauthorized")
		default: // the fifth failure locked the login
			h.wantError(r, http.StatusTooManyRequests, "throttled")
			retryAfter(t, r)
		}
		clock.Add(100 * time.Millisecond) // a fast script, not a frozen clock
	}
	t.Logf("statuses: %v", statuses)

	r := h.tryLogin("ann@example.com", "pw-ann")
	h.wantError(r, http.StatusTooManyRequests, "throttled")
	wait := retryAfter(t, r)
	if h.acc.sessionCount() != 0 {
		t.Fatal("a session was created while the login was locked")
	}

	clock.Add(time.Duration(wait) * time.Second)
	h.login("ann")
}

// The lock grows: after it passes, each further failure locks twice as long.
func TestThrottleLockDoubles_S1(t *testing.T) {
	h, clock := throttled(t, ThrottlePolicy{MaxLock: 4 * time.Second})
	for range 5 {
		h.tryLogin("ann@example.com", "wrong")
	}
	for _, want := range []int{1, 2, 4, 4} { // capped at MaxLock
		r := h.tryLogin("ann@example.com", "wrong")
		h.wantError(r, http.StatusTooManyRequests, "throttled")
		if got := retryAfter(t, r); got != want {
			t.Fatalf("Retry-After %d, want %d", got, want)
		}
		clock.Add(time.Duration(want) * time.Second)
		h.wantError(h.tryLogin("ann@example.com", "wrong"), http.StatusUnauthorized, "unauthorized")
	}
}

// Spraying a few passwords at many logins from one address is stopped by
// the address's count, even for a login that never failed, with the right
// password. (FreeAddr is lowered from 20 to 6 so the test needs few bcrypt
// rounds; the rule is the same.)
func TestThrottlePerAddressStopsSpraying_S1(t *testing.T) {
	h, clock := throttled(t, ThrottlePolicy{FreeAddr: 6})
	for _, login := range []string{"ann", "sam", "adam", "ann", "sam", "adam"} {
		h.wantError(h.tryLogin(login+"@example.com", "Winter2025!"), http.StatusUnauthorized, "unauthorized")
	}
	r := h.tryLogin("sue@example.com", "pw-sue")
	h.wantError(r, http.StatusTooManyRequests, "throttled")
	clock.Add(time.Duration(retryAfter(t, r)) * time.Second)
	h.login("sue")

	// The success cleared sue's record, not the address's: the next failure
	// from here locks again at once.
	h.wantError(h.tryLogin("sam@example.com", "Spring2025!"), http.StatusUnauthorized, "unauthorized")
	h.wantError(h.tryLogin("adam@example.com", "Spring2025!"), http.StatusTooManyRequests, "throttled")
}

// S1: no hint whether the login exists — a locked unknown login gets the
// very same answer as a locked real one.
func TestThrottledAnswerSameForUnknownLogin_S1(t *testing.T) {
	h, _ := throttled(t, ThrottlePolicy{FreeLogin: 2, FreeAddr: 1000})
	for range 2 {
		h.tryLogin("ann@example.com", "wrong")
		h.tryLogin("nobody@example.com", "wrong")
	}
	known := h.tryLogin("ann@example.com", "wrong")
	unknown := h.tryLogin("nobody@example.com", "wrong")
	h.wantError(known, http.StatusTooManyRequests, "throttled")
	h.wantError(unknown, http.StatusTooManyRequests, "throttled")
	if string(known.body) != string(unknown.body) || known.Header.Get("Retry-After") != unknown.Header.Get("Retry-After") {
		t.Fatalf("known login: %s (Retry-After %s); unknown: %s (Retry-After %s)",
			known.body, known.Header.Get("Retry-After"), unknown.body, unknown.Header.Get("Retry-After"))
	}
}

// A success clears the login's count: mistakes before it do not add up
// with mistakes after it.
func TestThrottleSuccessClearsLogin_S1(t *testing.T) {
	h, _ := throttled(t, ThrottlePolicy{})
	for range 4 {
		h.tryLogin("ann@example.com", "wrong")
	}
	h.login("ann")
	for range 4 {
		h.wantError(h.tryLogin("ann@example.com", "wrong"), http.StatusUnauthorized, "unauthorized")
	}
	h.login("ann")
}

// Counts decay: after a quiet period the free attempts are back.
func TestThrottleForgetsAfterQuiet_S1(t *testing.T) {
	clock := newFakeClock()
	th := NewThrottle(ThrottlePolicy{Now: clock.Now, Forget: time.Hour})
	for range 4 {
		th.Allow("ann@example.com", "192.0.2.1")
	}
	clock.Add(time.Hour)
	th.Allow("ann@example.com", "192.0.2.1") // would be the fifth: locks if the four were remembered
	if ok, wait := th.Allow("ann@example.com", "192.0.2.1"); !ok {
		t.Fatalf("locked for %v after an hour's quiet", wait)
	}
	if n := len(th.logins); n != 1 {
		t.Fatalf("%d login records", n)
	}
}

// Memory stays bounded, and a flood of one-off entries evicts itself
// before it evicts a live lock.
func TestThrottleBoundedMemory_S1(t *testing.T) {
	clock := newFakeClock()
	th := NewThrottle(ThrottlePolicy{Now: clock.Now, MaxEntries: 50, FreeAddr: 1 << 30})
	for range 5 {
		th.Allow("ann@example.com", "192.0.2.1")
	}
	for i := range 500 {
		clock.Add(time.Millisecond)
		th.Allow(fmt.Sprintf("spray%d@example.com", i), "192.0.2.1")
	}
	if n := len(th.logins); n > 50 {
		t.Fatalf("%d login records; the cap is 50", n)
	}
	if ok, _ := th.Allow("ann@example.com", "192.0.2.7"); ok {
		t.Fatal("the flood evicted ann's lock")
	}
}

// IPv6 hosts own a /64: rotating within it does not escape the count.
func TestThrottleGroupsIPv6By64_S1(t *testing.T) {
	clock := newFakeClock()
	th := NewThrottle(ThrottlePolicy{Now: clock.Now, FreeAddr: 3})
	for i := range 3 {
		th.Allow(fmt.Sprintf("u%d@example.com", i), fmt.Sprintf("2001:db8:1:2::%x", i+1))
	}
	if ok, _ := th.Allow("x@example.com", "2001:db8:1:2:ffff::9"); ok {
		t.Fatal("another address in the same /64 was allowed")
	}
	if ok, _ := th.Allow("x@example.com", "2001:db8:1:3::1"); !ok {
		t.Fatal("a different /64 was locked")
	}
	if ok, _ := th.Allow("x@example.com", "192.0.2.1"); !ok {
		t.Fatal("an IPv4 address was locked")
	}
}

// A huge made-up login costs a digest's worth of memory, and still counts.
func TestThrottleLongLoginKey_S1(t *testing.T) {
	th := NewThrottle(ThrottlePolicy{Now: newFakeClock().Now, FreeLogin: 1})
	long := strings.Repeat("x", 60000) + "@example.com"
	th.Allow(long, "192.0.2.1")
	if ok, _ := th.Allow(long, "192.0.2.2"); ok {
		t.Fatal("the long login was not locked")
	}
	for k := range th.logins {
		if len(k) > 254 {
			t.Fatalf("a %d-byte key is stored", len(k))
		}
	}
}

// A burst of parallel guesses cannot all slip in before the first is
// counted: Allow counts each attempt it admits, so exactly the free
// allowance gets to the password check.
func TestThrottleParallelBurst_S1(t *testing.T) {
	th := NewThrottle(ThrottlePolicy{Now: newFakeClock().Now, FreeLogin: 5})
	var admitted atomic.Int64
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if ok, _ := th.Allow("ann@example.com", fmt.Sprintf("192.0.2.%d", i+1)); ok {
				admitted.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := admitted.Load(); n != 5 {
		t.Fatalf("%d of 50 parallel guesses reached the password check, want 5", n)
	}
}
