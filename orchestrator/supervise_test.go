package orchestrator

import (
	"strings"
	"testing"
)

// G1, G2: a supervisor logs an agent into and out of a queue for this
// session only; the agent's desktop shows it; calls follow the change.
func TestSupervisorQueueLogin_G1_G2(t *testing.T) {
	h := newHarness(t)
	h.store.users[3] = User{ID: 3, Name: "Agent 3", Roles: []Role{RoleAgent}} // no skills
	h.signIn(3, "2003")
	h.supervisors(1)
	h.call("cust-1", "support", nil)
	if h.agent(3).Interaction != nil {
		t.Fatal("an agent outside the queue was offered its call")
	}
	sub, _ := h.o.Subscribe(h.ctx, 3)
	defer sub.Close()
	h.ok(h.o.LogAgentIntoQueue(h.ctx, 100, 3, 1), "log into support")
	if v := h.agent(3); v.Interaction == nil || strings.Join(v.Queues, ",") != "support" {
		t.Fatalf("after queue login: %+v", v)
	}
	if ev := <-sub.Events; ev.Agent == nil || len(ev.Agent.Queues) != 1 {
		t.Fatalf("the agent's desktop was not told: %+v", ev)
	}
	h.want(CodeConflict, h.o.LogAgentIntoQueue(h.ctx, 100, 3, 1), "twice")
	h.ok(h.o.LogAgentOutOfQueue(h.ctx, 100, 3, 1), "log out of support")
	h.want(CodeConflict, h.o.LogAgentOutOfQueue(h.ctx, 100, 3, 1), "out twice")
	h.want(CodeForbidden, h.o.LogAgentIntoQueue(h.ctx, 3, 3, 1), "an agent acting as supervisor")
	// G2: the store's skills were never changed.
	if u, _ := h.store.User(h.ctx, 3); len(u.Queues) != 0 {
		t.Fatalf("queue login became permanent: %+v", u.Queues)
	}
}

// G1: Idle with a reason, sign-out, end wrap-up early where allowed; each
// audited (M7).
func TestSupervisorManagesAgent_G1(t *testing.T) {
	h := newHarness(t)
	h.supervisors(1)
	h.signIn(2, "2002")
	h.ok(h.o.SetAgentState(h.ctx, 100, 2, StateIdle, "break"), "set idle")
	if v := h.agent(2); v.State != StateIdle || v.Reason != "break" {
		t.Fatalf("agent 2: %+v", v)
	}
	h.want(CodeInvalid, h.o.SetAgentState(h.ctx, 100, 2, StateIdle, "nap"), "unknown reason")
	h.ok(h.o.SignAgentOut(h.ctx, 100, 2), "sign agent 2 out")
	if v, _ := h.o.Agent(h.ctx, 2); v != nil {
		t.Fatal("agent 2 still signed in")
	}
	id, _ := h.connected()
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: "cust-1"})
	h.wantState(1, StateWrapup)
	h.want(CodeConflict, h.o.SignAgentOut(h.ctx, 100, 1), "sign out during wrap-up (S8)")
	h.want(CodeConflict, h.o.EndAgentWrapup(h.ctx, 100, 1), "queue does not allow it")
	h.store.queues[0].AllowEndWrapupEarly = true
	h.ok(h.o.Wrapup(h.ctx, 1, id, "resolved"), "wrap up")
	id2 := func() string {
		h.call("cust-2", "support", nil)
		leg := h.stationLeg("PJSIP/2001")
		h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg})
		return h.agent(1).Interaction.ID
	}()
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: "cust-2"})
	h.ok(h.o.EndAgentWrapup(h.ctx, 100, 1), "end wrap-up early")
	h.wantState(1, StateAvailable)
	if rec := h.store.interactions[id2]; rec.State != InteractionDone {
		t.Fatalf("interaction after early end: %+v", rec)
	}
	var actions []string
	for _, e := range h.store.audit {
		if e.ActorID == 100 {
			actions = append(actions, e.Action)
		}
	}
	if strings.Join(actions, ",") != "agent_state,agent_signed_out,wrapup_ended" {
		t.Fatalf("audit %v", actions)
	}
}

// G3: the supervisor's list filters by state and name; SubscribeAll carries
// every agent's changes; queue statistics count waiting and ready agents.
func TestSupervisorViews_G3(t *testing.T) {
	h := newHarness(t)
	h.supervisors(1)
	h.signIn(1, "2001")
	h.signIn(2, "2002")
	h.ok(h.o.SetState(h.ctx, 2, StateIdle, "lunch"), "idle")
	sub, err := h.o.SubscribeAll(h.ctx, 100)
	h.ok(err, "subscribe all")
	defer sub.Close()
	if len(sub.Agents) != 3 {
		t.Fatalf("snapshot has %d agents", len(sub.Agents))
	}
	idle, _ := h.o.SupervisorAgents(h.ctx, 100, AgentFilter{State: StateIdle})
	named, _ := h.o.SupervisorAgents(h.ctx, 100, AgentFilter{Query: "AGENT 1"})
	if len(idle) != 1 || idle[0].UserID != 2 || len(named) != 1 || named[0].UserID != 1 {
		t.Fatalf("filters: idle %+v, named %+v", idle, named)
	}
	if _, err := h.o.SupervisorAgents(h.ctx, 1, AgentFilter{}); ErrorCode(err) != CodeForbidden {
		t.Fatalf("agent listing agents: %v", err)
	}
	h.ok(h.o.SetState(h.ctx, 1, StateIdle, "break"), "agent 1 idle")
	if ev := <-sub.Events; ev.UserID != 1 || ev.Agent.State != StateIdle {
		t.Fatalf("supervisor stream got %+v", ev)
	}
	h.call("cust-1", "support", nil)
	stats, _ := h.o.QueueStats(h.ctx)
	if stats[0].Name != "support" || stats[0].Waiting != 1 || stats[0].SignedIn != 2 || stats[0].Available != 0 {
		t.Fatalf("stats %+v", stats)
	}
}

// G4: an administrator manages agents' status from the admin side without
// a station sign-in; a plain agent may not.
func TestAdminManagesAgentStatus_G4(t *testing.T) {
	h := newHarness(t)
	h.store.users[50] = User{ID: 50, Name: "Ada Admin", Roles: []Role{RoleAdmin}}
	h.signIn(1, "2001")
	h.signIn(2, "2002")
	h.ok(h.o.SetAgentState(h.ctx, 50, 1, StateIdle, "break"), "admin sets idle")
	h.wantState(1, StateIdle)
	h.ok(h.o.SignAgentOut(h.ctx, 50, 1), "admin signs agent out")
	h.want(CodeForbidden, h.o.SetAgentState(h.ctx, 2, 2, StateIdle, "break"), "agent acting as admin")
	last := h.store.audit[len(h.store.audit)-1]
	if last.ActorID != 50 || last.Action != "agent_signed_out" || last.TargetUserID != 1 {
		t.Fatalf("audit %+v", last)
	}
}
