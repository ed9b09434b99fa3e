package orchestrator

import "time"

// Views are what the orchestrator shows the outside: immutable copies of live
// state, safe to hand to the API and to serialise as JSON.

// AgentState is an agent's state (A13).
type AgentState string

const (
	StateLoggedOut AgentState = "logged_out"
	StateAvailable AgentState = "available"
	StateIdle      AgentState = "idle"
	StateRinging   AgentState = "ringing" // Connecting / Ringing: an offer is on the agent's station
	StateEngaged   AgentState = "engaged"
	StateWrapup    AgentState = "wrapup"
	StateRONA      AgentState = "rona"
	StateVirtual   AgentState = "virtual" // signed in on a virtual extension; counts as Available (R7)
)

// StationType is where an agent's audio goes (S4).
type StationType string

const (
	StationExtension  StationType = "extension"
	StationDialNumber StationType = "dial_number"
	StationBrowser    StationType = "browser"
)

// InteractionState is where an interaction is in its life.
type InteractionState string

const (
	InteractionQueued     InteractionState = "queued"     // waiting for an agent
	InteractionConnecting InteractionState = "connecting" // offered: the agent's station is being dialled
	InteractionRinging    InteractionState = "ringing"    // offered: the agent's station rings
	InteractionConnected  InteractionState = "connected"  // agent and customer talk
	InteractionWrapup     InteractionState = "wrapup"     // the call ended; the agent wraps up
	InteractionDone       InteractionState = "done"       // wrapped up, or abandoned before an answer
)

// StationView is the station an agent signed in on.
type StationView struct {
	Type    StationType `json:"type"`
	Number  string      `json:"number"`
	Virtual bool        `json:"virtual,omitempty"`
	// Mobile is the E.164 number a virtual extension rings through the
	// trunk (R3): its legs' endpoints carry that, not the extension number.
	Mobile string `json:"mobile,omitempty"`
}

// VariableView is one call variable as a particular viewer may see it.
type VariableView struct {
	Name     string `json:"name"`
	Label    string `json:"label"`
	Value    string `json:"value"` // "*****" for secure variables (A11.3)
	Secure   bool   `json:"secure,omitempty"`
	Editable bool   `json:"editable,omitempty"`
	Popover  bool   `json:"popover,omitempty"`
	// Version grows with each save; a save must name the version it read
	// (A11.4).
	Version int `json:"version"`
	// Type is text or datetime (ISO 8601), for the editor (A11.2).
	Type VariableType `json:"type,omitempty"`
}

// InteractionView is an interaction as its agent sees it.
type InteractionView struct {
	ID         string           `json:"id"`
	Queue      string           `json:"queue"`
	Caller     string           `json:"caller"`
	State      InteractionState `json:"state"`
	ArrivedAt  time.Time        `json:"arrived_at"`
	OfferedAt  time.Time        `json:"offered_at,omitzero"`
	AnsweredAt time.Time        `json:"answered_at,omitzero"`
	EndedAt    time.Time        `json:"ended_at,omitzero"`
	// WrapupDeadline is when the queue's wrap-up time ends the wrap-up by itself.
	WrapupDeadline time.Time      `json:"wrapup_deadline,omitzero"`
	Variables      []VariableView `json:"variables"`

	// Role is the viewer's part: owner (agent 1) or consulted (agent 2).
	Role string `json:"role"`
	// Held: the customer is on hold (A5).
	Held      bool           `json:"held"`
	Recording *RecordingView `json:"recording,omitempty"`
	Consult   *ConsultView   `json:"consult,omitempty"`
	// From is the requesting agent, for a consulted agent's popover (A1).
	From *PartyView `json:"from,omitempty"`
	// Actions is what the viewer may do now, with the reason when not (A7).
	Actions map[string]ActionView `json:"actions"`
}

// AgentView is a signed-in user as their desktop (and supervisors) see them.
type AgentView struct {
	UserID  int64       `json:"user_id"`
	Name    string      `json:"name"`
	Login   string      `json:"login"`
	Role    string      `json:"role"`
	TeamID  int64       `json:"team_id,omitempty"`
	State   AgentState  `json:"state"`
	Reason  string      `json:"reason,omitempty"` // idle code while Idle
	Since   time.Time   `json:"since"`
	Station StationView `json:"station"`
	Queues  []string    `json:"queues"`
	// Interaction is the one being offered, handled or wrapped up; nil when none.
	Interaction *InteractionView `json:"interaction"`
	// Monitoring is the session this supervisor runs (M1); MonitoredBy
	// names the supervisor monitoring this agent.
	Monitoring  *MonitorView `json:"monitoring,omitempty"`
	MonitoredBy string       `json:"monitored_by,omitempty"`
}

// Notice is a message for one desktop (a RONA prompt, a failure).
type Notice struct {
	Kind string `json:"kind"` // rona, info, error
	Text string `json:"text"`
}

// EventType names what an Event carries.
type EventType string

const (
	EventAgent  EventType = "agent"  // Agent is the user's new state (nil Agent: signed out)
	EventNotice EventType = "notice" // Notice for the user
	EventHealth EventType = "health" // Health: what is down now, for every desktop (S9)
)

// Event is one change pushed to desktops. Seq grows by one per event across
// the whole orchestrator, so a client can order deltas after its snapshot.
type Event struct {
	Seq    uint64      `json:"seq"`
	Type   EventType   `json:"type"`
	UserID int64       `json:"user_id"` // 0 for a health event, which goes to everyone
	Agent  *AgentView  `json:"agent,omitempty"`
	Notice *Notice     `json:"notice,omitempty"`
	Health *HealthView `json:"health,omitempty"`
}
