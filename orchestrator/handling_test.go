package orchestrator

import (
	"strings"
	"testing"
	"time"
)

// connected brings agent 1 (on 2001) into a call from cust-1 and returns the
// interaction id and agent 1's leg.
func (h *harness) connected() (string, LegID) {
	h.t.Helper()
	h.signIn(1, "2001")
	h.call("cust-1", "support", map[string]string{"account": "AC-1", "notes": "first"})
	leg := h.stationLeg("PJSIP/2001")
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg})
	return h.agent(1).Interaction.ID, leg
}

func (h *harness) want(code Code, err error, what string) {
	h.t.Helper()
	if ErrorCode(err) != code {
		h.t.Fatalf("%s: got %v (%s), want %s", what, err, ErrorCode(err), code)
	}
}

func (h *harness) ok(err error, what string) {
	h.t.Helper()
	if err != nil {
		h.t.Fatalf("%s: %v", what, err)
	}
}

// consulting starts a consult from agent 1 to agent 2 (on 2002) and lets
// agent 2 answer; it returns agent 2's consult leg.
func (h *harness) consulting(id string) LegID {
	h.t.Helper()
	h.ok(h.o.Consult(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}), "consult")
	leg := h.stationLeg("PJSIP/2002")
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg})
	return leg
}

// A5: hold plays music to the customer; End is refused while on hold.
func TestHoldResume_A5(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.ok(h.o.Hold(h.ctx, 1, id), "hold")
	h.eventually("customer held on the PBX", func() bool { return h.media.count("hold cust-1") == 2 })
	ix := h.agent(1).Interaction
	if !ix.Held || ix.Actions[ActionEnd].Allowed || ix.Actions[ActionEnd].Reason == "" {
		t.Fatalf("held view: held=%v end=%+v", ix.Held, ix.Actions[ActionEnd])
	}
	h.want(CodeConflict, h.o.EndInteraction(h.ctx, 1, id), "End while held (A5)")
	h.want(CodeConflict, h.o.Hold(h.ctx, 1, id), "hold twice")
	h.ok(h.o.Resume(h.ctx, 1, id), "resume")
	if h.agent(1).Interaction.Held {
		t.Fatal("still held after resume")
	}
	h.ok(h.o.EndInteraction(h.ctx, 1, id), "end after resume")
}

