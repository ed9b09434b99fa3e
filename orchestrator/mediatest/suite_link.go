package mediatest

import (
	"context"

	"github.com/ringside/ringside/orchestrator"
)

// P4: the control link drops while calls go on; the customer hangs up
// during the outage, which no event reports. Commands fail as
// unavailable meanwhile; once the link is back, Legs tells what is left:
// the agent's leg, answered, and not the customer's.
func linkDrop(s *session) {
	cust, agent, _ := s.talking()
	s.lab.DropLink(s.t)
	s.wait(orchestrator.MediaLinkDown, "")
	s.lab.HangUpHandset(s.t, cust)
	ctx, cancel := context.WithTimeout(context.Background(), s.lab.Patience())
	defer cancel()
	if err := s.m.Answer(ctx, agent); orchestrator.ErrorCode(err) != orchestrator.CodeUnavailable {
		s.t.Errorf("a command while the link is down: %v (%s), want unavailable", err, orchestrator.ErrorCode(err))
	}
	s.lab.RestoreLink(s.t)
	s.wait(orchestrator.MediaLinkUp, "", 3*s.lab.Patience())
	legs, err := s.m.Legs(s.ctx())
	s.must(err, "legs")
	found := map[orchestrator.LegID]orchestrator.LegStatus{}
	for _, l := range legs {
		found[l.Leg] = l
	}
	if _, ok := found[cust]; ok {
		s.t.Error("Legs lists the customer who hung up during the outage")
	}
	if l, ok := found[agent]; !ok || !l.Answered {
		s.t.Errorf("Legs: the agent's leg %+v (listed %v), want answered", l, ok)
	}
}
