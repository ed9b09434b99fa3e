package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// Flags are the command-line overrides of `ringside serve`, the strongest
// source. Passwords have no flags on purpose: a command line is visible to
// every user of the machine (ps); give them in the file or the environment.
type Flags struct {
	// ConfigPath is --config: the YAML file to read.
	ConfigPath string

	fs      *pflag.FlagSet
	strings map[string]*string // flag name -> value, for string settings
	secure  *bool
	origins *[]string
	proxies *[]string
}

// flagSpecs maps each string flag to the key it sets.
var flagSpecs = []struct{ flag, key, usage string }{
	{"listen", "listen", "HTTP listen address, host:port"},
	{"db", "database", "SQLite database file"},
	{"pbx", "pbx", "PBX kind: asterisk or freeswitch"},
	{"ari-url", "ari.url", "Asterisk ARI base URL, e.g. http://127.0.0.1:8088/ari"},
	{"ari-username", "ari.username", "Asterisk ARI user"},
	{"ari-app", "ari.app", "Stasis application name"},
	{"esl-address", "esl.address", "FreeSWITCH event socket host:port"},
	{"dial-number-template", "dial_number_template", "PBX dial string for dial numbers; {number} is replaced"},
	{"music-class", "music_class", "music on hold class of queues that name none (Asterisk musiconhold.conf)"},
	{"log-level", "log_level", "log level: debug, info, warn or error"},
	{"recordings-dir", "recordings_dir", "directory for call recordings"},
}

// AddFlags defines --config and the override flags on fs.
func AddFlags(fs *pflag.FlagSet) *Flags {
	f := &Flags{fs: fs, strings: map[string]*string{}}
	fs.StringVar(&f.ConfigPath, "config", "", "YAML configuration file (default $"+EnvConfigFile+")")
	for _, s := range flagSpecs {
		f.strings[s.flag] = fs.String(s.flag, "", s.usage+" (file key "+s.key+")")
	}
	f.secure = fs.Bool("session-cookie-secure", false, "send the session cookie only over HTTPS (file key session_cookie_secure)")
	f.origins = fs.StringArray("allowed-origin", nil, "an origin allowed to send requests, https://host[:port]; repeatable (file key allowed_origins)")
	f.proxies = fs.StringArray("trusted-proxy", nil, "a reverse proxy whose X-Forwarded-For is believed, IP or CIDR range; repeatable (file key trusted_proxies)")
	return f
}

// Apply copies the flags the user actually gave onto c; flags left alone do
// not override the file or the environment.
func (f *Flags) Apply(c *Config) error {
	if p := f.apply(c); len(p) > 0 {
		return Problems(p)
	}
	return nil
}

func (f *Flags) apply(c *Config) []string {
	byPath := map[string]setting{}
	for _, s := range settings() {
		byPath[s.Path] = s
	}
	var problems []string
	for _, s := range flagSpecs {
		if !f.fs.Changed(s.flag) {
			continue
		}
		if err := byPath[s.key].setText(c, *f.strings[s.flag]); err != nil {
			problems = append(problems, fmt.Sprintf("--%s: %v", s.flag, err))
		}
	}
	if f.fs.Changed("session-cookie-secure") {
		_ = byPath["session_cookie_secure"].setText(c, strconv.FormatBool(*f.secure))
	}
	if f.fs.Changed("allowed-origin") {
		_ = byPath["allowed_origins"].setText(c, strings.Join(*f.origins, ","))
	}
	if f.fs.Changed("trusted-proxy") {
		_ = byPath["trusted_proxies"].setText(c, strings.Join(*f.proxies, ","))
	}
	return problems
}

// Resolve loads the file (--config, else $RINGSIDE_CONFIG), applies env and
// then the flags, and validates the result.
func (f *Flags) Resolve(env []string) (Config, error) {
	return load(f.ConfigPath, env, f.apply)
}
