package orchestrator

import (
	"context"
	"time"
)

// The Media port: what the orchestrator asks of a PBX, in terms of meaning.
// The ari package implements it on Asterisk ARI, esl on FreeSWITCH ESL.
//
// Ids are chosen by the orchestrator before it asks (PBX-NOTES: Asterisk may
// send a leg's events before the REST call that made it returns), so every
// event can be matched to an intent already recorded.

// LegID names one call leg (an ARI channel id, a FreeSWITCH UUID).
type LegID string

// RoomID names one conversation (an ARI mixing bridge, a FreeSWITCH bridge
// or conference). Ids starting "hold-" are the ARI adapter's own.
type RoomID string

// RecordingID names one recording; it is also its file's base name, so it
// holds only letters, digits, '-' and '_'.
type RecordingID string

// MonitorID names one supervisor's monitoring of one agent's call.
type MonitorID string

// MonitorMode is what a monitoring supervisor hears and who hears them.
type MonitorMode string

const (
	MonitorListen  MonitorMode = "listen"
	MonitorWhisper MonitorMode = "whisper"
	MonitorBarge   MonitorMode = "barge"
)

// Cause says why a leg ended.
type Cause string

const (
	CauseNormal   Cause = "normal"
	CauseBusy     Cause = "busy"
	CauseNoAnswer Cause = "no_answer" // rang out: Asterisk cause 19, FreeSWITCH NO_ANSWER
	CauseRejected Cause = "rejected"  // the device declined the call
	CauseFailed   Cause = "failed"    // unreachable, congestion, anything else
)

// DialRequest places an outbound leg to a station, mobile or dial number.
type DialRequest struct {
	Leg       LegID  // chosen by the caller
	Endpoint  string // PBX dial string, e.g. PJSIP/2001 or PJSIP/+4930123@trunk
	CallerID  string // shown on the station
	Timeout   time.Duration
	Variables map[string]string // channel variables for the new leg
}

// LegStatus is one leg the PBX still has.
type LegStatus struct {
	Leg LegID
	// Answered: the leg is answered and under the controller's control,
	// what MediaAnswered reports for a dialled leg (Asterisk: state Up and
	// in the Stasis application; a ringing leg is Ring, Ringing or Down).
	Answered bool
}

// Media drives the PBX. Every method may be slow; the orchestrator calls them
// outside its event loop and learns the outcome from Events.
type Media interface {
	// Dial places a leg. A refusal may come back as the error or, on PBXes
	// that answer later (FreeSWITCH bgapi), as MediaHungUp with CauseFailed.
	Dial(ctx context.Context, req DialRequest) error
	Answer(ctx context.Context, leg LegID) error
	Hangup(ctx context.Context, leg LegID, cause Cause) error
	NewRoom(ctx context.Context, room RoomID) error
	// Join puts a leg into a room, moving it out of any room it was in
	// (which takes a held leg off hold).
	Join(ctx context.Context, room RoomID, leg LegID) error
	Leave(ctx context.Context, room RoomID, leg LegID) error
	CloseRoom(ctx context.Context, room RoomID) error
	// Hold takes a leg out of its room, or holds a leg in no room (a
	// caller waiting in a queue): it hears the music class music and
	// nobody hears it (A5). A later Join takes it off hold into a room.
	// music is the PBX's name for a music source (Asterisk: a
	// musiconhold.conf class); the orchestrator always names one, because
	// a PBX's own default may not exist (a class that does not exist
	// plays silence on Asterisk, PBX-NOTES).
	Hold(ctx context.Context, leg LegID, music string) error
	// Record starts recording a room's conversation into rec (A10.1); the
	// name is chosen by the orchestrator. A paused recording leaves the
	// paused span out of the file (A10.2). The PBX ends a room's recording
	// when the room empties (Asterisk's recorder leaves a lonely bridge), so
	// the orchestrator continues in a new file when people are back.
	Record(ctx context.Context, room RoomID, rec RecordingID) error
	PauseRecording(ctx context.Context, rec RecordingID) error
	ResumeRecording(ctx context.Context, rec RecordingID) error
	StopRecording(ctx context.Context, rec RecordingID) error
	// Monitor lets a supervisor's answered leg listen to the call of the
	// target leg (an agent's station): in listen mode the supervisor hears
	// both sides and nobody hears the supervisor (M2); whisper: the agent
	// alone hears the supervisor (M7); barge: all hear each other (M4).
	// Changes of mode are make-before-break, so audio never drops.
	Monitor(ctx context.Context, id MonitorID, supervisor, target LegID, mode MonitorMode) error
	SetMonitorMode(ctx context.Context, id MonitorID, mode MonitorMode) error
	// PauseMonitor silences what the supervisor hears (M3); ResumeMonitor
	// restores it.
	PauseMonitor(ctx context.Context, id MonitorID) error
	ResumeMonitor(ctx context.Context, id MonitorID) error
	StopMonitor(ctx context.Context, id MonitorID) error
	// MoveMonitor points a monitor at another target leg (the call went to
	// another agent of the team, M5.4), keeping the supervisor's leg, mode
	// and pause. Make-before-break, like a mode change; an old target that
	// is already gone is fine.
	MoveMonitor(ctx context.Context, id MonitorID, target LegID) error
	// Legs lists this controller's legs that the PBX still has: the legs it
	// dialled and the calls that entered its application, whether or not
	// the orchestrator still tracks them. After a lost link it tells the
	// orchestrator what the events it missed would have said (P4).
	// Asterisk: GET /channels; FreeSWITCH: show channels.
	Legs(ctx context.Context) ([]LegStatus, error)
	// Events delivers what happened on the PBX, in order. The channel is
	// closed when the adapter stops.
	Events() <-chan MediaEvent
}

// MediaEventKind names what happened on the PBX.
type MediaEventKind string

const (
	// MediaIncoming: a customer call entered the application (Leg, Queue,
	// Caller, Variables).
	MediaIncoming MediaEventKind = "incoming"
	MediaRinging  MediaEventKind = "ringing" // a dialled leg is ringing
	// MediaAnswered: a dialled leg answered and is ready to Join a room
	// (Asterisk: StasisStart of the originated channel; FreeSWITCH: CHANNEL_PARK).
	MediaAnswered MediaEventKind = "answered"
	MediaHungUp   MediaEventKind = "hung_up" // a leg ended (Cause); before an answer this is a failed dial
	// MediaLinkDown: the control link is lost; events meanwhile are lost
	// too. MediaLinkUp: it is back (also reported for the first
	// connection). After a MediaLinkDown the orchestrator catches up by
	// asking Legs (resync.go).
	MediaLinkDown MediaEventKind = "link_down"
	MediaLinkUp   MediaEventKind = "link_up"
)

// MediaEvent is one thing the PBX reported.
type MediaEvent struct {
	Kind      MediaEventKind
	Leg       LegID
	Queue     string
	Caller    string
	Variables map[string]string // call variables without the RINGSIDE_VAR_ prefix
	Cause     Cause
	At        time.Time
}
