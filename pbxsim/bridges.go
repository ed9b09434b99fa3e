package pbxsim

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// createBridgeLocked is POST /bridges and POST /bridges/{id}. Asterisk
// refuses an id in use with 409 (ast_ari_bridges_create_with_id).
func (s *Sim) createBridgeLocked(id, typ, name string) (*bridge, *ariError) {
	if id == "" {
		id = randomID()
	}
	if s.bridgeIDTakenLocked(id) {
		return nil, ariErr(409, "Bridge with id '%s' already exists", id)
	}
	kind, ok := bridgeKind(typ)
	if !ok {
		return nil, ariErr(500, "Unable to create bridge")
	}
	b := &bridge{id: id, name: name, typ: kind, created: s.clock.Now()}
	s.bridges[id] = b
	return b, nil
}

// bridgeKind reads the comma-separated type list; mixing is the default.
func bridgeKind(typ string) (string, bool) {
	kind := "mixing"
	for _, t := range strings.Split(typ, ",") {
		switch strings.TrimSpace(t) {
		case "", "mixing", "dtmf_events", "proxy_media":
		case "holding":
			kind = "holding"
		default:
			return "", false
		}
	}
	return kind, true
}

// addChannelsLocked puts channels into b with a bridge role (the
// addChannel "role" parameter; roles are cleared on every addChannel, as
// stasis_app_control_clear_roles does). A channel already in another
// bridge is moved: ChannelLeftBridge from the old one, then
// ChannelEnteredBridge (PBX-NOTES). Adding a member again changes nothing
// but its role.
func (s *Sim) addChannelsLocked(b *bridge, chans []*channel, role string) {
	for _, ch := range chans {
		if ch.bridge == b {
			if ch.role != role {
				s.audioChangingLocked(b)
				ch.role = role
			}
			continue
		}
		s.leaveBridgeLocked(ch)
		s.audioChangingLocked(b)
		b.members = append(b.members, ch)
		ch.bridge, ch.role = b, role
		b.subscribe(ch.app)
		s.emitBridgeMoveLocked("ChannelEnteredBridge", b, ch)
	}
}

// leaveBridgeLocked takes a channel out of its bridge, if any. The bridge
// stays, even empty: Asterisk does not destroy ARI bridges by itself. But
// the recorder and, in a mixing bridge, the music channel are "lonely":
// when the last real member leaves they leave too, so the music stops and
// recordings finish (bridge_channel_dissolve_check in
// main/bridge_channel.c). A holding bridge's music was measured to stay
// (see bridge.moh).
func (s *Sim) leaveBridgeLocked(ch *channel) {
	b := ch.bridge
	if b == nil {
		return
	}
	s.audioChangingLocked(b)
	b.remove(ch)
	ch.bridge, ch.role = nil, ""
	s.emitBridgeMoveLocked("ChannelLeftBridge", b, ch)
	if len(b.members) == 0 {
		s.lonelyLeaveLocked(b)
	}
}

// lonelyLeaveLocked: only lonely channels are left in b, so they go.
func (s *Sim) lonelyLeaveLocked(b *bridge) {
	if b.typ != "holding" {
		b.moh, b.mohClass = false, ""
	}
	for _, rec := range append([]*recording(nil), b.recordings...) {
		s.finishRecordingLocked(rec, false)
	}
}

// destroyBridgeLocked is DELETE /bridges/{id}: the members leave (and stay
// in the application), recordings finish, then BridgeDestroyed, unless a
// holding bridge's music announcer keeps the bridge dying for a while
// (dying.go).
func (s *Sim) destroyBridgeLocked(b *bridge) {
	for _, ch := range append([]*channel(nil), b.members...) {
		s.leaveBridgeLocked(ch)
	}
	s.lonelyLeaveLocked(b) // an empty bridge may still hold music or a recorder
	if b.typ == "holding" && b.moh && s.opts.DyingBridgeLinger > 0 {
		s.lingerLocked(b)
		return
	}
	s.bridgeGoneLocked(b)
}

// audioChangingLocked must run before anything changes what b's recorders
// hear: it writes the audio accrued so far under the old state.
func (s *Sim) audioChangingLocked(b *bridge) {
	if b == nil {
		return
	}
	for _, rec := range b.recordings {
		s.flushRecordingLocked(rec)
	}
}

// randomID makes a UUID-shaped id, like Asterisk's generated ones.
func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
