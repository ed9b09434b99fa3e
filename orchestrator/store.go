package orchestrator

import (
	"context"
	"time"
)

// Store is the persistence the orchestrator needs: provisioning reads and
// the records of what happened. A missing row is reported as an *Error with
// CodeNotFound; any other failure as a plain error.
type Store interface {
	User(ctx context.Context, id int64) (User, error)
	Team(ctx context.Context, id int64) (Team, error)
	Queue(ctx context.Context, id int64) (Queue, error)
	QueueByName(ctx context.Context, name string) (Queue, error)
	Queues(ctx context.Context) ([]Queue, error)
	ExtensionByNumber(ctx context.Context, number string) (Extension, error)
	IdleCodes(ctx context.Context) ([]IdleCode, error)
	WrapupCodes(ctx context.Context) ([]WrapupCode, error)
	VariableDefs(ctx context.Context) ([]VariableDef, error) // in Order

	// StartAgentSession stores a sign-in and returns its id.
	StartAgentSession(ctx context.Context, s AgentSessionRecord) (int64, error)
	EndAgentSession(ctx context.Context, id int64, at time.Time) error
	// RecordState appends to the agent state history (A13).
	RecordState(ctx context.Context, c StateChange) error
	// SaveInteraction inserts or updates the interaction by ID.
	SaveInteraction(ctx context.Context, r InteractionRecord) error
	AppendInteractionEvent(ctx context.Context, e InteractionEvent) error
	Audit(ctx context.Context, e AuditEntry) error

	// What a restarted controller picks up again (P5, recover.go).
	// OpenAgentSessions lists the sign-ins never ended, oldest first.
	OpenAgentSessions(ctx context.Context) ([]AgentSessionRecord, error)
	// LastSessionState is the latest state change stored for one sign-in;
	// an *Error with CodeNotFound when there is none.
	LastSessionState(ctx context.Context, userID, sessionID int64) (StateChange, error)
	// OpenInteractions lists the interactions not yet done, oldest first.
	OpenInteractions(ctx context.Context) ([]InteractionRecord, error)
	// InteractionEvents returns an interaction's timeline, oldest first.
	InteractionEvents(ctx context.Context, id string) ([]InteractionEvent, error)
}

// AgentSessionRecord is one sign-in of a user on a station.
type AgentSessionRecord struct {
	ID            int64
	UserID        int64
	Role          string // agent | supervisor | supervisor_agent
	StationType   StationType
	StationNumber string // extension number or dial number
	TeamID        int64
	StartedAt     time.Time
	EndedAt       time.Time // zero while signed in
}

// StateChange is one row of agent state history.
type StateChange struct {
	UserID    int64
	SessionID int64
	State     AgentState
	Reason    string // idle code, or why the state changed (rona, wrap-up code)
	At        time.Time
}

// InteractionRecord is the stored form of an interaction.
type InteractionRecord struct {
	ID         string
	Queue      string
	Caller     string
	AgentID    int64 // the agent who handled it; 0 if none yet
	State      InteractionState
	ArrivedAt  time.Time
	AnsweredAt time.Time // zero: not answered
	EndedAt    time.Time
	WrappedAt  time.Time
	WrapupCode string
	// Variables holds call variables; secure ones are stored as given and
	// only the store's reader decides who sees them.
	Variables map[string]string
	// CustomerLeg and AgentLeg are the PBX legs of the caller and of the
	// handler's station ("" for none), so a restarted controller can find
	// the call again on the PBX (P5).
	CustomerLeg LegID
	AgentLeg    LegID
}

// InteractionEvent is one step of an interaction's timeline.
type InteractionEvent struct {
	InteractionID string
	At            time.Time
	Kind          string // arrived, offered, rona, answered, ended, wrapped_up…
	UserID        int64  // the agent concerned, 0 for none
	Detail        string
}

// AuditEntry records who did what to whom (M7, A10.5, G1).
type AuditEntry struct {
	At            time.Time
	ActorID       int64
	Action        string
	TargetUserID  int64
	InteractionID string
	Detail        string
}
