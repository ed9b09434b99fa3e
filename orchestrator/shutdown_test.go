package orchestrator

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// runBare runs an orchestrator on empty fakes; cancel stops it, stopped is
// closed when its loop has ended.
func runBare(t *testing.T) (o *Orchestrator, cancel context.CancelFunc, stopped chan struct{}) {
	t.Helper()
	o, err := New(Config{Media: newFakeMedia(), Store: newFakeStore(), Clock: newFakeClock()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped = make(chan struct{})
	go func() {
		_ = o.Run(ctx)
		close(stopped)
	}()
	if err := o.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return o, cancel, stopped
}

// A stopping controller lets the PBX commands under way finish before its
// loop ends (the app closes the adapter only after), so a restart does not
// leave a call half-way through a sequence: with a consult set up only in
// part, the new controller's recovery would race the old one's last steps.
func TestStopFinishesPBXWork_P5(t *testing.T) {
	o, cancel, stopped := runBare(t)

	gate := make(chan struct{})
	var finished atomic.Bool
	var q serial
	o.queueMedia(&q, func() { <-gate })
	o.queueMedia(&q, func() { finished.Store(true) }) // queued behind: runs too
	cancel()
	select {
	case <-stopped:
		t.Fatal("the loop ended with a PBX command still under way")
	case <-time.After(100 * time.Millisecond):
	}
	close(gate)
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the loop did not end once the PBX commands were done")
	}
	if !finished.Load() {
		t.Fatal("the loop ended before the queued PBX command ran")
	}
}

// The wait is bounded: a PBX that never answers does not hold a stopping
// controller for ever.
func TestStopPBXWorkIsBounded(t *testing.T) {
	o, err := New(Config{Media: newFakeMedia(), Store: newFakeStore(), Clock: newFakeClock()})
	if err != nil {
		t.Fatal(err)
	}
	gate := make(chan struct{})
	defer close(gate)
	var q serial
	o.queueMedia(&q, func() { <-gate })
	start := time.Now()
	o.finishPBXWork(50 * time.Millisecond)
	if waited := time.Since(start); waited < 50*time.Millisecond || waited > 5*time.Second {
		t.Fatalf("waited %v for a command that never ends, want about 50ms", waited)
	}
}

// A command sent while the controller is stopping is refused at once
// rather than left in the loop's queue until the PBX work is done.
func TestCommandWhileStopping(t *testing.T) {
	o, cancel, stopped := runBare(t)
	gate := make(chan struct{})
	var q serial
	o.queueMedia(&q, func() { <-gate }) // holds the stop in its grace
	cancel()
	<-o.stopping
	answered := make(chan error, 1)
	go func() { answered <- o.Sync(context.Background()) }()
	select {
	case err := <-answered:
		if ErrorCode(err) != CodeUnavailable {
			t.Fatalf("a command while stopping: %v, want the shutting-down error", err)
		}
	case <-time.After(shutdownGrace / 2):
		t.Fatal("a command while stopping waited for the PBX work under way")
	}
	close(gate)
	<-stopped
}
