package ari

import (
	"fmt"
	"testing"

	"github.com/ringside/ringside/orchestrator"
)

func TestClassify(t *testing.T) {
	cases := []struct {
		cause    int
		status   string
		answered bool
		want     orchestrator.Cause
	}{
		{19, "RINGING", false, orchestrator.CauseNoAnswer}, // rung out (PBX-NOTES)
		{0, "BUSY", false, orchestrator.CauseBusy},         // busy: cause 0 (PBX-NOTES)
		{17, "", false, orchestrator.CauseBusy},
		{21, "NOANSWER", false, orchestrator.CauseRejected}, // declined: dial.c says NOANSWER
		{34, "CONGESTION", false, orchestrator.CauseFailed},
		{0, "CHANUNAVAIL", false, orchestrator.CauseFailed},
		{16, "ANSWER", true, orchestrator.CauseNormal},
		{0, "ANSWER", true, orchestrator.CauseNormal},
		{0, "", false, orchestrator.CauseFailed},
		{38, "", true, orchestrator.CauseFailed},
		{16, "", false, orchestrator.CauseNormal}, // a caller hanging up while queued
	}
	for _, c := range cases {
		if got := classify(c.cause, c.status, c.answered); got != c.want {
			t.Errorf("classify(%d, %q, answered=%v) = %s, want %s", c.cause, c.status, c.answered, got, c.want)
		}
	}
}

// feed decodes raw ARI JSON the way the reader does and translates it.
func feed(t *testing.T, tr *translator, raw string) []orchestrator.MediaEvent {
	t.Helper()
	ev, err := decodeEvent([]byte(raw))
	if err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return tr.translate(ev)
}

func kinds(evs []orchestrator.MediaEvent) string {
	s := ""
	for _, e := range evs {
		s += fmt.Sprintf("%s(%s%s) ", e.Kind, e.Leg, e.Cause)
	}
	return s
}

const ts = `"timestamp":"2026-01-02T15:04:05.000+0000","application":"ringside"`

func chanJSON(id, state string) string {
	return fmt.Sprintf(`{"id":%q,"name":"PJSIP/x","state":%q,"caller":{"name":"","number":"200"},"creationtime":"2026-01-02T15:04:05.000+0000"}`, id, state)
}

// The answering originate sequence of PBX-NOTES gives exactly Ringing and
// Answered, the latter at StasisStart.
func TestTranslateAnsweringDial(t *testing.T) {
	tr := newTranslator()
	tr.expectDial("a1")
	var got []orchestrator.MediaEvent
	for _, raw := range []string{
		`{"type":"Dial",` + ts + `,"dialstatus":"","peer":` + chanJSON("a1", "Down") + `}`,
		`{"type":"Dial",` + ts + `,"dialstatus":"RINGING","peer":` + chanJSON("a1", "Ringing") + `}`,
		`{"type":"ChannelStateChange",` + ts + `,"channel":` + chanJSON("a1", "Ringing") + `}`,
		`{"type":"ChannelStateChange",` + ts + `,"channel":` + chanJSON("a1", "Up") + `}`,
		`{"type":"Dial",` + ts + `,"dialstatus":"ANSWER","peer":` + chanJSON("a1", "Up") + `}`,
		`{"type":"StasisStart",` + ts + `,"args":["dialed"],"channel":` + chanJSON("a1", "Up") + `}`,
		`{"type":"ChannelHangupRequest",` + ts + `,"cause":32,"soft":true,"channel":` + chanJSON("a1", "Up") + `}`,
		`{"type":"StasisEnd",` + ts + `,"channel":` + chanJSON("a1", "Up") + `}`,
		`{"type":"ChannelDestroyed",` + ts + `,"cause":16,"cause_txt":"Normal Clearing","channel":` + chanJSON("a1", "Up") + `}`,
	} {
		got = append(got, feed(t, tr, raw)...)
	}
	if k := kinds(got); k != "ringing(a1) answered(a1) hung_up(a1normal) " {
		t.Errorf("got %s", k)
	}
	if len(tr.legs) != 0 {
		t.Errorf("translator still tracks %d legs after the hang-up", len(tr.legs))
	}
}

// After a controller restart the intent is gone, but the "dialed" argument
// still says the leg is ours, never a customer call.
func TestTranslateDialledLegAfterRestart(t *testing.T) {
	tr := newTranslator()
	got := feed(t, tr, `{"type":"StasisStart",`+ts+`,"args":["dialed"],"channel":`+chanJSON("a1", "Up")+`}`)
	if k := kinds(got); k != "answered(a1) " {
		t.Errorf("got %s", k)
	}
}

