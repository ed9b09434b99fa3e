package pbxsim

// The audio model: who hears whom, as measured on Asterisk by tone
// detection (PBX-NOTES) and, where not measured, as the bridge code has it.
//
//   - Members of one mixing bridge hear each other. Music on hold started
//     on the bridge is mixed in: they hear the music and each other.
//   - Music plays only in a class that exists (Options.MusicClasses, with
//     Asterisk's fallback to "default"; music.go): a bridge announcer with
//     no class plays silence, a channel MOH with no class does not start.
//   - A holding bridge passes no audio between participants; a participant
//     hears only the bridge's music (POST /bridges/{id}/moh) or silence
//     (ARI participants get idle mode "none", stasis_bridge.c). A member
//     added with role=announcer is heard by every participant.
//   - Channel music on hold (POST /channels/{id}/moh) replaces everything
//     the channel would hear; inside a bridge the others still hear it.
//   - mute direction=in: nobody hears the channel; direction=out: the
//     channel hears nothing, music included.
//   - A channel that is not answered, or has hung up, hears nothing and is
//     heard by nobody.

// hears reports whether audio from `from` reaches `to`.
func hears(from, to *channel) bool {
	switch {
	case from == to:
		return false
	case !live(from) || !live(to):
		return false
	case from.mutedIn || to.mutedOut:
		return false
	case to.music != "":
		return false // channel music replaces everything else it would hear
	case from.bridge == nil || from.bridge != to.bridge:
		return false // includes a channel with music outside any bridge
	case from.bridge.typ == "holding":
		return from.role == "announcer" && to.role != "announcer"
	}
	return true
}

// musicHeard is the class of the music on hold that reaches ch, "" for
// none: its own music wins over its bridge's. A class that does not exist
// plays nothing (music.go).
func musicHeard(ch *channel) string {
	if !live(ch) || ch.mutedOut {
		return ""
	}
	if ch.music != "" {
		return ch.music
	}
	if ch.bridge != nil {
		return ch.bridge.music()
	}
	return ""
}

// held is the "held" leg state: music on hold instead of a conversation,
// from the channel's own MOH or a holding bridge's music. A caller in a
// holding bridge whose music class is missing is not "held": it sits in
// silence, as in a holding bridge without music.
func held(ch *channel) bool {
	return ch.music != "" || (ch.bridge != nil && ch.bridge.typ == "holding" && ch.bridge.music() != "")
}

func live(ch *channel) bool { return !ch.gone && ch.state == stateUp }

// recorderHears lists the members a bridge recorder picks up: it is one
// more bridge participant, so in a mixing bridge it hears every live,
// unmuted member, and in a holding bridge only an announcer.
func recorderHears(b *bridge) []*channel {
	var out []*channel
	for _, m := range b.members {
		if !live(m) || m.mutedIn {
			continue
		}
		if b.typ == "holding" && m.role != "announcer" {
			continue
		}
		out = append(out, m)
	}
	return out
}
