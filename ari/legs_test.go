package ari

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// post sends one raw ARI request to the Sim, as another client would.
func (r *rig) post(path string) {
	r.t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.url+path, nil)
	r.must(err)
	req.SetBasicAuth("ringside", "ringside")
	resp, err := http.DefaultClient.Do(req)
	r.must(err)
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		r.t.Fatalf("POST %s: %d", path, resp.StatusCode)
	}
}

func (r *rig) legs(a *Adapter) map[orchestrator.LegID]bool {
	r.t.Helper()
	list, err := a.Legs(r.ctx())
	r.must(err)
	out := map[orchestrator.LegID]bool{}
	for _, l := range list {
		out[l.Leg] = l.Answered
	}
	return out
}

func sortedKeys(m map[orchestrator.LegID]bool) []orchestrator.LegID {
	var ks []orchestrator.LegID
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// P4: Legs lists the application's live legs with whether each answered:
// a customer call before and after the app answers it, a ringing and an
// answered dialled leg. Another application's channel and the adapter's
// snoop channels are not listed, nor a leg that hung up.
func TestLegsListsOwnLegs_P4(t *testing.T) {
	r := newRig(t)
	id, err := r.sim.PlaceCall("support", "5551234", nil)
	r.must(err)
	cust := r.expect(orchestrator.MediaIncoming, orchestrator.LegID(id)).Leg
	if got := r.legs(r.a); len(got) != 1 || got[cust] {
		t.Fatalf("unanswered customer: %v", got)
	}
	r.must(r.a.Answer(r.ctx(), cust))
	r.agent("agent-1")
	r.must(r.a.Dial(r.ctx(), orchestrator.DialRequest{Leg: "agent-2", Endpoint: "PJSIP/2002", Timeout: 5 * time.Second}))
	r.expect(orchestrator.MediaRinging, "agent-2")
	r.must(r.a.Dial(r.ctx(), orchestrator.DialRequest{Leg: "gone-1", Endpoint: "SIM/busy"}))
	r.expect(orchestrator.MediaHungUp, "gone-1")
	r.post("/channels?endpoint=PJSIP/9999&app=other&channelId=foreign-1") // rings for another application
	r.post("/channels/" + string(cust) + "/snoop?spy=both&app=ringside&appArgs=snoop&snoopId=snoop-1")

	got := r.legs(r.a)
	want := map[orchestrator.LegID]bool{cust: true, "agent-1": true, "agent-2": false}
	if len(got) != len(want) {
		t.Fatalf("legs %v, want %v", sortedKeys(got), sortedKeys(want))
	}
	for leg, answered := range want {
		if a, ok := got[leg]; !ok || a != answered {
			t.Errorf("leg %s: listed %v answered %v, want answered %v", leg, ok, a, answered)
		}
	}
}

// P4: what happened while the link was down shows in Legs once it is
// back: the caller who hung up is gone, the call still up is listed
// answered. While the link is down Legs fails as unavailable.
func TestLegsAfterOutage_P4(t *testing.T) {
	r := newRig(t)
	cust := r.customer()
	r.agent("agent-1")
	r.must(r.a.Dial(r.ctx(), orchestrator.DialRequest{Leg: "agent-2", Endpoint: "PJSIP/2002", Timeout: 5 * time.Second}))
	r.expect(orchestrator.MediaRinging, "agent-2")

	r.sim.DropLink()
	r.expect(orchestrator.MediaLinkDown)
	if _, err := r.a.Legs(r.ctx()); orchestrator.ErrorCode(err) != orchestrator.CodeUnavailable {
		t.Errorf("Legs while the link is down: %v (code %s), want unavailable", err, orchestrator.ErrorCode(err))
	}
	r.must(r.sim.Hangup(string(cust)))
	// Answered with no WebSocket for the application: Asterisk hangs it up.
	r.must(r.sim.Answer("agent-2"))
	r.sim.RestoreLink()
	r.expect(orchestrator.MediaLinkUp)
	r.quiet(100 * time.Millisecond) // the events are lost, as on Asterisk

	got := r.legs(r.a)
	if len(got) != 1 || !got["agent-1"] {
		t.Fatalf("legs after the outage: %v, want only agent-1 answered", got)
	}
	// The adapter forgets the call whose StasisEnd was lost; it keeps
	// the ones still there.
	if known, _ := r.a.tr.knows(string(cust)); known {
		t.Error("the adapter still tracks the customer who hung up during the outage")
	}
	if known, _ := r.a.tr.knows("agent-1"); !known {
		t.Error("the adapter forgot a leg that is still up")
	}
}

// P5 groundwork: an adapter that never saw the calls (a restarted
// controller) still finds the legs in Stasis for its application; a
// dialled leg still ringing is not in Stasis yet and unknown to it.
func TestLegsOfAFreshAdapter_P5(t *testing.T) {
	r := newRig(t)
	cust := r.customer()
	r.agent("agent-1")
	r.must(r.a.Dial(r.ctx(), orchestrator.DialRequest{Leg: "agent-2", Endpoint: "PJSIP/2002", Timeout: 5 * time.Second}))
	r.expect(orchestrator.MediaRinging, "agent-2")

	fresh, err := New(Options{URL: r.url, Username: "ringside", Password: "ringside", Logger: quietLog()})
	r.must(err)
	defer fresh.Close()
	got := r.legs(fresh)
	if len(got) != 2 || !got[cust] || !got["agent-1"] {
		t.Fatalf("legs seen by a fresh adapter: %v", got)
	}

	bad, err := New(Options{URL: r.url, Username: "ringside", Password: "wrong", Logger: quietLog()})
	r.must(err)
	defer bad.Close()
	if _, err := bad.Legs(r.ctx()); orchestrator.ErrorCode(err) != orchestrator.CodeUnavailable {
		t.Errorf("Legs with a wrong password: %v (code %s)", err, orchestrator.ErrorCode(err))
	}
}