// A6.1, A6.3, A6.4, A6.7, A1: a consult to an agent.
func TestConsultAgent_A6(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.signIn(3, "2003")
	h.ok(h.o.SetState(h.ctx, 3, StateIdle, "break"), "idle")

	// A6.1: Available and Idle agents are consult targets; only Available
	// ones are transfer targets.
	cons, _ := h.o.TargetAgents(h.ctx, 1, "consult")
	trans, _ := h.o.TargetAgents(h.ctx, 1, "transfer")
	if len(cons) != 2 || len(trans) != 1 || trans[0].UserID != 2 {
		t.Fatalf("consult targets %+v, transfer targets %+v", cons, trans)
	}

	h.ok(h.o.Consult(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}), "consult")
	leg := h.stationLeg("PJSIP/2002")
	v1 := h.agent(1).Interaction
	if !v1.Held || v1.Consult == nil || v1.Consult.Held != "customer" {
		t.Fatalf("A6.3: customer not held automatically: %+v", v1.Consult)
	}
	// A6.4: before the answer, Transfer and Conference are disabled, Resume is not.
	if v1.Actions[ActionTransfer].Allowed || v1.Actions[ActionConference].Allowed || !v1.Actions[ActionResume].Allowed {
		t.Fatalf("A6.4 actions: %+v", v1.Actions)
	}
	h.want(CodeConflict, h.o.Conference(h.ctx, 1, id), "conference before the answer")
	// A1: agent 2 is offered a consult showing who asks.
	v2 := h.agent(2)
	if v2.State != StateRinging || v2.Interaction.Role != RoleConsulted || v2.Interaction.From.Name != "Agent 1" || v2.Interaction.From.Station != "2001" {
		t.Fatalf("consult popover for agent 2: %+v", v2.Interaction)
	}
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg})
	h.wantState(2, StateEngaged)
	h.eventually("agent 1 and agent 2 in the consult room", func() bool { return h.media.has("join consult-" + id + "-2 " + string(leg)) })

	// A6.3: resuming the customer holds the consulted party, and back.
	h.ok(h.o.Resume(h.ctx, 1, id), "resume customer")
	if c := h.agent(1).Interaction.Consult; c.Held != "consulted" || h.agent(1).Interaction.Held {
		t.Fatalf("after resume: %+v", c)
	}
	h.eventually("consulted party held", func() bool { return h.media.has("hold " + string(leg)) })
	h.ok(h.o.ResumeConsulted(h.ctx, 1, id), "resume consulted")
	if c := h.agent(1).Interaction.Consult; c.Held != "customer" || !h.agent(1).Interaction.Held {
		t.Fatalf("after resume consulted: %+v", c)
	}

	// A7: agent 2 may not resume or end the consult.
	h.want(CodeConflict, h.o.Resume(h.ctx, 2, id), "agent 2 resumes")
	h.want(CodeConflict, h.o.EndConsult(h.ctx, 2, id), "agent 2 ends the consult")
	h.want(CodeConflict, h.o.Transfer(h.ctx, 2, id, Target{}, TransferConsult), "agent 2 transfers")

	// A6.7: End consult returns agent 1 to the customer; agent 2 leaves
	// without wrap-up (A7).
	h.ok(h.o.EndConsult(h.ctx, 1, id), "end consult")
	h.wantState(2, StateAvailable)
	v1 = h.agent(1).Interaction
	if v1.Consult != nil || v1.Held || !v1.Actions[ActionEnd].Allowed {
		t.Fatalf("after end consult: %+v", v1)
	}
	h.eventually("consult leg hung up", func() bool { return h.media.has("hangup " + string(leg)) })
}

// A6.5: the consulted agent exits; the call goes on with agent 1.
func TestExitConsult_A6_5(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.consulting(id)
	h.want(CodeConflict, h.o.ExitConsult(h.ctx, 1, id), "agent 1 exits")
	h.ok(h.o.ExitConsult(h.ctx, 2, id), "agent 2 exits")
	h.wantState(2, StateAvailable)
	h.wantState(1, StateEngaged)
	// The customer shows unheld once the PBX has brought them back.
	h.eventually("agent 1 back with the customer", func() bool {
		v := h.agent(1).Interaction
		return v.Consult == nil && !v.Held
	})
}

// A6.6: the consulted agent does not answer: RONA for them, a consult-failed
// message for agent 1; an invalid target fails clearly.
func TestConsultNoAnswer_A6_6(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	sub, _ := h.o.Subscribe(h.ctx, 1)
	defer sub.Close()
	h.ok(h.o.Consult(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}), "consult")
	h.stationLeg("PJSIP/2002")
	h.clock.Advance(15 * time.Second)
	h.sync()
	h.wantState(2, StateRONA)
	if v := h.agent(1).Interaction; v.Consult != nil || !v.Held {
		t.Fatalf("after failed consult: %+v", v)
	}
	var failed bool
	for len(sub.Events) > 0 {
		if ev := <-sub.Events; ev.Notice != nil && strings.Contains(ev.Notice.Text, "consult with Agent 2 failed") {
			failed = true
		}
	}
	if !failed {
		t.Fatal("agent 1 got no consult-failed message")
	}
	h.want(CodeConflict, h.o.Consult(h.ctx, 1, id, Target{Type: TargetAgent, ID: 3}), "consult an agent not signed in")
	h.want(CodeInvalid, h.o.Consult(h.ctx, 1, id, Target{Type: TargetDialNumber, Number: "12"}), "too short a number")
	h.want(CodeInvalid, h.o.Consult(h.ctx, 1, id, Target{Type: "pigeon"}), "unknown target type")
	h.want(CodeInvalid, h.o.Consult(h.ctx, 1, id, Target{Type: TargetQueue, ID: 99}), "unknown queue")
}

