package orchestrator

import (
	"strings"
	"testing"
)

// S7: a station in use by another signed-in user is refused, naming them.
func TestStationInUse_S7(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	_, err := h.o.SignIn(h.ctx, SignInRequest{UserID: 2, Role: SignInAgent, Station: StationRequest{Type: StationExtension, Number: "2001"}})
	if ErrorCode(err) != CodeConflict || ErrorMessage(err) != "extension 2001 is in use by Agent 1" {
		t.Fatalf("got %v", err)
	}
	_, err = h.o.SignIn(h.ctx, SignInRequest{UserID: 2, Role: SignInAgent, Station: StationRequest{Type: StationExtension, Number: "9999"}})
	if ErrorCode(err) != CodeInvalid {
		t.Fatalf("unknown extension: %v", err)
	}
}

// S3: the role asked for must be one the user holds.
func TestSignInRole_S3(t *testing.T) {
	h := newHarness(t)
	_, err := h.o.SignIn(h.ctx, SignInRequest{UserID: 1, Role: SignInSupervisor, Station: StationRequest{Type: StationExtension, Number: "2001"}})
	if ErrorCode(err) != CodeForbidden {
		t.Fatalf("agent signing in as supervisor: %v", err)
	}
	_, err = h.o.SignIn(h.ctx, SignInRequest{UserID: 1, Role: "boss", Station: StationRequest{Type: StationExtension, Number: "2001"}})
	if ErrorCode(err) != CodeInvalid {
		t.Fatalf("unknown role: %v", err)
	}
}

// S4.1: a dial-number station is dialled through the trunk template.
func TestDialNumberStation_S4_1(t *testing.T) {
	h := newHarness(t)
	v, err := h.o.SignIn(h.ctx, SignInRequest{UserID: 1, Role: SignInAgent, Station: StationRequest{Type: StationDialNumber, Number: "(415) 555-0100"}})
	if err != nil {
		t.Fatal(err)
	}
	if v.Station.Number != "+14155550100" {
		t.Fatalf("station %+v", v.Station)
	}
	h.call("cust-1", "support", nil)
	h.stationLeg("PJSIP/+14155550100@trunk")
}

// S8: sign-out is refused while a call is offered, connected or in wrap-up,
// and allowed after.
func TestSignOutRules_S8(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	cust := h.call("cust-1", "support", nil)
	leg := h.stationLeg("PJSIP/2001")
	if err := h.o.SignOut(h.ctx, 1); ErrorCode(err) != CodeConflict {
		t.Fatalf("sign-out during offer: %v", err)
	}
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg})
	if err := h.o.SignOut(h.ctx, 1); ErrorCode(err) != CodeConflict {
		t.Fatalf("sign-out during call: %v", err)
	}
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: cust})
	if err := h.o.SignOut(h.ctx, 1); ErrorCode(err) != CodeConflict {
		t.Fatalf("sign-out during wrap-up: %v", err)
	}
	if err := h.o.Wrapup(h.ctx, 1, h.agent(1).Interaction.ID, "resolved"); err != nil {
		t.Fatal(err)
	}
	if err := h.o.SignOut(h.ctx, 1); err != nil {
		t.Fatal(err)
	}
	if v, _ := h.o.Agent(h.ctx, 1); v != nil {
		t.Fatal("still signed in")
	}
	states := h.store.statesOf(1)
	if states[len(states)-1] != StateLoggedOut || h.store.sessions[0].EndedAt.IsZero() {
		t.Fatalf("logout not stored: %v", states)
	}
}

// A call for a queue nobody knows is refused rather than left in silence.
func TestUnknownQueueHangsUp(t *testing.T) {
	h := newHarness(t)
	h.call("cust-x", "nope", nil)
	h.eventually("unknown-queue call hung up", func() bool { return h.media.has("hangup cust-x") })
}

