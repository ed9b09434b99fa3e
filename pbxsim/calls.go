package pbxsim

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// originateReq is POST /channels as the simulation understands it.
type originateReq struct {
	endpoint  string
	app       string
	appArgs   string
	channelID string
	callerID  string
	timeout   int // seconds; <0: no timeout
	vars      map[string]string
}

// originateLocked creates an outbound channel and starts dialling it. The
// checks and their wording follow ari_channels_handle_originate_with_id.
func (s *Sim) originateLocked(req originateReq) (*channel, *ariError) {
	if req.endpoint == "" {
		return nil, ariErr(400, "Endpoint must be specified")
	}
	tech, resource, ok := splitEndpoint(req.endpoint)
	if !ok {
		return nil, ariErr(400, "Invalid endpoint specified")
	}
	if req.app == "" {
		return nil, ariErr(400, "Application or extension must be specified")
	}
	if req.channelID != "" && s.channels[req.channelID] != nil {
		return nil, ariErr(409, "Channel with given unique ID already exists")
	}
	b, err := s.behaviorFor(req.endpoint, tech, resource)
	if err != nil {
		return nil, ariErr(400, "%v", err)
	}

	ch := s.newChannelLocked(req.channelID, req.endpoint, tech, resource)
	ch.outbound, ch.subscribed = true, true
	ch.app = req.app
	if req.appArgs != "" {
		ch.appArgs = strings.Split(req.appArgs, ",")
	}
	ch.caller = parseCallerID(req.callerID)
	for k, v := range req.vars {
		ch.vars[k] = v
	}
	ch.behavior = b

	// The application is subscribed to the channel from its creation, so it
	// sees the dial begin (main/dial.c publishes it with an empty status).
	s.emitDialLocked(ch, "")
	if req.timeout >= 0 {
		s.after(ch, time.Duration(req.timeout)*time.Second, func() { s.dialTimeoutLocked(ch) })
	}
	s.startOutcomeLocked(ch)
	return ch, nil
}

// behaviorFor picks how a dialled endpoint behaves (see the package comment).
func (s *Sim) behaviorFor(endpoint, tech, resource string) (Behavior, error) {
	if b, ok := s.behaviors[endpoint]; ok {
		return b, nil
	}
	if tech == "SIM" {
		b, ok, err := ParseBehavior(resource)
		if err != nil || ok {
			return b, err
		}
	}
	return Behavior{Outcome: Manual}, nil
}

// startOutcomeLocked plays the endpoint's script from the moment it is
// called. Busy and reject without a delay refuse without ringing.
func (s *Sim) startOutcomeLocked(ch *channel) {
	b := ch.behavior
	switch {
	case b.Outcome == Busy && b.After == 0:
		s.deviceBusyLocked(ch)
		return
	case b.Outcome == Reject && b.After == 0:
		s.farHangupLocked(ch, causeRejected)
		return
	}
	s.ringLocked(ch)
	switch b.Outcome {
	case Answer:
		s.afterOrNow(ch, b.After, func() { s.deviceAnswerLocked(ch) })
	case Busy:
		s.after(ch, b.After, func() { s.deviceBusyLocked(ch) })
	case Reject:
		s.after(ch, b.After, func() { s.farHangupLocked(ch, causeRejected) })
	case Manual:
		if s.autoAnswer {
			s.after(ch, s.opts.AutoAnswerDelay, func() { s.deviceAnswerLocked(ch) })
		}
	case NoAnswer:
		// rings until the originate timeout
	}
}

// afterOrNow runs f at once for a zero delay, so "answer" answers within
// the originate request, as a fast device does.
func (s *Sim) afterOrNow(ch *channel, d time.Duration, f func()) {
	if d <= 0 {
		f()
		return
	}
	s.after(ch, d, f)
}

func (s *Sim) ringLocked(ch *channel) {
	ch.state = stateRinging
	s.emitDialLocked(ch, "RINGING")
	s.emitChannelLocked(ch, "ChannelStateChange", nil)
}

// deviceAnswerLocked: the dialled endpoint picks up. Order per PBX-NOTES:
// ChannelStateChange Up, Dial ANSWER, StasisStart.
func (s *Sim) deviceAnswerLocked(ch *channel) {
	if ch.gone || ch.state == stateUp {
		return
	}
	ch.stopTimers() // the originate timeout and any pending script step
	ch.state = stateUp
	s.emitChannelLocked(ch, "ChannelStateChange", nil)
	s.emitDialLocked(ch, "ANSWER")
	if !s.enterStasisLocked(ch) {
		// Stasis() fails without a WebSocket for the application: the
		// answered channel is hung up (PBX-NOTES).
		s.destroyLocked(ch, causeNormal)
		return
	}
	if d := ch.behavior.HangupAfter; d > 0 {
		s.after(ch, d, func() { s.farHangupLocked(ch, causeNormal) })
	}
}

