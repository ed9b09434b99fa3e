//go:build pbx

package ari

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/orchestrator/mediatest"
)

// TestAsteriskLabSmoke proves the Asterisk lab itself on the adapter's own
// methods: calls come in and go out, handsets hear exactly whom they
// should, refusing stations end with their causes, and the link can be
// cut. When it fails, the conformance suite's verdicts mean nothing.
func TestAsteriskLabSmoke(t *testing.T) {
	lab := newAsteriskLab(t)
	a := lab.connect(t)
	ev := collectEvents(a)
	defer func() {
		_ = a.Close()
		<-ev.done
	}()
	ev.wait(t, orchestrator.MediaLinkUp, "", 5*time.Second)
	ctx := func() context.Context {
		c, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		t.Cleanup(cancel)
		return c
	}
	must := func(err error, what string) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	// A customer call enters with its queue, caller and a variable.
	cust, caller := lab.Call(t, "support", map[string]string{"account": "AC-7"})
	in := ev.wait(t, orchestrator.MediaIncoming, cust, lab.Patience())
	if in.Queue != "support" || in.Caller != caller || in.Variables["account"] != "AC-7" {
		t.Errorf("incoming: queue %q caller %q variables %v; want support, %s, account=AC-7", in.Queue, in.Caller, in.Variables, caller)
	}
	must(a.Answer(ctx(), cust), "answer")

	// An answering station, then both in a room: they hear each other.
	agent := orchestrator.LegID("lab-" + lab.run + "-agent")
	must(a.Dial(ctx(), orchestrator.DialRequest{Leg: agent, Endpoint: lab.Station(t, agent, mediatest.Answer), Timeout: 10 * time.Second}), "dial")
	ev.wait(t, orchestrator.MediaRinging, agent, lab.Patience())
	ev.wait(t, orchestrator.MediaAnswered, agent, lab.Patience())
	room := orchestrator.RoomID("lab-" + lab.run + "-room")
	must(a.NewRoom(ctx(), room), "new room")
	defer func() { _ = a.CloseRoom(context.Background(), room) }()
	must(a.Join(ctx(), room, cust), "join customer")
	must(a.Join(ctx(), room, agent), "join agent")
	talking := func(when string) {
		t.Helper()
		h := lab.Listen(t, cust, agent)
		if !h.Hears(cust, agent) || !h.Hears(agent, cust) || h.Music(cust) || h.Music(agent) {
			t.Errorf("%s: agent hears customer %v, customer hears agent %v, music %v/%v; want talking, no music",
				when, h.Hears(cust, agent), h.Hears(agent, cust), h.Music(cust), h.Music(agent))
		}
	}
	talking("in a room")

	// Steady talk has no break; a hold of half a second is one.
	if ok, detail := lab.Continuous(t, agent, cust, func() { time.Sleep(time.Second) }); !ok {
		t.Errorf("steady talk: %s", detail)
	}
	music, _ := lab.Music()
	if ok, _ := lab.Continuous(t, agent, cust, func() {
		must(a.Hold(ctx(), cust, music), "hold")
		time.Sleep(500 * time.Millisecond)
		must(a.Join(ctx(), room, cust), "join back")
	}); ok {
		t.Error("Continuous saw no break across a hold")
	}

	// On hold: the customer hears the music, nobody hears the customer.
	must(a.Hold(ctx(), cust, music), "hold")
	if h := lab.Listen(t, cust, agent); !h.Music(cust) || h.Hears(cust, agent) || h.Hears(agent, cust) || h.Music(agent) {
		t.Errorf("on hold: customer hears music %v, agent hears customer %v, customer hears agent %v, agent hears music %v",
			h.Music(cust), h.Hears(cust, agent), h.Hears(agent, cust), h.Music(agent))
	}
	must(a.Join(ctx(), room, cust), "join back")
	talking("back from hold")

	// A recording of the room holds both parties' tones.
	rec := orchestrator.RecordingID("lab-" + lab.run + "-rec")
	must(a.Record(ctx(), room, rec), "record")
	time.Sleep(2 * time.Second)
	must(a.StopRecording(ctx(), rec), "stop recording")
	file, err := mediatest.ParseWAV(lab.RecordingFile(t, rec))
	must(err, "recording")
	tones, _ := lab.detector().Presence(file.Samples, nil, listenWindow)
	if d := file.Duration(); d < 1500*time.Millisecond || tones[lab.party(t, cust).hz] < 0.8 || tones[lab.party(t, agent).hz] < 0.8 {
		t.Errorf("recording: %v long, tones %v", d, tones)
	}

	// Stations that do not take the call end with their causes.
	for _, c := range []struct {
		b    mediatest.Behavior
		want orchestrator.Cause
	}{
		{mediatest.NoAnswer, orchestrator.CauseNoAnswer},
		{mediatest.Busy, orchestrator.CauseBusy},
		{mediatest.Reject, orchestrator.CauseRejected},
	} {
		leg := orchestrator.LegID("lab-" + lab.run + "-" + string(c.b))
		must(a.Dial(ctx(), orchestrator.DialRequest{Leg: leg, Endpoint: lab.Station(t, leg, c.b), Timeout: 3 * time.Second}), "dial "+string(c.b))
		if got := ev.wait(t, orchestrator.MediaHungUp, leg, 3*time.Second+lab.Patience()); got.Cause != c.want {
			t.Errorf("%s station ended with cause %s, want %s", c.b, got.Cause, c.want)
		}
	}

	// A cut link is noticed and comes back.
	lab.DropLink(t)
	ev.wait(t, orchestrator.MediaLinkDown, "", lab.Patience())
	lab.RestoreLink(t)
	ev.wait(t, orchestrator.MediaLinkUp, "", 2*lab.Patience())

	// The customer puts the phone down.
	lab.HangUpHandset(t, cust)
	if got := ev.wait(t, orchestrator.MediaHungUp, cust, lab.Patience()); got.Cause != orchestrator.CauseNormal {
		t.Errorf("customer's hang-up: cause %s, want normal", got.Cause)
	}
	must(a.Hangup(ctx(), agent, orchestrator.CauseNormal), "hang up agent")
	ev.wait(t, orchestrator.MediaHungUp, agent, lab.Patience())
	t.Logf("events: %v", ev.list())
}

