package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/pbxsim"
)

// startDemo runs the whole demo stack on a temporary database and a free
// loopback port.
func startDemo(t *testing.T) *Demo {
	t.Helper()
	d, err := StartDemo(context.Background(), DemoOptions{
		DBPath: filepath.Join(t.TempDir(), "demo.db"), Listen: "127.0.0.1:0",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	return d
}

// userID looks a demo user up by login.
func userID(t *testing.T, d *Demo, login string) int64 {
	t.Helper()
	u, err := d.DB.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// setRingTime shortens a queue's ring time so RONA tests stay fast.
func setRingTime(t *testing.T, d *Demo, queue string, ring time.Duration) {
	t.Helper()
	ctx := context.Background()
	q, err := d.DB.QueueByName(ctx, queue)
	if err != nil {
		t.Fatal(err)
	}
	q.RingTime = ring
	if _, err := d.DB.UpdateQueue(ctx, q); err != nil {
		t.Fatal(err)
	}
}

// placeCall posts to the demo's /api/v1/sim/calls, as the customer panel does.
func placeCall(t *testing.T, d *Demo, queue, caller string, vars map[string]string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"queue": queue, "caller": caller, "variables": vars})
	resp, err := http.Post(d.URL+"/api/v1/sim/calls", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		LegID string `json:"leg_id"`
	}
	if resp.StatusCode != http.StatusCreated {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("place call: %d %s", resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out.LegID
}

// waitAgent polls the orchestrator until cond holds for the user's view.
func waitAgent(t *testing.T, d *Demo, userID int64, what string, cond func(*orchestrator.AgentView) bool) *orchestrator.AgentView {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		v, err := d.Orch.Agent(context.Background(), userID)
		if err != nil {
			t.Fatal(err)
		}
		if v != nil && cond(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("agent %d never %s; last %+v", userID, what, v)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitFor polls cond for up to ten seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("never happened: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// ringingLeg waits for a ringing leg on endpoint and returns its id.
func ringingLeg(t *testing.T, d *Demo, endpoint string) string {
	t.Helper()
	var id string
	waitFor(t, endpoint+" rings", func() bool {
		for _, l := range d.Sim.Legs() {
			if l.Endpoint == endpoint && l.State == pbxsim.LegRinging && !l.Inbound {
				id = l.ID
				return true
			}
		}
		return false
	})
	return id
}
