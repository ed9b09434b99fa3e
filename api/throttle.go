package api

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"sync"
	"time"
)

// ThrottlePolicy tunes a Throttle. Zero fields take the defaults noted.
type ThrottlePolicy struct {
	// FreeLogin and FreeAddr are how many failed sign-ins a login, and an
	// address, may have before each further failure locks it (5 and 20).
	// The address allows more: several people may share it (an office NAT).
	FreeLogin, FreeAddr int
	// BaseLock is the first lock; each further failure doubles it (1 s),
	// up to MaxLock (10 min).
	BaseLock, MaxLock time.Duration
	// Forget drops a record once it has been quiet this long after its last
	// failure and its lock (15 min): a user who mistyped twice this morning
	// starts the afternoon with a clean slate.
	Forget time.Duration
	// MaxEntries bounds each of the two tables (10000), so a spray of
	// made-up logins or addresses cannot grow memory without end.
	MaxEntries int
	// Now is the clock; nil: time.Now. Tests pass a fake one.
	Now func() time.Time
}

func (p ThrottlePolicy) withDefaults() ThrottlePolicy {
	if p.FreeLogin <= 0 {
		p.FreeLogin = 5
	}
	if p.FreeAddr <= 0 {
		p.FreeAddr = 20
	}
	if p.BaseLock <= 0 {
		p.BaseLock = time.Second
	}
	if p.MaxLock <= 0 {
		p.MaxLock = 10 * time.Minute
	}
	if p.MaxLock < p.BaseLock {
		p.MaxLock = p.BaseLock
	}
	if p.Forget <= 0 {
		p.Forget = 15 * time.Minute
	}
	if p.MaxEntries <= 0 {
		p.MaxEntries = 10000
	}
	if p.Now == nil {
		p.Now = time.Now
	}
	return p
}

// Throttle is the LoginLimiter Ringside runs with (S1). It counts failed
// sign-ins per login and per address. After the free failures every
// further failure locks the login (or address) for BaseLock, doubling each
// time up to MaxLock. While locked every attempt is refused before the
// password is looked at, so even the right password waits: a guesser
// learns nothing from an attempt made during a lock. A success clears the
// login's record, not the address's, so one valid account cannot be used
// to reset an address that is spraying guesses at others.
//
// Unknown logins are counted exactly like known ones: the throttled answer
// must not tell whether a login exists.
type Throttle struct {
	p      ThrottlePolicy
	mu     sync.Mutex
	logins table
	addrs  table
}

// NewThrottle returns a Throttle with policy p (zero fields: defaults).
func NewThrottle(p ThrottlePolicy) *Throttle {
	p = p.withDefaults()
	return &Throttle{p: p, logins: table{}, addrs: table{}}
}

// record is one login's or address's recent failures.
type record struct {
	failures    int
	lastFailure time.Time
	lockedUntil time.Time
	lockBefore  time.Time // lockedUntil before the last count, for a refund
}

// quietSince is when the record last mattered: its last failure or the end
// of its lock, whichever is later.
func (r *record) quietSince() time.Time {
	if r.lockedUntil.After(r.lastFailure) {
		return r.lockedUntil
	}
	return r.lastFailure
}

type table map[string]*record

// Allow refuses while the login or the address is locked, with the time
// until both locks have ended. An attempt it admits is counted as a failed
// one at once, under the same lock as the check: counted only after the
// password hash (tens of milliseconds), a burst of parallel guesses would
// all pass the check before the first was counted. The right password
// takes its count back (Succeeded); an attempt that ends any other way —
// wrong password, unknown login, a database error — stays counted.
func (t *Throttle) Allow(login, remoteIP string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.p.Now()
	var wait time.Duration
	for _, r := range []*record{t.get(t.logins, loginKey(login), now), t.get(t.addrs, addrKey(remoteIP), now)} {
		if r != nil && r.lockedUntil.After(now) {
			wait = max(wait, r.lockedUntil.Sub(now))
		}
	}
	if wait > 0 {
		return false, wait
	}
	t.fail(t.logins, loginKey(login), t.p.FreeLogin, now)
	t.fail(t.addrs, addrKey(remoteIP), t.p.FreeAddr, now)
	return true, 0
}