// A7: the customer hanging up during a consult ends the interaction: agent 1
// wraps up, agent 2 leaves without wrap-up.
func TestCustomerHangsUpDuringConsult_A7(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.consulting(id)
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: "cust-1"})
	h.wantState(1, StateWrapup)
	h.wantState(2, StateAvailable)
	if h.agent(2).Interaction != nil {
		t.Fatal("agent 2 still shows the call")
	}
}

// A6 to a dial number and to a queue. A queue with nobody ready no longer
// refuses the consult: it waits there (consult_queue_test.go has the rest).
func TestConsultDialNumberAndQueue_A6_1(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.standBy(3, "2003")
	h.ok(h.o.Consult(h.ctx, 1, id, Target{Type: TargetDialNumber, Number: "+44 (20) 7946-0958"}), "consult number")
	h.stationLeg("PJSIP/+442079460958@trunk")
	h.ok(h.o.EndConsult(h.ctx, 1, id), "end consult")
	h.ok(h.o.Consult(h.ctx, 1, id, Target{Type: TargetQueue, ID: 2}), "consult a queue with nobody ready")
	if c := h.agent(1).Interaction.Consult; c == nil || c.State != ConsultQueued || c.Queue != "sales" {
		t.Fatalf("the consult does not wait in the queue: %+v", c)
	}
	h.ready(3)
	h.stationLeg("PJSIP/2003")
	if h.agent(3).Interaction.Role != RoleConsulted {
		t.Fatal("the queue's agent was not offered the consult")
	}
}

// A9: conference puts all three in the customer's room.
func TestConference_A9(t *testing.T) {
	h := newHarness(t)
	id, leg1 := h.connected()
	h.signIn(2, "2002")
	leg2 := h.consulting(id)
	h.ok(h.o.Conference(h.ctx, 1, id), "conference")
	room := RoomID("room-" + id)
	h.eventually("three in one room", func() bool {
		h.media.mu.Lock()
		defer h.media.mu.Unlock()
		in := map[LegID]bool{}
		for _, l := range h.media.rooms[room] {
			in[l] = true
		}
		return in["cust-1"] && in[leg1] && in[leg2]
	})
	v := h.agent(1).Interaction
	if !v.Consult.Conference || v.Held || v.Actions[ActionPauseRecording].Allowed {
		t.Fatalf("conference view %+v", v)
	}
}

// A8.2, A8.3: consult transfer: agent 2 takes the call, agent 1 wraps up.
func TestConsultTransfer_A8(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	leg2 := h.consulting(id)
	h.ok(h.o.Transfer(h.ctx, 1, id, Target{}, TransferConsult), "transfer")
	h.wantState(1, StateWrapup)
	h.wantState(2, StateEngaged)
	v2 := h.agent(2).Interaction
	if v2.Role != RoleOwner || !v2.Actions[ActionEnd].Allowed {
		t.Fatalf("agent 2 does not own the call: %+v", v2)
	}
	h.eventually("agent 2 in the customer's room", func() bool { return h.media.has("join room-" + id + " " + string(leg2)) })
	h.ok(h.o.Wrapup(h.ctx, 1, id, "resolved"), "agent 1 wraps up")
	h.wantState(1, StateAvailable)
	h.ok(h.o.EndInteraction(h.ctx, 2, id), "agent 2 ends")
	h.wantState(2, StateWrapup)
	h.ok(h.o.Wrapup(h.ctx, 2, id, "resolved"), "agent 2 wraps up")
	if rec := h.store.interactions[id]; rec.State != InteractionDone || rec.AgentID != 2 {
		t.Fatalf("stored after transfer: %+v", rec)
	}
}

