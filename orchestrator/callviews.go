package orchestrator

import "time"

// Views of an interaction's call handling (A5–A11).

// Interaction roles: who is looking at the interaction.
const (
	RoleOwner     = "owner"     // the handling agent (agent 1)
	RoleConsulted = "consulted" // the agent brought in by a consult (agent 2)
)

// TargetType names what a consult or transfer goes to (A6.1, A8.1).
type TargetType string

const (
	TargetAgent      TargetType = "agent"
	TargetQueue      TargetType = "queue"
	TargetDialNumber TargetType = "dial_number"
)

// Target is a consult or transfer destination: an agent (ID = user id), a
// queue (ID = queue id) or a dial number (Number, A6.2 rules).
type Target struct {
	Type   TargetType `json:"type"`
	ID     int64      `json:"id,omitempty"`
	Number string     `json:"number,omitempty"`
}

// TransferMode is blind (straight from the call) or consult (to the party
// being consulted) (A8.2).
type TransferMode string

const (
	TransferBlind   TransferMode = "blind"
	TransferConsult TransferMode = "consult"
)

// Action names, the keys of InteractionView.Actions.
const (
	ActionHold            = "hold"
	ActionResume          = "resume"           // resume the customer
	ActionResumeConsulted = "resume_consulted" // resume the consulted party
	ActionEnd             = "end"
	ActionConsult         = "consult"
	ActionEndConsult      = "consult_end"
	ActionExitConsult     = "consult_exit"
	ActionTransfer        = "transfer"
	ActionConference      = "conference"
	ActionPauseRecording  = "recording_pause"
	ActionResumeRecording = "recording_resume"
	ActionWrapup          = "wrapup"
)

// ActionView says whether the viewer may take an action now, and if not, why
// (shown on the disabled button).
type ActionView struct {
	Allowed bool   `json:"allowed"`
	Reason  string `json:"reason,omitempty"`
}

// Recording states.
const (
	RecordingActive  = "recording"
	RecordingPaused  = "paused"
	RecordingStopped = "stopped"
)

// RecordingView is the recording indicator (A10.2).
type RecordingView struct {
	State string `json:"state"`
	// ResumesAt is when the privacy shield resumes a paused recording (A10.3).
	ResumesAt time.Time `json:"resumes_at,omitzero"`
}

// PartyView names another agent or number in a call (A1 consult popover).
type PartyView struct {
	UserID  int64  `json:"user_id,omitempty"`
	Name    string `json:"name"`
	Station string `json:"station,omitempty"` // the agent's DN
	Team    string `json:"team,omitempty"`
}

// Consult states.
const (
	ConsultQueued     = "queued"     // a consult to a queue waiting for a ready agent of it
	ConsultConnecting = "connecting" // dialling or routing to the target
	ConsultRinging    = "ringing"
	ConsultConnected  = "connected"
)

// ConsultView is the consult in progress (A6).
type ConsultView struct {
	Target Target    `json:"target"`
	With   PartyView `json:"with"` // the consulted agent, queue or number
	State  string    `json:"state"`
	// Held is who is on hold now: "customer" or "consulted" (A6.3); "" in a
	// conference.
	Held       string `json:"held"`
	Conference bool   `json:"conference"`
	// Queue names the queue of a consult to a queue; Since is when it
	// started waiting there, set while it waits (state queued).
	Queue string    `json:"queue,omitempty"`
	Since time.Time `json:"since,omitzero"`
}

// TargetAgentView is an agent in the consult / transfer picker (A6.1, A8.1).
type TargetAgentView struct {
	UserID  int64      `json:"user_id"`
	Name    string     `json:"name"`
	State   AgentState `json:"state"`
	Station string     `json:"station"`
	TeamID  int64      `json:"team_id,omitempty"`
}
