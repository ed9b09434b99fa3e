package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/ringside/ringside/ari"
	"github.com/ringside/ringside/pbxsim"
	"github.com/ringside/ringside/store"
)

// DemoOptions configures `ringside demo`.
type DemoOptions struct {
	DBPath         string // SQLite file; created and seeded when new
	Listen         string // HTTP address, e.g. 127.0.0.1:8080 (":0" style picks a port)
	AutoAnswer     bool   // simulated stations answer by themselves
	CallsPerMinute int    // generated customer traffic; 0: none
	RecordingsDir  string // where the simulated PBX writes recordings; "": a temporary directory
	Logger         *slog.Logger
}

// Demo is a running demo: the simulated PBX, spoken to through the real ARI
// client over loopback, and the controller with its desktop.
type Demo struct {
	*controller
	Sim    *pbxsim.Sim
	Seeded bool // the database was new and got the demo data

	stopTraffic chan struct{}
	trafficWG   sync.WaitGroup

	// What a controller needs to reach the simulated PBX, kept so a second
	// controller can take over the same PBX and database (restartController).
	ariURL, secret, listen string
	log                    *slog.Logger
}

// StartDemo starts everything; Close stops it.
func StartDemo(ctx context.Context, o DemoOptions) (*Demo, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.CallsPerMinute < 0 {
		return nil, fmt.Errorf("--calls-per-minute: %d must be 0 or more", o.CallsPerMinute)
	}
	db, err := store.Open(ctx, o.DBPath)
	if err != nil {
		return nil, err
	}
	seeded, err := Seed(ctx, db)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	// A fresh ARI password per run: the simulated PBX listens on loopback,
	// but nothing else should drive it.
	secret := randomHex(16)
	sim := pbxsim.New(pbxsim.Options{Username: "ringside", Password: secret, App: "ringside", AutoAnswer: o.AutoAnswer, RecordingsDir: o.RecordingsDir, Logger: o.Logger})
	ariURL, err := sim.ListenARI("127.0.0.1:0")
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	d := &Demo{Sim: sim, Seeded: seeded, stopTraffic: make(chan struct{}),
		ariURL: ariURL, secret: secret, listen: o.Listen, log: o.Logger}
	c, err := d.newController(ctx, db)
	if err != nil {
		_ = sim.Close()
		_ = db.Close()
		return nil, err
	}
	d.controller = c
	if o.CallsPerMinute > 0 {
		d.trafficWG.Add(1)
		go d.traffic(o.CallsPerMinute)
	}
	return d, nil
}

// newController starts a controller on the simulated PBX and db, exactly
// as production wires one: a real ARI client over loopback.
func (d *Demo) newController(ctx context.Context, db *store.DB) (*controller, error) {
	media, err := ari.New(ari.Options{URL: d.ariURL, Username: "ringside", Password: d.secret, Application: "ringside", Logger: d.log})
	if err != nil {
		return nil, err
	}
	return startController(ctx, controllerOptions{
		DB: db, Media: media, Listen: d.listen, DialNumberTemplate: "PJSIP/{number}@trunk",
		Sim: simulator{d.Sim}, Logger: d.log,
	})
}

// restartController stops the controller the way a crash would look to
// the PBX and the database (no sign-outs, no hang-ups: the calls stay up on
// the simulated PBX and the rows stay open) and starts a new one on the
// same PBX and database, which must pick everything up again (P5). The
// desktop moves to the new controller's URL.
func (d *Demo) restartController(ctx context.Context) error {
	d.controller.Close()
	c, err := d.newController(ctx, d.DB)
	if err != nil {
		return err
	}
	d.controller = c
	return nil
}

// Close stops the traffic, the controller, the simulated PBX and the database.
func (d *Demo) Close() {
	close(d.stopTraffic)
	d.trafficWG.Wait()
	d.controller.Close()
	_ = d.Sim.Close()
	_ = d.DB.Close()
}

// traffic places customer calls at random intervals averaging perMinute.
func (d *Demo) traffic(perMinute int) {
	defer d.trafficWG.Done()
	queues := []string{"support", "sales"}
	mean := time.Minute / time.Duration(perMinute)
	for n := 1; ; n++ {
		wait := mean/2 + time.Duration(randN(int64(mean)))
		select {
		case <-d.stopTraffic:
			return
		case <-time.After(wait):
		}
		q := queues[randN(int64(len(queues)))]
		vars := map[string]string{
			"customer_name": fmt.Sprintf("Customer %d", n),
			"account":       fmt.Sprintf("AC-%05d", randN(100000)),
			"reason":        "General enquiry",
			"card_last4":    fmt.Sprintf("%04d", randN(10000)),
		}
		if _, err := d.Sim.PlaceCall(q, fmt.Sprintf("+1555%07d", randN(10000000)), vars); err != nil {
			d.log.Warn("generated call failed", "err", err)
		}
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func randN(n int64) int64 {
	v, err := rand.Int(rand.Reader, big.NewInt(n))
	if err != nil {
		return 0
	}
	return v.Int64()
}
