// Package mediatest is the Media port's conformance suite: what every
// adapter (ARI, ESL) must do, judged by who hears whom and by the events
// it reports, not by the requests it sends. Run it with a Lab: a PBX the
// suite can place calls on and listen to. The ari package runs it on
// pbxsim in CI and, with `go test -tags pbx`, on a real Asterisk whose
// handsets are dialplan channels that play a tone of their own and record
// what they hear (docs/testing.md).
//
// The suite knows nothing of any PBX: every scenario goes through the
// orchestrator.Media port and the Lab, so the FreeSWITCH adapter runs the
// same table.
package mediatest

import (
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// Adapter is a Media port under test: started, its first event is
// MediaLinkUp. The suite closes it.
type Adapter interface {
	orchestrator.Media
	Close() error
}

// Behavior is what a dialled handset does.
type Behavior string

const (
	Answer   Behavior = "answer"   // rings briefly, then answers
	NoAnswer Behavior = "noanswer" // rings until the dial times out
	Busy     Behavior = "busy"     // answers busy
	Reject   Behavior = "reject"   // declines the call while ringing
)

// Lab is a PBX with handsets: the far ends of the legs, which the suite
// dials, makes call in, hangs up and listens to.
type Lab interface {
	// Connect returns a new adapter on the lab's PBX, started; its first
	// event is MediaLinkUp. One adapter runs at a time: the suite closes
	// it at the end of each scenario.
	Connect(t *testing.T) Adapter
	// Station returns the dial string of a new handset that the suite will
	// dial as leg (DialRequest.Leg), behaving as b. Once answered it is
	// heard by whoever is bridged with the leg and hears them.
	Station(t *testing.T, leg orchestrator.LegID, b Behavior) string
	// Call makes a customer call enter the application, as the dialplan
	// would (Asterisk Stasis(), FreeSWITCH park), for queue with call
	// variables; it returns the leg the MediaIncoming will name and the
	// caller's number it will carry. The customer's handset is heard, and
	// hears, once the application has answered the leg.
	Call(t *testing.T, queue string, vars map[string]string) (leg orchestrator.LegID, caller string)
	// HangUpHandset puts the party's phone down: the hang-up comes from
	// the far end, not from the application.
	HangUpHandset(t *testing.T, leg orchestrator.LegID)
	// Listen judges who hears whom among legs and who hears music on hold:
	// a simulator answers for the moment it is asked, a real PBX for a
	// short window from what each handset recorded. Every leg must be
	// answered.
	Listen(t *testing.T, legs ...orchestrator.LegID) Heard
	// Continuous runs action and reports whether to heard from without a
	// break the whole time, and if not, where the break was.
	Continuous(t *testing.T, from, to orchestrator.LegID, action func()) (ok bool, detail string)
	// RecordingFile returns the WAV file of a finished recording.
	RecordingFile(t *testing.T, rec orchestrator.RecordingID) []byte
	// Music returns a music class the PBX has and one it does not.
	Music() (have, missing string)
	// DropLink cuts the adapter's control link the way a network failure
	// does; calls carry on. RestoreLink lets it reconnect.
	DropLink(t *testing.T)
	RestoreLink(t *testing.T)
	// Patience is how long to wait for an event or a change: a real PBX
	// takes longer than a simulator.
	Patience() time.Duration
}

// Heard is Lab.Listen's verdict.
type Heard struct {
	pairs map[[2]orchestrator.LegID]bool // [from, to]
	music map[orchestrator.LegID]bool
}

// NewHeard starts an empty verdict, for labs to fill.
func NewHeard() Heard {
	return Heard{pairs: map[[2]orchestrator.LegID]bool{}, music: map[orchestrator.LegID]bool{}}
}

// Set records that to hears from.
func (h Heard) Set(from, to orchestrator.LegID) { h.pairs[[2]orchestrator.LegID{from, to}] = true }

// SetMusic records that leg hears music on hold.
func (h Heard) SetMusic(leg orchestrator.LegID) { h.music[leg] = true }

// Hears reports whether to hears from.
func (h Heard) Hears(from, to orchestrator.LegID) bool {
	return h.pairs[[2]orchestrator.LegID{from, to}]
}

// Music reports whether leg hears music on hold.
func (h Heard) Music(leg orchestrator.LegID) bool { return h.music[leg] }
