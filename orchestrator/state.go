package orchestrator

import (
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"time"
)

// Live state, owned by the loop goroutine. Nothing here is touched from
// anywhere else; views copy out of it.

type state struct {
	seq          uint64
	agents       map[int64]*agent
	interactions map[string]*interaction
	// legs maps every leg the orchestrator knows to its interaction, so a PBX
	// event finds its call in one look-up. Legs that are no longer wanted are
	// removed first, which makes late events for them harmless.
	legs map[LegID]*interaction
	// monitorLegs maps supervisors' monitoring legs to their monitor.
	monitorLegs map[LegID]*monitor
	monitors    int // names monitors uniquely within this run
	// boot tells this run's monitor names from a previous run's: after a
	// restart the count starts again, and the PBX may still hold the old
	// run's monitor bridge, snoops or supervisor leg under the same name
	// (Asterisk refuses a second bridge or channel of an id with 409).
	boot string
	// waiting holds queued interactions; routing orders them itself.
	waiting []*interaction
	linkUp  bool
	resync  resyncState // catching up after a lost link (P4, resync.go)
	// recovery holds the calls read back after a restart until the PBX
	// says which of their legs are left (P5, recover_legs.go).
	recovery recoveryState
	// down holds the parts of the system that are down and since when
	// (S9); see health.go.
	down map[Part]time.Time
}

func newState() *state {
	return &state{
		agents:       map[int64]*agent{},
		interactions: map[string]*interaction{},
		legs:         map[LegID]*interaction{},
		monitorLegs:  map[LegID]*monitor{},
		linkUp:       true,
		recovery:     recoveryState{pending: map[*interaction]*recovered{}},
		boot:         bootTag(),
	}
}

// bootTag is a short random tag for this run (6 hex digits).
func bootTag() string {
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		return strconv.FormatInt(time.Now().UnixNano()%0xffffff, 16)
	}
	return hex.EncodeToString(b)
}

// agent is one signed-in user.
type agent struct {
	user       User
	sessionID  int64
	role       string
	takesCalls bool // agent or supervisor_agent
	teamID     int64
	teamName   string
	station    StationView
	dialString string
	queues     []Queue // signed into (R1: their skills at sign-in)

	state  AgentState
	reason string
	since  time.Time
	// readySince is when the agent last became ready for calls; the longest
	// ready agent is offered the next call.
	readySince time.Time

	// current is the interaction offered to or handled by the agent, as its
	// handler or as the consulted agent; nil when none.
	current *interaction
	// wrapup is the after-call work the agent owes, if any (A12). It is kept
	// apart from current because the call may go on with someone else after
	// a transfer (A8.3).
	wrapup *wrapup
	// monitoring is the monitor this user runs as a supervisor (M1: one at
	// a time); monitoredBy the one watching this agent (M1: at most one).
	monitoring  *monitor
	monitoredBy *monitor
}

// wrapup is one agent's after-call work on an interaction.
type wrapup struct {
	ix       *interaction
	deadline time.Time // zero: no automatic end
	timer    Timer
}

// ready reports whether the agent may be offered a call (A2, R7).
func (a *agent) ready() bool {
	return a.takesCalls && a.current == nil && a.wrapup == nil && (a.state == StateAvailable || a.state == StateVirtual)
}

func (a *agent) inQueue(q string) bool {
	for _, x := range a.queues {
		if x.Name == q {
			return true
		}
	}
	return false
}

// interaction is one customer call from arrival to wrap-up.
type interaction struct {
	id       string
	queue    Queue
	caller   string
	vars     map[string]string
	versions map[string]int // per variable, for optimistic saves (A11.4)
	defs     []VariableDef
	customer LegID
	// agentLeg is the leg to the handling agent's station, or to the dial
	// number the call was transferred to; "" when none.
	agentLeg LegID
	room     RoomID // the customer's conversation; kept across transfers
	agent    *agent // the handling agent; nil while queued or with an outside number
	external string // the dial number handling the call after a transfer
	state    InteractionState
	held     bool // the customer is on hold (A5, A6.3)
	// busy is the change the PBX is making to the call right now; the
	// call's own commands wait for it (change.go).
	busy    *pbxBusy
	consult *consult
	rec     *recording
	// excluded agents are never offered this call again (A8.1: a queue
	// transfer does not route back to the transferring agent).
	excluded map[int64]bool
	// directed: the current offer is a blind transfer to one agent; if it is
	// not answered the call goes back to its original queue (A8.4).
	directed bool

	offers int // how many offers so far; names legs uniquely
	// restored: read back after a restart (P5). The previous run may have
	// left a consult room under a name this run would use again (a consult
	// waiting in a queue has no leg to tell its number).
	restored    bool
	arrivedAt   time.Time
	offeredAt   time.Time
	answered    time.Time
	ended       time.Time
	wrappedAt   time.Time
	wrapupCode  string
	lastAgentID int64 // keeps who last had the call after an offer is withdrawn

	ringTimer Timer
	// media serialises this call's PBX commands so they reach the PBX in
	// the order the loop decided them.
	media serial
}

// consult is agent 1 talking to a second party while the call is held (A6).
type consult struct {
	target     Target
	with       PartyView
	agent      *agent // the consulted agent; nil for a dial number or a queue consult still waiting
	endpoint   string // what is dialled for the consulted party
	leg        LegID
	room       RoomID
	state      string // ConsultQueued, ConsultConnecting, ConsultRinging, ConsultConnected
	held       string // "customer" or "consulted": who agent 1 is not talking to
	conference bool
	ringTimer  Timer
	// prevState and prevReason restore the consulted agent afterwards: a
	// consult is not a call of theirs and leaves no wrap-up (A7).
	prevState  AgentState
	prevReason string
	// queue is set for a consult to a queue (A6.1): it waits there until an
	// agent of that queue is ready, and goes back to waiting when the
	// offered agent does not answer (consult_queue.go). queuedAt is when it
	// started waiting, kept across RONAs as a call keeps its arrival time;
	// offered counts the agents it has been offered to.
	queue    *Queue
	queuedAt time.Time
	offered  int
}

// recording is the call's recording (A10).
type recording struct {
	id        RecordingID
	paused    bool
	resumesAt time.Time
	timer     Timer
	stopped   bool
	// segment counts the files of this call's recording. The PBX ends a
	// room's recording when the room empties (a consult, a blind transfer),
	// so the call goes on in a new file once people are back: gap marks the
	// time between.
	segment int
	gap     bool
}
