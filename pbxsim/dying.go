package pbxsim

import "time"

// Dying bridges. Measured on Asterisk 23.4.1 (PBX-NOTES, Hold): a holding
// bridge whose music announcer was still in it answered DELETE with 204
// but lived on until the announcer left, long after; meanwhile its id was
// taken (POST /bridges/{id} → 409 "already exists") while every other
// call on it answered 404, as for an unknown bridge. Controllers that
// reuse a hold bridge id therefore silently fail to hold. The sim keeps
// such a bridge "dying" for Options.DyingBridgeLinger of the Sim's Clock,
// then publishes BridgeDestroyed and frees the id. Only a holding bridge
// can die this way: in a mixing bridge the announcer is lonely and has
// left with the last member (bridges.go).

// defaultDyingBridgeLinger stands for the "much later" of the
// measurement; its exact length was not measured.
const defaultDyingBridgeLinger = 30 * time.Second

// lingerLocked moves a deleted bridge whose announcer is still in it out
// of sight, keeping its id reserved until the linger is over.
func (s *Sim) lingerLocked(b *bridge) {
	delete(s.bridges, b.id)
	s.dying[b.id] = b
	b.stopLinger = s.clock.AfterFunc(s.opts.DyingBridgeLinger, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.closed || s.dying[b.id] != b {
			return
		}
		s.bridgeGoneLocked(b)
	})
}

// bridgeGoneLocked ends a bridge for good: the music stops, the id is free
// and the applications that used it get BridgeDestroyed.
func (s *Sim) bridgeGoneLocked(b *bridge) {
	b.moh, b.mohClass = false, ""
	if s.bridges[b.id] == b {
		delete(s.bridges, b.id)
	}
	if s.dying[b.id] == b {
		delete(s.dying, b.id)
	}
	s.emitLocked(b.apps, "BridgeDestroyed", map[string]any{"bridge": bridgeJSONOf(b)})
}

// bridgeIDTakenLocked reports whether a new bridge may not use id: a live
// bridge has it, or a dying one still holds it.
func (s *Sim) bridgeIDTakenLocked(id string) bool {
	return s.bridges[id] != nil || s.dying[id] != nil
}

// stopLingersLocked cancels the dying bridges' timers when the Sim closes.
func (s *Sim) stopLingersLocked() {
	for _, b := range s.dying {
		if b.stopLinger != nil {
			b.stopLinger()
		}
	}
}