// enterStasisLocked runs Stasis(app,args) on the channel. It fails, as
// stasis_app_exec does, when the application has no WebSocket.
func (s *Sim) enterStasisLocked(ch *channel) bool {
	if !s.appConnectedLocked(ch.app) {
		return false
	}
	ch.inStasis = true
	ch.dialplan.app = "Stasis"
	ch.dialplan.appData = strings.Join(append([]string{ch.app}, ch.appArgs...), ",")
	args := ch.appArgs
	if args == nil {
		args = []string{}
	}
	s.emitChannelLocked(ch, "StasisStart", map[string]any{"args": args})
	return true
}

// deviceBusyLocked: the endpoint answers busy. main/dial.c publishes Dial
// BUSY and hangs the channel up directly, so no ChannelHangupRequest, and
// the destroyed channel's cause is 0 (measured).
func (s *Sim) deviceBusyLocked(ch *channel) {
	if ch.gone || ch.state == stateUp {
		return
	}
	s.emitDialLocked(ch, "BUSY")
	s.destroyLocked(ch, causeUnknown)
}

// dialTimeoutLocked: nobody answered within the originate timeout. The
// dialler hangs the channel up with cause 19 and publishes no Dial event
// (handle_timeout_trip in main/dial.c; PBX-NOTES).
func (s *Sim) dialTimeoutLocked(ch *channel) {
	if ch.gone || ch.state == stateUp {
		return
	}
	s.destroyLocked(ch, causeNoAnswer)
}

// farHangupLocked: the far end hangs up (a BYE, a 603 while ringing...).
// ast_queue_hangup_with_cause publishes ChannelHangupRequest with the cause.
func (s *Sim) farHangupLocked(ch *channel, cause int) {
	if ch.gone {
		return
	}
	s.emitChannelLocked(ch, "ChannelHangupRequest", map[string]any{"cause": cause})
	s.finishHangupLocked(ch, cause)
}

// ariHangupLocked: DELETE /channels/{id}. ast_softhangup publishes the
// request with the soft-hangup flag as its "cause", not the Q.850 cause.
func (s *Sim) ariHangupLocked(ch *channel, cause int) {
	s.emitChannelLocked(ch, "ChannelHangupRequest", map[string]any{"cause": softHangupFlag, "soft": true})
	s.finishHangupLocked(ch, cause)
}

// finishHangupLocked tears a channel down after its hang-up request. A leg
// still being dialled leaves through the dialler, which reports a dial
// status derived from the cause; any other leg leaves its bridge and the
// application first.
func (s *Sim) finishHangupLocked(ch *channel, cause int) {
	if ch.outbound && ch.state != stateUp {
		s.emitDialLocked(ch, dialStatusForCause(cause))
		s.destroyLocked(ch, cause)
		return
	}
	s.leaveBridgeLocked(ch)
	if ch.inStasis {
		s.emitChannelLocked(ch, "StasisEnd", nil) // the last event of the implicit subscription
		ch.inStasis = false
	}
	s.destroyLocked(ch, cause)
}

// destroyLocked ends a channel for good. ChannelDestroyed reaches the
// application only when it subscribed to the channel by originating it:
// a channel that entered from the dialplan or a snoop was only followed
// while in Stasis (see channel.subscribed).
func (s *Sim) destroyLocked(ch *channel, cause int) {
	if ch.gone {
		return
	}
	s.leaveBridgeLocked(ch)
	ch.stopTimers()
	ch.gone, ch.cause, ch.ended, ch.inStasis, ch.music = true, cause, s.clock.Now(), false, ""
	ch.mutedIn, ch.mutedOut = false, false
	delete(s.channels, ch.id)
	if sn := ch.snoop; sn != nil {
		sn.target.snoopedBy = slices.DeleteFunc(sn.target.snoopedBy, func(c *channel) bool { return c == ch })
	}
	s.emitChannelLocked(ch, "ChannelDestroyed", map[string]any{"cause": cause, "cause_txt": causeText(cause)})
	s.endSnoopsLocked(ch) // snoops die with the spied channel
	s.trimEndedLocked()
}

// placeCallLocked creates a customer's inbound channel and runs
// Set(RINGSIDE_VAR_…) and Stasis(app,queue=…) on it.
func (s *Sim) placeCallLocked(queue, caller string, vars map[string]string) (*channel, error) {
	if s.closed {
		return nil, ErrClosed
	}
	if !s.appConnectedLocked(s.opts.App) {
		return nil, ErrNoApp
	}
	s.customers++
	resource := "customer-" + strconv.Itoa(s.customers)
	ch := s.newChannelLocked("", "PJSIP/"+resource, "PJSIP", resource)
	ch.state = stateRing
	ch.caller = callerID{number: caller}
	for k, v := range vars {
		ch.vars["RINGSIDE_VAR_"+k] = v
	}
	ch.app = s.opts.App
	ch.appArgs = []string{"queue=" + queue}
	ch.dialplan = dialplanLoc{context: "inbound", exten: "s", priority: 2}
	s.enterStasisLocked(ch)
	return ch, nil
}
