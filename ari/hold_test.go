package ari

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/pbxsim"
)

// simBridge is a bridge as GET /bridges shows it.
type simBridge struct {
	ID       string   `json:"id"`
	Type     string   `json:"bridge_type"`
	Channels []string `json:"channels"`
}

// bridges lists the PBX's bridges over ARI, as an operator would see them.
func (r *rig) bridges() []simBridge {
	r.t.Helper()
	req, _ := http.NewRequest("GET", r.url+"/bridges", nil)
	req.SetBasicAuth("ringside", "ringside")
	resp, err := http.DefaultClient.Do(req)
	r.must(err)
	defer resp.Body.Close()
	var out []simBridge
	r.must(json.NewDecoder(resp.Body).Decode(&out))
	return out
}

// holdingBridges lists the ids of the holding bridges on the PBX.
func (r *rig) holdingBridges() []string {
	r.t.Helper()
	var ids []string
	for _, b := range r.bridges() {
		if b.Type == "holding" {
			ids = append(ids, b.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// heldIn lists the legs sitting in holding bridges, one entry per bridge
// ("" for an empty one), sorted.
func (r *rig) heldIn() []string {
	r.t.Helper()
	var legs []string
	for _, b := range r.bridges() {
		if b.Type == "holding" {
			legs = append(legs, strings.Join(b.Channels, ","))
		}
	}
	slices.Sort(legs)
	return legs
}

// eventually polls cond for up to 2 s (for cleanup done in the background).
func (r *rig) eventually(what string, cond func() bool) {
	r.t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			r.t.Fatalf("not within 2s: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (r *rig) music(leg orchestrator.LegID) bool {
	r.t.Helper()
	m, err := r.sim.HearsMusic(string(leg))
	r.must(err)
	return m
}

// talking asserts that every pair of legs hears each other, both ways.
func (r *rig) talking(legs ...orchestrator.LegID) {
	r.t.Helper()
	for _, a := range legs {
		for _, b := range legs {
			if a != b && !r.hears(a, b) {
				r.t.Errorf("%s does not hear %s", b, a)
			}
		}
	}
}

// isolated asserts that leg hears none of others and none of them hears it.
func (r *rig) isolated(leg orchestrator.LegID, others ...orchestrator.LegID) {
	r.t.Helper()
	for _, o := range others {
		if r.hears(o, leg) {
			r.t.Errorf("%s hears %s", leg, o)
		}
		if r.hears(leg, o) {
			r.t.Errorf("%s hears %s", o, leg)
		}
	}
}

// onHold asserts the held state of a leg: music only, heard by nobody.
func (r *rig) onHold(leg orchestrator.LegID, others ...orchestrator.LegID) {
	r.t.Helper()
	if !r.music(leg) || r.legState(leg) != pbxsim.LegHeld {
		r.t.Errorf("%s: music %v, state %s; want music on hold", leg, r.music(leg), r.legState(leg))
	}
	r.isolated(leg, others...)
}

// A5: on hold the customer hears music only and the agent does not hear
// the customer; Join takes the customer off hold and leaves no holding
// bridge behind.
func TestHoldAndResume(t *testing.T) {
	r := newRig(t)
	cust := r.customer()
	r.agent("agent-1")
	ctx := r.ctx()
	r.must(r.a.NewRoom(ctx, "room-1"))
	r.must(r.a.Join(ctx, "room-1", cust))
	r.must(r.a.Join(ctx, "room-1", "agent-1"))

	r.must(r.a.Hold(ctx, cust, "default"))
	r.onHold(cust, "agent-1")
	if r.music("agent-1") {
		t.Error("the agent hears the hold music")
	}
	first := r.holdingBridges()
	if got := r.heldIn(); !slices.Equal(got, []string{string(cust)}) || !strings.HasPrefix(first[0], "hold-") {
		t.Errorf("holding bridges %v holding %v", first, got)
	}
	r.must(r.a.Hold(ctx, cust, "default")) // holding again is harmless: a new bridge, the old one goes
	r.onHold(cust, "agent-1")
	if got := r.holdingBridges(); len(got) != 1 || got[0] == first[0] {
		t.Errorf("holding bridges after a second hold: %v (first %v)", got, first)
	}

	r.must(r.a.Join(ctx, "room-1", cust))
	r.talking(cust, "agent-1")
	if r.music(cust) || r.legState(cust) != pbxsim.LegUp {
		t.Error("customer still on hold after Join")
	}
	if got := r.holdingBridges(); len(got) != 0 {
		t.Errorf("holding bridges left after resume: %v", got)
	}
	r.quiet(100 * time.Millisecond) // hold and resume are no media events
}

// A6.3 and A9 over the wire: consult (customer held, agent 1 with agent 2
// in a second room), resume (customer back with agent 1, agent 2 held),
// conference (all three in one room).
func TestConsultResumeConferenceAudio(t *testing.T) {
	r := newRig(t)
	cust := r.customer()
	r.agent("agent-1")
	ctx := r.ctx()
	r.must(r.a.NewRoom(ctx, "call"))
	r.must(r.a.Join(ctx, "call", cust))
	r.must(r.a.Join(ctx, "call", "agent-1"))

	// Consult: the customer is held; agent 1 moves to the consult room.
	r.must(r.a.Hold(ctx, cust, "default"))
	r.agent("agent-2")
	r.must(r.a.NewRoom(ctx, "consult"))
	r.must(r.a.Join(ctx, "consult", "agent-1"))
	r.must(r.a.Join(ctx, "consult", "agent-2"))
	r.onHold(cust, "agent-1", "agent-2") // the customer hears neither agent, neither hears the customer
	r.talking("agent-1", "agent-2")

	// Resume the customer: agent 1 back with the customer, agent 2 held.
	r.must(r.a.Join(ctx, "call", cust))
	r.must(r.a.Join(ctx, "call", "agent-1"))
	r.must(r.a.Hold(ctx, "agent-2", "default"))
	r.talking(cust, "agent-1")
	r.onHold("agent-2", cust, "agent-1") // the consulted agent hears neither
	if got := r.heldIn(); !slices.Equal(got, []string{"agent-2"}) {
		t.Errorf("holding bridges hold %v, want only agent 2", got)
	}

	// Conference: everyone in one room hears everyone, both directions.
	r.must(r.a.Join(ctx, "call", "agent-2"))
	r.talking(cust, "agent-1", "agent-2")
	for _, leg := range []orchestrator.LegID{cust, "agent-1", "agent-2"} {
		if r.music(leg) {
			t.Errorf("%s still hears music in the conference", leg)
		}
	}
	r.must(r.a.CloseRoom(ctx, "consult"))
	if got := r.bridges(); len(got) != 1 || got[0].ID != "call" || len(got[0].Channels) != 3 {
		t.Errorf("bridges after the conference: %+v, want only the call with 3 legs", got)
	}
}

// A held leg that hangs up (far end or our Hangup) takes its holding bridge
// with it.
func TestHoldingBridgeGoesWithTheLeg(t *testing.T) {
	r := newRig(t)
	cust := r.customer()
	r.agent("agent-1")
	ctx := r.ctx()
	r.must(r.a.Hold(ctx, cust, "default")) // a leg in no room can be held too
	r.must(r.a.Hold(ctx, "agent-1", "default"))
	r.onHold(cust, "agent-1")

	r.must(r.a.Hangup(ctx, "agent-1", orchestrator.CauseNormal))
	if got := r.heldIn(); !slices.Equal(got, []string{string(cust)}) {
		t.Errorf("after our hang-up: holding bridges hold %v", got)
	}
	r.expect(orchestrator.MediaHungUp, "agent-1")

	r.must(r.sim.Hangup(string(cust))) // the customer puts the phone down
	r.expect(orchestrator.MediaHungUp, cust)
	r.eventually("the customer's holding bridge is deleted", func() bool { return len(r.holdingBridges()) == 0 })
}

// Hold of a leg the PBX does not have fails with not_found and leaves no
// holding bridge; an empty leg id is invalid input.
func TestHoldErrors(t *testing.T) {
	r := newRig(t)
	ctx := r.ctx()
	err := r.a.Hold(ctx, "ghost", "default")
	if !IsNotFound(err) || orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
		t.Errorf("hold of an unknown leg: %v (code %s)", err, orchestrator.ErrorCode(err))
	}
	if !strings.Contains(err.Error(), "hold leg ghost room hold-") {
		t.Errorf("error text %q", err)
	}
	if got := r.bridges(); len(got) != 0 {
		t.Errorf("bridges left by a failed hold: %+v", got)
	}
	if err := r.a.Hold(ctx, "", "default"); orchestrator.ErrorCode(err) != orchestrator.CodeInvalid {
		t.Errorf("hold without a leg: %v", err)
	}
}

// After each connection the adapter deletes empty holding bridges (left by
// a lost link or an earlier controller) and adopts occupied ones, which a
// later Join then cleans up.
func TestHoldingBridgeSweep(t *testing.T) {
	r := newRig(t)
	cust := r.customer()
	r.agent("agent-1")
	ctx := r.ctx()
	r.must(r.a.NewRoom(ctx, "call"))
	r.must(r.a.Join(ctx, "call", "agent-1"))
	r.a.bg.Wait() // the sweep after Start is over: it must not see the half-made bridges below

	// What an earlier controller left: an empty holding bridge, one
	// whose leg is gone, and the customer on hold in another (named after
	// the leg, as this adapter names them); another application's holding
	// bridge is not ours to touch.
	r.post("/bridges/hold-ringside-0-1?type=holding&name=ghost")
	r.post("/bridges/hold-ringside-0-2?type=holding&name=agent-1")
	r.post("/bridges/hold-ringside-0-3?type=holding&name=" + string(cust))
	r.post("/bridges/hold-ringside-0-3/moh")
	r.post("/bridges/hold-ringside-0-3/addChannel?channel=" + string(cust) + "&role=participant")
	r.post("/bridges/hold-other-0-1?type=holding&name=x")

	r.sim.DropLink()
	r.expect(orchestrator.MediaLinkDown)
	r.sim.RestoreLink()
	r.expect(orchestrator.MediaLinkUp)
	want := []string{"hold-other-0-1", "hold-ringside-0-3"}
	r.eventually("the empty holding bridges are swept", func() bool { return slices.Equal(r.holdingBridges(), want) })
	r.a.bg.Wait() // the sweep may still be adopting the occupied bridge

	r.must(r.a.Join(ctx, "call", cust))
	r.talking(cust, "agent-1")
	if got := r.holdingBridges(); !slices.Equal(got, []string{"hold-other-0-1"}) {
		t.Errorf("adopted holding bridge left after Join: %v", got)
	}
}

// A5 after a queue wait, as measured on Asterisk 23.4.1: the caller waited
// on hold (a holding bridge with music), was answered into the call's
// room, and the agent then holds and resumes twice. Asterisk keeps a
// deleted holding bridge whose music still plays, and its id, for a while
// (pbxsim: DyingBridgeLinger): a hold that reused the id got 409 and 404
// and silently did not happen. Every hold must hold.
func TestHoldAgainAfterQueueWait_A5(t *testing.T) {
	r := newRig(t)
	cust := r.customer()
	r.agent("agent-1")
	ctx := r.ctx()
	r.must(r.a.Hold(ctx, cust, "default")) // waiting in the queue
	r.onHold(cust, "agent-1")
	r.must(r.a.NewRoom(ctx, "call"))
	r.must(r.a.Join(ctx, "call", cust)) // answered
	r.must(r.a.Join(ctx, "call", "agent-1"))
	r.talking(cust, "agent-1")
	for i := 0; i < 2; i++ {
		r.must(r.a.Hold(ctx, cust, "default"))
		r.onHold(cust, "agent-1")
		r.must(r.a.Join(ctx, "call", cust))
		r.talking(cust, "agent-1")
	}
}

// A5: the music is the class asked for; a class the PBX does not have
// plays silence (Asterisk answers 204 and logs "class not found"), which
// is why the class is a setting (docs/asterisk.md).
func TestHoldMusicClass_A5(t *testing.T) {
	r := newRigWith(t, pbxsim.Options{MusicClasses: []string{"ringside"}}) // no "default", as on many installs
	cust := r.customer()
	ctx := r.ctx()
	r.must(r.a.Hold(ctx, cust, "ringside"))
	if class, ok := r.sim.MusicClass(string(cust)); !ok || class != "ringside" {
		t.Errorf("held on class %q (%v), want ringside", class, ok)
	}
	r.must(r.a.Hold(ctx, cust, "default"))
	if r.music(cust) {
		t.Error("a class the PBX does not have plays music")
	}
}
