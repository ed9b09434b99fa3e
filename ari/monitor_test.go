package ari

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/pbxsim"
)

// probe runs check after every ARI request that changes something, while
// on, and keeps a trace: it sees the PBX between the adapter's requests.
type probe struct {
	mu    sync.Mutex
	on    bool
	check func() bool
	trace []string
	fails []string
}

func (p *probe) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r)
		if r.Method == http.MethodGet {
			return
		}
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.on {
			return
		}
		step := r.Method + " " + strings.TrimPrefix(r.URL.Path, "/ari")
		p.trace = append(p.trace, step)
		if !p.check() {
			p.fails = append(p.fails, step)
		}
	})
}

func (p *probe) start(check func() bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.on, p.check, p.trace, p.fails = true, check, nil, nil
}

func (p *probe) stop() (trace, fails []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.on = false
	return p.trace, p.fails
}

// newProbedRig is newRig with the ARI server behind a probe.
func newProbedRig(t *testing.T) (*rig, *probe) {
	t.Helper()
	sim := pbxsim.New(pbxsim.Options{Logger: quietLog()})
	p := &probe{}
	srv := httptest.NewServer(p.wrap(sim.Handler()))
	url := srv.URL + "/ari"
	a := startAdapter(t, url)
	t.Cleanup(func() {
		_ = a.Close()
		_ = sim.Close()
		srv.CloseClientConnections()
		srv.Close()
	})
	r := &rig{t: t, sim: sim, a: a, url: url}
	r.expect(orchestrator.MediaLinkUp)
	return r, p
}

// monitoredCall: a customer talking to agent-1 in room-1, and an answered
// supervisor leg sup-1 in no room.
func monitoredCall(r *rig) orchestrator.LegID {
	r.t.Helper()
	cust := r.customer()
	r.agent("agent-1")
	r.agent("sup-1")
	ctx := r.ctx()
	r.must(r.a.NewRoom(ctx, "room-1"))
	r.must(r.a.Join(ctx, "room-1", cust))
	r.must(r.a.Join(ctx, "room-1", "agent-1"))
	return cust
}

// heard asserts exactly who hears whom among the legs: want lists the
// pairs "from>to" that hear, every other pair must not.
func (r *rig) heard(legs []orchestrator.LegID, want ...string) {
	r.t.Helper()
	ok := map[string]bool{}
	for _, w := range want {
		ok[w] = true
	}
	for _, from := range legs {
		for _, to := range legs {
			if from == to {
				continue
			}
			pair := string(from) + ">" + string(to)
			if got := r.hears(from, to); got != ok[pair] {
				r.t.Errorf("%s hears %s: %v, want %v", to, from, got, ok[pair])
			}
		}
	}
}

func (r *rig) monitorBridges() []string {
	var ids []string
	for _, b := range r.bridges() {
		if strings.HasPrefix(b.ID, "mon-") {
			ids = append(ids, b.ID)
		}
	}
	return ids
}

// M2, M3: listen (the supervisor hears both sides, nobody hears the
// supervisor), pause (the supervisor hears nothing), resume, stop (no
// snoop, no monitor bridge; the supervisor's leg stays up). The snoop legs
// are never reported as calls or hang-ups.
func TestMonitorListenPauseResumeStop(t *testing.T) {
	r := newRig(t)
	cust := monitoredCall(r)
	legs := []orchestrator.LegID{cust, "agent-1", "sup-1"}
	call := []string{string(cust) + ">agent-1", "agent-1>" + string(cust)}
	listen := append([]string{string(cust) + ">sup-1", "agent-1>sup-1"}, call...)
	ctx := r.ctx()

	r.must(r.a.Monitor(ctx, "m1", "sup-1", "agent-1", orchestrator.MonitorListen))
	r.heard(legs, listen...)
	if got := r.sim.Snoops(); len(got) != 1 || got[0] != "m1-snoop-1" {
		t.Errorf("snoops %v", got)
	}

	r.must(r.a.PauseMonitor(ctx, "m1"))
	r.heard(legs, call...)
	r.must(r.a.ResumeMonitor(ctx, "m1"))
	r.heard(legs, listen...)

	r.must(r.a.StopMonitor(ctx, "m1"))
	r.heard(legs, call...)
	if got := r.sim.Snoops(); len(got) != 0 {
		t.Errorf("snoops left: %v", got)
	}
	if got := r.monitorBridges(); len(got) != 0 {
		t.Errorf("monitor bridges left: %v", got)
	}
	if r.legState("sup-1") != pbxsim.LegUp {
		t.Errorf("supervisor leg %s", r.legState("sup-1"))
	}
	r.quiet(100 * time.Millisecond) // snoops come and go unreported
	if err := r.a.PauseMonitor(ctx, "m1"); orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
		t.Errorf("pause after stop: %v", err)
	}
}

