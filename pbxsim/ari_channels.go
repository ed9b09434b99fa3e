package pbxsim

import (
	"net/http"
	"strconv"
)

func (s *Sim) routeChannels(mux *http.ServeMux) {
	mux.HandleFunc("GET /ari/channels", s.listChannels)
	mux.HandleFunc("POST /ari/channels", s.originate)
	mux.HandleFunc("POST /ari/channels/{id}", s.originate)
	mux.HandleFunc("GET /ari/channels/{id}", s.getChannel)
	mux.HandleFunc("DELETE /ari/channels/{id}", s.hangupChannel)
	mux.HandleFunc("POST /ari/channels/{id}/answer", s.answerChannel)
	mux.HandleFunc("POST /ari/channels/{id}/ring", s.controlNoEvent(nil))
	mux.HandleFunc("DELETE /ari/channels/{id}/ring", s.controlNoEvent(nil))
	mux.HandleFunc("POST /ari/channels/{id}/moh", s.channelMOH(true))
	mux.HandleFunc("DELETE /ari/channels/{id}/moh", s.channelMOH(false))
	mux.HandleFunc("POST /ari/channels/{id}/mute", s.muteChannel(true))
	mux.HandleFunc("DELETE /ari/channels/{id}/mute", s.muteChannel(false))
}

func (s *Sim) listChannels(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	out := make([]channelJSON, 0, len(s.channels))
	for _, ch := range s.order {
		if !ch.gone {
			out = append(out, s.channelJSON(ch))
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *Sim) getChannel(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channels[r.PathValue("id")]
	if ch == nil {
		writeError(w, ariErr(http.StatusNotFound, "Channel not found"))
		return
	}
	writeJSON(w, http.StatusOK, s.channelJSON(ch))
}

// originate is POST /channels (and /channels/{channelId}). Only originating
// into a Stasis application is simulated; dialplan targets get a clear 400.
func (s *Sim) originate(w http.ResponseWriter, r *http.Request) {
	p, perr := readParams(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	timeout, perr := p.integer("timeout", defaultDialSecs)
	if perr != nil {
		writeError(w, perr)
		return
	}
	// Asterisk: >0 is seconds, -1 is none, anything else the 30 s default.
	switch {
	case timeout == -1:
	case timeout <= 0:
		timeout = defaultDialSecs
	}
	if p.get("app") == "" && (p.get("extension") != "" || p.get("context") != "") {
		writeError(w, ariErr(http.StatusBadRequest, "pbxsim: originating into the dialplan is not simulated"))
		return
	}
	req := originateReq{
		endpoint:  p.get("endpoint"),
		app:       p.get("app"),
		appArgs:   p.get("appArgs"),
		channelID: p.get("channelId"),
		callerID:  p.get("callerId"),
		timeout:   timeout,
		vars:      p.vars,
	}
	if id := r.PathValue("id"); id != "" {
		req.channelID = id
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, aerr := s.originateLocked(req)
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeJSON(w, http.StatusOK, s.channelJSON(ch))
}

// hangupChannel is DELETE /channels/{id}?reason=… (or reason_code=…).
func (s *Sim) hangupChannel(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	reason, code := q.Get("reason"), q.Get("reason_code")
	cause := causeNormal
	switch {
	case reason != "" && code != "":
		writeError(w, ariErr(http.StatusBadRequest, "The reason and reason_code can't both be specified"))
		return
	case code != "":
		n, err := strconv.Atoi(code)
		if err != nil {
			writeError(w, ariErr(http.StatusBadRequest, "Invalid reason for hangup reason code provided"))
			return
		}
		cause = n
	case reason != "":
		n, ok := hangupReasons[reason]
		if !ok {
			writeError(w, ariErr(http.StatusBadRequest, "Invalid reason for hangup reason provided"))
			return
		}
		cause = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channels[r.PathValue("id")]
	if ch == nil {
		writeError(w, ariErr(http.StatusNotFound, "Channel not found"))
		return
	}
	s.ariHangupLocked(ch, cause)
	writeNoContent(w)
}

// answerChannel is POST /channels/{id}/answer: the application answers an
// inbound call. Answering an answered channel is accepted and changes
// nothing; an outbound channel still being dialled is refused with 412.
func (s *Sim) answerChannel(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, aerr := s.controlLocked(r.PathValue("id"))
	if aerr == nil {
		aerr = stateValid(ch)
	}
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	if ch.state != stateUp {
		s.audioChangingLocked(ch.bridge) // a customer may wait in a bridge unanswered
		ch.state = stateUp
		s.emitChannelLocked(ch, "ChannelStateChange", nil)
	}
	writeNoContent(w)
}

// controlNoEvent serves the channel operations that emit no ARI event
// (ring indication, music on hold): PBX-NOTES found the controller must
// track those states itself.
func (s *Sim) controlNoEvent(apply func(*channel)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		ch, aerr := s.controlLocked(r.PathValue("id"))
		if aerr == nil {
			aerr = stateValid(ch)
		}
		if aerr != nil {
			writeError(w, aerr)
			return
		}
		if apply != nil {
			apply(ch)
		}
		writeNoContent(w)
	}
}

// channelMOH is POST/DELETE /channels/{id}/moh?mohClass=…: no event, and
// 204 even when no class is found, in which case nothing plays
// (musicClassLocked).
func (s *Sim) channelMOH(on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, perr := readParams(r)
		if perr != nil {
			writeError(w, perr)
			return
		}
		s.controlNoEvent(func(ch *channel) {
			ch.music = ""
			if on {
				ch.music = s.musicClassLocked(p.get("mohClass"))
			}
		})(w, r)
	}
}

// muteChannel is POST/DELETE /channels/{id}/mute?direction=in|out|both
// (ast_ari_channels_mute): "in" silences what the channel says, "out" what
// it hears. There is no default direction and no event.
func (s *Sim) muteChannel(on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, perr := readParams(r)
		if perr != nil {
			writeError(w, perr)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		ch, aerr := s.controlLocked(r.PathValue("id"))
		if aerr == nil {
			aerr = stateValid(ch)
		}
		var in, out bool
		if aerr == nil {
			switch p.get("direction") {
			case "":
				aerr = ariErr(http.StatusBadRequest, "Direction is required")
			case "in":
				in = true
			case "out":
				out = true
			case "both":
				in, out = true, true
			default:
				aerr = ariErr(http.StatusBadRequest, "Invalid direction specified")
			}
		}
		if aerr != nil {
			writeError(w, aerr)
			return
		}
		s.audioChangingLocked(ch.bridge)
		if in {
			ch.mutedIn = on
		}
		if out {
			ch.mutedOut = on
		}
		writeNoContent(w)
	}
}
