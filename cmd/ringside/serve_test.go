package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `ringside serve` validates the whole configuration before it starts and
// names each bad field.
func TestServeRejectsBrokenConfigNamingTheField(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"missing ARI URL", "pbx: asterisk\nari:\n  username: ringside\n  password: x\n", []string{"ari.url"}},
		{"bad listen", "listen: nowhere\nari:\n  url: http://127.0.0.1:8088/ari\n  username: u\n  password: p\n", []string{"listen", "nowhere"}},
		{"unknown key", "lisen: 127.0.0.1:9\n", []string{"lisen"}},
		{"bad pbx", "pbx: pabx\n", []string{"pbx", "pabx"}},
		{"bad trusted proxy", "trusted_proxies: [127.0.0.1, 10.0.0.300/8]\nari:\n  url: http://127.0.0.1:8088/ari\n  username: u\n  password: p\n",
			[]string{`trusted_proxies[1]: "10.0.0.300/8" is not an IP address or CIDR range`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fails(t, []string{"serve", "--config", write(strings.ReplaceAll(c.name, " ", "_")+".yaml", c.yaml)}, c.want...)
		})
	}
	fails(t, []string{"serve", "--config", filepath.Join(dir, "absent.yaml")}, "absent.yaml")
	fails(t, []string{"serve", "--listen", "127.0.0.1:99999", "--ari-url", "ftp://x"}, "listen", "99999", "ari.url", "http or https")
	fails(t, []string{"serve", "--trusted-proxy", "::1", "--trusted-proxy", "proxy.lan"}, `trusted_proxies[1]: "proxy.lan" is not an IP address or CIDR range`)
}

// `ringside demo` serves the desktop and /healthz on a fresh database.
func TestDemoServesHealthzAndUI(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := newRootCmd()
	pr, pw := io.Pipe()
	cmd.SetOut(pw)
	cmd.SetArgs([]string{"demo", "--db", filepath.Join(dir, "demo.db"), "--listen", "127.0.0.1:0"})
	done := make(chan error, 1)
	go func() { done <- cmd.ExecuteContext(ctx); pw.Close() }()

	// The first line names the URL.
	buf := make([]byte, 4096)
	n, err := pr.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	first := strings.SplitN(string(buf[:n]), "\n", 2)[0]
	url := strings.TrimPrefix(first, "Ringside demo: ")
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("first line %q names no URL", first)
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	client := &http.Client{Timeout: 5 * time.Second}
	for path, want := range map[string]string{"/healthz": "ok", "/": "<html"} {
		resp, err := client.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(strings.ToLower(string(body)), want) {
			t.Fatalf("GET %s: %d %q", path, resp.StatusCode, body)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("demo stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("demo did not stop on cancel")
	}
}