// M7 and M4: whisper (the agent alone hears the supervisor), barge (all
// three hear each other), back to listen; pause carries across a mode
// change.
func TestMonitorWhisperBargeAndPause(t *testing.T) {
	r := newRig(t)
	cust := monitoredCall(r)
	c := string(cust)
	legs := []orchestrator.LegID{cust, "agent-1", "sup-1"}
	ctx := r.ctx()
	base := []string{c + ">agent-1", "agent-1>" + c, c + ">sup-1", "agent-1>sup-1"}

	r.must(r.a.Monitor(ctx, "m1", "sup-1", "agent-1", orchestrator.MonitorWhisper))
	r.heard(legs, append(base, "sup-1>agent-1")...)

	r.must(r.a.SetMonitorMode(ctx, "m1", orchestrator.MonitorBarge))
	r.heard(legs, append(base, "sup-1>agent-1", "sup-1>"+c)...)
	if got := r.sim.Snoops(); len(got) != 1 || got[0] != "m1-snoop-2" {
		t.Errorf("snoops after the change: %v", got)
	}

	r.must(r.a.SetMonitorMode(ctx, "m1", orchestrator.MonitorListen))
	r.heard(legs, base...)

	// Paused, then whisper: the supervisor is out of the call both ways
	// (M3), whatever the mode; resume restores whisper.
	r.must(r.a.PauseMonitor(ctx, "m1"))
	r.must(r.a.SetMonitorMode(ctx, "m1", orchestrator.MonitorWhisper))
	r.heard(legs, c+">agent-1", "agent-1>"+c)
	r.must(r.a.ResumeMonitor(ctx, "m1"))
	r.heard(legs, append(base, "sup-1>agent-1")...)

	r.must(r.a.StopMonitor(ctx, "m1"))
	r.heard(legs, c+">agent-1", "agent-1>"+c)
	if got := r.sim.Snoops(); len(got) != 0 {
		t.Errorf("snoops left: %v", got)
	}
	r.quiet(100 * time.Millisecond)
}

// M3: pausing a barge takes the supervisor out of the call both ways: they
// hear nothing and nobody hears them (muting the snoop alone still let the
// call hear the supervisor on Asterisk 23.4.1). Resume restores the barge.
func TestMonitorPausedBargeIsSilentBothWays_M3(t *testing.T) {
	r := newRig(t)
	cust := monitoredCall(r)
	c := string(cust)
	legs := []orchestrator.LegID{cust, "agent-1", "sup-1"}
	ctx := r.ctx()
	talk := []string{c + ">agent-1", "agent-1>" + c}
	barge := append(append([]string{}, talk...), c+">sup-1", "agent-1>sup-1", "sup-1>agent-1", "sup-1>"+c)

	r.must(r.a.Monitor(ctx, "m1", "sup-1", "agent-1", orchestrator.MonitorListen))
	r.must(r.a.SetMonitorMode(ctx, "m1", orchestrator.MonitorBarge))
	r.heard(legs, barge...)
	r.must(r.a.PauseMonitor(ctx, "m1"))
	r.heard(legs, talk...)
	r.must(r.a.ResumeMonitor(ctx, "m1"))
	r.heard(legs, barge...)
}

