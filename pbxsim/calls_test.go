package pbxsim

import (
	"errors"
	"testing"
	"time"
)

// PBX-NOTES, Legs: an answering endpoint gives Dial RINGING /
// ChannelStateChange Ringing → ChannelStateChange Up → Dial ANSWER →
// StasisStart, with the originate's args.
func TestOriginateAnswerEventOrder(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")

	start := time.Now()
	out := h.mustDo(200, "POST", "/channels", map[string]any{
		"endpoint": "SIM/answer-after-100ms", "app": "ringside", "appArgs": "dialed",
		"channelId": "leg-1", "timeout": 5, "callerId": `"Support" <5000>`,
		"variables": map[string]string{"RINGSIDE_VAR_ticket": "T-9", "OTHER": "x"},
	})
	if id := out.(map[string]any)["id"]; id != "leg-1" {
		t.Fatalf("originate replied id %v, want leg-1", id)
	}
	got := ev.expect("Dial:", "Dial:RINGING", "ChannelStateChange:Ringing",
		"ChannelStateChange:Up", "Dial:ANSWER", "StasisStart")
	if d := time.Since(start); d < 100*time.Millisecond {
		t.Errorf("answered after %v, want the scripted 100ms of ringing", d)
	}

	start5 := got[5]
	if args := start5["args"].([]any); len(args) != 1 || args[0] != "dialed" {
		t.Errorf("StasisStart args = %v, want [dialed]", args)
	}
	if start5["application"] != "ringside" || start5["asterisk_id"] == "" || start5["timestamp"] == "" {
		t.Errorf("StasisStart envelope incomplete: %v", start5)
	}
	chJSON := start5["channel"].(map[string]any)
	if chJSON["id"] != "leg-1" || chJSON["state"] != "Up" {
		t.Errorf("StasisStart channel = %v", chJSON)
	}
	if caller := chJSON["caller"].(map[string]any); caller["number"] != "5000" || caller["name"] != "Support" {
		t.Errorf("caller = %v", caller)
	}
	vars := chJSON["channelvars"].(map[string]any)
	if vars["RINGSIDE_VAR_ticket"] != "T-9" || vars["OTHER"] != nil {
		t.Errorf("channelvars = %v, want only the RINGSIDE_VAR_ one (ari.conf channelvars)", vars)
	}
	if peer := got[1]["peer"].(map[string]any); peer["id"] != "leg-1" || got[1]["dialstring"] != "answer-after-100ms" {
		t.Errorf("Dial event = %v", got[1])
	}
	ev.quiet(100 * time.Millisecond)
	if l, _ := h.sim.Leg("leg-1"); l.State != LegUp {
		t.Errorf("leg state %q, want up", l.State)
	}
}

// PBX-NOTES: no answer within timeout → ChannelDestroyed cause 19 at the
// timeout, no Dial NOANSWER and no StasisStart.
func TestOriginateNoAnswerIsCause19(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")

	start := time.Now()
	h.originate("leg-1", "SIM/noanswer", 1)
	ev.expect("Dial:", "Dial:RINGING", "ChannelStateChange:Ringing", "ChannelDestroyed:19")
	if d := time.Since(start); d < time.Second || d > 2*time.Second {
		t.Errorf("destroyed after %v, want the 1 s originate timeout", d)
	}
	ev.quiet(100 * time.Millisecond)
	if l, _ := h.sim.Leg("leg-1"); l.State != LegDown || l.Cause != 19 {
		t.Errorf("leg = %+v, want down with cause 19", l)
	}
	h.mustDo(404, "GET", "/channels/leg-1", nil)
}

// PBX-NOTES: busy → Dial dialstatus=BUSY, then ChannelDestroyed cause 0.
func TestOriginateBusy(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	h.originate("leg-1", "SIM/busy", 30)
	ev.expect("Dial:", "Dial:BUSY", "ChannelDestroyed:0")

	h.originate("leg-2", "SIM/busy-after-50ms", 30)
	ev.expect("Dial:", "Dial:RINGING", "ChannelStateChange:Ringing", "Dial:BUSY", "ChannelDestroyed:0")
}

