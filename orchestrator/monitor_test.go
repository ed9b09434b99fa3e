package orchestrator

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// supervisors adds n supervisors (ids 100…) on extensions 30xx and signs
// them in.
func (h *harness) supervisors(n int) []int64 {
	h.t.Helper()
	var ids []int64
	for i := 0; i < n; i++ {
		id := int64(100 + i)
		ext := fmt.Sprintf("30%02d", i)
		h.store.mu.Lock()
		h.store.users[id] = User{ID: id, Name: fmt.Sprintf("Sup %d", i), Roles: []Role{RoleSupervisor}}
		h.store.exts = append(h.store.exts, Extension{ID: id, Number: ext, DialString: "PJSIP/" + ext, Kind: ExtensionPhysical})
		h.store.mu.Unlock()
		if _, err := h.o.SignIn(h.ctx, SignInRequest{UserID: id, Role: SignInSupervisor, Station: StationRequest{Type: StationExtension, Number: ext}}); err != nil {
			h.t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// monitoring starts supervisor 100 listening to agent 1 and answers their phone.
func (h *harness) monitoring() MonitorID {
	h.t.Helper()
	m, err := h.o.StartMonitor(h.ctx, 100, 1, MonitorListen)
	h.ok(err, "start monitor")
	leg := h.stationLeg("PJSIP/3000")
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg})
	h.eventually("monitor set up", func() bool { return h.media.has(fmt.Sprintf("monitor %s %s", m.ID, leg)) })
	return m.ID
}

// M1: twenty supervisors start monitoring the same agent at once: exactly
// one wins, the others get a conflict naming the winner.
func TestMonitorRace_M1(t *testing.T) {
	h := newHarness(t)
	h.connected()
	sups := h.supervisors(20)
	var wg sync.WaitGroup
	errs := make([]error, len(sups))
	for i, id := range sups {
		wg.Add(1)
		go func(i int, id int64) {
			defer wg.Done()
			_, errs[i] = h.o.StartMonitor(h.ctx, id, 1, MonitorListen)
		}(i, id)
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case ErrorCode(err) != CodeConflict || !strings.Contains(ErrorMessage(err), "already monitored by"):
			t.Fatalf("loser got %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d supervisors won", wins)
	}
	if h.agent(1).MonitoredBy == "" {
		t.Fatal("agent view does not say who monitors")
	}
}

// M2, M3, M4, M5.2, M5.6, M6, M7.
func TestMonitorLifecycle_M2_M7(t *testing.T) {
	h := newHarness(t)
	id, agentLeg := h.connected()
	h.supervisors(2)
	_, err := h.o.StartMonitor(h.ctx, 100, 1, MonitorBarge)
	h.want(CodeInvalid, err, "start in barge")
	_, err = h.o.StartMonitor(h.ctx, 1, 1, MonitorListen)
	h.want(CodeForbidden, err, "an agent sign-in monitors")
	mid := h.monitoring()
	if !h.media.has(fmt.Sprintf("monitor %s %s-sup %s listen", mid, mid, agentLeg)) {
		t.Fatalf("monitor command: %v", h.media.calls)
	}
	// M1: one supervisor monitors one agent at a time.
	_, err = h.o.StartMonitor(h.ctx, 100, 2, MonitorListen)
	h.want(CodeConflict, err, "second monitor by the same supervisor")
	// M3 pause; M5.2 no barge while paused.
	h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "pause"), "pause")
	h.want(CodeConflict, h.o.ChangeMonitor(h.ctx, 100, mid, "barge"), "barge while paused")
	h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "resume"), "resume")
	h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "barge"), "barge")
	h.want(CodeInvalid, h.o.ChangeMonitor(h.ctx, 100, mid, "dance"), "unknown action")
	h.want(CodeNotFound, h.o.ChangeMonitor(h.ctx, 101, mid, "pause"), "another supervisor's session")
	h.eventually("barge on the PBX", func() bool { return h.media.has(fmt.Sprintf("monitormode %s barge", mid)) })
	// M5.5: a barged supervisor cannot transfer, drop the agent, consult or
	// conference: the call is not theirs.
	for what, err := range map[string]error{
		"transfer":   h.o.Transfer(h.ctx, 100, id, Target{Type: TargetQueue, ID: 1}, TransferBlind),
		"end":        h.o.EndInteraction(h.ctx, 100, id),
		"consult":    h.o.Consult(h.ctx, 100, id, Target{Type: TargetAgent, ID: 2}),
		"conference": h.o.Conference(h.ctx, 100, id),
	} {
		h.want(CodeForbidden, err, "barged supervisor "+what)
	}
	// M6: no sign-out while monitoring.
	h.want(CodeConflict, h.o.SignOut(h.ctx, 100), "sign out while monitoring")
	// M5.6: End ends the barge.
	h.ok(h.o.StopMonitor(h.ctx, 100, mid), "end")
	h.eventually("monitor stopped", func() bool { return h.media.has("stopmonitor " + string(mid)) })
	if v := h.agent(100); v.Monitoring != nil || h.agent(1).MonitoredBy != "" {
		t.Fatal("monitoring still shown")
	}
	h.ok(h.o.SignOut(h.ctx, 100), "sign out after")
	// M7: every step audited with who and whom.
	var got []string
	for _, e := range h.store.audit {
		if e.ActorID == 100 && e.TargetUserID == 1 && e.InteractionID == id {
			got = append(got, e.Action)
		}
	}
	want := "monitor_started,monitor_pause,monitor_resume,monitor_barge,monitor_ended"
	if strings.Join(got, ",") != want {
		t.Fatalf("audit %v, want %s", got, want)
	}
}