// labEvents keeps every event an adapter reports, for wait to find.
type labEvents struct {
	mu     sync.Mutex
	events []orchestrator.MediaEvent
	seen   map[int]bool
	wake   chan struct{}
	done   chan struct{}
}

func collectEvents(a *Adapter) *labEvents {
	e := &labEvents{seen: map[int]bool{}, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go func() {
		defer close(e.done)
		for ev := range a.Events() {
			e.mu.Lock()
			e.events = append(e.events, ev)
			e.mu.Unlock()
			select {
			case e.wake <- struct{}{}:
			default:
			}
		}
	}()
	return e
}

// wait returns the first event of kind for leg ("" for any) not returned
// before.
func (e *labEvents) wait(t *testing.T, kind orchestrator.MediaEventKind, leg orchestrator.LegID, within time.Duration) orchestrator.MediaEvent {
	t.Helper()
	deadline := time.After(within)
	for {
		e.mu.Lock()
		for i, ev := range e.events {
			if !e.seen[i] && ev.Kind == kind && (leg == "" || ev.Leg == leg) {
				e.seen[i] = true
				e.mu.Unlock()
				return ev
			}
		}
		e.mu.Unlock()
		select {
		case <-e.wake:
		case <-deadline:
			t.Fatalf("no %s for %q within %v; events: %v", kind, leg, within, e.list())
		}
	}
}

func (e *labEvents) list() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]string, 0, len(e.events))
	for _, ev := range e.events {
		s := string(ev.Kind)
		if ev.Leg != "" {
			s += " " + string(ev.Leg)
		}
		if ev.Cause != "" {
			s += " " + string(ev.Cause)
		}
		out = append(out, s)
	}
	return out
}
