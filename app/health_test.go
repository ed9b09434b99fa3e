package app

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// flakyDB fails its pings while down is set.
type flakyDB struct {
	mu   sync.Mutex
	down bool
}

func (f *flakyDB) set(down bool) { f.mu.Lock(); f.down = down; f.mu.Unlock() }
func (f *flakyDB) Ping(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.down {
		return errors.New("database is locked")
	}
	return nil
}

// reports records what probes tell the orchestrator.
type reports struct {
	mu   sync.Mutex
	got  map[orchestrator.Part]error
	n    int
	link bool
}

func (r *reports) ReportHealth(p orchestrator.Part, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.got == nil {
		r.got = map[orchestrator.Part]error{}
	}
	r.got[p] = err
	r.n++
}
func (r *reports) PBXLinkUp() bool { return r.link }

// last returns how many reports came so far and the latest for p.
func (r *reports) last(p orchestrator.Part) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n, r.got[p]
}

// S9: the database probe reports every ping, down and back, until stopped.
func TestDatabaseProbeReports_S9(t *testing.T) {
	db, r := &flakyDB{}, &reports{link: true}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { watchDatabase(ctx, db, r, 5*time.Millisecond); close(done) }()

	db.set(true)
	waitFor(t, "database reported down", func() bool { _, err := r.last(orchestrator.PartDatabase); return err != nil })
	db.set(false)
	waitFor(t, "database reported back", func() bool { _, err := r.last(orchestrator.PartDatabase); return err == nil })
	cancel()
	<-done
	n, _ := r.last(orchestrator.PartDatabase)
	time.Sleep(20 * time.Millisecond)
	if m, _ := r.last(orchestrator.PartDatabase); m != n {
		t.Fatalf("the probe went on after it was stopped (%d → %d reports)", n, m)
	}
}

// /readyz answers from the same health as the banner: its database ping is
// reported too, and the PBX link is the orchestrator's.
func TestReadinessMatchesBanner_S9(t *testing.T) {
	db, r := &flakyDB{down: true}, &reports{link: false}
	failing := readiness(db, r, 0)(context.Background())
	if failing["database"] == nil || failing["pbx"] == nil || len(failing) != 2 {
		t.Fatalf("readiness with both down: %v", failing)
	}
	if _, err := r.last(orchestrator.PartDatabase); err == nil {
		t.Fatal("readiness did not report the failed ping to the orchestrator")
	}
	db.set(false)
	r.link = true
	if failing := readiness(db, r, 0)(context.Background()); len(failing) != 0 {
		t.Fatalf("readiness with all up: %v", failing)
	}
	if _, err := r.last(orchestrator.PartDatabase); err != nil {
		t.Fatalf("readiness did not report the database back: %v", err)
	}
}

// /readyz is open to anyone and its ping writes: callers within the
// interval share one ping instead of each queueing a write.
func TestReadinessSharesOnePing_S9(t *testing.T) {
	db, r := &countingDB{}, &reports{link: true}
	ready := readiness(db, r, time.Hour)
	for i := 0; i < 50; i++ {
		if failing := ready(context.Background()); len(failing) != 0 {
			t.Fatalf("readiness: %v", failing)
		}
	}
	if n := db.pings.Load(); n != 1 {
		t.Fatalf("50 readiness checks pinged the database %d times, want 1", n)
	}
}

type countingDB struct{ pings atomic.Int64 }

func (c *countingDB) Ping(context.Context) error { c.pings.Add(1); return nil }
