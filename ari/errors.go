package ari

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/CyCoreSystems/ari/v6/client/native"

	"github.com/ringside/ringside/orchestrator"
)

// Error is a failed ARI command, naming the leg and room it concerned.
//
// It unwraps to the underlying error and, where the failure has a meaning
// the orchestrator can act on, to an *orchestrator.Error as well, so
// orchestrator.ErrorCode(err) reports not_found for a leg or room the PBX
// no longer has, conflict for a refusal in the current state, and
// unavailable when the PBX cannot be reached.
type Error struct {
	Op        string // dial, answer, hangup, music, join, leave, new room, close room, hold, record, pause/resume/stop recording, monitor, pause/resume/stop monitor
	Leg       orchestrator.LegID
	Room      orchestrator.RoomID
	Recording orchestrator.RecordingID
	Status    int // HTTP status Asterisk answered; 0 when it did not answer
	Err       error
}

func (e *Error) Error() string {
	where := ""
	if e.Leg != "" {
		where += " leg " + string(e.Leg)
	}
	if e.Room != "" {
		where += " room " + string(e.Room)
	}
	if e.Recording != "" {
		where += " recording " + string(e.Recording)
	}
	if e.Status != 0 {
		return fmt.Sprintf("ari: %s%s: %d %s", e.Op, where, e.Status, http.StatusText(e.Status))
	}
	return fmt.Sprintf("ari: %s%s: %v", e.Op, where, e.Err)
}

func (e *Error) Unwrap() []error {
	if app := e.appError(); app != nil {
		return []error{e.Err, app}
	}
	return []error{e.Err}
}

// NotFound reports whether Asterisk does not know the leg, room or
// recording. Its bridge calls answer an unknown channel with 400 "Channel
// not found" (resource_bridges.c), which ari/v6 cannot tell from other
// 400s, so on join, leave and hold (an addChannel) a 400 counts as not
// found too.
func (e *Error) NotFound() bool {
	return e.Status == http.StatusNotFound ||
		(e.Status == http.StatusBadRequest && (e.Op == "join" || e.Op == "leave" || e.Op == "hold"))
}

func (e *Error) appError() *orchestrator.Error {
	switch {
	case e.NotFound() && e.Recording != "" && e.Op != "record":
		return orchestrator.Errorf(orchestrator.CodeNotFound, "The recording is no longer running on the phone system.")
	case e.NotFound():
		return orchestrator.Errorf(orchestrator.CodeNotFound, "%s", e.notFoundText())
	case e.Status == http.StatusConflict || e.Status == http.StatusPreconditionFailed ||
		e.Status == http.StatusUnprocessableEntity:
		return orchestrator.Errorf(orchestrator.CodeConflict, "The phone system refused this in the call's current state.")
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return orchestrator.Errorf(orchestrator.CodeUnavailable, "The phone system refused the controller's credentials.")
	case e.Status == 0 && !errors.Is(e.Err, context.Canceled):
		// No answer at all: the request failed in transport or timed out.
		return orchestrator.Errorf(orchestrator.CodeUnavailable, "The phone system is not reachable.")
	}
	return nil
}

// notFoundText says what the PBX did not have. Asterisk answers 404 for
// the resource in the path (a bridge on the bridge calls, a channel on the
// channel calls) and 400 for a channel named in the query of a bridge
// call, so a 404 on an operation with a room is about the room: saying the
// call is gone would be wrong while it is still up.
func (e *Error) notFoundText() string {
	switch {
	case e.Status == http.StatusBadRequest || e.Room == "":
		return "The call is no longer on the phone system."
	case e.Op == "hold":
		return "The phone system lost the call's hold music bridge."
	case strings.HasPrefix(string(e.Room), monitorPrefix):
		return "The phone system no longer has this monitoring session."
	}
	return "The phone system no longer has this conversation."
}

// IsNotFound reports whether err says the PBX does not know the leg or
// room (it hung up, or was never there).
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.NotFound()
}

func wrapErr(op string, leg orchestrator.LegID, room orchestrator.RoomID, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Op: op, Leg: leg, Room: room, Status: statusOf(err), Err: err}
}

// statusOf is the HTTP status Asterisk answered a failed request with, or
// 0 when it did not answer.
func statusOf(err error) int {
	var re native.RequestError
	if errors.As(err, &re) {
		return re.Code()
	}
	return 0
}
