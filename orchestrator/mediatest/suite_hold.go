package mediatest

import (
	"github.com/ringside/ringside/orchestrator"
)

// A5: a caller waits on hold (as in a queue), is answered into a room,
// and is then held and resumed again and again: each hold gives music
// only and silence both ways, each resume the conversation back. (On
// Asterisk a holding bridge reused by id silently failed to hold after
// the queue wait.)
func holdRepeated(s *session) {
	have, _ := s.lab.Music()
	cust := s.customer()
	s.must(s.m.Hold(s.ctx(), cust, have), "hold while waiting")
	agent := s.station("agent")
	legs := group(cust, agent)
	s.hear(legs, sound{music: group(cust)})
	room := s.room()
	s.must(s.m.Join(s.ctx(), room, cust), "answer into the room")
	s.must(s.m.Join(s.ctx(), room, agent), "agent joins")
	s.hear(legs, sound{talk: [][]orchestrator.LegID{legs}})
	for i := 0; i < 3; i++ {
		s.must(s.m.Hold(s.ctx(), cust, have), "hold")
		s.hear(legs, sound{music: group(cust)})
		s.must(s.m.Join(s.ctx(), room, cust), "resume")
		s.hear(legs, sound{talk: [][]orchestrator.LegID{legs}})
	}
}

// A5: the music is the class asked for; a class the PBX does not have
// plays silence, which is why it is a setting.
func musicClass(s *session) {
	have, missing := s.lab.Music()
	cust, agent, _ := s.talking()
	legs := group(cust, agent)
	s.must(s.m.Hold(s.ctx(), cust, missing), "hold on a missing class")
	s.hear(legs, sound{})
	s.must(s.m.Hold(s.ctx(), cust, have), "hold on a class the PBX has")
	s.hear(legs, sound{music: group(cust)})
}

// consulting is agent 1 with the customer, then the customer held and
// agent 1 with agent 2 in a consult room (A6.3).
func consulting(s *session) (cust, agent1, agent2 orchestrator.LegID, room, consult orchestrator.RoomID) {
	s.t.Helper()
	have, _ := s.lab.Music()
	cust, agent1, room = s.talking()
	s.must(s.m.Hold(s.ctx(), cust, have), "hold the customer")
	consult = s.room()
	s.must(s.m.Join(s.ctx(), consult, agent1), "agent 1 to the consult room")
	agent2 = s.station("agent 2")
	s.must(s.m.Join(s.ctx(), consult, agent2), "agent 2 joins")
	return cust, agent1, agent2, room, consult
}

// A6.3: during a consult the customer and the consulted party are never
// both held and hear each other only in a conference; a swap puts agent 1
// with the other one.
func consultSwap(s *session) {
	have, _ := s.lab.Music()
	cust, a1, a2, room, consult := consulting(s)
	legs := group(cust, a1, a2)
	s.hear(legs, sound{talk: [][]orchestrator.LegID{group(a1, a2)}, music: group(cust)})
	// Resume the customer: the consulted party is held.
	s.must(s.m.Hold(s.ctx(), a2, have), "hold agent 2")
	s.must(s.m.Join(s.ctx(), room, a1), "agent 1 back")
	s.must(s.m.Join(s.ctx(), room, cust), "customer back")
	s.hear(legs, sound{talk: [][]orchestrator.LegID{group(cust, a1)}, music: group(a2)})
	// And back to the consulted party.
	s.must(s.m.Hold(s.ctx(), cust, have), "hold the customer")
	s.must(s.m.Join(s.ctx(), consult, a1), "agent 1 to the consult")
	s.must(s.m.Join(s.ctx(), consult, a2), "agent 2 back")
	s.hear(legs, sound{talk: [][]orchestrator.LegID{group(a1, a2)}, music: group(cust)})
}

// A8.2: after a consult agent 2 takes the call: they join the customer,
// agent 1 is hung up and the consult room closed.
func consultTransfer(s *session) {
	cust, a1, a2, room, consult := consulting(s)
	s.must(s.m.Join(s.ctx(), room, a2), "agent 2 to the customer's room")
	s.must(s.m.Join(s.ctx(), room, cust), "customer back")
	s.must(s.m.Hangup(s.ctx(), a1, orchestrator.CauseNormal), "agent 1 leaves")
	s.must(s.m.CloseRoom(s.ctx(), consult), "close the consult room")
	s.wait(orchestrator.MediaHungUp, a1)
	s.hear(group(cust, a2), sound{talk: [][]orchestrator.LegID{group(cust, a2)}})
}

// A9: a conference: all three hear each other.
func conference(s *session) {
	cust, a1, a2, room, consult := consulting(s)
	for _, leg := range []orchestrator.LegID{cust, a1, a2} {
		s.must(s.m.Join(s.ctx(), room, leg), "join "+s.name(leg))
	}
	s.must(s.m.CloseRoom(s.ctx(), consult), "close the consult room")
	legs := group(cust, a1, a2)
	s.hear(legs, sound{talk: [][]orchestrator.LegID{legs}})
}