// Succeeded says the attempt Allow admitted had the right password: the
// login's record is cleared, and the address gets back the one count the
// attempt took (its earlier failures stay, so one valid account cannot be
// used to reset an address that is spraying guesses at others).
func (t *Throttle) Succeeded(login, remoteIP string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.logins, loginKey(login))
	if r := t.addrs[addrKey(remoteIP)]; r != nil {
		t.refund(r)
	}
}

// refund takes back one count and the lock it set, back to the lock the
// earlier failures had earned.
func (t *Throttle) refund(r *record) {
	if r.failures == 0 {
		return
	}
	r.failures--
	r.lockedUntil = r.lockBefore
}

// get returns key's record, dropping it first when it has gone quiet.
func (t *Throttle) get(tab table, key string, now time.Time) *record {
	r := tab[key]
	if r != nil && t.forgotten(r, now) {
		delete(tab, key)
		return nil
	}
	return r
}

func (t *Throttle) forgotten(r *record, now time.Time) bool {
	return now.Sub(r.quietSince()) >= t.p.Forget
}

func (t *Throttle) fail(tab table, key string, free int, now time.Time) {
	r := t.get(tab, key, now)
	if r == nil {
		t.makeRoom(tab, now)
		r = &record{}
		tab[key] = r
	}
	r.failures++
	r.lastFailure = now
	r.lockBefore = r.lockedUntil
	if over := r.failures - free; over >= 0 {
		r.lockedUntil = now.Add(t.lockFor(over))
	}
}

// lockFor is BaseLock doubled over times, capped at MaxLock.
func (t *Throttle) lockFor(over int) time.Duration {
	d := t.p.BaseLock
	for range over {
		if d >= t.p.MaxLock/2 {
			return t.p.MaxLock
		}
		d *= 2
	}
	return min(d, t.p.MaxLock)
}

// makeRoom keeps tab under MaxEntries before an insert: it drops the
// records that have gone quiet and, if the table is still full, the one
// that matters least — unlocked before locked, then the longest quiet. A
// spray that fills the table thus evicts its own stale entries before it
// can evict a live lock.
func (t *Throttle) makeRoom(tab table, now time.Time) {
	if len(tab) < t.p.MaxEntries {
		return
	}
	for k, r := range tab {
		if t.forgotten(r, now) {
			delete(tab, k)
		}
	}
	for len(tab) >= t.p.MaxEntries {
		var victim string
		var worst *record
		for k, r := range tab {
			if worst == nil || less(r, worst, now) {
				victim, worst = k, r
			}
		}
		delete(tab, victim)
	}
}

// less orders records by how little they matter now.
func less(a, b *record, now time.Time) bool {
	al, bl := a.lockedUntil.After(now), b.lockedUntil.After(now)
	if al != bl {
		return !al
	}
	return a.quietSince().Before(b.quietSince())
}

// loginKey bounds what a record's key may cost: a login is at most 254
// characters (an e-mail address), and a longer one — only an attacker
// sends it — is kept as its digest, so MaxEntries bounds the memory too.
func loginKey(login string) string {
	if len(login) <= 254 {
		return login
	}
	sum := sha256.Sum256([]byte(login))
	return "sha256:" + hex.EncodeToString(sum[:])
}

// addrKey groups IPv6 addresses by their /64: one host usually holds a
// whole /64, so counting single addresses would let it rotate freely.
func addrKey(ip string) string {
	a := net.ParseIP(ip)
	if a == nil || a.To4() != nil {
		return ip
	}
	return a.Mask(net.CIDRMask(64, 128)).String() + "/64"
}
