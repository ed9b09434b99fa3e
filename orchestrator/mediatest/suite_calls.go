package mediatest

import (
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// A1, A4: a dialled station rings, then answers; only then may it join a
// room. The controller's own hang-up ends it with the cause asked for.
func dialAnswered(s *session) {
	leg := s.dial("agent", Answer, 30*time.Second)
	s.wait(orchestrator.MediaRinging, leg)
	s.wait(orchestrator.MediaAnswered, leg)
	s.must(s.m.Hangup(s.ctx(), leg, orchestrator.CauseNormal), "hang up")
	if ev := s.wait(orchestrator.MediaHungUp, leg); ev.Cause != orchestrator.CauseNormal {
		s.t.Errorf("our hang-up reported cause %s, want normal", ev.Cause)
	}
}

// A3: a station that does not take the call ends the leg with the cause
// that says why: the orchestrator decides RONA on it.
func dialEnds(b Behavior, want orchestrator.Cause) func(*session) {
	return func(s *session) {
		leg := s.dial("agent", b, 3*time.Second)
		ev := s.wait(orchestrator.MediaHungUp, leg, 3*time.Second+2*s.lab.Patience())
		if ev.Cause != want {
			s.t.Errorf("%s station ended with cause %s, want %s", b, ev.Cause, want)
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, e := range s.events {
			if e.Kind == orchestrator.MediaAnswered && e.Leg == leg {
				s.t.Errorf("a %s station was reported answered", b)
			}
		}
	}
}

// P2, A11.1: a call entering from the dialplan names its queue, its caller
// and the call variables the dialplan set.
func incoming(s *session) {
	leg, caller := s.lab.Call(s.t, "support", map[string]string{"account": "AC-7"})
	s.names[leg] = "customer"
	s.legs = append(s.legs, leg)
	ev := s.wait(orchestrator.MediaIncoming, leg)
	if ev.Queue != "support" || ev.Caller != caller || ev.Variables["account"] != "AC-7" {
		s.t.Errorf("incoming: queue %q caller %q variables %v; want support, %q, account=AC-7", ev.Queue, ev.Caller, ev.Variables, caller)
	}
	s.must(s.m.Answer(s.ctx(), leg), "answer")
}

// A7: the customer putting the phone down is reported (on Asterisk only
// by StasisEnd for a call that entered from the dialplan); the agent's leg
// stays up for the orchestrator to end.
func customerHangsUp(s *session) {
	cust, agent, _ := s.talking()
	s.lab.HangUpHandset(s.t, cust)
	if ev := s.wait(orchestrator.MediaHungUp, cust); ev.Cause != orchestrator.CauseNormal {
		s.t.Errorf("customer's hang-up reported cause %s, want normal", ev.Cause)
	}
	s.none(orchestrator.MediaHungUp, agent, 300*time.Millisecond)
}

// A7: the controller ends the call from its side.
func controllerHangsUp(s *session) {
	cust, agent, _ := s.talking()
	s.must(s.m.Hangup(s.ctx(), cust, orchestrator.CauseNormal), "hang up the customer")
	if ev := s.wait(orchestrator.MediaHungUp, cust); ev.Cause != orchestrator.CauseNormal {
		s.t.Errorf("customer hung up by us: cause %s, want normal", ev.Cause)
	}
	s.none(orchestrator.MediaHungUp, agent, 300*time.Millisecond)
}

// P3: members of a room hear each other; a leg that leaves hears nobody
// and nobody hears it; closing a room leaves its members up.
func rooms(s *session) {
	cust, agent, room := s.talking()
	legs := group(cust, agent)
	s.hear(legs, sound{talk: [][]orchestrator.LegID{legs}})
	s.must(s.m.Leave(s.ctx(), room, agent), "leave")
	s.hear(legs, sound{})
	s.must(s.m.Join(s.ctx(), room, agent), "join again")
	s.hear(legs, sound{talk: [][]orchestrator.LegID{legs}})
	s.must(s.m.CloseRoom(s.ctx(), room), "close the room")
	s.rooms = nil
	s.hear(legs, sound{})
	s.none(orchestrator.MediaHungUp, cust, 200*time.Millisecond)
	s.none(orchestrator.MediaHungUp, agent, 0)
}
