package orchestrator

import (
	"fmt"
	"strings"
	"testing"
)

// Monitoring across transfers (M5.4, M1, M7): a transfer within the team
// and queue keeps the supervisor on the call; everything else ends the
// monitoring with a message. See monitor_follow.go for the decisions.

// followSetup puts agents 1 and 2 in team 1 and agent 3 in team 2, brings
// agent 1 into a call from cust-1 (queue support), signs agents 2 and 3 in
// and starts supervisor 100 listening to agent 1. It returns the
// interaction, the monitor, and a subscription to the supervisor's events.
func followSetup(t *testing.T) (*harness, string, MonitorID, *Subscription) {
	t.Helper()
	h := newHarness(t)
	h.store.mu.Lock()
	for id, team := range map[int64]int64{1: 1, 2: 1, 3: 2} {
		u := h.store.users[id]
		u.TeamID = team
		h.store.users[id] = u
	}
	h.store.mu.Unlock()
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.signIn(3, "2003")
	h.supervisors(2)
	mid := h.monitoring()
	sub, err := h.o.Subscribe(h.ctx, 100)
	h.ok(err, "subscribe")
	t.Cleanup(sub.Close)
	return h, id, mid, sub
}

// notices drains the subscription and returns the notices' texts.
func notices(sub *Subscription) []string {
	var out []string
	for len(sub.Events) > 0 {
		if ev := <-sub.Events; ev.Notice != nil {
			out = append(out, ev.Notice.Text)
		}
	}
	return out
}

func (h *harness) toldSupervisor(sub *Subscription, want string) {
	h.t.Helper()
	got := notices(sub)
	for _, n := range got {
		if strings.Contains(n, want) {
			return
		}
	}
	h.t.Fatalf("the supervisor was not told %q; notices %q", want, got)
}

// dialCount counts the dials to an endpoint.
func (m *fakeMedia) dialCount(endpoint string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, c := range m.calls {
		if f := strings.Fields(c); len(f) == 3 && f[0] == "dial" && f[2] == endpoint {
			n++
		}
	}
	return n
}

// log returns a copy of the recorded commands.
func (m *fakeMedia) log() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.calls...)
}

// index returns the position of the first recorded command that is cmd, or -1.
func (m *fakeMedia) index(cmd string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, c := range m.calls {
		if c == cmd {
			return i
		}
	}
	return -1
}

func (h *harness) auditActions(actor int64) []AuditEntry {
	h.store.mu.Lock()
	defer h.store.mu.Unlock()
	var out []AuditEntry
	for _, e := range h.store.audit {
		if e.ActorID == actor {
			out = append(out, e)
		}
	}
	return out
}

