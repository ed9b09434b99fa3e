package mediatest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// session is one scenario's adapter, the events it reported and the legs
// and rooms it made.
type session struct {
	t     *testing.T
	lab   Lab
	m     Adapter
	tag   string // keeps this run's ids apart from any other on the PBX
	n     int
	names map[orchestrator.LegID]string
	legs  []orchestrator.LegID
	rooms []orchestrator.RoomID

	mu     sync.Mutex
	events []orchestrator.MediaEvent
	seen   int // events before this index have been matched or skipped
	wake   chan struct{}
	done   chan struct{}
}

func newSession(t *testing.T, lab Lab) *session {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	s := &session{
		t: t, lab: lab, tag: hex.EncodeToString(b), names: map[orchestrator.LegID]string{},
		wake: make(chan struct{}, 1), done: make(chan struct{}),
	}
	s.m = lab.Connect(t)
	go s.collect()
	s.wait(orchestrator.MediaLinkUp, "")
	return s
}

// collect keeps every event the adapter reports, for wait to find.
func (s *session) collect() {
	defer close(s.done)
	for ev := range s.m.Events() {
		s.mu.Lock()
		s.events = append(s.events, ev)
		s.mu.Unlock()
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

// close hangs up what the scenario left and closes the adapter.
func (s *session) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*s.lab.Patience())
	defer cancel()
	for _, leg := range s.legs {
		_ = s.m.Hangup(ctx, leg, orchestrator.CauseNormal)
	}
	for _, room := range s.rooms {
		_ = s.m.CloseRoom(ctx, room)
	}
	_ = s.m.Close()
	select {
	case <-s.done:
	case <-time.After(s.lab.Patience()):
		s.t.Error("Events was not closed by Close")
	}
}

// ctx bounds one command.
func (s *session) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*s.lab.Patience())
	s.t.Cleanup(cancel)
	return ctx
}

func (s *session) must(err error, what string) {
	s.t.Helper()
	if err != nil {
		s.t.Fatalf("%s: %v", what, err)
	}
}

// id returns a new leg id for this run.
func (s *session) id(name string) orchestrator.LegID {
	s.n++
	leg := orchestrator.LegID(fmt.Sprintf("lab-%s-%d", s.tag, s.n))
	s.names[leg] = name
	return leg
}

// room makes a new room and remembers to close it.
func (s *session) room() orchestrator.RoomID {
	s.t.Helper()
	s.n++
	r := orchestrator.RoomID(fmt.Sprintf("lab-%s-room-%d", s.tag, s.n))
	s.must(s.m.NewRoom(s.ctx(), r), "new room")
	s.rooms = append(s.rooms, r)
	return r
}

// name is how a leg is called in failures.
func (s *session) name(leg orchestrator.LegID) string {
	if n := s.names[leg]; n != "" {
		return n
	}
	return string(leg)
}

// wait returns the first event of kind (for leg, unless leg is "") not
// matched before, skipping others; it fails the test after within (or
// the lab's patience).
func (s *session) wait(kind orchestrator.MediaEventKind, leg orchestrator.LegID, within ...time.Duration) orchestrator.MediaEvent {
	s.t.Helper()
	limit := s.lab.Patience()
	if len(within) > 0 {
		limit = within[0]
	}
	deadline := time.After(limit)
	for {
		s.mu.Lock()
		for i := s.seen; i < len(s.events); i++ {
			ev := s.events[i]
			if ev.Kind == kind && (leg == "" || ev.Leg == leg) {
				s.seen = i + 1
				s.mu.Unlock()
				return ev
			}
		}
		s.mu.Unlock()
		select {
		case <-s.wake:
		case <-deadline:
			s.t.Fatalf("no %s event for %s within %s; events: %s", kind, s.name(leg), limit, s.eventList())
			return orchestrator.MediaEvent{}
		}
	}
}