// Make-before-break: after every ARI request of a mode change the
// supervisor hears the agent and the customer.
func TestMonitorModeChangeHasNoGap(t *testing.T) {
	r, p := newProbedRig(t)
	cust := monitoredCall(r)
	ctx := r.ctx()
	r.must(r.a.Monitor(ctx, "m1", "sup-1", "agent-1", orchestrator.MonitorListen))
	hearing := func() bool {
		a, err1 := r.sim.Hears("agent-1", "sup-1")
		c, err2 := r.sim.Hears(string(cust), "sup-1")
		return err1 == nil && err2 == nil && a && c
	}
	for _, mode := range []orchestrator.MonitorMode{orchestrator.MonitorWhisper, orchestrator.MonitorBarge, orchestrator.MonitorListen} {
		p.start(hearing)
		r.must(r.a.SetMonitorMode(ctx, "m1", mode))
		trace, fails := p.stop()
		if len(fails) > 0 {
			t.Errorf("to %s: the supervisor stopped hearing after %v (trace %v)", mode, fails, trace)
		}
		// The steps: new snoop, into the bridge, old snoop hung up.
		if len(trace) != 3 || !strings.Contains(trace[0], "/snoop/") ||
			!strings.HasSuffix(trace[1], "/addChannel") || !strings.HasPrefix(trace[2], "DELETE /channels/") {
			t.Errorf("to %s: requests %v", mode, trace)
		}
	}
}

// The agent hangs up: its snoop goes with it, only the agent's hang-up is
// reported, and StopMonitor still cleans the bridge up.
func TestMonitorTargetHangsUp(t *testing.T) {
	r := newRig(t)
	monitoredCall(r)
	ctx := r.ctx()
	r.must(r.a.Monitor(ctx, "m1", "sup-1", "agent-1", orchestrator.MonitorBarge))
	r.must(r.sim.Hangup("agent-1"))
	r.expect(orchestrator.MediaHungUp, "agent-1")
	r.quiet(100 * time.Millisecond)
	if got := r.sim.Snoops(); len(got) != 0 {
		t.Errorf("snoops left: %v", got)
	}
	r.must(r.a.StopMonitor(ctx, "m1"))
	if got := r.monitorBridges(); len(got) != 0 {
		t.Errorf("monitor bridges left: %v", got)
	}
}

func TestMonitorErrors(t *testing.T) {
	r := newRig(t)
	monitoredCall(r)
	ctx := r.ctx()
	code := orchestrator.ErrorCode
	if err := r.a.Monitor(ctx, "m1", "sup-1", "nobody", orchestrator.MonitorListen); code(err) != orchestrator.CodeNotFound {
		t.Errorf("unknown target: %v", err)
	}
	if err := r.a.Monitor(ctx, "m1", "nobody", "agent-1", orchestrator.MonitorListen); code(err) != orchestrator.CodeNotFound {
		t.Errorf("unknown supervisor leg: %v", err)
	}
	if got, snoops := r.monitorBridges(), r.sim.Snoops(); len(got) != 0 || len(snoops) != 0 {
		t.Errorf("a failed Monitor left bridges %v, snoops %v", got, snoops)
	}
	if err := r.a.Monitor(ctx, "m1", "sup-1", "agent-1", "shout"); code(err) != orchestrator.CodeInvalid {
		t.Errorf("bad mode: %v", err)
	}
	for name, err := range map[string]error{
		"mode":   r.a.SetMonitorMode(ctx, "m9", orchestrator.MonitorBarge),
		"pause":  r.a.PauseMonitor(ctx, "m9"),
		"resume": r.a.ResumeMonitor(ctx, "m9"),
		"stop":   r.a.StopMonitor(ctx, "m9"),
	} {
		if code(err) != orchestrator.CodeNotFound {
			t.Errorf("%s of an unknown monitor: %v", name, err)
		}
	}
	r.must(r.a.Monitor(ctx, "m1", "sup-1", "agent-1", orchestrator.MonitorListen))
	if err := r.a.Monitor(ctx, "m1", "sup-1", "agent-1", orchestrator.MonitorListen); code(err) != orchestrator.CodeConflict {
		t.Errorf("same id twice: %v", err)
	}
	if err := r.a.SetMonitorMode(ctx, "m1", "shout"); code(err) != orchestrator.CodeInvalid {
		t.Errorf("bad mode change: %v", err)
	}
	r.quiet(100 * time.Millisecond)
}
