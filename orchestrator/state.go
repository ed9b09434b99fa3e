package orchestrator

import "time"

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
	// waiting holds queued interactions; routing orders them itself.
	waiting []*interaction
	linkUp  bool
}

func newState() *state {
	return &state{
		agents:       map[int64]*agent{},
		interactions: map[string]*interaction{},
		legs:         map[LegID]*interaction{},
		linkUp:       true,
	}
}

// agent is one signed-in user.
type agent struct {
	user       User
	sessionID  int64
	role       string
	takesCalls bool // agent or supervisor_agent
	teamID     int64
	station    StationView
	dialString string
	queues     []Queue // signed into (R1: their skills at sign-in)

	state  AgentState
	reason string
	since  time.Time
	// readySince is when the agent last became ready for calls; the longest
	// ready agent is offered the next call.
	readySince time.Time

	current *interaction // offered, connected or in wrap-up
}

// ready reports whether the agent may be offered a call (A2, R7).
func (a *agent) ready() bool {
	return a.takesCalls && a.current == nil && (a.state == StateAvailable || a.state == StateVirtual)
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
	id         string
	queue      Queue
	caller     string
	vars       map[string]string
	defs       []VariableDef
	customer   LegID
	agentLeg   LegID // the leg to the agent's station; "" when none
	room       RoomID
	agent      *agent
	state      InteractionState
	offers     int // how many offers so far; names agent legs uniquely
	arrivedAt  time.Time
	offeredAt  time.Time
	answered   time.Time
	ended      time.Time
	wrapupBy   time.Time
	wrappedAt  time.Time
	wrapupCode string
	// lastAgentID keeps who last had the call after an offer is withdrawn.
	lastAgentID int64

	ringTimer   Timer
	wrapupTimer Timer
	// media serialises this call's PBX commands so they reach the PBX in
	// the order the loop decided them.
	media serial
}
