package pbxsim

import (
	"sort"
	"time"
)

// Leg states as the demo's handset panel shows them.
const (
	LegRinging = "ringing" // dialled and not answered, or an unanswered customer call
	LegUp      = "up"
	LegHeld    = "held" // answered and on music on hold: channel MOH, or a holding bridge with MOH
	LegDown    = "down" // hung up
)

// Leg is a snapshot of one simulated channel.
type Leg struct {
	ID       string    `json:"id"`
	Endpoint string    `json:"endpoint"`
	State    string    `json:"state"`
	Room     string    `json:"room,omitempty"` // the bridge it is in
	Caller   string    `json:"caller,omitempty"`
	Inbound  bool      `json:"inbound"`         // a customer call (PlaceCall)
	Cause    int       `json:"cause,omitempty"` // hang-up cause once down
	Created  time.Time `json:"created"`
}

// Legs lists live and recently ended legs in creation order.
func (s *Sim) Legs() []Leg {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Leg, 0, len(s.order))
	for _, ch := range s.order {
		out = append(out, legOf(ch))
	}
	return out
}

// Leg returns one leg.
func (s *Sim) Leg(id string) (Leg, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.known[id]
	if ch == nil {
		return Leg{}, false
	}
	return legOf(ch), true
}

func legOf(ch *channel) Leg {
	l := Leg{
		ID: ch.id, Endpoint: ch.endpoint, Caller: ch.caller.number,
		Inbound: !ch.outbound && ch.snoop == nil, Cause: ch.cause, Created: ch.created,
	}
	switch {
	case ch.gone:
		l.State = LegDown
	case ch.state != stateUp:
		l.State = LegRinging
	case held(ch):
		l.State = LegHeld
	default:
		l.State = LegUp
	}
	if ch.bridge != nil {
		l.Room = ch.bridge.id
	}
	return l
}

// Hears reports whether audio from leg `from` reaches leg `to`, directly or
// relayed by snoop channels (spy and whisper, see snoop.go).
func (s *Sim) Hears(from, to string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, t := s.known[from], s.known[to]
	if f == nil || t == nil {
		return false, ErrNotFound
	}
	return heard(f, t, nil), nil
}

// HearsMusic reports whether a leg hears music on hold (its own, or its
// bridge's): audible music, so not a class that does not exist (see
// MusicClass).
func (s *Sim) HearsMusic(id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.known[id]
	if ch == nil {
		return false, ErrNotFound
	}
	return musicHeard(ch) != "", nil
}

// Bridges lists the ids of the bridges that exist, sorted, for tests.
func (s *Sim) Bridges() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.bridges))
	for id := range s.bridges {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
