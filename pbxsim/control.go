package pbxsim

// The Go control API: what a caller or a handset does, for the demo and tests.

// PlaceCall makes a customer call enter the application, as the dialplan
// Set(RINGSIDE_VAR_<k>=<v>) + Stasis(<app>,queue=<queue>) would. The
// channel is in state Ring (unanswered) and its StasisStart carries the
// args ["queue=<queue>"]. It fails with ErrNoApp when no WebSocket is
// connected for the application, since Stasis() fails then.
func (s *Sim) PlaceCall(queue, caller string, vars map[string]string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, err := s.placeCallLocked(queue, caller, vars)
	if err != nil {
		return "", err
	}
	return ch.id, nil
}

// Answer picks up a ringing dialled leg, as its handset would.
func (s *Sim) Answer(id string) error {
	return s.onDialled(id, s.deviceAnswerLocked)
}

// Reject declines a ringing dialled leg (SIP 603: cause 21).
func (s *Sim) Reject(id string) error {
	return s.onDialled(id, func(ch *channel) { s.farHangupLocked(ch, causeRejected) })
}

// Busy answers a ringing dialled leg busy (SIP 486).
func (s *Sim) Busy(id string) error {
	return s.onDialled(id, s.deviceBusyLocked)
}

// Hangup hangs a leg up from its far end: the customer or the handset puts
// the phone down (cause 16).
func (s *Sim) Hangup(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	ch := s.channels[id]
	if ch == nil {
		if s.known[id] != nil {
			return ErrState // already hung up
		}
		return ErrNotFound
	}
	s.farHangupLocked(ch, causeNormal)
	return nil
}

// onDialled applies a handset action to a dialled leg that still rings.
func (s *Sim) onDialled(id string, f func(*channel)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	ch := s.known[id]
	if ch == nil {
		return ErrNotFound
	}
	if ch.gone || !ch.outbound || ch.state == stateUp {
		return ErrState
	}
	f(ch)
	return nil
}