// M5.4: a blind transfer to an agent of the same team keeps the monitoring:
// the supervisor's leg stays (no new dial), the monitor waits for the new
// agent and moves onto their leg when they answer, in the same mode and
// pause; views, notice and audit say so.
func TestMonitorFollowsBlindTransferSameTeam_M5_4(t *testing.T) {
	h, id, mid, sub := followSetup(t)
	h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "whisper"), "whisper")
	h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "pause"), "pause")
	supLeg := LegID(string(mid) + "-sup")
	h.eventually("paused on the PBX", func() bool { return h.media.has("pausemonitor " + string(mid)) })
	modes := h.media.count(fmt.Sprintf("monitormode %s whisper", mid))

	h.ok(h.o.Transfer(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}, TransferBlind), "transfer to agent 2")
	h.toldSupervisor(sub, "Monitoring follows the call to Agent 2")
	v := h.agent(100).Monitoring
	if v == nil || v.State != MonitorFollowing || v.AgentID != 2 || v.Mode != MonitorWhisper || !v.Paused {
		t.Fatalf("while agent 2 rings: %+v", v)
	}
	if v.Actions["resume"].Allowed || v.Actions["listen"].Allowed || !v.Actions["end"].Allowed {
		t.Fatalf("actions while following: %+v", v.Actions)
	}
	if got1, got2 := h.agent(1).MonitoredBy, h.agent(2).MonitoredBy; got1 != "" || got2 != "Sup 0" {
		t.Fatalf("monitoredBy: agent 1 %q, agent 2 %q", got1, got2)
	}
	// M1 holds while the call rings: agent 2 is taken.
	_, err := h.o.StartMonitor(h.ctx, 101, 2, MonitorListen)
	h.want(CodeConflict, err, "second supervisor on agent 2")

	leg2 := h.stationLeg("PJSIP/2002")
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg2})
	h.eventually("monitor moved to agent 2", func() bool { return h.media.has(fmt.Sprintf("movemonitor %s %s", mid, leg2)) })
	v = h.agent(100).Monitoring
	if v == nil || v.State != MonitorActive || v.AgentID != 2 || v.Mode != MonitorWhisper || !v.Paused {
		t.Fatalf("after agent 2 answered: %+v", v)
	}
	if !v.Actions["resume"].Allowed {
		t.Fatalf("resume not allowed after the move: %+v", v.Actions["resume"])
	}
	h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "resume"), "resume on agent 2")
	if n := h.media.dialCount("PJSIP/3000"); n != 1 {
		t.Fatalf("the supervisor's station was dialled %d times", n)
	}
	for _, bad := range []string{"stopmonitor " + string(mid), "hangup " + string(supLeg)} {
		if h.media.has(bad) {
			t.Fatalf("%q during a followed transfer: %v", bad, h.media.log())
		}
	}
	if n := h.media.count(fmt.Sprintf("monitormode %s whisper", mid)); n != modes {
		t.Fatalf("the mode was set again on the move: %v", h.media.log())
	}
	// M7: the move is audited against the new agent.
	var moved bool
	for _, e := range h.auditActions(100) {
		if e.Action == "monitor_moved" && e.TargetUserID == 2 && e.InteractionID == id && strings.Contains(e.Detail, "Agent 1") {
			moved = true
		}
	}
	if !moved {
		t.Fatalf("no monitor_moved audit entry: %+v", h.auditActions(100))
	}
	// The call ends with agent 2: so does the monitoring, as before.
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: "cust-1"})
	if h.agent(100).Monitoring != nil || h.agent(2).MonitoredBy != "" {
		t.Fatal("monitoring outlived the call")
	}
	h.toldSupervisor(sub, "Monitoring of Agent 2 ended: the call ended")
}

// M4, M5.4: a barge follows a same-team transfer and stays a barge: the
// monitor moves with no mode change (the adapter keeps the whisper=both
// snoop direction; app/monitor_follow_test.go checks the audio).
func TestMonitorBargeFollowsTransfer_M4_M5_4(t *testing.T) {
	h, id, mid, sub := followSetup(t)
	h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "barge"), "barge")
	h.ok(h.o.Transfer(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}, TransferBlind), "transfer to agent 2")
	leg2 := h.stationLeg("PJSIP/2002")
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg2})
	h.eventually("monitor moved", func() bool { return h.media.has(fmt.Sprintf("movemonitor %s %s", mid, leg2)) })
	if v := h.agent(100).Monitoring; v == nil || v.Mode != MonitorBarge || v.Paused || v.State != MonitorActive {
		t.Fatalf("after the move: %+v", v)
	}
	if n := h.media.count(fmt.Sprintf("monitormode %s barge", mid)); n != 1 {
		t.Fatalf("barge set %d times; the move must keep it", n)
	}
	h.toldSupervisor(sub, "follows the call to Agent 2")
}