// A handset declining (SIP 603) hangs the ringing channel up with cause 21;
// main/dial.c reports every such remote hang-up as NOANSWER.
func TestRejectWhileRinging(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	h.originate("leg-1", "PJSIP/2001", 30)
	ev.expect("Dial:", "Dial:RINGING", "ChannelStateChange:Ringing")
	if l, _ := h.sim.Leg("leg-1"); l.State != LegRinging {
		t.Fatalf("leg state %q, want ringing", l.State)
	}
	if err := h.sim.Reject("leg-1"); err != nil {
		t.Fatal(err)
	}
	ev.expect("ChannelHangupRequest:21", "Dial:NOANSWER", "ChannelDestroyed:21")
	if err := h.sim.Reject("leg-1"); !errors.Is(err, ErrState) {
		t.Errorf("second Reject: %v, want ErrState", err)
	}
	if err := h.sim.Answer("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Answer(unknown): %v, want ErrNotFound", err)
	}
}

// PBX-NOTES: DELETE /channels/{id}?reason=normal → ChannelHangupRequest,
// ChannelLeftBridge, StasisEnd, ChannelDestroyed (cause 16).
func TestHangupEventOrder(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	h.answeredLeg(ev, "leg-1")
	h.mustDo(200, "POST", "/bridges/room-1", map[string]any{"type": "mixing"})
	h.mustDo(204, "POST", "/bridges/room-1/addChannel", map[string]any{"channel": "leg-1"})
	ev.expect("ChannelEnteredBridge:room-1")

	h.mustDo(204, "DELETE", "/channels/leg-1?reason=normal", nil)
	got := ev.expect("ChannelHangupRequest:32", "ChannelLeftBridge:room-1", "StasisEnd", "ChannelDestroyed:16")
	if got[3]["cause_txt"] != "Normal Clearing" {
		t.Errorf("cause_txt = %v", got[3]["cause_txt"])
	}
	if got[0]["soft"] != true {
		t.Errorf("an ARI hang-up request is a soft hang-up: %v", got[0])
	}
	// The bridge outlives its last member.
	h.mustDo(200, "GET", "/bridges/room-1", nil)
}

// The far end hanging up reports the Q.850 cause in the request.
func TestFarEndHangup(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	h.answeredLeg(ev, "leg-1")
	if err := h.sim.Hangup("leg-1"); err != nil {
		t.Fatal(err)
	}
	ev.expect("ChannelHangupRequest:16", "StasisEnd", "ChannelDestroyed:16")
}

func TestHangupReasons(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	h.answeredLeg(ev, "leg-1")
	h.mustDo(400, "DELETE", "/channels/leg-1?reason=sideways", nil)
	h.mustDo(400, "DELETE", "/channels/leg-1?reason=busy&reason_code=17", nil)
	h.mustDo(204, "DELETE", "/channels/leg-1?reason=no_answer", nil)
	ev.expect("ChannelHangupRequest:32", "StasisEnd", "ChannelDestroyed:19")

	// Hanging up a leg that still rings goes through the dialler.
	h.originate("leg-2", "PJSIP/2002", 30)
	ev.expect("Dial:", "Dial:RINGING", "ChannelStateChange:Ringing")
	h.mustDo(204, "DELETE", "/channels/leg-2?reason=rejected", nil)
	ev.expect("ChannelHangupRequest:32", "Dial:NOANSWER", "ChannelDestroyed:21")
}

// PBX-NOTES: originating into an app without a WebSocket returns 200, but
// the channel is hung up once it answers.
func TestOriginateWithoutWebSocket(t *testing.T) {
	h := newHarness(t, Options{})
	h.originate("leg-1", "SIM/answer", 30)
	l, _ := h.sim.Leg("leg-1")
	if l.State != LegDown || l.Cause != 16 {
		t.Fatalf("leg = %+v, want hung up after answering", l)
	}
}

