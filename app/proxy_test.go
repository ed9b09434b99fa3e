package app

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ringside/ringside/config"
	"github.com/ringside/ringside/pbxsim"
)

// syncBuffer is a log sink shared by the server's goroutines and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// `ringside serve` hands trusted_proxies to the API: a sign-in through a
// listed proxy is counted (and logged) under the client's address from
// X-Forwarded-For, not the proxy's. The API's own tests cover the rule.
func TestServeTrustsConfiguredProxies_S1(t *testing.T) {
	sim := pbxsim.New(pbxsim.Options{Username: "ringside", Password: "pw", App: "ringside"})
	t.Cleanup(func() { _ = sim.Close() })
	ariURL, err := sim.ListenARI("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.Listen, cfg.Database = "127.0.0.1:0", filepath.Join(t.TempDir(), "r.db")
	cfg.ARI = config.ARI{URL: ariURL, Username: "ringside", Password: "pw", App: "ringside"}
	cfg.DialNumberTemplate = config.DefaultDialNumberTemplate(cfg.PBX)
	cfg.TrustedProxies = []string{"127.0.0.1"} // the test client plays the proxy
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	srv, err := Serve(context.Background(), cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)

	req, _ := http.NewRequest("POST", srv.URL+"/api/v1/auth/login", strings.NewReader(`{"login":"nobody@example.com","password":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", srv.URL)
	req.Header.Set("X-Forwarded-For", "198.51.100.1, 203.0.113.7")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("sign-in: %d, want 401", resp.StatusCode)
	}
	if out := logs.String(); !strings.Contains(out, `msg="sign-in refused" ip=203.0.113.7`) {
		t.Errorf("sign-in not attributed to the client behind the proxy:\n%s", out)
	}
}
