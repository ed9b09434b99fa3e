package config

import (
	"fmt"
	"strings"
)

// EnvConfigFile names the configuration file when no --config is given.
const EnvConfigFile = "RINGSIDE_CONFIG"

// envIgnored are RINGSIDE_ prefixes that are not settings: the config file
// name itself and the variables of the opt-in real-PBX test suite.
var envIgnored = []string{EnvConfigFile, "RINGSIDE_TEST_"}

// applyEnv applies RINGSIDE_* variables from env ("KEY=value" strings, as
// os.Environ gives them). An empty variable counts as unset. An unknown
// RINGSIDE_ variable is reported rather than ignored, since it is almost
// always a misspelt setting (RINGSIDE_ARI_PASWORD) whose value would
// otherwise silently not apply.
func applyEnv(c *Config, env []string) []string {
	byName := map[string]setting{}
	for _, s := range settings() {
		byName[s.Env] = s
	}
	var problems []string
	for _, kv := range env {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, "RINGSIDE_") || ignoredEnv(name) {
			continue
		}
		s, known := byName[name]
		if !known {
			problems = append(problems, fmt.Sprintf("%s: unknown setting (see docs/config.md for the variables)", name))
			continue
		}
		if value == "" {
			continue
		}
		if err := s.setText(c, value); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", name, err))
		}
	}
	return problems
}

func ignoredEnv(name string) bool {
	for _, p := range envIgnored {
		if name == p || (strings.HasSuffix(p, "_") && strings.HasPrefix(name, p)) {
			return true
		}
	}
	return false
}

// lookupEnv returns the value of name in env.
func lookupEnv(env []string, name string) string {
	val := ""
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			val = v // the last one wins, as in a shell
		}
	}
	return val
}