func TestTranslateIncoming_P2_A11_1(t *testing.T) {
	tr := newTranslator()
	raw := `{"type":"StasisStart",` + ts + `,"args":["queue= sales "],"channel":{"id":"c1","state":"Ring",` +
		`"caller":{"number":"+15551234"},"channelvars":{"RINGSIDE_VAR_account":"7","RINGSIDE_VAR_":"x","OTHER":"y"}}}`
	got := feed(t, tr, raw)
	if len(got) != 1 {
		t.Fatalf("got %s", kinds(got))
	}
	ev := got[0]
	if ev.Kind != orchestrator.MediaIncoming || ev.Queue != "sales" || ev.Caller != "+15551234" ||
		len(ev.Variables) != 1 || ev.Variables["account"] != "7" {
		t.Errorf("incoming = %+v", ev)
	}
	if ev.At.Year() != 2026 {
		t.Errorf("At = %v, want the event's timestamp", ev.At)
	}
	// A repeated StasisStart (e.g. after /continue and back) is not a new call.
	if got := feed(t, tr, raw); len(got) != 0 {
		t.Errorf("second StasisStart gave %s", kinds(got))
	}
	// No caller object at all must not break anything.
	got = feed(t, tr, `{"type":"StasisStart",`+ts+`,"channel":{"id":"c2","state":"Ring"}}`)
	if len(got) != 1 || got[0].Caller != "" || got[0].Queue != "" || got[0].Variables == nil {
		t.Errorf("bare StasisStart gave %+v", got)
	}
}

// Events of channels the adapter did not dial never become Ringing or
// Answered; their end is still reported.
func TestTranslateIgnoresForeignDialEvents(t *testing.T) {
	tr := newTranslator()
	got := feed(t, tr, `{"type":"Dial",`+ts+`,"dialstatus":"RINGING","peer":`+chanJSON("x", "Ringing")+`}`)
	got = append(got, feed(t, tr, `{"type":"ChannelStateChange",`+ts+`,"channel":`+chanJSON("x", "Up")+`}`)...)
	got = append(got, feed(t, tr, `{"type":"ChannelDestroyed",`+ts+`,"cause":0,"channel":`+chanJSON("x", "Up")+`}`)...)
	if k := kinds(got); k != "hung_up(xfailed) " {
		t.Errorf("got %s", k)
	}
}

// A customer call that entered from the dialplan ends with
// ChannelHangupRequest and StasisEnd and never gets a ChannelDestroyed
// (PBX-NOTES, measured on Asterisk 23.4.1): StasisEnd must report the
// hang-up, with the far end's cause, and forget the leg (A7: the customer
// hanging up ends the interaction).
func TestTranslateEnteredCallEndsAtStasisEnd_A7(t *testing.T) {
	tr := newTranslator()
	var got []orchestrator.MediaEvent
	for _, raw := range []string{
		`{"type":"StasisStart",` + ts + `,"args":["queue=sales"],"channel":` + chanJSON("c1", "Ring") + `}`,
		`{"type":"ChannelHangupRequest",` + ts + `,"cause":17,"channel":` + chanJSON("c1", "Up") + `}`,
		`{"type":"StasisEnd",` + ts + `,"channel":` + chanJSON("c1", "Up") + `}`,
	} {
		got = append(got, feed(t, tr, raw)...)
	}
	if k := kinds(got); k != "incoming(c1) hung_up(c1busy) " {
		t.Errorf("got %s", k)
	}
	if len(tr.legs) != 0 {
		t.Errorf("translator still tracks %d legs", len(tr.legs))
	}
}

// Our own hang-up is a "soft" request whose cause field is a flag: the
// cause reported at StasisEnd is the one the Hangup asked for, and the
// dialled leg's later ChannelDestroyed reports nothing more.
func TestTranslateOwnHangupCauseAtStasisEnd(t *testing.T) {
	tr := newTranslator()
	tr.expectDial("a1")
	var got []orchestrator.MediaEvent
	got = append(got, feed(t, tr, `{"type":"StasisStart",`+ts+`,"args":["dialed"],"channel":`+chanJSON("a1", "Up")+`}`)...)
	tr.expectHangup("a1", hangupCode(orchestrator.CauseRejected))
	for _, raw := range []string{
		`{"type":"ChannelHangupRequest",` + ts + `,"cause":32,"soft":true,"channel":` + chanJSON("a1", "Up") + `}`,
		`{"type":"StasisEnd",` + ts + `,"channel":` + chanJSON("a1", "Up") + `}`,
		`{"type":"ChannelDestroyed",` + ts + `,"cause":21,"channel":` + chanJSON("a1", "Up") + `}`,
	} {
		got = append(got, feed(t, tr, raw)...)
	}
	if k := kinds(got); k != "answered(a1) hung_up(a1rejected) " {
		t.Errorf("got %s", k)
	}
	if len(tr.legs) != 0 {
		t.Errorf("translator still tracks %d legs", len(tr.legs))
	}
}

