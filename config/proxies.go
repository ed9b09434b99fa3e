package config

import (
	"fmt"
	"net/netip"
	"strings"
)

// ParseTrustedProxy reads one trusted_proxies entry: an IP address
// (127.0.0.1, ::1), which trusts that host alone, or a CIDR range
// (10.0.0.0/8, fd00::/8). Host bits in a range are masked off
// (10.1.2.3/8 is 10.0.0.0/8). Zones (fe80::1%eth0) are refused: they name
// an interface, and a range of hosts cannot carry one. So is a /0 range:
// trusting every address would make every X-Forwarded-For entry a
// "trusted proxy", and the left-most one — the client's own choice — the
// address throttling counts.
func ParseTrustedProxy(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not an IP address or CIDR range", s)
		}
		if p.Bits() == 0 {
			return netip.Prefix{}, fmt.Errorf("%q trusts every address, so any client could choose the address it is throttled under; list your proxies", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("%q is not an IP address or CIDR range", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// TrustedProxyPrefixes returns trusted_proxies parsed, for the API
// (api.Options.TrustedProxies). Entries that do not parse are left out;
// Validate reports them, so a validated Config loses none.
func (c Config) TrustedProxyPrefixes() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range c.TrustedProxies {
		if p, err := ParseTrustedProxy(s); err == nil {
			ps = append(ps, p)
		}
	}
	return ps
}

func (c Config) validateTrustedProxies(p *Problems) {
	for i, s := range c.TrustedProxies {
		if _, err := ParseTrustedProxy(s); err != nil {
			p.add(fmt.Sprintf("trusted_proxies[%d]", i), "%v", err)
		}
	}
}
