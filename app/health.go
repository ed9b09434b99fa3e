package app

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// Database probe timing (S9); variables so tests can shorten them.
var (
	dbProbePeriod  = 3 * time.Second // how soon a database outage (and its end) reaches the desktops
	dbProbeTimeout = 2 * time.Second // a ping slower than this counts as down
	// readyPingInterval: /readyz pings the database at most this often;
	// callers in between get the last result.
	readyPingInterval = time.Second
)

// pinger is the part of the store the probe needs.
type pinger interface {
	Ping(ctx context.Context) error
}

// healthReporter is where probes send what they find: the orchestrator,
// which turns changes into the desktops' banner.
type healthReporter interface {
	ReportHealth(part orchestrator.Part, err error)
}

// watchDatabase pings db every period until ctx ends and reports each
// result. Nothing else notices a database outage while no one writes, so
// without it the banner would never show (S9). The orchestrator keeps only
// changes, so reporting every ping costs nothing downstream.
func watchDatabase(ctx context.Context, db pinger, to healthReporter, period time.Duration) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			err := pingDatabase(ctx, db)
			if ctx.Err() != nil {
				return // stopping: a cut-short ping is no outage
			}
			to.ReportHealth(orchestrator.PartDatabase, err)
		}
	}
}

func pingDatabase(ctx context.Context, db pinger) error {
	ctx, cancel := context.WithTimeout(ctx, dbProbeTimeout)
	defer cancel()
	return db.Ping(ctx)
}

// readiness is /readyz: the same health the desktops' banner shows. The
// database is pinged now, and the result reported, so a readiness check
// never disagrees with the banner for longer than it takes to answer; the
// PBX link is what the orchestrator last heard from the adapter.
//
// The ping writes (store.DB.Ping), and /readyz is open to anyone, so one
// ping serves every caller within minInterval: a client hammering /readyz
// cannot queue writes ahead of the calls' history.
func readiness(db pinger, orch interface {
	healthReporter
	PBXLinkUp() bool
}, minInterval time.Duration) func(ctx context.Context) map[string]error {
	var (
		mu     sync.Mutex
		last   time.Time
		lastDB error
	)
	return func(ctx context.Context) map[string]error {
		failing := map[string]error{}
		mu.Lock()
		err := lastDB
		if last.IsZero() || time.Since(last) >= minInterval {
			err = pingDatabase(ctx, db)
			if ctx.Err() == nil {
				// A ping cut short because the caller went away says
				// nothing about the database: neither kept nor reported.
				last, lastDB = time.Now(), err
				orch.ReportHealth(orchestrator.PartDatabase, err)
			}
		}
		mu.Unlock()
		if err != nil {
			failing[string(orchestrator.PartDatabase)] = err
		}
		if !orch.PBXLinkUp() {
			failing[string(orchestrator.PartPBX)] = errors.New("PBX link down")
		}
		return failing
	}
}
