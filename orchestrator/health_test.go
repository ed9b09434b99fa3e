package orchestrator

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// healthEvents drains sub and returns the health events it carried.
func healthEvents(sub *Subscription) []HealthView {
	var out []HealthView
	for len(sub.Events) > 0 {
		if ev := <-sub.Events; ev.Type == EventHealth {
			if ev.Health == nil || ev.UserID != 0 {
				panic(fmt.Sprintf("malformed health event %+v", ev))
			}
			out = append(out, *ev.Health)
		}
	}
	return out
}

// parts lists the down parts of h, e.g. "[pbx]".
func parts(h HealthView) string {
	var p []string
	for _, d := range h.Down {
		p = append(p, string(d.Part))
	}
	return fmt.Sprint(p)
}

// desktops subscribes a signed-in agent, a user not signed in on a station,
// and a supervisor's SubscribeAll: S9 is for every connected desktop.
func desktops(h *harness) map[string]*Subscription {
	h.t.Helper()
	h.signIn(1, "2001")
	subs := map[string]*Subscription{}
	for name, f := range map[string]func() (*Subscription, error){
		"agent":      func() (*Subscription, error) { return h.o.Subscribe(h.ctx, 1) },
		"no station": func() (*Subscription, error) { return h.o.Subscribe(h.ctx, 2) },
		"supervisor": func() (*Subscription, error) { return h.o.SubscribeAll(h.ctx, 3) },
	} {
		s, err := f()
		if err != nil {
			h.t.Fatal(err)
		}
		h.t.Cleanup(s.Close)
		if len(s.Health.Down) != 0 {
			h.t.Fatalf("%s: snapshot health %+v before any outage", name, s.Health)
		}
		subs[name] = s
	}
	return subs
}

// wantHealth checks that every desktop got exactly the health events want.
func wantHealth(t *testing.T, subs map[string]*Subscription, want ...string) {
	t.Helper()
	for name, s := range subs {
		var got []string
		for _, hv := range healthEvents(s) {
			got = append(got, parts(hv))
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s desktop got health events %v, want %v", name, got, want)
		}
	}
}

// snapshotHealth is the health a desktop connecting now would see.
func snapshotHealth(h *harness) HealthView {
	h.t.Helper()
	s, err := h.o.Subscribe(h.ctx, 2)
	if err != nil {
		h.t.Fatal(err)
	}
	defer s.Close()
	return s.Health
}

// S9, P4: losing the PBX link puts the telephony banner on every desktop
// and into new snapshots; the link coming back clears it. A repeated report
// changes nothing and sends nothing.
func TestHealthPBXLinkBanner_S9_P4(t *testing.T) {
	h := newHarness(t)
	subs := desktops(h)

	h.emit(MediaEvent{Kind: MediaLinkDown})
	h.emit(MediaEvent{Kind: MediaLinkDown}) // no flapping noise
	wantHealth(t, subs, "[pbx]")
	snap := snapshotHealth(h)
	if parts(snap) != "[pbx]" || !strings.Contains(snap.Down[0].Text, "new calls cannot be offered") || !snap.Down[0].Since.Equal(h.clock.Now()) {
		t.Fatalf("snapshot during the outage: %+v", snap)
	}
	if h.o.PBXLinkUp() {
		t.Fatal("PBXLinkUp during the outage")
	}

	h.emit(MediaEvent{Kind: MediaLinkUp})
	h.emit(MediaEvent{Kind: MediaLinkUp})
	wantHealth(t, subs, "[]")
	if snap := snapshotHealth(h); len(snap.Down) != 0 || snap.Down == nil {
		t.Fatalf("snapshot after recovery: %+v (want an empty list)", snap)
	}
}

// S9: the database probe's reports reach every desktop on each change
// only, and both parts can be down at once.
func TestHealthDatabaseReports_S9(t *testing.T) {
	h := newHarness(t)
	subs := desktops(h)
	boom := errors.New("disk I/O error")

	h.o.ReportHealth(PartDatabase, boom)
	h.o.ReportHealth(PartDatabase, boom)
	h.sync()
	h.emit(MediaEvent{Kind: MediaLinkDown})
	h.o.ReportHealth(PartDatabase, nil)
	h.o.ReportHealth(PartDatabase, nil)
	h.sync()
	wantHealth(t, subs, "[database]", "[database pbx]", "[pbx]")

	h.o.ReportHealth(PartDatabase, boom)
	h.sync()
	snap := snapshotHealth(h)
	if parts(snap) != "[database pbx]" || !strings.Contains(snap.Down[0].Text, "sign-in, call data saving and history are unavailable") {
		t.Fatalf("snapshot with both down: %+v", snap)
	}
	if strings.Contains(snap.Down[0].Text, "disk I/O") {
		t.Fatalf("the banner shows an internal error: %q", snap.Down[0].Text)
	}
}

// S9: a write the orchestrator makes failing puts the database banner up at
// once, without waiting for the probe; the next write that works clears it.
// A record refused as invalid is a bug, not an outage: no banner.
func TestHealthFailedWriteRaisesBanner_S9(t *testing.T) {
	h := newHarness(t)
	subs := desktops(h)
	setWriteErr := func(err error) {
		h.store.mu.Lock()
		h.store.writeErr = err
		h.store.mu.Unlock()
	}

	setWriteErr(Errorf(CodeInvalid, "state: bad"))
	h.ok(h.o.SetState(h.ctx, 1, StateIdle, "break"), "idle, refused record")
	h.sync()
	wantHealth(t, subs)

	setWriteErr(errors.New("database or disk is full"))
	h.ok(h.o.SetState(h.ctx, 1, StateAvailable, ""), "available, failing write")
	h.sync()
	wantHealth(t, subs, "[database]")
	h.wantState(1, StateAvailable) // the live state goes on

	setWriteErr(nil)
	h.ok(h.o.SetState(h.ctx, 1, StateIdle, "break"), "idle, write works")
	h.sync()
	wantHealth(t, subs, "[]")
}
