package app

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/ringside/ringside/config"
	"github.com/ringside/ringside/pbxsim"
)

// P4, S9: `ringside serve` started before Asterisk (boot order, an
// Asterisk restart) comes up with the telephony banner instead of exiting,
// and connects once Asterisk answers, with no restart of Ringside.
func TestServeStartsWithAsteriskDown_P4_S9(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there until the simulated Asterisk starts

	cfg := config.Defaults()
	cfg.Listen, cfg.Database = "127.0.0.1:0", filepath.Join(t.TempDir(), "r.db")
	cfg.ARI = config.ARI{URL: "http://" + addr + "/ari", Username: "ringside", Password: "pw", App: "ringside"}
	cfg.DialNumberTemplate = config.DefaultDialNumberTemplate(cfg.PBX)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, err := Serve(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("serve with Asterisk down: %v", err)
	}
	t.Cleanup(srv.Close)

	ready := func() (int, string) {
		resp, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body struct {
			Down []struct{ Part string } `json:"down"`
		}
		_ = json.NewDecoder(resp.Body).Decode(&body)
		down := ""
		for _, d := range body.Down {
			down += d.Part + " "
		}
		return resp.StatusCode, down
	}
	waitFor(t, "the telephony banner while Asterisk is down", func() bool {
		code, down := ready()
		return code == http.StatusServiceUnavailable && down == "pbx "
	})

	sim := pbxsim.New(pbxsim.Options{Username: "ringside", Password: "pw", App: "ringside", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	t.Cleanup(func() { _ = sim.Close() })
	if _, err := sim.ListenARI(addr); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, down := ready()
		if code == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still not ready after Asterisk came up: %d %s", code, down)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
