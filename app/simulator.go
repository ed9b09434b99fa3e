package app

import (
	"errors"

	"github.com/ringside/ringside/api"
	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/pbxsim"
)

// simulator shows pbxsim to the API's demo-only /api/v1/sim routes.
type simulator struct{ sim *pbxsim.Sim }

func (s simulator) PlaceCall(queue, caller string, vars map[string]string) (string, error) {
	id, err := s.sim.PlaceCall(queue, caller, vars)
	return id, simError(err)
}

func (s simulator) Legs() []api.SimLeg {
	legs := s.sim.Legs()
	out := make([]api.SimLeg, 0, len(legs))
	for _, l := range legs {
		out = append(out, api.SimLeg{ID: l.ID, Endpoint: l.Endpoint, State: l.State, Room: l.Room, Caller: l.Caller})
	}
	return out
}

func (s simulator) Answer(id string) error { return simError(s.sim.Answer(id)) }
func (s simulator) Reject(id string) error { return simError(s.sim.Reject(id)) }
func (s simulator) Hangup(id string) error { return simError(s.sim.Hangup(id)) }
func (s simulator) Hears(from, to string) (bool, error) {
	ok, err := s.sim.Hears(from, to)
	return ok, simError(err)
}
func (s simulator) DropLink()    { s.sim.DropLink() }
func (s simulator) RestoreLink() { s.sim.RestoreLink() }

// simError turns the simulator's errors into ones the API shows as they are.
func simError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, pbxsim.ErrNotFound):
		return orchestrator.Errorf(orchestrator.CodeNotFound, "%v", err)
	case errors.Is(err, pbxsim.ErrState):
		return orchestrator.Errorf(orchestrator.CodeConflict, "%v", err)
	case errors.Is(err, pbxsim.ErrNoApp), errors.Is(err, pbxsim.ErrClosed):
		return orchestrator.Errorf(orchestrator.CodeUnavailable, "%v", err)
	}
	return orchestrator.Errorf(orchestrator.CodeInvalid, "%v", err)
}
