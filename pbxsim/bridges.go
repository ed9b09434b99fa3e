package pbxsim

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
)

// createBridgeLocked is POST /bridges and POST /bridges/{id}. Asterisk
// refuses an id in use with 409 (ast_ari_bridges_create_with_id).
func (s *Sim) createBridgeLocked(id, typ, name string) (*bridge, *ariError) {
	if id == "" {
		id = randomID()
	}
	if s.bridges[id] != nil {
		return nil, ariErr(409, "Bridge with id '%s' already exists", id)
	}
	kind, ok := bridgeKind(typ)
	if !ok {
		return nil, ariErr(500, "Unable to create bridge")
	}
	b := &bridge{id: id, name: name, typ: kind, created: time.Now()}
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

// addChannelsLocked puts channels into b. A channel already in another
// bridge is moved: ChannelLeftBridge from the old one, then
// ChannelEnteredBridge (PBX-NOTES). Adding a member again changes nothing.
func (s *Sim) addChannelsLocked(b *bridge, chans []*channel) {
	for _, ch := range chans {
		if ch.bridge == b {
			continue
		}
		s.leaveBridgeLocked(ch)
		b.members = append(b.members, ch)
		ch.bridge = b
		b.subscribe(ch.app)
		s.emitBridgeMoveLocked("ChannelEnteredBridge", b, ch)
	}
}

// leaveBridgeLocked takes a channel out of its bridge, if any. The bridge
// stays, even empty: Asterisk does not destroy ARI bridges by itself.
func (s *Sim) leaveBridgeLocked(ch *channel) {
	b := ch.bridge
	if b == nil {
		return
	}
	b.remove(ch)
	ch.bridge = nil
	s.emitBridgeMoveLocked("ChannelLeftBridge", b, ch)
}

// destroyBridgeLocked is DELETE /bridges/{id}: the members leave (and stay
// in the application), then BridgeDestroyed.
func (s *Sim) destroyBridgeLocked(b *bridge) {
	for _, ch := range append([]*channel(nil), b.members...) {
		s.leaveBridgeLocked(ch)
	}
	delete(s.bridges, b.id)
	s.emitLocked(b.apps, "BridgeDestroyed", map[string]any{"bridge": bridgeJSONOf(b)})
}

// randomID makes a UUID-shaped id, like Asterisk's generated ones.
func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