func TestScriptedHangupAfterAnswer(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	h.originate("leg-1", "SIM/hangup-after-100ms", 30)
	ev.expect("Dial:", "Dial:RINGING", "ChannelStateChange:Ringing", "ChannelStateChange:Up", "Dial:ANSWER", "StasisStart")
	ev.expect("ChannelHangupRequest:16", "StasisEnd", "ChannelDestroyed:16")
}

func TestAutoAnswerAndSetBehavior(t *testing.T) {
	h := newHarness(t, Options{AutoAnswerDelay: 50 * time.Millisecond})
	ev := h.connect("ringside")

	h.sim.SetAutoAnswer(true)
	h.originate("leg-1", "PJSIP/2001", 30)
	ev.expect("Dial:", "Dial:RINGING", "ChannelStateChange:Ringing", "ChannelStateChange:Up", "Dial:ANSWER", "StasisStart")

	// An explicit behaviour wins over auto-answer.
	h.sim.SetBehavior("PJSIP/2002", Behavior{Outcome: Busy, After: 10 * time.Millisecond})
	h.originate("leg-2", "PJSIP/2002", 30)
	ev.expect("Dial:", "Dial:RINGING", "ChannelStateChange:Ringing", "Dial:BUSY", "ChannelDestroyed:0")
}

// A customer call enters as Stasis(ringside,queue=NAME) with its variables.
func TestPlaceCall(t *testing.T) {
	h := newHarness(t, Options{})
	if _, err := h.sim.PlaceCall("support", "555", nil); !errors.Is(err, ErrNoApp) {
		t.Fatalf("PlaceCall without a WebSocket: %v, want ErrNoApp", err)
	}
	ev := h.connect("ringside")
	id, err := h.sim.PlaceCall("support", "5551234", map[string]string{"account": "42"})
	if err != nil {
		t.Fatal(err)
	}
	got := ev.expect("StasisStart")[0]
	if args := got["args"].([]any); len(args) != 1 || args[0] != "queue=support" {
		t.Errorf("args = %v", args)
	}
	ch := got["channel"].(map[string]any)
	if ch["id"] != id || ch["state"] != "Ring" || field(got, "channel", "name") == "" {
		t.Errorf("channel = %v", ch)
	}
	if ch["caller"].(map[string]any)["number"] != "5551234" {
		t.Errorf("caller = %v", ch["caller"])
	}
	if v := ch["channelvars"].(map[string]any); v["RINGSIDE_VAR_account"] != "42" {
		t.Errorf("channelvars = %v", v)
	}
	l, _ := h.sim.Leg(id)
	if !l.Inbound || l.State != LegRinging || l.Endpoint != "PJSIP/customer-1" {
		t.Errorf("leg = %+v", l)
	}

	// The app answers; a second answer changes nothing.
	h.mustDo(204, "POST", "/channels/"+id+"/answer", nil)
	ev.expect("ChannelStateChange:Up")
	h.mustDo(204, "POST", "/channels/"+id+"/answer", nil)
	ev.quiet(100 * time.Millisecond)
}

// Music on hold and ring indication emit no events (PBX-NOTES); a leg with
// music is "held".
func TestMusicOnHoldIsSilentOnTheWire(t *testing.T) {
	h := newHarness(t, Options{})
	ev := h.connect("ringside")
	id := h.answeredCustomer(ev)
	h.mustDo(204, "POST", "/channels/"+id+"/moh", map[string]any{})
	if l, _ := h.sim.Leg(id); l.State != LegHeld {
		t.Errorf("leg state %q, want held", l.State)
	}
	h.mustDo(204, "DELETE", "/channels/"+id+"/moh", nil)
	if l, _ := h.sim.Leg(id); l.State != LegUp {
		t.Errorf("leg state %q, want up", l.State)
	}
	h.mustDo(204, "POST", "/channels/"+id+"/ring", nil)
	ev.quiet(100 * time.Millisecond)
}