// M5.4, M5.3: a consult transfer to an agent of the team: the monitor moves
// onto the consulted agent's leg (already up) before agent 1's leg is hung
// up, and a barge held for the consult continues.
func TestMonitorFollowsConsultTransfer_M5_3_M5_4(t *testing.T) {
	h, id, mid, sub := followSetup(t)
	agent1Leg := h.stationLeg("PJSIP/2001")
	h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "barge"), "barge")
	leg2 := h.consulting(id)
	if v := h.agent(100).Monitoring; !v.Held {
		t.Fatalf("not held during the consult: %+v", v)
	}
	h.ok(h.o.Transfer(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}, TransferConsult), "consult transfer")
	h.toldSupervisor(sub, "Monitoring follows the call to Agent 2")
	v := h.agent(100).Monitoring
	if v == nil || v.State != MonitorActive || v.AgentID != 2 || v.Mode != MonitorBarge || v.Held || v.Paused {
		t.Fatalf("after the consult transfer: %+v", v)
	}
	move := fmt.Sprintf("movemonitor %s %s", mid, leg2)
	h.eventually("barge restored on agent 2", func() bool {
		return h.media.count(fmt.Sprintf("monitormode %s barge", mid)) == 2 && h.media.count("resumemonitor "+string(mid)) == 1
	})
	h.eventually("agent 1 hung up", func() bool { return h.media.has("hangup " + string(agent1Leg)) })
	// Make-before-break: the monitor moved onto agent 2's leg before that
	// leg left the consult and before agent 1's leg was hung up, and the
	// barge came back after the move.
	hang := h.media.index("hangup " + string(agent1Leg) + " normal")
	joined := h.media.index(fmt.Sprintf("join room-%s %s", id, leg2))
	if m := h.media.index(move); m < 0 || hang < 0 || joined < 0 || m > hang || m > joined {
		t.Fatalf("move at %d, agent 2 joins the customer at %d, agent 1's hang-up at %d: %v", m, joined, hang, h.media.log())
	}
	if h.media.index(move) > h.media.index(fmt.Sprintf("resumemonitor %s", mid)) {
		t.Fatalf("barge restored before the move: %v", h.media.log())
	}
	if h.agent(2).MonitoredBy != "Sup 0" || h.agent(1).MonitoredBy != "" {
		t.Fatal("monitoredBy not moved")
	}
	if h.media.dialCount("PJSIP/3000") != 1 {
		t.Fatal("the supervisor's station was dialled again")
	}
}

// M5.4: a blind transfer to the call's own queue follows when routing offers
// it at once to an agent of the team.
func TestMonitorFollowsSameQueueTransfer_M5_4(t *testing.T) {
	h, id, mid, sub := followSetup(t)
	h.ok(h.o.SetState(h.ctx, 3, StateIdle, "break"), "agent 3 idle")
	h.ok(h.o.Transfer(h.ctx, 1, id, Target{Type: TargetQueue, ID: 1}, TransferBlind), "transfer to support")
	h.toldSupervisor(sub, "Monitoring follows the call to Agent 2")
	leg2 := h.stationLeg("PJSIP/2002")
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg2})
	h.eventually("monitor moved", func() bool { return h.media.has(fmt.Sprintf("movemonitor %s %s", mid, leg2)) })
}

// M5.4: transfers that leave the team or the queue, or go outside, end the
// monitoring with a message saying why; the supervisor's leg is hung up.
func TestMonitorEndsOnTransferAway_M5_4(t *testing.T) {
	cases := []struct {
		name   string
		prep   func(h *harness)
		target Target
		want   string
	}{
		{"agent of another team", nil, Target{Type: TargetAgent, ID: 3}, "the call was transferred to Agent 3 of another team"},
		{"another queue", nil, Target{Type: TargetQueue, ID: 2}, "the call was transferred to another queue (sales)"},
		{"dial number", nil, Target{Type: TargetDialNumber, Number: "+15550199"}, "the call was transferred to +15550199, outside the contact center"},
		{"own queue, nobody free", func(h *harness) {
			h.ok(h.o.SetState(h.ctx, 2, StateIdle, "break"), "agent 2 idle")
			h.ok(h.o.SetState(h.ctx, 3, StateIdle, "break"), "agent 3 idle")
		}, Target{Type: TargetQueue, ID: 1}, "the call is waiting in queue support"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, id, mid, sub := followSetup(t)
			if c.prep != nil {
				c.prep(h)
			}
			h.ok(h.o.ChangeMonitor(h.ctx, 100, mid, "barge"), "barge")
			h.ok(h.o.Transfer(h.ctx, 1, id, c.target, TransferBlind), "transfer")
			if v := h.agent(100); v.Monitoring != nil {
				t.Fatalf("monitoring outlived the transfer: %+v", v.Monitoring)
			}
			for _, a := range []int64{1, 2, 3} {
				if by := h.agent(a).MonitoredBy; by != "" {
					t.Fatalf("agent %d still shown monitored by %s", a, by)
				}
			}
			h.toldSupervisor(sub, "Monitoring of Agent 1 ended: "+c.want)
			h.eventually("monitor stopped, supervisor hung up", func() bool {
				return h.media.has("stopmonitor "+string(mid)) && h.media.has("hangup "+string(mid)+"-sup")
			})
			if h.media.has("movemonitor") {
				t.Fatal("the monitor moved")
			}
		})
	}
}