// A snoop's wait ends when it enters the application, or when it ends
// without entering (M2: it is bridged only once it is in Stasis).
func TestTranslateSnoopStart_M2(t *testing.T) {
	tr := newTranslator()
	started := tr.expectSnoop("s1")
	feed(t, tr, `{"type":"StasisStart",`+ts+`,"args":["snoop"],"channel":`+chanJSON("s1", "Up")+`}`)
	select {
	case <-started:
	default:
		t.Fatal("StasisStart did not end the wait")
	}
	if !tr.snoopStarted("s1") {
		t.Error("snoop not reported started")
	}
	gone := tr.expectSnoop("s2")
	if got := feed(t, tr, `{"type":"ChannelDestroyed",`+ts+`,"cause":16,"channel":`+chanJSON("s2", "Up")+`}`); len(got) != 0 {
		t.Errorf("a snoop's end was reported: %s", kinds(got))
	}
	select {
	case <-gone:
	default:
		t.Fatal("the snoop's end did not end the wait")
	}
	if tr.snoopStarted("s2") {
		t.Error("a snoop that never started reported started")
	}
}

// P5: after a controller restart the adapter never saw the customer's call
// enter, yet its hang-up (StasisEnd only, as for every call that entered
// from the dialplan) must still reach the orchestrator, with the cause.
func TestTranslateUnknownLegEndsAtStasisEnd_P5(t *testing.T) {
	tr := newTranslator()
	var got []orchestrator.MediaEvent
	for _, raw := range []string{
		`{"type":"ChannelHangupRequest",` + ts + `,"cause":16,"channel":` + chanJSON("c9", "Up") + `}`,
		`{"type":"StasisEnd",` + ts + `,"channel":` + chanJSON("c9", "Up") + `}`,
		`{"type":"ChannelDestroyed",` + ts + `,"cause":16,"channel":` + chanJSON("c9", "Up") + `}`, // were it a dialled leg
	} {
		got = append(got, feed(t, tr, raw)...)
	}
	if k := kinds(got); k != "hung_up(c9normal) " {
		t.Errorf("got %s", k)
	}
}

// The dialplan half of a Local channel the adapter dialled (id "<leg>;2")
// sends its events to the application too (measured on Asterisk 23.4.1);
// its end is the far end's business, never a leg hung up.
func TestTranslateIgnoresLocalPeer(t *testing.T) {
	tr := newTranslator()
	tr.expectDial("a1")
	peer := `{"id":"a1;2","name":"Local/answer-x@lab-00000012;2","state":"Up"}`
	var got []orchestrator.MediaEvent
	for _, raw := range []string{
		`{"type":"ChannelHangupRequest",` + ts + `,"cause":16,"channel":` + peer + `}`,
		`{"type":"ChannelDestroyed",` + ts + `,"cause":16,"channel":` + peer + `}`,
	} {
		got = append(got, feed(t, tr, raw)...)
	}
	if len(got) != 0 || len(tr.legs) != 1 {
		t.Errorf("a Local peer gave %s; legs tracked %d", kinds(got), len(tr.legs))
	}
}

// A11.1: ari.conf's channelvars puts every listed variable on every
// channel, "" where the dialplan set none: that is no variable.
func TestTranslateDropsUnsetVariables_A11_1(t *testing.T) {
	tr := newTranslator()
	got := feed(t, tr, `{"type":"StasisStart",`+ts+`,"args":["queue=sales"],"channel":{"id":"c1","state":"Ring",`+
		`"channelvars":{"RINGSIDE_VAR_account":"","RINGSIDE_VAR_card":"42"}}}`)
	if len(got) != 1 || len(got[0].Variables) != 1 || got[0].Variables["card"] != "42" {
		t.Errorf("variables %+v", got)
	}
}