// A8.1, A8.4: blind transfer to an agent who does not answer: they go RONA
// and the call returns to its original queue first in line.
func TestBlindTransferNoAnswer_A8_4(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.ok(h.o.Transfer(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}, TransferBlind), "blind transfer")
	h.wantState(1, StateWrapup)
	h.stationLeg("PJSIP/2002")
	h.wantState(2, StateRinging)
	h.clock.Advance(time.Second)
	h.call("cust-2", "support", nil) // later arrival, waiting
	h.clock.Advance(15 * time.Second)
	h.sync()
	h.wantState(2, StateRONA)
	h.signIn(3, "2003")
	if v := h.agent(3).Interaction; v == nil || v.ID != id {
		t.Fatalf("agent 3 was offered %+v, want the transferred call first (A8.4)", v)
	}
}

// A8.1: never to an agent in wrap-up; a queue transfer never routes back.
func TestTransferTargets_A8_1(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.ok(h.o.SetState(h.ctx, 2, StateIdle, "break"), "idle")
	h.want(CodeConflict, h.o.Transfer(h.ctx, 1, id, Target{Type: TargetAgent, ID: 2}, TransferBlind), "transfer to an idle agent")
	h.ok(h.o.Transfer(h.ctx, 1, id, Target{Type: TargetQueue, ID: 1}, TransferBlind), "transfer to queue")
	h.ok(h.o.Wrapup(h.ctx, 1, id, "resolved"), "wrap up")
	h.wantState(1, StateAvailable)
	if v := h.agent(1).Interaction; v != nil {
		t.Fatalf("the queue transfer came back to agent 1: %+v", v)
	}
	h.ok(h.o.SetState(h.ctx, 2, StateAvailable, ""), "available")
	if v := h.agent(2).Interaction; v == nil || v.ID != id {
		t.Fatal("agent 2 did not get the transferred call")
	}
}

// A10: recording from the answer; pause/resume audited; the privacy shield
// resumes by itself; not during a consult.
func TestRecordingPrivacyShield_A10(t *testing.T) {
	h := newHarness(t)
	h.store.queues[0].Recording = true
	h.store.queues[0].PrivacyShield = 10 * time.Second
	id, _ := h.connected()
	h.eventually("recording started", func() bool { return h.media.has("record room-" + id + " " + id) })
	h.ok(h.o.PauseRecording(h.ctx, 1, id), "pause")
	v := h.agent(1).Interaction
	if v.Recording.State != RecordingPaused || !v.Recording.ResumesAt.Equal(h.clock.Now().Add(10*time.Second)) {
		t.Fatalf("paused view %+v", v.Recording)
	}
	h.want(CodeConflict, h.o.PauseRecording(h.ctx, 1, id), "pause twice")
	h.clock.Advance(10 * time.Second)
	h.sync()
	if s := h.agent(1).Interaction.Recording.State; s != RecordingActive {
		t.Fatalf("privacy shield did not resume: %s", s)
	}
	h.eventually("resumed on the PBX", func() bool { return h.media.has("resumerec " + id) })
	h.signIn(2, "2002")
	h.consulting(id)
	h.want(CodeConflict, h.o.PauseRecording(h.ctx, 1, id), "pause during consult (A10.4)")
	h.ok(h.o.Conference(h.ctx, 1, id), "conference")
	h.want(CodeConflict, h.o.PauseRecording(h.ctx, 1, id), "pause during conference (A10.4)")
	var actions []string
	for _, e := range h.store.audit {
		actions = append(actions, e.Action+" "+e.Detail)
	}
	if strings.Join(actions, "|") != "recording_paused privacy shield 10s|recording_resumed by the privacy shield" {
		t.Fatalf("audit (A10.5): %q", actions)
	}
}

