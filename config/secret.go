package config

import (
	"encoding/json"
	"log/slog"
)

// Secret is a password. Every way of printing it (fmt verbs, JSON, YAML,
// slog) shows "*****", so a configuration can be logged or dumped without
// leaking it; Reveal is the one way to the value, for the code that sends
// it to the PBX.
type Secret string

const masked = "*****"

// Reveal returns the password itself.
func (s Secret) Reveal() string { return string(s) }

// String masks the password; an unset one prints empty so that "is it set"
// stays visible.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return masked
}

// GoString masks the password under %#v.
func (s Secret) GoString() string { return `"` + s.String() + `"` }

// MarshalJSON masks the password.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// MarshalYAML masks the password.
func (s Secret) MarshalYAML() (any, error) { return s.String(), nil }

// LogValue masks the password in structured logs.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }
