package pbxsim

import (
	"fmt"
	"net/http"
	"strings"
)

// Snoop channels (POST /channels/{id}/snoop, ast_ari_channels_snoop_channel
// in res/ari/resource_channels.c and res/stasis_app_snoop.c), as PBX-NOTES
// measured them:
//
//   - the snoop channel is created Up and enters the application shortly
//     after the REST reply (StasisStart with appArgs; snoop_start.go);
//     until then addChannel refuses it with 422 and hangs it up, and the
//     calls that need the application's control (mute...) answer 409, as
//     find_control does for a channel not in Stasis; app is required and spy and whisper cannot
//     both be none (400); an unknown channel is 404. The spied channel need
//     not be in Stasis.
//   - spy=in taps what the spied channel says, out what it hears, both
//     both; the snoop "says" that audio into its bridge. whisper=out sends
//     what the snoop hears to the spied channel only, in injects it as if
//     the spied channel had said it (its partners hear it), both does both.
//     A snoop's spy never picks up its own whisper (no echo).
//   - mute direction=in on the snoop drops the frames it reads, the spied
//     audio, so the supervisor hears nothing; what is written to it, the
//     whisper, still passes (measured on 23.4.1: after barge → pause the
//     call heard the supervisor). Muting it "out" stops the whisper, and
//     muting the supervisor's leg "in" stops their voice everywhere.
//   - hanging a snoop up gives ChannelHangupRequest (ChannelLeftBridge if
//     bridged) and StasisEnd, but no ChannelDestroyed.
//   - a snoop dies with the spied channel (the audiohooks detach). The
//     events of that end were not measured; the sim sends the same ones
//     as for a hang-up, with cause 16.

// snoopInfo makes a channel a snoop on target.
type snoopInfo struct {
	target                *channel
	spyIn, spyOut         bool
	whisperIn, whisperOut bool
}

func (s *Sim) routeSnoop(mux *http.ServeMux) {
	mux.HandleFunc("POST /ari/channels/{id}/snoop", s.snoop)
	mux.HandleFunc("POST /ari/channels/{id}/snoop/{snoopId}", s.snoop)
}

// direction reads a snoop direction parameter (default none).
func direction(v string) (in, out, ok bool) {
	switch v {
	case "", "none":
		return false, false, true
	case "in":
		return true, false, true
	case "out":
		return false, true, true
	case "both":
		return true, true, true
	}
	return false, false, false
}

func (s *Sim) snoop(w http.ResponseWriter, r *http.Request) {
	p, perr := readParams(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	snoopID := r.PathValue("snoopId")
	if snoopID == "" {
		snoopID = p.get("snoopId")
	}
	info := &snoopInfo{}
	var ok bool
	if info.spyIn, info.spyOut, ok = direction(p.get("spy")); !ok {
		writeError(w, ariErr(http.StatusBadRequest, "Invalid direction specified for spy"))
		return
	}
	if info.whisperIn, info.whisperOut, ok = direction(p.get("whisper")); !ok {
		writeError(w, ariErr(http.StatusBadRequest, "Invalid direction specified for whisper"))
		return
	}
	app := p.get("app")
	switch {
	case app == "":
		writeError(w, ariErr(http.StatusBadRequest, "Application name is required"))
		return
	case !info.spyIn && !info.spyOut && !info.whisperIn && !info.whisperOut:
		writeError(w, ariErr(http.StatusBadRequest, "Direction must be specified for at least spy or whisper"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	target := s.channels[r.PathValue("id")]
	if target == nil {
		writeError(w, ariErr(http.StatusNotFound, "Channel not found"))
		return
	}
	if snoopID != "" && s.channels[snoopID] != nil {
		writeError(w, ariErr(http.StatusConflict, "Channel with given unique ID already exists"))
		return
	}
	info.target = target
	ch := s.newChannelLocked(snoopID, "Snoop/"+target.id, "Snoop", target.id)
	ch.name = fmt.Sprintf("Snoop/%s-%08x", target.id, s.seq)
	ch.snoop = info
	ch.state = stateUp
	ch.app = app
	if args := p.get("appArgs"); args != "" {
		ch.appArgs = strings.Split(args, ",")
	}
	if !s.appConnectedLocked(app) {
		// No WebSocket for the application: the snoop could not run Stasis.
		ch.gone, ch.ended = true, s.clock.Now()
		delete(s.channels, ch.id)
		writeError(w, ariErr(http.StatusInternalServerError, "Failed to create snoop channel"))
		return
	}
	target.snoopedBy = append(target.snoopedBy, ch)
	s.startSnoopLocked(ch) // StasisStart comes later (snoop_start.go)
	writeJSON(w, http.StatusOK, s.channelJSON(ch))
}

// endSnoopsLocked hangs up the snoops of a channel that went away.
func (s *Sim) endSnoopsLocked(target *channel) {
	snoops := target.snoopedBy
	target.snoopedBy = nil
	for _, sn := range snoops {
		s.farHangupLocked(sn, causeNormal)
	}
}

// Snoops lists the live snoop channels' ids, for tests and the demo.
func (s *Sim) Snoops() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, ch := range s.order {
		if ch.snoop != nil && !ch.gone {
			out = append(out, ch.id)
		}
	}
	return out
}

// The audio relation with snoops. heard reports whether audio from x
// reaches y's ear, directly (hears) or relayed by snoops: a snoop in y's
// bridge passing on what it spies, or a snoop whispering into y (out) or
// into a channel y hears (in). skip lists the snoops already on the path:
// each relays at most once per path, which also makes a spy deaf to its own
// snoop's whisper (no echo) and bounds the search.
func heard(x, y *channel, skip []*channel) bool {
	if x == y || !live(x) || !live(y) || y.mutedOut {
		return false
	}
	if hears(x, y) {
		return true
	}
	if y.music != "" {
		return false
	}
	if y.bridge != nil {
		for _, m := range y.bridge.members {
			if m == y || !hears(m, y) {
				continue
			}
			// A snoop in y's bridge says what it spies.
			if m.snoop != nil && m != x && !onPath(skip, m) && spies(m, x, append(skip, m)) {
				return true
			}
			// A partner carries x's audio as its own voice (whisper in).
			if m != x && spokenBy(m, x, skip) {
				return true
			}
		}
	}
	// Whisper out: a snoop on y writes what it hears to y.
	for _, sn := range y.snoopedBy {
		if sn.snoop.whisperOut && !onPath(skip, sn) && heard(x, sn, append(skip, sn)) {
			return true
		}
	}
	return false
}

// spies reports whether snoop sn passes x's audio on: x is the spied
// channel (spy in), someone whispering in as it, or something the spied
// channel hears (spy out).
func spies(sn, x *channel, skip []*channel) bool {
	t := sn.snoop.target
	if !live(t) {
		return false
	}
	if sn.snoop.spyIn && spokenBy(t, x, skip) {
		return true
	}
	return sn.snoop.spyOut && x != t && heard(x, t, skip)
}

// spokenBy reports whether x's audio leaves t as t's own voice: x is t
// (unmuted), or x reaches the ear of a snoop on t that whispers in.
func spokenBy(t, x *channel, skip []*channel) bool {
	if x == t {
		return !t.mutedIn
	}
	for _, sn := range t.snoopedBy {
		if sn.snoop.whisperIn && !onPath(skip, sn) && heard(x, sn, append(skip, sn)) {
			return true
		}
	}
	return false
}

func onPath(skip []*channel, c *channel) bool {
	for _, s := range skip {
		if s == c {
			return true
		}
	}
	return false
}
