package ari

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/pbxsim"
)

// rig is an adapter connected over real HTTP and WebSocket to a pbxsim.
type rig struct {
	t   *testing.T
	sim *pbxsim.Sim
	a   *Adapter
	url string
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newRig(t *testing.T) *rig {
	t.Helper()
	return newRigWith(t, pbxsim.Options{})
}

// newRigWith is newRig on a Sim with options (a ManualClock, a recordings
// directory...).
func newRigWith(t *testing.T, opts pbxsim.Options) *rig {
	t.Helper()
	opts.Logger = quietLog()
	sim := pbxsim.New(opts)
	url, err := sim.ListenARI("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a := startAdapter(t, url)
	t.Cleanup(func() {
		_ = a.Close()
		_ = sim.Close()
	})
	r := &rig{t: t, sim: sim, a: a, url: url}
	r.expect(orchestrator.MediaLinkUp)
	return r
}

// startAdapter starts an adapter on the ARI at url, quick to reconnect.
func startAdapter(t *testing.T, url string) *Adapter {
	t.Helper()
	a, err := New(Options{
		URL: url, Username: "ringside", Password: "ringside", Logger: quietLog(),
		ConnectTimeout: 2 * time.Second, MinBackoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return a
}

func (r *rig) next() orchestrator.MediaEvent {
	r.t.Helper()
	select {
	case ev, ok := <-r.a.Events():
		if !ok {
			r.t.Fatal("Events closed")
		}
		return ev
	case <-time.After(3 * time.Second):
		r.t.Fatal("no media event within 3s")
	}
	return orchestrator.MediaEvent{}
}

// expect reads the next event and checks its kind (and leg, when given).
func (r *rig) expect(kind orchestrator.MediaEventKind, leg ...orchestrator.LegID) orchestrator.MediaEvent {
	r.t.Helper()
	ev := r.next()
	if ev.Kind != kind || (len(leg) > 0 && ev.Leg != leg[0]) {
		r.t.Fatalf("got %s %s (%s), want %s %v", ev.Kind, ev.Leg, ev.Cause, kind, leg)
	}
	if ev.At.IsZero() {
		r.t.Errorf("%s event has no time", ev.Kind)
	}
	return ev
}

func (r *rig) quiet(d time.Duration) {
	r.t.Helper()
	select {
	case ev := <-r.a.Events():
		r.t.Fatalf("unexpected %s %s (%s)", ev.Kind, ev.Leg, ev.Cause)
	case <-time.After(d):
	}
}

func (r *rig) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	r.t.Cleanup(cancel)
	return ctx
}

func (r *rig) must(err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) legState(id orchestrator.LegID) string {
	l, ok := r.sim.Leg(string(id))
	if !ok {
		r.t.Fatalf("pbxsim has no leg %s", id)
	}
	return l.State
}

func (r *rig) hears(from, to orchestrator.LegID) bool {
	r.t.Helper()
	ok, err := r.sim.Hears(string(from), string(to))
	r.must(err)
	return ok
}

// customer places a customer call and answers it through the adapter.
func (r *rig) customer() orchestrator.LegID {
	r.t.Helper()
	id, err := r.sim.PlaceCall("support", "5551234", nil)
	r.must(err)
	ev := r.expect(orchestrator.MediaIncoming, orchestrator.LegID(id))
	r.must(r.a.Answer(r.ctx(), ev.Leg))
	return ev.Leg
}

// agent dials an answering endpoint and waits for the answer.
func (r *rig) agent(leg orchestrator.LegID) {
	r.t.Helper()
	r.must(r.a.Dial(r.ctx(), orchestrator.DialRequest{Leg: leg, Endpoint: "SIM/answer", Timeout: 5 * time.Second}))
	r.expect(orchestrator.MediaRinging, leg)
	r.expect(orchestrator.MediaAnswered, leg)
}

// P2: a call entering from the dialplan carries its queue and variables.
func TestIncomingCallWithQueueAndVariables(t *testing.T) {
	r := newRig(t)
	id, err := r.sim.PlaceCall("support", "5551234", map[string]string{"account": "42", "reason": "billing"})
	r.must(err)
	ev := r.expect(orchestrator.MediaIncoming, orchestrator.LegID(id))
	if ev.Queue != "support" || ev.Caller != "5551234" {
		t.Errorf("incoming = %+v", ev)
	}
	if want := map[string]string{"account": "42", "reason": "billing"}; !maps.Equal(ev.Variables, want) {
		t.Errorf("variables = %v, want %v", ev.Variables, want)
	}
	r.must(r.a.Answer(r.ctx(), ev.Leg))
	if s := r.legState(ev.Leg); s != pbxsim.LegUp {
		t.Errorf("after Answer the leg is %s", s)
	}
	r.quiet(100 * time.Millisecond) // answering an incoming call is not MediaAnswered
}

func TestDialRingingThenAnswered(t *testing.T) {
	r := newRig(t)
	r.must(r.a.Dial(r.ctx(), orchestrator.DialRequest{
		Leg: "agent-1", Endpoint: "SIM/answer-after-200ms", CallerID: "5551234",
		Timeout: 5 * time.Second, Variables: map[string]string{"RINGSIDE_INTERACTION": "ix-1"},
	}))
	r.expect(orchestrator.MediaRinging, "agent-1")
	if s := r.legState("agent-1"); s != pbxsim.LegRinging {
		t.Errorf("leg is %s while ringing", s)
	}
	r.expect(orchestrator.MediaAnswered, "agent-1")
	if s := r.legState("agent-1"); s != pbxsim.LegUp {
		t.Errorf("leg is %s after answering", s)
	}
	r.quiet(100 * time.Millisecond) // Up, Dial ANSWER and StasisStart make one MediaAnswered
}

// PBX-NOTES: rung out → cause 19 → no_answer (A3 RONA relies on it).
func TestDialNoAnswer(t *testing.T) {
	r := newRig(t)
	r.must(r.a.Dial(r.ctx(), orchestrator.DialRequest{Leg: "agent-1", Endpoint: "SIM/noanswer", Timeout: time.Second}))
	r.expect(orchestrator.MediaRinging, "agent-1")
	if ev := r.expect(orchestrator.MediaHungUp, "agent-1"); ev.Cause != orchestrator.CauseNoAnswer {
		t.Errorf("cause %s, want no_answer", ev.Cause)
	}
}

// PBX-NOTES: busy shows in the dial status while the cause is 0.
func TestDialBusy(t *testing.T) {
	r := newRig(t)
	r.must(r.a.Dial(r.ctx(), orchestrator.DialRequest{Leg: "agent-1", Endpoint: "SIM/busy"}))
	if ev := r.expect(orchestrator.MediaHungUp, "agent-1"); ev.Cause != orchestrator.CauseBusy {
		t.Errorf("cause %s, want busy", ev.Cause)
	}
}

func TestDialRejectedByHandset(t *testing.T) {
	r := newRig(t)
	r.must(r.a.Dial(r.ctx(), orchestrator.DialRequest{Leg: "agent-1", Endpoint: "PJSIP/2001"}))
	r.expect(orchestrator.MediaRinging, "agent-1")
	r.must(r.sim.Reject("agent-1"))
	if ev := r.expect(orchestrator.MediaHungUp, "agent-1"); ev.Cause != orchestrator.CauseRejected {
		t.Errorf("cause %s, want rejected", ev.Cause)
	}
}

// A4/A9: legs joined to one room hear each other; out of it they do not.
func TestRoomJoinLeaveClose(t *testing.T) {
	r := newRig(t)
	cust := r.customer()
	r.agent("agent-1")
	ctx := r.ctx()

	r.must(r.a.NewRoom(ctx, "room-1"))
	r.must(r.a.Join(ctx, "room-1", cust))
	r.must(r.a.Join(ctx, "room-1", "agent-1"))
	if !r.hears(cust, "agent-1") || !r.hears("agent-1", cust) {
		t.Fatal("joined legs do not hear each other")
	}
	if l, _ := r.sim.Leg(string(cust)); l.Room != "room-1" {
		t.Errorf("customer is in room %q", l.Room)
	}

	r.must(r.a.Leave(ctx, "room-1", "agent-1"))
	if r.hears(cust, "agent-1") || r.hears("agent-1", cust) {
		t.Error("a leg that left still hears or is heard")
	}

	// Join moves a leg from its room into another.
	r.must(r.a.NewRoom(ctx, "room-2"))
	r.must(r.a.Join(ctx, "room-2", "agent-1"))
	r.must(r.a.Join(ctx, "room-2", cust))
	if !r.hears(cust, "agent-1") {
		t.Error("moved legs do not hear each other")
	}
	if l, _ := r.sim.Leg(string(cust)); l.Room != "room-2" {
		t.Errorf("customer is in room %q after the move", l.Room)
	}

	r.must(r.a.CloseRoom(ctx, "room-2"))
	if r.hears(cust, "agent-1") {
		t.Error("legs still connected after CloseRoom")
	}
	if r.legState(cust) != pbxsim.LegUp || r.legState("agent-1") != pbxsim.LegUp {
		t.Error("CloseRoom hung legs up")
	}
	r.must(r.a.CloseRoom(ctx, "room-1")) // empty rooms persist until closed
	r.quiet(100 * time.Millisecond)      // room changes are not media events
}

func TestHangupIsNormal(t *testing.T) {
	r := newRig(t)
	cust := r.customer()
	r.agent("agent-1")
	r.must(r.a.Hangup(r.ctx(), "agent-1", orchestrator.CauseNormal))
	if ev := r.expect(orchestrator.MediaHungUp, "agent-1"); ev.Cause != orchestrator.CauseNormal {
		t.Errorf("our hang-up: cause %s", ev.Cause)
	}
	r.must(r.sim.Hangup(string(cust))) // the customer puts the phone down
	if ev := r.expect(orchestrator.MediaHungUp, cust); ev.Cause != orchestrator.CauseNormal {
		t.Errorf("caller's hang-up: cause %s", ev.Cause)
	}
}

// A hang-up cause chosen by the orchestrator comes back as the same cause.
func TestHangupCauseRoundTrip(t *testing.T) {
	r := newRig(t)
	for i, c := range []orchestrator.Cause{orchestrator.CauseBusy, orchestrator.CauseNoAnswer, orchestrator.CauseRejected, orchestrator.CauseFailed} {
		leg := orchestrator.LegID("agent-" + string(rune('a'+i)))
		r.agent(leg)
		r.must(r.a.Hangup(r.ctx(), leg, c))
		if ev := r.expect(orchestrator.MediaHungUp, leg); ev.Cause != c {
			t.Errorf("hung up with %s, reported %s", c, ev.Cause)
		}
	}
}

func TestCommandErrors(t *testing.T) {
	r := newRig(t)
	ctx := r.ctx()
	r.must(r.a.NewRoom(ctx, "room-1"))
	cust := r.customer()

	cases := []struct {
		name     string
		err      error
		notFound bool
		code     orchestrator.Code
	}{
		{"answer unknown leg", r.a.Answer(ctx, "nope"), true, orchestrator.CodeNotFound},
		{"hangup unknown leg", r.a.Hangup(ctx, "nope", orchestrator.CauseNormal), true, orchestrator.CodeNotFound},
		{"join unknown leg", r.a.Join(ctx, "room-1", "nope"), true, orchestrator.CodeNotFound},
		{"join unknown room", r.a.Join(ctx, "nope", cust), true, orchestrator.CodeNotFound},
		{"close unknown room", r.a.CloseRoom(ctx, "nope"), true, orchestrator.CodeNotFound},
		{"leave a room the leg is not in", r.a.Leave(ctx, "room-1", cust), false, orchestrator.CodeConflict},
		{"room id in use", r.a.NewRoom(ctx, "room-1"), false, orchestrator.CodeConflict},
		{"bad dial string", r.a.Dial(ctx, orchestrator.DialRequest{Leg: "x", Endpoint: "nonsense"}), false, orchestrator.CodeInternal},
	}
	for _, c := range cases {
		if c.err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		if IsNotFound(c.err) != c.notFound || orchestrator.ErrorCode(c.err) != c.code {
			t.Errorf("%s: %v: not found %v, code %s; want %v, %s", c.name, c.err, IsNotFound(c.err), orchestrator.ErrorCode(c.err), c.notFound, c.code)
		}
	}
	err := r.a.Join(ctx, "room-1", "nope")
	if got := err.Error(); got != "ari: join leg nope room room-1: 400 Bad Request" {
		t.Errorf("error text %q names no leg and room", got)
	}
	// What the agent is told names what is gone: a missing room is not a
	// call that hung up while the call is still up.
	for _, c := range []struct {
		err  error
		want string
	}{
		{r.a.Join(ctx, "room-1", "nope"), "The call is no longer on the phone system."},
		{r.a.Join(ctx, "nope", cust), "The phone system no longer has this conversation."},
		{r.a.Answer(ctx, "nope"), "The call is no longer on the phone system."},
	} {
		if got := orchestrator.ErrorMessage(c.err); got != c.want {
			t.Errorf("%v tells the agent %q, want %q", c.err, got, c.want)
		}
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.a.Answer(cancelled, cust); err == nil {
		t.Error("a cancelled context was ignored")
	}
}

// P4: the link drops and comes back; events flow again afterwards.
func TestLinkDownAndUp(t *testing.T) {
	r := newRig(t)
	r.sim.DropLink()
	r.expect(orchestrator.MediaLinkDown)
	err := r.a.NewRoom(r.ctx(), "room-1")
	if orchestrator.ErrorCode(err) != orchestrator.CodeUnavailable {
		t.Errorf("command while the link is down: %v (code %s), want unavailable", err, orchestrator.ErrorCode(err))
	}
	time.Sleep(150 * time.Millisecond) // let a few reconnection attempts fail
	r.quiet(50 * time.Millisecond)     // no LinkUp while Asterisk is unreachable

	r.sim.RestoreLink()
	r.expect(orchestrator.MediaLinkUp)
	id, err := r.sim.PlaceCall("support", "555", nil)
	r.must(err)
	r.expect(orchestrator.MediaIncoming, orchestrator.LegID(id))
}

// A network that dies without closing the WebSocket is noticed by the
// periodic REST check: here REST stops answering while the socket stays
// open, and the adapter reports the link down, then up once REST is back.
func TestHealthCheckDropsSilentLink(t *testing.T) {
	sim := pbxsim.New(pbxsim.Options{Logger: quietLog()})
	defer sim.Close()
	var restDown atomic.Bool
	ariHandler := sim.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if restDown.Load() && !strings.HasSuffix(r.URL.Path, "/events") {
			time.Sleep(300 * time.Millisecond) // a black hole, not a refusal
			http.Error(w, "gone", http.StatusBadGateway)
			return
		}
		ariHandler.ServeHTTP(w, r)
	}))
	defer srv.Close()
	a, err := New(Options{
		URL: srv.URL + "/ari", Username: "ringside", Password: "ringside", Logger: quietLog(),
		ConnectTimeout: 100 * time.Millisecond, HealthInterval: 30 * time.Millisecond,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	r := &rig{t: t, sim: sim, a: a}
	r.expect(orchestrator.MediaLinkUp)
	r.quiet(150 * time.Millisecond) // healthy checks change nothing

	restDown.Store(true)
	r.expect(orchestrator.MediaLinkDown)
	restDown.Store(false)
	r.expect(orchestrator.MediaLinkUp)
}

// P4, S9: Ringside may start before Asterisk (or while it restarts, or
// with credentials ari.conf does not have yet): Start returns after one
// attempt, reports the link down so the banner shows, and connects as
// soon as Asterisk answers, without a restart of Ringside.
func TestStartWithAsteriskDown_P4(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nobody listens there now
	a, err := New(Options{
		URL: "http://" + addr + "/ari", Username: "ringside", Password: "ringside", Logger: quietLog(),
		ConnectTimeout: time.Second, MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	start := time.Now()
	if err := a.Start(context.Background()); err != nil {
		t.Fatalf("Start with Asterisk down: %v", err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("Start took %v", d)
	}
	r := &rig{t: t, a: a}
	r.expect(orchestrator.MediaLinkDown)
	r.quiet(100 * time.Millisecond)

	sim := pbxsim.New(pbxsim.Options{Logger: quietLog()})
	defer sim.Close()
	if _, err := sim.ListenARI(addr); err != nil {
		t.Fatal(err)
	}
	r.expect(orchestrator.MediaLinkUp)
	id, err := sim.PlaceCall("support", "555", nil)
	r.must(err)
	r.expect(orchestrator.MediaIncoming, orchestrator.LegID(id))
}

// Wrong credentials are not a crash either: the link stays down (and the
// reason is logged) until they are right.
func TestStartWithWrongPassword(t *testing.T) {
	sim := pbxsim.New(pbxsim.Options{Logger: quietLog()})
	defer sim.Close()
	url, err := sim.ListenARI("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Options{URL: url, Username: "ringside", Password: "wrong", Logger: quietLog(),
		ConnectTimeout: time.Second, MinBackoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	r := &rig{t: t, a: a}
	r.expect(orchestrator.MediaLinkDown)
	r.quiet(150 * time.Millisecond)
	_ = a.Close()
	if _, ok := <-a.Events(); ok {
		t.Error("Events not closed by Close")
	}
	if err := a.Start(context.Background()); err == nil {
		t.Error("Start after Close succeeded")
	}
	if _, err := New(Options{URL: "ftp://x/ari", Username: "u", Password: "p"}); err == nil {
		t.Error("New accepted a non-HTTP URL")
	}
}

func TestCloseEndsEvents(t *testing.T) {
	r := newRig(t)
	r.must(r.a.Close())
	select {
	case _, ok := <-r.a.Events():
		if ok {
			t.Error("event after Close")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Events not closed")
	}
	r.must(r.a.Close()) // idempotent
}
