package api

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientIP is the address a request came from, as far as it can be
// believed: what sign-in throttling (S1) counts and the sign-in log lines
// show. Behind a reverse proxy the TCP peer is the proxy, so every sign-in
// would share one address and a handful of typos would lock out the whole
// contact center; the proxy's X-Forwarded-For says who the client is.
// But anyone can send that header, so it is believed only from a peer in
// trusted (Options.TrustedProxies), and then only as far as the chain of
// trusted proxies reaches:
//
//   - peer not trusted (or trusted empty): the peer; headers are ignored.
//   - otherwise walk X-Forwarded-For from the right — each entry was
//     appended by the hop to its right, and only trusted hops are honest —
//     and take the first entry that is not itself a trusted proxy. The
//     left-most entries are whatever the client chose to send.
//   - every entry a trusted proxy: the left-most (the request began inside).
//   - a malformed entry ends the walk: the trusted hop that wrote it does
//     not know the client, so nothing to its left is vouched for. The
//     answer is that hop (the peer if the malformed entry is the last one),
//     never the malformed text and never an entry beyond it.
//   - no X-Forwarded-For: X-Real-IP, which a trusted proxy sets to the
//     address it saw; then the peer.
//
// The result is a canonical address (IPv4-mapped IPv6 unmapped, zone
// dropped), or RemoteAddr as is when that is not an address at all.
func clientIP(r *http.Request, trusted []netip.Prefix) string {
	peer, ok := parseHop(r.RemoteAddr)
	if !ok {
		return r.RemoteAddr
	}
	if !isTrusted(peer, trusted) {
		return peer.String()
	}
	hops := forwardedFor(r.Header)
	if len(hops) == 0 {
		if a, ok := parseHop(r.Header.Get("X-Real-IP")); ok {
			return a.String()
		}
		return peer.String()
	}
	last := peer // the nearest hop known to be a trusted proxy
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			return last.String()
		}
		if !isTrusted(a, trusted) {
			return a.String()
		}
		last = a
	}
	return last.String()
}

// forwardedFor lists the X-Forwarded-For entries, left to right. Several
// header lines count as one comma-joined list (RFC 9110 §5.3); blank
// entries (a stray comma) claim nothing and are dropped.
func forwardedFor(h http.Header) []string {
	var hops []string
	for _, line := range h.Values("X-Forwarded-For") {
		for _, e := range strings.Split(line, ",") {
			if e = strings.TrimSpace(e); e != "" {
				hops = append(hops, e)
			}
		}
	}
	return hops
}

// parseHop reads one address as proxies write it: "192.0.2.7",
// "2001:db8::7", or with a port ("192.0.2.7:5123", "[2001:db8::7]:5123")
// or brackets ("[2001:db8::7]"), as some load balancers do.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
				return netip.Addr{}, false
			}
			if a, err = netip.ParseAddr(s[1 : len(s)-1]); err != nil || !a.Is6() {
				return netip.Addr{}, false
			}
		} else {
			a = ap.Addr()
		}
	}
	// One host, one key: ::ffff:192.0.2.7 is 192.0.2.7, and a zone names
	// an interface, not a different host.
	return a.Unmap().WithZone(""), true
}

func isTrusted(a netip.Addr, trusted []netip.Prefix) bool {
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// trustedPrefixes canonicalises Options.TrustedProxies so that Contains
// compares like with like: host bits masked, an IPv4-mapped range
// (::ffff:10.0.0.0/104) as the IPv4 range it is, since parseHop unmaps
// addresses. Invalid prefixes (the zero Prefix) trust nothing and are
// dropped.
func trustedPrefixes(ps []netip.Prefix) []netip.Prefix {
	var out []netip.Prefix
	for _, p := range ps {
		if !p.IsValid() {
			continue
		}
		if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		out = append(out, p.Masked())
	}
	return out
}