// A11: edits are versioned, limited to 256 characters and to editable
// variables; secure values are revealed only on request and audited.
func TestCallData_A11(t *testing.T) {
	h := newHarness(t)
	h.store.defs[1].Editable = true // card_last4: secure and editable
	h.store.defs = append(h.store.defs, VariableDef{ID: 4, Name: "callback", Label: "Call back at", Order: 4, Editable: true, Type: VariableDateTime})
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.consulting(id)
	var notes VariableView
	for _, v := range h.agent(2).Interaction.Variables {
		if v.Name == "notes" {
			notes = v
		}
	}
	// A11.4: both read version 0; the first save wins, the second is told.
	saved, err := h.o.SetVariable(h.ctx, 2, id, "notes", "agent 2 was here", notes.Version)
	h.ok(err, "agent 2 saves")
	if saved.Version != 1 || saved.Value != "agent 2 was here" {
		t.Fatalf("saved %+v", saved)
	}
	_, err = h.o.SetVariable(h.ctx, 1, id, "notes", "agent 1 too", notes.Version)
	h.want(CodeConflict, err, "stale save")
	if !strings.Contains(ErrorMessage(err), "agent 2 was here") || !strings.Contains(ErrorMessage(err), "overwritten") {
		t.Fatalf("conflict message %q", ErrorMessage(err))
	}
	_, err = h.o.SetVariable(h.ctx, 1, id, "notes", strings.Repeat("x", 257), 1)
	h.want(CodeInvalid, err, "257 characters")
	_, err = h.o.SetVariable(h.ctx, 1, id, "account", "x", 0)
	h.want(CodeForbidden, err, "not editable")
	// A11.2: date-time values are ISO 8601.
	_, err = h.o.SetVariable(h.ctx, 1, id, "callback", "tomorrow at 3", 0)
	h.want(CodeInvalid, err, "not a date-time")
	_, err = h.o.SetVariable(h.ctx, 1, id, "callback", "2026-11-23T15:00:00+01:00", 0)
	h.ok(err, "ISO 8601 date-time")
	_, err = h.o.SetVariable(h.ctx, 1, id, "nope", "x", 0)
	h.want(CodeNotFound, err, "undefined")
	// A secure value: masked in views and conflicts, revealed on request.
	_, err = h.o.SetVariable(h.ctx, 1, id, "card_last4", "9999", 0)
	h.ok(err, "save secure")
	_, err = h.o.SetVariable(h.ctx, 2, id, "card_last4", "1111", 0)
	if err == nil || strings.Contains(ErrorMessage(err), "9999") {
		t.Fatalf("secure conflict leaks the value: %v", err)
	}
	for _, v := range h.agent(1).Interaction.Variables {
		if v.Name == "card_last4" && v.Value != "*****" {
			t.Fatalf("secure value shown: %+v", v)
		}
	}
	val, err := h.o.RevealVariable(h.ctx, 1, id, "card_last4")
	if err != nil || val != "9999" {
		t.Fatalf("reveal: %q %v", val, err)
	}
	if _, err := h.o.RevealVariable(h.ctx, 3, id, "card_last4"); err == nil {
		t.Fatal("a user not on the call revealed a secure value")
	}
	last := h.store.audit[len(h.store.audit)-1]
	if last.Action != "secure_variable_revealed" || last.ActorID != 1 || strings.Contains(last.Detail, "9999") {
		t.Fatalf("reveal audit %+v", last)
	}
	if h.store.interactions[id].Variables["notes"] != "agent 2 was here" {
		t.Fatal("saved value not stored")
	}
}

