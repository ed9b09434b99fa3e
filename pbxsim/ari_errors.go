package pbxsim

import "fmt"

// ariError is a refusal as Asterisk words it: an HTTP status and the
// {"message": …} text (ast_ari_response_error).
type ariError struct {
	status int
	msg    string
}

func (e *ariError) Error() string { return fmt.Sprintf("%d %s", e.status, e.msg) }

// msgNotInStasis is Asterisk's refusal of a channel the application has
// no control on (find_control, find_channel_control).
const msgNotInStasis = "Channel not in Stasis application"

func ariErr(status int, format string, args ...any) *ariError {
	return &ariError{status: status, msg: fmt.Sprintf(format, args...)}
}

// controlLocked finds a channel the application controls, with the errors
// of find_control in res/ari/resource_channels.c.
func (s *Sim) controlLocked(id string) (*channel, *ariError) {
	ch := s.channels[id]
	if ch == nil {
		return nil, ariErr(404, "Channel not found")
	}
	if !ch.inStasis {
		return nil, ariErr(409, msgNotInStasis)
	}
	return ch, nil
}

// stateValid is channel_state_invalid: operations that manipulate a channel
// are refused while an outbound channel is still being dialled.
func stateValid(ch *channel) *ariError {
	if ch.state == stateDown || ch.state == stateRinging {
		return ariErr(412, "Channel in invalid state")
	}
	return nil
}

// bridgeControlLocked finds the channels of an addChannel/removeChannel
// request, with the errors of find_channel_control in resource_bridges.c
// (note: an unknown channel is 400 there, not 404).
func (s *Sim) bridgeControlLocked(ids []string) ([]*channel, *ariError) {
	var out []*channel
	for _, id := range ids {
		if id == "" {
			continue
		}
		ch := s.channels[id]
		if ch == nil {
			return nil, ariErr(400, "Channel not found")
		}
		if !ch.inStasis {
			return nil, ariErr(422, msgNotInStasis)
		}
		out = append(out, ch)
	}
	if len(out) == 0 {
		return nil, ariErr(400, "Missing parameter channel")
	}
	return out, nil
}