// M1, M5.4: the new agent is already monitored by another supervisor: the
// first supervisor's monitoring ends, naming who. Today's rules leave no
// way into that state (only a connected agent can be monitored, and only
// an agent without a call can be transferred to), so the test puts it there.
func TestMonitorEndsWhenNewAgentMonitored_M1_M5_4(t *testing.T) {
	h, id, _, sub := followSetup(t)
	other := &monitor{id: "mon-other", state: MonitorActive}
	h.ok(h.o.do(h.ctx, func() error {
		other.sup, other.target = h.o.st.agents[101], h.o.st.agents[2]
		h.o.st.agents[2].monitoredBy = other
		return nil
	}), "mark agent 2 monitored")
	h.ok(h.o.Transfer(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}, TransferBlind), "transfer to agent 2")
	h.toldSupervisor(sub, "the call went to Agent 2, who is already monitored by Sup 1")
	if h.agent(100).Monitoring != nil || h.agent(2).MonitoredBy != "Sup 1" {
		t.Fatalf("after the transfer: sup %+v, agent 2 by %q", h.agent(100).Monitoring, h.agent(2).MonitoredBy)
	}
}

// M5.4, A8.4: the agent the call follows to does not answer, or the caller
// hangs up while it rings: the monitoring ends with a message.
func TestMonitorFollowEndsWhenTransferFails_M5_4(t *testing.T) {
	t.Run("no answer", func(t *testing.T) {
		h, id, mid, sub := followSetup(t)
		h.ok(h.o.Transfer(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}, TransferBlind), "transfer")
		h.stationLeg("PJSIP/2002")
		h.clock.Advance(h.store.queues[0].RingTime)
		h.sync()
		h.wantState(2, StateRONA)
		if h.agent(100).Monitoring != nil || h.agent(2).MonitoredBy != "" {
			t.Fatal("monitoring outlived the failed transfer")
		}
		h.toldSupervisor(sub, "Agent 2 did not answer the call")
		h.eventually("monitor stopped", func() bool { return h.media.has("stopmonitor " + string(mid)) })
	})
	t.Run("caller hangs up", func(t *testing.T) {
		h, id, _, sub := followSetup(t)
		h.ok(h.o.Transfer(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}, TransferBlind), "transfer")
		h.stationLeg("PJSIP/2002")
		h.emit(MediaEvent{Kind: MediaHungUp, Leg: "cust-1"})
		if h.agent(100).Monitoring != nil || h.agent(2).MonitoredBy != "" {
			t.Fatal("monitoring outlived the abandoned transfer")
		}
		h.toldSupervisor(sub, "the caller hung up")
	})
}

// M5.4: a transfer before the supervisor's phone answered is not followed.
func TestMonitorNotFollowedBeforeAnswer_M5_4(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.supervisors(1)
	_, err := h.o.StartMonitor(h.ctx, 100, 1, MonitorListen)
	h.ok(err, "start")
	sub, _ := h.o.Subscribe(h.ctx, 100)
	defer sub.Close()
	h.ok(h.o.Transfer(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}, TransferBlind), "transfer")
	if h.agent(100).Monitoring != nil || h.agent(2).MonitoredBy != "" {
		t.Fatal("a monitor that never started followed the call")
	}
	h.toldSupervisor(sub, "before your phone answered")
}
