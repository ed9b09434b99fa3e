package ari

import (
	"context"
	"errors"
	"time"

	ariv6 "github.com/CyCoreSystems/ari/v6"
	"github.com/CyCoreSystems/ari/v6/client/native"

	"github.com/ringside/ringside/orchestrator"
)

// The Media commands. Each is one ARI request; its outcome, beyond the
// request being accepted, arrives as events.

// Dial originates req.Leg into the application with appArgs "dialed". The
// intent is recorded first because Asterisk may report the leg before the
// originate returns. A zero Timeout leaves Asterisk's default (30 s);
// others are rounded up to whole seconds, ARI's unit.
func (a *Adapter) Dial(ctx context.Context, req orchestrator.DialRequest) error {
	if req.Leg == "" {
		return orchestrator.Errorf(orchestrator.CodeInvalid, "A dial needs a leg id.")
	}
	id := string(req.Leg)
	a.tr.expectDial(id)
	err := call(ctx, func() error {
		_, err := a.cl.Channel().Originate(nil, ariv6.OriginateRequest{
			Endpoint:  req.Endpoint,
			App:       a.opts.Application,
			AppArgs:   dialledArg,
			ChannelID: id,
			CallerID:  req.CallerID,
			Timeout:   timeoutSeconds(req.Timeout),
			Variables: req.Variables,
		})
		return err
	})
	var re native.RequestError
	if errors.As(err, &re) {
		// Asterisk refused: no leg, no events. (When the request merely
		// timed out the leg may exist, so the intent stays.)
		a.tr.forget(id)
	}
	return wrapErr("dial", req.Leg, "", err)
}

func timeoutSeconds(d time.Duration) int {
	if d <= 0 {
		return 0 // omitted: Asterisk's default
	}
	return int((d + time.Second - 1) / time.Second)
}

// Answer answers a call that entered the application.
func (a *Adapter) Answer(ctx context.Context, leg orchestrator.LegID) error {
	return wrapErr("answer", leg, "", call(ctx, func() error {
		return a.cl.Channel().Answer(channelKey(leg))
	}))
}

// Hangup hangs a leg up with the ARI reason that carries the cause, so the
// far end and the CDR see why. A held leg's holding bridge goes with it.
func (a *Adapter) Hangup(ctx context.Context, leg orchestrator.LegID, cause orchestrator.Cause) error {
	a.tr.expectHangup(string(leg), hangupCode(cause))
	err := call(ctx, func() error {
		return a.cl.Channel().Hangup(channelKey(leg), hangupReason(cause))
	})
	if err == nil || statusOf(err) == 404 {
		a.leftHold(ctx, leg)
	}
	return wrapErr("hangup", leg, "", err)
}

// NewRoom creates a mixing bridge whose id is the room id.
func (a *Adapter) NewRoom(ctx context.Context, room orchestrator.RoomID) error {
	return wrapErr("new room", "", room, call(ctx, func() error {
		_, err := a.cl.Bridge().Create(bridgeKey(room), "mixing", string(room))
		return err
	}))
}

// Join adds a leg to a room; Asterisk moves it out of any bridge it was in,
// which takes a held leg off hold. Its then empty holding bridge is
// deleted before Join returns.
func (a *Adapter) Join(ctx context.Context, room orchestrator.RoomID, leg orchestrator.LegID) error {
	err := call(ctx, func() error {
		return a.cl.Bridge().AddChannel(bridgeKey(room), string(leg))
	})
	if err == nil {
		a.leftHold(ctx, leg)
	}
	return wrapErr("join", leg, room, err)
}

// Leave takes a leg out of a room; it stays in the application, in silence.
func (a *Adapter) Leave(ctx context.Context, room orchestrator.RoomID, leg orchestrator.LegID) error {
	return wrapErr("leave", leg, room, call(ctx, func() error {
		return a.cl.Bridge().RemoveChannel(bridgeKey(room), string(leg))
	}))
}

// CloseRoom deletes the bridge; members left in it stay up, in no room.
func (a *Adapter) CloseRoom(ctx context.Context, room orchestrator.RoomID) error {
	return wrapErr("close room", "", room, call(ctx, func() error {
		return a.cl.Bridge().Delete(bridgeKey(room))
	}))
}

func channelKey(leg orchestrator.LegID) *ariv6.Key {
	return ariv6.NewKey(ariv6.ChannelKey, string(leg))
}

func bridgeKey(room orchestrator.RoomID) *ariv6.Key {
	return ariv6.NewKey(ariv6.BridgeKey, string(room))
}