// M5.1: no barge while the agent talks to another agent in a consult; the
// monitoring ends with a message when the call ends.
func TestMonitorBargeRulesAndCallEnd_M5(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.supervisors(1)
	mid := h.monitoring()
	h.signIn(2, "2002")
	h.consulting(id)
	h.want(CodeConflict, h.o.ChangeMonitor(h.ctx, 100, mid, "barge"), "barge during an agent consult")
	h.ok(h.o.EndConsult(h.ctx, 1, id), "end consult")
	sub, _ := h.o.Subscribe(h.ctx, 100)
	defer sub.Close()
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: "cust-1"})
	if v := h.agent(100); v.Monitoring != nil {
		t.Fatal("monitoring outlived the call")
	}
	var told bool
	for len(sub.Events) > 0 {
		if ev := <-sub.Events; ev.Notice != nil && strings.Contains(ev.Notice.Text, "the call ended") {
			told = true
		}
	}
	if !told {
		t.Fatal("the supervisor was not told why monitoring ended")
	}
}

// M5.3: the agent consults during a barge: the supervisor is held (neither
// hears nor is heard) and the barge continues when the consult ends.
func TestBargeHeldDuringConsult_M5_3(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.supervisors(1)
	mid := h.monitoring()
	h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "barge"), "barge")
	h.signIn(2, "2002")
	h.consulting(id)
	if v := h.agent(100).Monitoring; !v.Held || v.Actions["barge"].Allowed || v.Actions["pause"].Allowed {
		t.Fatalf("supervisor during the consult: %+v", v)
	}
	h.eventually("supervisor silenced", func() bool {
		return h.media.has(fmt.Sprintf("monitormode %s listen", mid)) && h.media.has("pausemonitor "+string(mid))
	})
	h.ok(h.o.EndConsult(h.ctx, 1, id), "end consult")
	if v := h.agent(100).Monitoring; v.Held || v.Mode != MonitorBarge {
		t.Fatalf("after the consult: %+v", v)
	}
	h.eventually("barge restored", func() bool {
		return h.media.count(fmt.Sprintf("monitormode %s barge", mid)) == 2 && h.media.has("resumemonitor "+string(mid))
	})
}

// M5.4: the agent transfers the monitored call to another queue: the
// monitoring ends and the supervisor is told why.
func TestMonitorEndsOnTransfer_M5_4(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.supervisors(1)
	mid := h.monitoring()
	h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "barge"), "barge")
	sub, _ := h.o.Subscribe(h.ctx, 100)
	defer sub.Close()
	h.ok(h.o.Transfer(h.ctx, 1, id, Target{Type: TargetQueue, ID: 2}, TransferBlind), "transfer to sales")
	if v := h.agent(100); v.Monitoring != nil {
		t.Fatal("monitoring outlived the transfer")
	}
	h.eventually("monitor stopped on the PBX", func() bool { return h.media.has("stopmonitor " + string(mid)) })
	var told bool
	for len(sub.Events) > 0 {
		if ev := <-sub.Events; ev.Notice != nil && strings.Contains(ev.Notice.Text, "transferred") {
			told = true
		}
	}
	if !told {
		t.Fatal("the supervisor was not told the call was transferred")
	}
}
