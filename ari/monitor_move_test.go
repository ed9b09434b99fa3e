package ari

import (
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// M5.4, M4: after a blind transfer the old target is gone (its snoop died
// with it) and the new agent talks to the customer; MoveMonitor puts a
// barge on the new agent: all three hear each other, on the supervisor's
// same leg and monitor bridge.
func TestMonitorMoveAfterTargetGone_M5_4(t *testing.T) {
	r := newRig(t)
	cust := monitoredCall(r)
	c := string(cust)
	ctx := r.ctx()
	r.must(r.a.Monitor(ctx, "m1", "sup-1", "agent-1", orchestrator.MonitorBarge))
	r.must(r.a.Hangup(ctx, "agent-1", orchestrator.CauseNormal))
	r.expect(orchestrator.MediaHungUp, "agent-1")
	r.agent("agent-2")
	r.must(r.a.Join(ctx, "room-1", "agent-2"))

	r.must(r.a.MoveMonitor(ctx, "m1", "agent-2"))
	legs := []orchestrator.LegID{cust, "agent-2", "sup-1"}
	r.heard(legs, c+">agent-2", "agent-2>"+c, c+">sup-1", "agent-2>sup-1", "sup-1>agent-2", "sup-1>"+c)
	if got := r.sim.Snoops(); len(got) != 1 || got[0] != "m1-snoop-2" {
		t.Errorf("snoops after the move: %v", got)
	}
	if got := r.monitorBridges(); len(got) != 1 || got[0] != "mon-m1" {
		t.Errorf("monitor bridges: %v", got)
	}
	// Later commands act on the new snoop.
	r.must(r.a.SetMonitorMode(ctx, "m1", orchestrator.MonitorListen))
	r.heard(legs, c+">agent-2", "agent-2>"+c, c+">sup-1", "agent-2>sup-1")
	r.must(r.a.StopMonitor(ctx, "m1"))
	if got, snoops := r.monitorBridges(), r.sim.Snoops(); len(got) != 0 || len(snoops) != 0 {
		t.Errorf("after stop: bridges %v, snoops %v", got, snoops)
	}
	r.quiet(100 * time.Millisecond) // snoops come and go unreported
}

// M3, M5.4: a paused monitor stays paused on the new target, and resumes
// there.
func TestMonitorMoveKeepsPause_M3_M5_4(t *testing.T) {
	r := newRig(t)
	cust := monitoredCall(r)
	c := string(cust)
	ctx := r.ctx()
	r.agent("agent-2")
	r.must(r.a.Monitor(ctx, "m1", "sup-1", "agent-1", orchestrator.MonitorListen))
	r.must(r.a.PauseMonitor(ctx, "m1"))
	r.must(r.a.Join(ctx, "room-1", "agent-2"))
	r.must(r.a.Leave(ctx, "room-1", "agent-1"))

	r.must(r.a.MoveMonitor(ctx, "m1", "agent-2"))
	legs := []orchestrator.LegID{cust, "agent-2", "sup-1"}
	r.heard(legs, c+">agent-2", "agent-2>"+c)
	r.must(r.a.ResumeMonitor(ctx, "m1"))
	r.heard(legs, c+">agent-2", "agent-2>"+c, c+">sup-1", "agent-2>sup-1")
	if r.hears("agent-1", "sup-1") {
		t.Error("the supervisor still hears the old agent")
	}
	r.quiet(100 * time.Millisecond)
}

// Make-before-break: moving between two agents who are both on the call,
// the supervisor hears the customer after every ARI request, and the
// steps are new snoop, into the bridge, old snoop hung up.
func TestMonitorMoveHasNoGap_M5_4(t *testing.T) {
	r, p := newProbedRig(t)
	cust := monitoredCall(r)
	ctx := r.ctx()
	r.agent("agent-2")
	r.must(r.a.Join(ctx, "room-1", "agent-2"))
	r.must(r.a.Monitor(ctx, "m1", "sup-1", "agent-1", orchestrator.MonitorListen))
	p.start(func() bool {
		ok, err := r.sim.Hears(string(cust), "sup-1")
		return err == nil && ok
	})
	r.must(r.a.MoveMonitor(ctx, "m1", "agent-2"))
	trace, fails := p.stop()
	if len(fails) > 0 {
		t.Errorf("the supervisor stopped hearing after %v (trace %v)", fails, trace)
	}
	if len(trace) != 3 || !strings.Contains(trace[0], "/channels/agent-2/snoop/") ||
		!strings.HasSuffix(trace[1], "/addChannel") || trace[2] != "DELETE /channels/m1-snoop-1" {
		t.Errorf("requests %v", trace)
	}
}

func TestMonitorMoveErrors_M5_4(t *testing.T) {
	r := newRig(t)
	cust := monitoredCall(r)
	ctx := r.ctx()
	code := orchestrator.ErrorCode
	if err := r.a.MoveMonitor(ctx, "m9", "agent-1"); code(err) != orchestrator.CodeNotFound {
		t.Errorf("unknown monitor: %v", err)
	}
	r.must(r.a.Monitor(ctx, "m1", "sup-1", "agent-1", orchestrator.MonitorListen))
	if err := r.a.MoveMonitor(ctx, "m1", ""); code(err) != orchestrator.CodeInvalid {
		t.Errorf("no target: %v", err)
	}
	// An unknown target: refused, and the monitor goes on as it was.
	if err := r.a.MoveMonitor(ctx, "m1", "nobody"); code(err) != orchestrator.CodeNotFound {
		t.Errorf("unknown target: %v", err)
	}
	if !r.hears(cust, "sup-1") || !r.hears("agent-1", "sup-1") {
		t.Error("a failed move broke the monitoring")
	}
	// Moving to the current target changes nothing.
	r.must(r.a.MoveMonitor(ctx, "m1", "agent-1"))
	if got := r.sim.Snoops(); len(got) != 1 || got[0] != "m1-snoop-1" {
		t.Errorf("snoops: %v", got)
	}
	r.must(r.a.PauseMonitor(ctx, "m1")) // still acts on the old snoop
	if r.hears(cust, "sup-1") {
		t.Error("pause after a failed move did not reach the snoop")
	}
	r.quiet(100 * time.Millisecond)
}
