// Package config is the process configuration of `ringside serve`: a YAML
// file, then RINGSIDE_* environment variables, then command-line flags, each
// overriding the one before, and a validation that names every bad field.
//
// Typical use, in a cobra command:
//
//	flags := config.AddFlags(cmd.Flags())
//	...
//	cfg, err := flags.Resolve(os.Environ()) // file + env + flags, validated
//
// Load does the same without flags.
package config

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Config is everything `ringside serve` needs to start. The yaml tags are
// the file's keys; each key's environment variable is RINGSIDE_ followed by
// its path in upper case with dots as underscores (ari.url: RINGSIDE_ARI_URL).
type Config struct {
	// Listen is the HTTP address of the API and web UI, host:port.
	Listen string `yaml:"listen"`
	// Database is the SQLite file path.
	Database string `yaml:"database"`
	// PBX says which PBX Ringside drives: asterisk (through ARI) or
	// freeswitch (through ESL) (P1).
	PBX string `yaml:"pbx"`
	ARI ARI    `yaml:"ari"`
	ESL ESL    `yaml:"esl"`
	// DialNumberTemplate turns a dial number (a remote agent's mobile, a
	// consult or transfer to an outside number) into a PBX dial string;
	// {number} is replaced. Empty: the PBX's default (DefaultDialNumberTemplate).
	DialNumberTemplate string `yaml:"dial_number_template"`
	// MusicClass is the music on hold waiting and held callers hear (A5) in
	// queues that name no class of their own: an Asterisk musiconhold.conf
	// class. Empty: DefaultMusicClass.
	MusicClass string `yaml:"music_class"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `yaml:"log_level"`
	// RecordingsDir is where call recordings are kept.
	RecordingsDir string `yaml:"recordings_dir"`
	// SessionCookieSecure marks the desktop session cookie Secure, so the
	// browser sends it only over HTTPS. Turn it on whenever Ringside is
	// reached through HTTPS (it is off so that plain http://host:8080 works).
	SessionCookieSecure bool `yaml:"session_cookie_secure"`
	// AllowedOrigins are the origins (scheme://host[:port]) besides Ringside's
	// own from which browsers may send state-changing requests.
	AllowedOrigins []string `yaml:"allowed_origins"`
	// TrustedProxies are the reverse proxies (IP addresses or CIDR ranges)
	// in front of Ringside whose X-Forwarded-For and X-Real-IP headers are
	// believed, so that sign-in throttling counts each client rather than
	// the proxy. Empty: the headers are ignored (anyone can send them).
	TrustedProxies []string `yaml:"trusted_proxies"`
}

// ARI is the Asterisk REST Interface connection.
type ARI struct {
	URL      string `yaml:"url"` // e.g. http://127.0.0.1:8088/ari
	Username string `yaml:"username"`
	Password Secret `yaml:"password"`
	App      string `yaml:"app"` // the Stasis application name the dialplan uses
}

// ESL is the FreeSWITCH Event Socket connection.
type ESL struct {
	Address  string `yaml:"address"` // host:port, e.g. 127.0.0.1:8021
	Password Secret `yaml:"password"`
}

// PBX kinds.
const (
	PBXAsterisk   = "asterisk"
	PBXFreeSWITCH = "freeswitch"
)

// Defaults is the configuration before any file, variable or flag.
func Defaults() Config {
	return Config{
		Listen:        "127.0.0.1:8080",
		Database:      "ringside.db",
		PBX:           PBXAsterisk,
		ARI:           ARI{App: "ringside"},
		LogLevel:      "info",
		RecordingsDir: "recordings",
		MusicClass:    DefaultMusicClass,
	}
}

// DefaultMusicClass is Asterisk's own default class. Installs built without
// the downloadable sounds have none by that name: their callers hear
// silence until music_class names a class that exists (docs/asterisk.md).
const DefaultMusicClass = "default"

// DefaultDialNumberTemplate is the dial-number template used when none is
// configured: an outbound trunk named "trunk" on either PBX.
func DefaultDialNumberTemplate(pbx string) string {
	if pbx == PBXFreeSWITCH {
		return "sofia/gateway/trunk/{number}"
	}
	return "PJSIP/{number}@trunk"
}

// finish fills in what depends on other settings, once all sources applied.
func (c *Config) finish() {
	if c.DialNumberTemplate == "" {
		c.DialNumberTemplate = DefaultDialNumberTemplate(c.PBX)
	}
	if c.MusicClass == "" {
		c.MusicClass = DefaultMusicClass
	}
}

// String renders the configuration as YAML with every password masked, so
// it is safe to print or log.
func (c Config) String() string {
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return "config: " + err.Error()
	}
	return strings.TrimRight(b.String(), "\n")
}

// GoString masks passwords under %#v too.
func (c Config) GoString() string { return "config.Config{\n" + c.String() + "\n}" }
