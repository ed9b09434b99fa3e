package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// valid is a complete Asterisk configuration.
func valid() Config {
	c := Defaults()
	c.ARI = ARI{URL: "http://127.0.0.1:8088/ari", Username: "ringside", Password: "ari-secret", App: "ringside"}
	c.finish()
	return c
}

func TestDefaultsNeedOnlyThePBXConnection(t *testing.T) {
	if err := valid().Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	err := Defaults().Validate()
	for _, want := range []string{"ari.url: missing", "ari.username: missing", "ari.password: missing"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Defaults().Validate() = %v, want it to say %q", err, want)
		}
	}
}

func TestValidateNamesEachBadField(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*Config)
		want string
	}{
		{"listen not host:port", func(c *Config) { c.Listen = "abc" }, `listen: "abc" is not host:port`},
		{"listen bad port", func(c *Config) { c.Listen = "127.0.0.1:99999" }, `listen: "127.0.0.1:99999" has no valid port number`},
		{"listen missing", func(c *Config) { c.Listen = "" }, "listen: missing"},
		{"database missing", func(c *Config) { c.Database = " " }, "database: missing"},
		{"pbx unknown", func(c *Config) { c.PBX = "x" }, `pbx: "x" must be asterisk or freeswitch`},
		{"pbx missing", func(c *Config) { c.PBX = "" }, "pbx: missing"},
		{"ari.url missing", func(c *Config) { c.ARI.URL = "" }, "ari.url: missing"},
		{"ari.url scheme", func(c *Config) { c.ARI.URL = "ws://pbx:8088/ari" }, "ari.url: scheme must be http or https"},
		{"ari.url no host", func(c *Config) { c.ARI.URL = "http:///ari" }, "ari.url: \"http:///ari\" has no host"},
		{"ari.url credentials", func(c *Config) { c.ARI.URL = "http://u:p@pbx:8088/ari" }, "ari.url: must not carry credentials"},
		{"ari.url unparsable", func(c *Config) { c.ARI.URL = "http://[::1" }, "ari.url: \"http://[::1\" is not a URL"},
		{"ari.username missing", func(c *Config) { c.ARI.Username = "" }, "ari.username: missing"},
		{"ari.password missing", func(c *Config) { c.ARI.Password = "" }, "ari.password: missing"},
		{"ari.app bad", func(c *Config) { c.ARI.App = "ring side" }, `ari.app: "ring side" may contain only`},
		{"ari.app missing", func(c *Config) { c.ARI.App = "" }, "ari.app: missing"},
		{"esl address missing", func(c *Config) { c.PBX = PBXFreeSWITCH; c.ESL.Password = "pw" }, "esl.address: missing"},
		{"esl address no host", func(c *Config) { c.PBX = PBXFreeSWITCH; c.ESL = ESL{Address: ":8021", Password: "pw"} }, `esl.address: ":8021" has no host`},
		{"esl address not host:port", func(c *Config) { c.PBX = PBXFreeSWITCH; c.ESL = ESL{Address: "fs", Password: "pw"} }, `esl.address: "fs" is not host:port`},
		{"esl password missing", func(c *Config) { c.PBX = PBXFreeSWITCH; c.ESL.Address = "127.0.0.1:8021" }, "esl.password: missing"},
		{"template without {number}", func(c *Config) { c.DialNumberTemplate = "PJSIP/trunk" }, `dial_number_template: "PJSIP/trunk" must contain {number}`},
		{"template with space", func(c *Config) { c.DialNumberTemplate = "PJSIP/{number} @trunk" }, "dial_number_template:"},
		{"log level", func(c *Config) { c.LogLevel = "verbose" }, `log_level: "verbose" must be one of debug, info, warn, error`},
		{"recordings dir", func(c *Config) { c.RecordingsDir = "" }, "recordings_dir: missing"},
		{"origin with path", func(c *Config) { c.AllowedOrigins = []string{"https://ok.example", "https://a.example/app"} }, `allowed_origins[1]: "https://a.example/app" is not an origin`},
		{"origin scheme", func(c *Config) { c.AllowedOrigins = []string{"a.example"} }, `allowed_origins[0]: "a.example" is not an origin`},
		{"proxy not an address", func(c *Config) { c.TrustedProxies = []string{"10.0.0.0/8", "10.0.0.300/8"} }, `trusted_proxies[1]: "10.0.0.300/8" is not an IP address or CIDR range`},
		{"proxy a host name", func(c *Config) { c.TrustedProxies = []string{"proxy.example"} }, `trusted_proxies[0]: "proxy.example" is not an IP address or CIDR range`},
		{"proxy bad prefix length", func(c *Config) { c.TrustedProxies = []string{"::1", "10.0.0.0/33"} }, `trusted_proxies[1]: "10.0.0.0/33" is not an IP address or CIDR range`},
		{"proxy with zone", func(c *Config) { c.TrustedProxies = []string{"fe80::1%eth0"} }, `trusted_proxies[0]: "fe80::1%eth0" is not an IP address or CIDR range`},
		{"proxy everyone", func(c *Config) { c.TrustedProxies = []string{"0.0.0.0/0"} }, `trusted_proxies[0]: "0.0.0.0/0" trusts every address`},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := valid()
			c.edit(&cfg)
			err := cfg.Validate()
			var p Problems
			if !errors.As(err, &p) {
				t.Fatalf("Validate() = %v, want Problems", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("Validate() = %v\nwant it to contain %q", err, c.want)
			}
		})
	}
}

