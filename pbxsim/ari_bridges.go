package pbxsim

import (
	"net/http"
	"sort"
)

func (s *Sim) routeBridges(mux *http.ServeMux) {
	mux.HandleFunc("GET /ari/bridges", s.listBridges)
	mux.HandleFunc("POST /ari/bridges", s.createBridge)
	mux.HandleFunc("POST /ari/bridges/{id}", s.createBridge)
	mux.HandleFunc("GET /ari/bridges/{id}", s.getBridge)
	mux.HandleFunc("DELETE /ari/bridges/{id}", s.deleteBridge)
	mux.HandleFunc("POST /ari/bridges/{id}/addChannel", s.addChannel)
	mux.HandleFunc("POST /ari/bridges/{id}/removeChannel", s.removeChannel)
	mux.HandleFunc("POST /ari/bridges/{id}/moh", s.bridgeMOH(true))
	mux.HandleFunc("DELETE /ari/bridges/{id}/moh", s.bridgeMOH(false))
}

func (s *Sim) listBridges(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	out := make([]bridgeJSON, 0, len(s.bridges))
	for _, b := range s.bridges {
		out = append(out, bridgeJSONOf(b))
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].CreationTime+out[i].ID < out[j].CreationTime+out[j].ID })
	writeJSON(w, http.StatusOK, out)
}

// createBridge is POST /bridges and POST /bridges/{bridgeId}; ari/v6 uses
// the second with the id also in the body.
func (s *Sim) createBridge(w http.ResponseWriter, r *http.Request) {
	p, perr := readParams(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	id := r.PathValue("id")
	if id == "" {
		id = p.get("bridgeId")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b, aerr := s.createBridgeLocked(id, p.get("type"), p.get("name"))
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeJSON(w, http.StatusOK, bridgeJSONOf(b))
}

func (s *Sim) getBridge(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.bridges[r.PathValue("id")]
	if b == nil {
		writeError(w, ariErr(http.StatusNotFound, "Bridge not found"))
		return
	}
	writeJSON(w, http.StatusOK, bridgeJSONOf(b))
}

func (s *Sim) deleteBridge(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.bridges[r.PathValue("id")]
	if b == nil {
		writeError(w, ariErr(http.StatusNotFound, "Bridge not found"))
		return
	}
	s.destroyBridgeLocked(b)
	writeNoContent(w)
}

// addChannel is POST /bridges/{id}/addChannel?channel=a,b. A snoop that
// has not entered the application yet is refused and hung up
// (snoop_start.go).
func (s *Sim) addChannel(w http.ResponseWriter, r *http.Request) {
	s.bridgeMembership(w, r, func(b *bridge, chans []*channel, p params) *ariError {
		s.addChannelsLocked(b, chans, p.get("role"))
		return nil
	}, s.dropStartingSnoopsLocked)
}

// removeChannel is POST /bridges/{id}/removeChannel?channel=a. Every
// channel must be in this bridge, or nothing happens (422).
func (s *Sim) removeChannel(w http.ResponseWriter, r *http.Request) {
	s.bridgeMembership(w, r, func(b *bridge, chans []*channel, _ params) *ariError {
		for _, ch := range chans {
			if ch.bridge != b {
				return ariErr(http.StatusUnprocessableEntity, "Channel not in this bridge")
			}
		}
		for _, ch := range chans {
			s.leaveBridgeLocked(ch)
		}
		return nil
	}, nil)
}

// bridgeMembership does the checks both membership calls share, in
// Asterisk's order: bridge first (404), then the channels (400/422).
// notInStasis, if set, runs with the channel ids when a channel is refused
// for not being in Stasis.
func (s *Sim) bridgeMembership(w http.ResponseWriter, r *http.Request, apply func(*bridge, []*channel, params) *ariError, notInStasis func([]string)) {
	p, perr := readParams(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.bridges[r.PathValue("id")]
	if b == nil {
		writeError(w, ariErr(http.StatusNotFound, "Bridge not found"))
		return
	}
	chans, aerr := s.bridgeControlLocked(p.list("channel"))
	if refusedForStasis(aerr) && notInStasis != nil {
		notInStasis(p.list("channel"))
	}
	if aerr == nil {
		aerr = apply(b, chans, p)
	}
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	writeNoContent(w)
}

// bridgeMOH plays or stops music to a whole bridge (the holding-bridge hold
// of PBX-NOTES). Asterisk puts an Announcer channel playing the class into
// the bridge (stasis_app_bridge_moh_channel); starting it again keeps that
// channel, which switches to the class asked for. The announcer joins even
// when no class is found, and then plays silence (music.go). Stopping
// music that is not playing is 409. No event either way.
func (s *Sim) bridgeMOH(on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, perr := readParams(r)
		if perr != nil {
			writeError(w, perr)
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		b := s.bridges[r.PathValue("id")]
		if b == nil {
			writeError(w, ariErr(http.StatusNotFound, "Bridge not found"))
			return
		}
		if !on && !b.moh {
			writeError(w, ariErr(http.StatusConflict, "Bridge isn't playing music"))
			return
		}
		s.audioChangingLocked(b)
		b.moh, b.mohClass = on, ""
		if on {
			b.mohClass = s.musicClassLocked(p.get("mohClass"))
		}
		writeNoContent(w)
	}
}
