// Package musicclass holds the rule for a music-on-hold class name (A5),
// shared by the configuration's default (music_class) and each queue's own
// class, so that both refuse the same names with the same words.
//
// The name is an Asterisk musiconhold.conf section and travels in an ARI
// query (POST /bridges/{id}/moh?mohClass=NAME), so it is an identifier:
// ASCII letters, digits, '-' and '_', at most MaxLen characters (Asterisk's
// MAX_MUSICCLASS).
package musicclass

import (
	"fmt"
	"regexp"
)

// MaxLen is the longest class name Asterisk keeps (MAX_MUSICCLASS).
const MaxLen = 80

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Problem returns why name cannot be a music class, or "" when it can. An
// empty name is "missing": where empty means "the default", check for it
// first.
func Problem(name string) string {
	switch {
	case name == "":
		return "missing"
	case !nameRE.MatchString(name):
		return fmt.Sprintf("%q may contain only letters, digits, '-' and '_'", name)
	case len(name) > MaxLen:
		return fmt.Sprintf("longer than %d characters", MaxLen)
	}
	return ""
}