func TestValidateCollectsAllProblems(t *testing.T) {
	c := valid()
	c.Listen, c.PBX, c.LogLevel = "abc", "x", "loud"
	var p Problems
	if !errors.As(c.Validate(), &p) || len(p) != 3 {
		t.Fatalf("got %v, want 3 problems", p)
	}
}

func TestFreeSWITCHDefaults(t *testing.T) {
	c := Defaults()
	c.PBX = PBXFreeSWITCH
	c.ESL = ESL{Address: "127.0.0.1:8021", Password: "ClueCon"}
	c.finish()
	if err := c.Validate(); err != nil {
		t.Fatal(err) // ARI settings are not required for FreeSWITCH
	}
	if c.DialNumberTemplate != "sofia/gateway/trunk/{number}" {
		t.Errorf("FreeSWITCH template default %q", c.DialNumberTemplate)
	}
	if got := valid().DialNumberTemplate; got != "PJSIP/{number}@trunk" {
		t.Errorf("Asterisk template default %q", got)
	}
}

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "ringside.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const fileYAML = `
listen: 0.0.0.0:9000
database: /var/lib/ringside/r.db
pbx: asterisk
ari:
  url: http://pbx:8088/ari
  username: file-user
  password: file-secret
log_level: debug
session_cookie_secure: true
allowed_origins: [https://wallboard.example.com]
trusted_proxies:
  - 10.0.0.0/8
  - ::1
`

func TestPrecedenceFileEnvFlags(t *testing.T) {
	path := writeFile(t, fileYAML)
	for _, c := range []struct {
		name  string
		env   []string
		args  []string
		check func(t *testing.T, c Config)
	}{
		{"file over defaults", nil, nil, func(t *testing.T, c Config) {
			want := Config{Listen: "0.0.0.0:9000", Database: "/var/lib/ringside/r.db", PBX: "asterisk",
				ARI:                ARI{URL: "http://pbx:8088/ari", Username: "file-user", Password: "file-secret", App: "ringside"},
				DialNumberTemplate: "PJSIP/{number}@trunk", MusicClass: "default", LogLevel: "debug", RecordingsDir: "recordings",
				SessionCookieSecure: true, AllowedOrigins: []string{"https://wallboard.example.com"},
				TrustedProxies: []string{"10.0.0.0/8", "::1"}}
			if !reflect.DeepEqual(c, want) {
				t.Errorf("got  %#v\nwant %#v", c, want)
			}
		}},
		{"env over file", []string{"RINGSIDE_LISTEN=127.0.0.1:7000", "RINGSIDE_ARI_PASSWORD=env-secret",
			"RINGSIDE_SESSION_COOKIE_SECURE=false", "RINGSIDE_ALLOWED_ORIGINS=https://a.example, https://b.example",
			"RINGSIDE_TRUSTED_PROXIES=192.0.2.10, fd00::/8"}, nil,
			func(t *testing.T, c Config) {
				if c.Listen != "127.0.0.1:7000" || c.ARI.Password.Reveal() != "env-secret" || c.SessionCookieSecure ||
					!reflect.DeepEqual(c.AllowedOrigins, []string{"https://a.example", "https://b.example"}) ||
					!reflect.DeepEqual(c.TrustedProxies, []string{"192.0.2.10", "fd00::/8"}) {
					t.Errorf("env did not override the file: %#v", c)
				}
				if c.ARI.Username != "file-user" {
					t.Errorf("unset env changed ari.username to %q", c.ARI.Username)
				}
			}},
		{"flags over env", []string{"RINGSIDE_LISTEN=127.0.0.1:7000", "RINGSIDE_LOG_LEVEL=warn"},
			[]string{"--listen", "127.0.0.1:6000", "--allowed-origin", "https://c.example", "--session-cookie-secure=false",
				"--trusted-proxy", "127.0.0.1", "--trusted-proxy", "172.16.0.0/12"},
			func(t *testing.T, c Config) {
				if c.Listen != "127.0.0.1:6000" || !reflect.DeepEqual(c.AllowedOrigins, []string{"https://c.example"}) || c.SessionCookieSecure ||
					!reflect.DeepEqual(c.TrustedProxies, []string{"127.0.0.1", "172.16.0.0/12"}) {
					t.Errorf("flags did not override: %#v", c)
				}
				if c.LogLevel != "warn" {
					t.Errorf("flag not given, yet log_level = %q, want env's warn", c.LogLevel)
				}
			}},
		{"empty env var is unset", []string{"RINGSIDE_LISTEN="}, nil, func(t *testing.T, c Config) {
			if c.Listen != "0.0.0.0:9000" {
				t.Errorf("listen = %q", c.Listen)
			}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
			f := AddFlags(fs)
			if err := fs.Parse(append([]string{"--config", path}, c.args...)); err != nil {
				t.Fatal(err)
			}
			cfg, err := f.Resolve(c.env)
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, cfg)
		})
	}
}

func TestConfigFileFromEnvironment(t *testing.T) {
	path := writeFile(t, fileYAML)
	c, err := Load("", []string{"RINGSIDE_CONFIG=" + path})
	if err != nil || c.ARI.Username != "file-user" {
		t.Fatalf("Load via RINGSIDE_CONFIG = %v, %v", c, err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.yaml"), nil); err == nil ||
		!strings.Contains(err.Error(), "config file:") {
		t.Errorf("missing file: %v", err)
	}
}

func TestStrictFile(t *testing.T) {
	for _, c := range []struct {
		name string
		body string
		want []string
	}{
		{"unknown top-level key", "listen: 127.0.0.1:8080\nlisten_port: 80\n", []string{`ringside.yaml:2: unknown key "listen_port"`}},
		{"unknown nested key", "ari:\n  url: http://pbx/ari\n  pasword: x\n",
			[]string{`ringside.yaml:3: unknown key "ari.pasword" (known here: ari.app, ari.password, ari.url, ari.username)`,
				"ari.password: missing"}},
		{"bool of the wrong type", "session_cookie_secure: maybe\n", []string{`ringside.yaml:1: session_cookie_secure: "maybe" is not true or false`}},
		{"section not a mapping", "ari: http://pbx\n", []string{"ringside.yaml:1: ari: must be a mapping"}},
		{"string given a list", "listen: [a, b]\n", []string{"ringside.yaml:1: listen: must be a single value, not a list"}},
		{"list given a string", "allowed_origins: https://a.example\n", []string{"ringside.yaml:1: allowed_origins: must be a list"}},
		{"bad proxy in the file", "trusted_proxies: [127.0.0.1, 10.0.0.300/8]\n", []string{`trusted_proxies[1]: "10.0.0.300/8" is not an IP address or CIDR range`}},
		{"duplicate key", "pbx: asterisk\npbx: freeswitch\n", []string{`ringside.yaml:2: duplicate key "pbx" (first at line 1)`}},
		{"syntax error", "ari:\n  url: [\n", []string{"ringside.yaml:"}},
		{"two documents", "pbx: asterisk\n---\npbx: freeswitch\n", []string{"more than one YAML document"}},
		{"all problems at once", "a: 1\nb: 2\nlog_level: loud\n", []string{`unknown key "a"`, `unknown key "b"`, `log_level: "loud"`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Load(writeFile(t, c.body), nil)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
	// An empty file and empty sections are fine.
	if _, err := Load(writeFile(t, "# nothing\n"), []string{"RINGSIDE_ARI_URL=http://p/ari", "RINGSIDE_ARI_USERNAME=u", "RINGSIDE_ARI_PASSWORD=p"}); err != nil {
		t.Errorf("empty file: %v", err)
	}
}

func TestEnvProblems(t *testing.T) {
	_, err := Load("", []string{
		"RINGSIDE_ARI_PASWORD=x", "RINGSIDE_SESSION_COOKIE_SECURE=maybe",
		"RINGSIDE_TEST_ARI_URL=http://ignored", "PATH=/bin", "RINGSIDE_CONFIG=",
	})
	for _, want := range []string{
		"RINGSIDE_ARI_PASWORD: unknown setting",
		`RINGSIDE_SESSION_COOKIE_SECURE: "maybe" is not true or false`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v\ndoes not contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "RINGSIDE_TEST_") {
		t.Errorf("test-suite variables must be ignored: %v", err)
	}
}

func TestBadFlagValueNamed(t *testing.T) {
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	f := AddFlags(fs)
	if err := fs.Parse([]string{"--pbx", "x", "--listen", "abc"}); err != nil {
		t.Fatal(err)
	}
	_, err := f.Resolve([]string{"RINGSIDE_ARI_URL=http://p/ari", "RINGSIDE_ARI_USERNAME=u", "RINGSIDE_ARI_PASSWORD=p"})
	if err == nil || !strings.Contains(err.Error(), `pbx: "x" must be asterisk or freeswitch`) ||
		!strings.Contains(err.Error(), `listen: "abc" is not host:port`) {
		t.Errorf("Resolve = %v", err)
	}
}

func TestEverySettingHasAnEnvVarAndFlagsTargetRealKeys(t *testing.T) {
	keys := map[string]bool{}
	for _, k := range Keys() {
		keys[k] = true
	}
	want := []string{"listen", "database", "pbx", "ari.url", "ari.username", "ari.password", "ari.app",
		"esl.address", "esl.password", "dial_number_template", "music_class", "log_level", "recordings_dir",
		"session_cookie_secure", "allowed_origins", "trusted_proxies"}
	if !reflect.DeepEqual(Keys(), want) {
		t.Errorf("Keys() = %v\nwant %v", Keys(), want)
	}
	for _, s := range flagSpecs {
		if !keys[s.key] {
			t.Errorf("flag --%s sets unknown key %q", s.flag, s.key)
		}
	}
	if EnvVar("ari.password") != "RINGSIDE_ARI_PASSWORD" || EnvVar("nope") != "" {
		t.Errorf("EnvVar mapping wrong")
	}
}

// Passwords never show, however the configuration is printed.
func TestPasswordsNeverPrinted(t *testing.T) {
	c := valid()
	c.ARI.Password = "ari-pa55"
	c.ESL.Password = "esl-pa55"
	var logBuf bytes.Buffer
	slog.New(slog.NewTextHandler(&logBuf, nil)).Info("cfg", "config", c, "ari", c.ARI, "pw", c.ARI.Password)
	slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("cfg", "config", c, "pw", c.ESL.Password)
	js, _ := json.Marshal(c)
	outs := map[string]string{
		"%v": fmt.Sprintf("%v", c), "%+v": fmt.Sprintf("%+v", c), "%#v": fmt.Sprintf("%#v", c),
		"%s": fmt.Sprintf("%s", c), "String": c.String(), "ari %+v": fmt.Sprintf("%+v", c.ARI),
		"ari %#v": fmt.Sprintf("%#v", c.ARI), "secret %q": fmt.Sprintf("%q", c.ARI.Password),
		"secret %x": fmt.Sprintf("%x", c.ESL.Password), "json": string(js), "slog": logBuf.String(),
	}
	for name, out := range outs {
		if strings.Contains(out, "pa55") {
			t.Errorf("%s leaks a password: %s", name, out)
		}
	}
	if !strings.Contains(c.String(), "password: '*****'") && !strings.Contains(c.String(), `password: "*****"`) {
		t.Errorf("String() does not show the mask:\n%s", c.String())
	}
	if c.ARI.Password.Reveal() != "ari-pa55" {
		t.Error("Reveal lost the value")
	}
}

// trusted_proxies entries become the prefixes the API matches peers
// against: an address is that one host, a range is masked.
func TestTrustedProxyPrefixes_S1(t *testing.T) {
	c := valid()
	c.TrustedProxies = []string{"127.0.0.1", "::1", " 10.1.2.3/8 ", "fd00::/8", "::ffff:192.0.2.1"}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.TrustedProxyPrefixes() {
		got = append(got, p.String())
	}
	want := []string{"127.0.0.1/32", "::1/128", "10.0.0.0/8", "fd00::/8", "::ffff:192.0.2.1/128"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("TrustedProxyPrefixes() = %v, want %v", got, want)
	}
	if ps := Defaults().TrustedProxyPrefixes(); len(ps) != 0 {
		t.Errorf("default trusts %v, want none", ps)
	}
}

func TestBadTrustedProxyNamedFromEnvAndFlag_S1(t *testing.T) {
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	f := AddFlags(fs)
	if err := fs.Parse([]string{"--trusted-proxy", "10.0.0.1", "--trusted-proxy", "nginx"}); err != nil {
		t.Fatal(err)
	}
	env := []string{"RINGSIDE_ARI_URL=http://p/ari", "RINGSIDE_ARI_USERNAME=u", "RINGSIDE_ARI_PASSWORD=p"}
	if _, err := f.Resolve(env); err == nil || !strings.Contains(err.Error(), `trusted_proxies[1]: "nginx" is not an IP address or CIDR range`) {
		t.Errorf("flag: Resolve = %v", err)
	}
	if _, err := Load("", append(env, "RINGSIDE_TRUSTED_PROXIES=10.0.0.0/8,10.0.0.300/8")); err == nil ||
		!strings.Contains(err.Error(), `trusted_proxies[1]: "10.0.0.300/8" is not an IP address or CIDR range`) {
		t.Errorf("env: Load = %v", err)
	}
}
