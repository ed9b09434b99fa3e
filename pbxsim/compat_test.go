package pbxsim

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/CyCoreSystems/ari/v6"
	"github.com/CyCoreSystems/ari/v6/client/native"
)

// waitFor returns the next event of type T on a subscription.
func waitFor[T ari.Event](t *testing.T, sub ari.Subscription, match func(T) bool) T {
	t.Helper()
	timeout := time.After(3 * time.Second)
	for {
		select {
		case e := <-sub.Events():
			if ev, ok := e.(T); ok && (match == nil || match(ev)) {
				return ev
			}
		case <-timeout:
			var zero T
			t.Fatalf("no %T within 3s", zero)
			return zero
		}
	}
}

// The unmodified ari/v6 native client, with its own WebSocket and JSON
// decoding, works against the simulator: what it parses is what Asterisk
// sends.
func TestNativeClientWorksUnchanged(t *testing.T) {
	h := newHarness(t, Options{})
	// Cancel rather than Close: Close races on the client's connected flag.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cl, err := native.ConnectWithContext(ctx, &native.Options{
		Application:  "ringside",
		URL:          h.url,
		WebsocketURL: "ws" + strings.TrimPrefix(h.url, "http") + "/events",
		Username:     "ringside",
		Password:     "ringside",
	})
	if err != nil {
		t.Fatal(err)
	}
	sub := cl.Bus().Subscribe(nil, ari.Events.All)
	defer sub.Cancel()

	info, err := cl.Asterisk().Info(nil)
	if err != nil || info.SystemInfo.EntityID == "" || info.SystemInfo.Version == "" {
		t.Fatalf("Info = %+v, %v", info, err)
	}

	// A customer call arrives; the client sees args, caller and variables.
	cust, err := h.sim.PlaceCall("support", "5551234", map[string]string{"account": "42"})
	if err != nil {
		t.Fatal(err)
	}
	start := waitFor(t, sub, func(e *ari.StasisStart) bool { return e.Channel.ID == cust })
	if len(start.Args) != 1 || start.Args[0] != "queue=support" ||
		start.Channel.Caller.Number != "5551234" || start.Channel.ChannelVars["RINGSIDE_VAR_account"] != "42" {
		t.Errorf("StasisStart decoded as %+v", start)
	}
	custKey := ari.NewKey(ari.ChannelKey, cust)
	if err := cl.Channel().Answer(custKey); err != nil {
		t.Fatal(err)
	}

	// Originate an agent leg with the client's own request encoding.
	agentKey := ari.NewKey(ari.ChannelKey, "agent-1")
	if _, err := cl.Channel().Originate(nil, ari.OriginateRequest{
		Endpoint: "SIM/answer-after-50ms", App: "ringside", AppArgs: "dialed", ChannelID: "agent-1",
		Timeout: 5, CallerID: "5551234", Variables: map[string]string{"RINGSIDE_INTERACTION": "ix-1"},
	}); err != nil {
		t.Fatal(err)
	}
	dial := waitFor(t, sub, func(e *ari.Dial) bool { return e.Dialstatus == "RINGING" })
	if dial.Peer.ID != "agent-1" {
		t.Errorf("Dial peer %q", dial.Peer.ID)
	}
	waitFor(t, sub, func(e *ari.StasisStart) bool { return e.Channel.ID == "agent-1" })

	// Bridge them with the client's bridge calls.
	br, err := cl.Bridge().Create(ari.NewKey(ari.BridgeKey, "room-1"), "mixing", "room-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := br.AddChannel(cust); err != nil {
		t.Fatal(err)
	}
	if err := br.AddChannel("agent-1"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, sub, func(e *ari.ChannelEnteredBridge) bool { return e.Channel.ID == "agent-1" })
	data, err := br.Data()
	if err != nil || len(data.ChannelIDs) != 2 || data.Type != "mixing" {
		t.Fatalf("bridge data %+v, %v", data, err)
	}
	if !hearsOrFail(t, h.sim, cust, "agent-1") || !hearsOrFail(t, h.sim, "agent-1", cust) {
		t.Error("bridged legs do not hear each other")
	}
	cd, err := cl.Channel().Data(custKey)
	if err != nil || cd.State != "Up" || cd.Creationtime == nil {
		t.Fatalf("channel data %+v, %v", cd, err)
	}
	if err := cl.Channel().MOH(custKey, ""); err != nil {
		t.Fatal(err)
	}
	if err := cl.Channel().StopMOH(custKey); err != nil {
		t.Fatal(err)
	}

	// Errors carry Asterisk's status.
	err = cl.Channel().Hangup(ari.NewKey(ari.ChannelKey, "nope"), "normal")
	if native.CodeFromError(err) != 404 {
		t.Errorf("hangup of an unknown channel: %v (code %d), want 404", err, native.CodeFromError(err))
	}

	if err := cl.Channel().Hangup(agentKey, "normal"); err != nil {
		t.Fatal(err)
	}
	gone := waitFor(t, sub, func(e *ari.ChannelDestroyed) bool { return e.Channel.ID == "agent-1" })
	if gone.Cause != 16 || gone.CauseTxt != "Normal Clearing" {
		t.Errorf("ChannelDestroyed %d %q", gone.Cause, gone.CauseTxt)
	}
	if err := br.Delete(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, sub, func(e *ari.BridgeDestroyed) bool { return e.Bridge.ID == "room-1" })
}
