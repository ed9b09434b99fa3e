package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/config"
	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/pbxsim"
)

// P6, A5 over the real stack: a queue's music class round-trips through
// the admin API and SQLite; a class Asterisk could not take is refused
// with 422 naming music_class and nothing changes; a PUT must carry it
// (400 naming it), and "" puts the queue back on the configured default.
func TestAdminAPIQueueMusicClassOnStore_P6_A5(t *testing.T) {
	d := startDemo(t)
	ctx := context.Background()
	c := apiLogin(t, d, "admin@demo.local")
	put := func(id int64, class any) (int, map[string]any) {
		body := map[string]any{"name": "vip", "priority": 0, "ring_time": 20, "wrapup_time": 0, "recording": false,
			"privacy_shield": 0, "allow_end_wrapup_early": false}
		if class != nil {
			body["music_class"] = class
		}
		return c.call("PUT", fmt.Sprintf("/api/v1/admin/queues/%d", id), body)
	}
	stored := func(id int64) string {
		t.Helper()
		q, err := d.DB.Queue(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return q.MusicClass
	}

	out := c.must("POST", "/api/v1/admin/queues", map[string]any{"name": "vip", "ring_time": 20, "music_class": "ringside"}, http.StatusCreated)
	q := out["queue"].(map[string]any)
	id := int64(q["id"].(float64))
	if q["music_class"] != "ringside" || stored(id) != "ringside" {
		t.Fatalf("created %v, stored %q; want music_class ringside", q, stored(id))
	}

	for _, bad := range []string{"on hold", "moh/vip", strings.Repeat("m", 81)} {
		status, body := put(id, bad)
		e, _ := body["error"].(map[string]any)
		if msg, _ := e["message"].(string); status != http.StatusUnprocessableEntity || e["code"] != "invalid" || !strings.Contains(msg, "music_class:") {
			t.Errorf("PUT music_class %q: %d %v, want 422 naming music_class", bad, status, body)
		}
	}
	status, body := put(id, nil)
	if e, _ := body["error"].(map[string]any); status != http.StatusBadRequest || !strings.Contains(fmt.Sprint(e["message"]), "music_class: missing") {
		t.Errorf("PUT without music_class: %d %v, want 400 naming it", status, body)
	}
	if stored(id) != "ringside" {
		t.Fatalf("a refused update changed the class to %q", stored(id))
	}
	if status, body := c.call("POST", "/api/v1/admin/queues", map[string]any{"name": "vip2", "ring_time": 20, "music_class": "a b"}); status != http.StatusUnprocessableEntity {
		t.Errorf("POST with a bad class: %d %v", status, body)
	}
	if _, err := d.DB.QueueByName(ctx, "vip2"); orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
		t.Errorf("a refused queue was stored: %v", err)
	}

	if status, body := put(id, "vip_hold-2"); status != http.StatusOK || stored(id) != "vip_hold-2" {
		t.Fatalf("PUT vip_hold-2: %d %v, stored %q", status, body, stored(id))
	}
	list := c.must("GET", "/api/v1/admin/queues", nil, http.StatusOK)
	classes := map[string]any{}
	for _, q := range list["queues"].([]any) {
		m := q.(map[string]any)
		classes[m["name"].(string)] = m["music_class"]
	}
	if classes["vip"] != "vip_hold-2" || classes["support"] != "" {
		t.Errorf("listed classes %v", classes)
	}
	if status, body := put(id, ""); status != http.StatusOK || stored(id) != "" {
		t.Fatalf("PUT \"\": %d %v, stored %q", status, body, stored(id))
	}
}

// A5 through `ringside serve`: a caller waiting in a queue that names no
// class hears the configured music_class, one in a queue with its own
// class hears that one — not Asterisk's "default", which this simulated
// Asterisk, like many installs, does not have.
func TestServeMusicClassFromConfigAndQueue_A5(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	sim := pbxsim.New(pbxsim.Options{Username: "ringside", Password: "pw", App: "ringside", Logger: quiet,
		MusicClasses: []string{"ringside", "vip-moh"}})
	t.Cleanup(func() { _ = sim.Close() })
	if _, err := sim.ListenARI(addr); err != nil {
		t.Fatal(err)
	}

	cfg := config.Defaults()
	cfg.Listen, cfg.Database = "127.0.0.1:0", filepath.Join(t.TempDir(), "r.db")
	cfg.ARI = config.ARI{URL: "http://" + addr + "/ari", Username: "ringside", Password: "pw", App: "ringside"}
	cfg.DialNumberTemplate = config.DefaultDialNumberTemplate(cfg.PBX)
	cfg.MusicClass = "ringside"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	srv, err := Serve(context.Background(), cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	ctx := context.Background()
	for _, q := range []orchestrator.Queue{
		{Name: "sales", RingTime: 20 * time.Second},
		{Name: "vip", RingTime: 20 * time.Second, MusicClass: "vip-moh"},
		{Name: "gold", RingTime: 20 * time.Second, MusicClass: "not-on-this-pbx"},
	} {
		if _, err := srv.DB.AddQueue(ctx, q); err != nil {
			t.Fatal(err)
		}
	}

	for queue, want := range map[string]string{"sales": "ringside", "vip": "vip-moh"} {
		leg, err := sim.PlaceCall(queue, "+15550001234", nil)
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, fmt.Sprintf("the caller waiting in %s to hear class %s", queue, want), func() bool {
			class, ok := sim.MusicClass(leg)
			return ok && class == want
		})
	}

	// A class the PBX does not have plays silence (Asterisk answers 204
	// and only logs it): the caller is held, apart, and hears nothing —
	// why docs/asterisk.md says to make the class.
	leg, err := sim.PlaceCall("gold", "+15550001235", nil)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the gold caller in a holding bridge", func() bool {
		l, ok := sim.Leg(leg)
		return ok && strings.HasPrefix(l.Room, "hold-")
	})
	if music, err := sim.HearsMusic(leg); err != nil || music {
		t.Errorf("a caller held on a class the PBX lacks hears music: %v %v", music, err)
	}
}
