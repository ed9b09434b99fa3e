package pbxsim

// Music on hold classes. Asterisk answers a MOH request (channel or
// bridge) with 204 whatever the class, then local_ast_moh_start
// (res/res_musiconhold.c) looks for the class asked for and, failing
// that, for "default"; when neither is loaded it logs "Music on Hold class
// '…' not found in memory" and starts nothing. PBX-NOTES measured the
// consequence: many installs have no usable "default", and a held caller
// then sits in silence. Options.MusicClasses says which classes exist.

// defaultMusicClass is the class Asterisk falls back to, and the one
// bridge and channel MOH ask for when the request names none.
const defaultMusicClass = "default"

// musicClassLocked is the class that actually plays when asked plays
// ("" for none): the class asked for if it exists, else "default" if it
// exists, else nothing.
func (s *Sim) musicClassLocked(asked string) string {
	for _, class := range []string{asked, defaultMusicClass} {
		if class == "" {
			continue
		}
		if s.musicClassExists(class) {
			return class
		}
		s.log.Warn("Music on Hold class not found in memory. Verify your configuration.", "class", class)
	}
	return ""
}

func (s *Sim) musicClassExists(class string) bool {
	if s.opts.MusicClasses == nil {
		return class == defaultMusicClass
	}
	for _, c := range s.opts.MusicClasses {
		if c == class {
			return true
		}
	}
	return false
}

// music is the class of the music the bridge's announcer plays: "" when
// there is no announcer or it found no class (it plays silence then).
func (b *bridge) music() string {
	if !b.moh {
		return ""
	}
	return b.mohClass
}

// MusicClass reports the music class a leg hears music on hold from (its
// own, or its bridge's announcer), or false when it hears no music: none
// started, a class that does not exist, muted out, not answered, hung up,
// or an unknown leg.
func (s *Sim) MusicClass(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.known[id]
	if ch == nil {
		return "", false
	}
	class := musicHeard(ch)
	return class, class != ""
}