// A6.2: consult numbers keep digits and + # * :, 3 to 18 digits.
func TestNormalizeConsultNumber_A6_2(t *testing.T) {
	ok := map[string]string{
		"(212) 555-0100":      "2125550100",
		"1-212-555-0100":      "12125550100",
		"+44 20 7946 0958":    "+442079460958",
		"011 44 20 7946 0958": "011442079460958",
		"2001#":               "2001#",
		"*72:123":             "*72:123",
		"abc123":              "123",
	}
	for in, want := range ok {
		if got, err := NormalizeConsultNumber(in); err != nil || got != want {
			t.Errorf("%q → %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "12", "1234567890123456789", "12+34", "phone"} {
		if _, err := NormalizeConsultNumber(bad); ErrorCode(err) != CodeInvalid {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzNormalizeConsultNumber(f *testing.F) {
	for _, s := range []string{"(212) 555-0100", "+44#", "", "+", "::::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeConsultNumber(s)
		if err != nil {
			return
		}
		digits := 0
		for _, r := range got {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case strings.ContainsRune("+#*:", r):
			default:
				t.Fatalf("%q kept %q", s, r)
			}
		}
		if digits < 3 || digits > 18 {
			t.Fatalf("%q → %q has %d digits", s, got, digits)
		}
	})
}

// A10.1: the PBX ends a room's recording when the room empties (a consult);
// the call goes on being recorded in a new file once agent 1 is back, still
// paused if it was.
func TestRecordingContinuesAfterConsult_A10_1(t *testing.T) {
	h := newHarness(t)
	h.store.queues[0].Recording = true
	id, _ := h.connected()
	h.signIn(2, "2002")
	h.consulting(id)
	if h.media.has("record room-" + id + " " + id + "-2") {
		t.Fatal("a new file was started while the room was empty")
	}
	h.ok(h.o.Resume(h.ctx, 1, id), "resume customer")
	h.eventually("second file", func() bool { return h.media.has("record room-" + id + " " + id + "-2") })
	h.ok(h.o.EndConsult(h.ctx, 1, id), "end consult")
	h.ok(h.o.PauseRecording(h.ctx, 1, id), "pause")
	h.eventually("pause on the second file", func() bool { return h.media.has("pauserec " + id + "-2") })
	h.ok(h.o.EndInteraction(h.ctx, 1, id), "end")
	h.eventually("second file stopped", func() bool { return h.media.has("stoprec " + id + "-2") })
	if h.media.count("stoprec "+id) != 0 {
		t.Fatal("stopped the first file, which the PBX had already ended")
	}
}

// A8.1: a blind transfer to a dial number: agent 1 wraps up at once; the
// outside party is bridged with the customer when they answer, and the call
// is done when it ends.
func TestBlindTransferToDialNumber_A8(t *testing.T) {
	h := newHarness(t)
	id, _ := h.connected()
	h.want(CodeInvalid, h.o.Transfer(h.ctx, 1, id, Target{Type: TargetDialNumber, Number: "1"}, TransferBlind), "too short")
	h.ok(h.o.Transfer(h.ctx, 1, id, Target{Type: TargetDialNumber, Number: "+1 212 555 0100"}, TransferBlind), "transfer")
	h.wantState(1, StateWrapup)
	leg := h.stationLeg("PJSIP/+12125550100@trunk")
	h.emit(MediaEvent{Kind: MediaAnswered, Leg: leg})
	h.eventually("outside party with the customer", func() bool { return h.media.has("join room-" + id + " " + string(leg)) })
	h.emit(MediaEvent{Kind: MediaHungUp, Leg: leg})
	h.ok(h.o.Wrapup(h.ctx, 1, id, "resolved"), "wrap up")
	if rec := h.store.interactions[id]; rec.State != InteractionDone || rec.AgentID != 1 {
		t.Fatalf("stored %+v", rec)
	}
	var kinds []string
	for _, e := range h.store.ixEvents {
		if e.InteractionID == id {
			kinds = append(kinds, e.Kind)
		}
	}
	if got := strings.Join(kinds, ","); !strings.Contains(got, "transferred,answered,ended") || !strings.HasSuffix(got, "wrapped_up") {
		t.Fatalf("timeline %s", got)
	}
}