// A station that cannot be dialled at all is treated like no answer.
func TestDialFailure_A3(t *testing.T) {
	h := newHarness(t)
	h.media.failDial["PJSIP/2001"] = Errorf(CodeUnavailable, "endpoint offline")
	h.signIn(1, "2001")
	h.call("cust-1", "support", nil)
	h.eventually("agent RONA after dial failure", func() bool { return h.agent(1).State == StateRONA })
}

// Subscribers get the snapshot, then numbered deltas.
func TestSubscribeSnapshotAndDeltas(t *testing.T) {
	h := newHarness(t)
	h.signIn(1, "2001")
	sub, err := h.o.Subscribe(h.ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if sub.Snapshot == nil || sub.Snapshot.State != StateAvailable {
		t.Fatalf("snapshot %+v", sub.Snapshot)
	}
	if err := h.o.SetState(h.ctx, 1, StateIdle, "break"); err != nil {
		t.Fatal(err)
	}
	ev := <-sub.Events
	if ev.Seq != sub.Seq+1 || ev.Agent == nil || ev.Agent.State != StateIdle {
		t.Fatalf("event %+v after seq %d", ev, sub.Seq)
	}
}

// S6: a Supervisor-and-Agent signs in for a chosen team; an unknown team is
// refused by name.
func TestTeamPicker_S6(t *testing.T) {
	h := newHarness(t)
	h.store.users[9] = User{ID: 9, Name: "Sue", Roles: []Role{RoleAgent, RoleSupervisor}, TeamID: 1}
	st := StationRequest{Type: StationExtension, Number: "2003"}
	_, err := h.o.SignIn(h.ctx, SignInRequest{UserID: 9, Role: SignInSupervisorAgent, Station: st, TeamID: -4})
	if ErrorCode(err) != CodeInvalid || !strings.Contains(ErrorMessage(err), "team_id") {
		t.Fatalf("unknown team: %v", err)
	}
	v, err := h.o.SignIn(h.ctx, SignInRequest{UserID: 9, Role: SignInSupervisorAgent, Station: st, TeamID: 2})
	if err != nil || v.TeamID != 2 {
		t.Fatalf("team %d, %v", v.TeamID, err)
	}
}

// R1: an agent receives the calls of the queues they have as skills, and
// no others. R2: after sign-in at the extension they sit at the agent is
// Available, and can change state from the list.
func TestSkillsAndDefaultState_R1_R2(t *testing.T) {
	h := newHarness(t)
	h.store.users[3] = User{ID: 3, Name: "Agent 3", Roles: []Role{RoleAgent}, Queues: []int64{1}} // support only
	v, err := h.o.SignIn(h.ctx, SignInRequest{UserID: 3, Role: SignInAgent, Station: StationRequest{Type: StationExtension, Number: "2003"}})
	if err != nil {
		t.Fatal(err)
	}
	if v.State != StateAvailable || v.Station.Number != "2003" || strings.Join(v.Queues, ",") != "support" {
		t.Fatalf("R2: after sign-in: %+v", v)
	}
	h.ok(h.o.SetState(h.ctx, 3, StateIdle, "break"), "R2: change state from the list")
	h.wantState(3, StateIdle)
	h.ok(h.o.SetState(h.ctx, 3, StateAvailable, ""), "and back")
	h.wantState(3, StateAvailable)

	h.call("cust-sales", "sales", nil)
	h.sync()
	if ix := h.agent(3).Interaction; ix != nil || h.media.dialCount("PJSIP/2003") != 0 {
		t.Fatalf("R1: offered a call of a queue without the skill: %+v", ix)
	}
	h.call("cust-support", "support", nil)
	if ix := h.agent(3).Interaction; ix == nil || ix.Queue != "support" {
		t.Fatalf("R1: not offered the call of their queue: %+v", ix)
	}
	h.stationLeg("PJSIP/2003")
	h.signIn(2, "2002") // has the sales skill
	if ix := h.agent(2).Interaction; ix == nil || ix.Queue != "sales" {
		t.Fatalf("R1: the sales call did not go to agent 2, who has the skill: %+v", ix)
	}
}
