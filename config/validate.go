package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/ringside/ringside/internal/musicclass"
)

// Problems is everything wrong with a configuration, one line per problem,
// each naming the key (or file line, or variable) and what is wrong.
type Problems []string

func (p Problems) Error() string {
	if len(p) == 1 {
		return "invalid configuration: " + p[0]
	}
	return "invalid configuration:\n  " + strings.Join(p, "\n  ")
}

func (p *Problems) add(key, format string, args ...any) {
	*p = append(*p, key+": "+fmt.Sprintf(format, args...))
}

// LogLevels are the accepted log_level values.
var LogLevels = []string{"debug", "info", "warn", "error"}

var ariAppRE = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)

// Validate checks every setting and returns all problems at once (as
// Problems), or nil. Only the chosen PBX's connection settings are
// required.
func (c Config) Validate() error {
	var p Problems
	hostPort(&p, "listen", c.Listen, true)
	if strings.TrimSpace(c.Database) == "" {
		p.add("database", "missing")
	}
	switch c.PBX {
	case PBXAsterisk:
		c.validateARI(&p)
	case PBXFreeSWITCH:
		hostPort(&p, "esl.address", c.ESL.Address, false)
		if c.ESL.Password == "" {
			p.add("esl.password", "missing")
		}
	case "":
		p.add("pbx", "missing (asterisk or freeswitch)")
	default:
		p.add("pbx", "%q must be asterisk or freeswitch", c.PBX)
	}
	switch t := c.DialNumberTemplate; {
	case t == "":
		p.add("dial_number_template", "missing")
	case !strings.Contains(t, "{number}"):
		p.add("dial_number_template", "%q must contain {number}", t)
	case strings.IndexFunc(t, unicode.IsSpace) >= 0:
		p.add("dial_number_template", "%q must not contain spaces", t)
	}
	if why := musicclass.Problem(c.MusicClass); why != "" {
		p.add("music_class", "%s", why)
	}
	if !contains(LogLevels, c.LogLevel) {
		p.add("log_level", "%q must be one of %s", c.LogLevel, strings.Join(LogLevels, ", "))
	}
	if strings.TrimSpace(c.RecordingsDir) == "" {
		p.add("recordings_dir", "missing")
	}
	for i, o := range c.AllowedOrigins {
		if err := checkOrigin(o); err != "" {
			p.add(fmt.Sprintf("allowed_origins[%d]", i), "%q %s", o, err)
		}
	}
	c.validateTrustedProxies(&p)
	if len(p) == 0 {
		return nil
	}
	return p
}

func (c Config) validateARI(p *Problems) {
	if c.ARI.URL == "" {
		p.add("ari.url", "missing (e.g. http://127.0.0.1:8088/ari)")
	} else if u, err := url.Parse(c.ARI.URL); err != nil {
		p.add("ari.url", "%q is not a URL", c.ARI.URL)
	} else if u.Scheme != "http" && u.Scheme != "https" {
		p.add("ari.url", "scheme must be http or https")
	} else if u.Host == "" {
		p.add("ari.url", "%q has no host", c.ARI.URL)
	} else if u.User != nil {
		p.add("ari.url", "must not carry credentials; use ari.username and ari.password")
	}
	if c.ARI.Username == "" {
		p.add("ari.username", "missing")
	}
	if c.ARI.Password == "" {
		p.add("ari.password", "missing")
	}
	if !ariAppRE.MatchString(c.ARI.App) {
		if c.ARI.App == "" {
			p.add("ari.app", "missing")
		} else {
			p.add("ari.app", "%q may contain only letters, digits, '_', '.' and '-'", c.ARI.App)
		}
	}
}

// hostPort checks a host:port address. An empty host ("":8080, all
// interfaces) is allowed only where Ringside listens.
func hostPort(p *Problems, key, addr string, listen bool) {
	if addr == "" {
		p.add(key, "missing (host:port)")
		return
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		p.add(key, "%q is not host:port", addr)
		return
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 || (!listen && n == 0) {
		p.add(key, "%q has no valid port number", addr)
		return
	}
	if host == "" && !listen {
		p.add(key, "%q has no host", addr)
	}
}

// checkOrigin returns why o is not an origin, or "".
func checkOrigin(o string) string {
	u, err := url.Parse(o)
	switch {
	case err != nil:
		return "is not a URL"
	case u.Scheme != "http" && u.Scheme != "https":
		return "is not an origin like https://host[:port] (scheme must be http or https)"
	case u.Host == "":
		return "is not an origin like https://host[:port] (no host)"
	case (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return "is not an origin like https://host[:port] (only scheme, host and port)"
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