// none fails if an event of kind for leg arrives within d.
func (s *session) none(kind orchestrator.MediaEventKind, leg orchestrator.LegID, d time.Duration) {
	s.t.Helper()
	time.Sleep(d)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ev := range s.events[s.seen:] {
		if ev.Kind == kind && ev.Leg == leg {
			s.t.Fatalf("unexpected %s for %s (cause %s)", kind, s.name(leg), ev.Cause)
		}
	}
}

func (s *session) eventList() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, ev := range s.events {
		out = append(out, fmt.Sprintf("%s(%s%s)", ev.Kind, s.name(ev.Leg), ev.Cause))
	}
	return strings.Join(out, " ")
}

// customer brings a customer call in and answers it, as the orchestrator
// does for every call.
func (s *session) customer() orchestrator.LegID {
	s.t.Helper()
	leg, _ := s.lab.Call(s.t, "support", nil)
	s.names[leg] = "customer"
	s.legs = append(s.legs, leg)
	s.wait(orchestrator.MediaIncoming, leg)
	s.must(s.m.Answer(s.ctx(), leg), "answer the customer")
	return leg
}

// dial places a leg to a new handset behaving as b.
func (s *session) dial(name string, b Behavior, timeout time.Duration) orchestrator.LegID {
	s.t.Helper()
	leg := s.id(name)
	endpoint := s.lab.Station(s.t, leg, b)
	s.legs = append(s.legs, leg)
	s.must(s.m.Dial(s.ctx(), orchestrator.DialRequest{Leg: leg, Endpoint: endpoint, CallerID: "100", Timeout: timeout}), "dial "+name)
	return leg
}

// station dials a handset that answers and waits until it has.
func (s *session) station(name string) orchestrator.LegID {
	s.t.Helper()
	leg := s.dial(name, Answer, 30*time.Second)
	s.wait(orchestrator.MediaAnswered, leg)
	return leg
}

// talking brings a customer and an agent into a room together.
func (s *session) talking() (cust, agent orchestrator.LegID, room orchestrator.RoomID) {
	s.t.Helper()
	cust = s.customer()
	agent = s.station("agent")
	room = s.room()
	s.must(s.m.Join(s.ctx(), room, cust), "join the customer")
	s.must(s.m.Join(s.ctx(), room, agent), "join the agent")
	return cust, agent, room
}

// sound is what each leg should hear: pairs of legs that talk with each
// other, one-way paths, and who hears music. Every other path is silent.
type sound struct {
	talk   [][]orchestrator.LegID
	oneWay [][2]orchestrator.LegID // {from, to}
	music  []orchestrator.LegID
}

// hear checks, among legs, exactly the paths of want.
func (s *session) hear(legs []orchestrator.LegID, want sound) {
	s.t.Helper()
	expect := map[[2]orchestrator.LegID]bool{}
	for _, group := range want.talk {
		for _, a := range group {
			for _, b := range group {
				if a != b {
					expect[[2]orchestrator.LegID{a, b}] = true
				}
			}
		}
	}
	for _, p := range want.oneWay {
		expect[p] = true
	}
	music := map[orchestrator.LegID]bool{}
	for _, l := range want.music {
		music[l] = true
	}
	got := s.lab.Listen(s.t, legs...)
	var wrong []string
	for _, from := range legs {
		for _, to := range legs {
			if from == to {
				continue
			}
			if g, w := got.Hears(from, to), expect[[2]orchestrator.LegID{from, to}]; g != w {
				wrong = append(wrong, fmt.Sprintf("%s hears %s: %v, want %v", s.name(to), s.name(from), g, w))
			}
		}
	}
	for _, l := range legs {
		if g, w := got.Music(l), music[l]; g != w {
			wrong = append(wrong, fmt.Sprintf("%s hears music: %v, want %v", s.name(l), g, w))
		}
	}
	if len(wrong) > 0 {
		sort.Strings(wrong)
		s.t.Errorf("audio:\n  %s", strings.Join(wrong, "\n  "))
	}
}

func group(legs ...orchestrator.LegID) []orchestrator.LegID { return legs }
