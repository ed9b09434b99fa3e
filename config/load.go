package config

// Load builds the configuration from the defaults, the YAML file at path
// (or $RINGSIDE_CONFIG when path is empty; no file when both are empty) and
// the RINGSIDE_* variables in env, in that order of precedence, and
// validates it. Every problem found is returned together as Problems.
func Load(path string, env []string) (Config, error) {
	return load(path, env, nil)
}

// load applies the sources, then apply (flags) if given, then validates.
func load(path string, env []string, apply func(*Config) []string) (Config, error) {
	c := Defaults()
	if path == "" {
		path = lookupEnv(env, EnvConfigFile)
	}
	var p Problems
	if path != "" {
		p = append(p, applyFile(&c, path)...)
	}
	p = append(p, applyEnv(&c, env)...)
	if apply != nil {
		p = append(p, apply(&c)...)
	}
	// Validate even when a source had problems, so that one run reports
	// everything; an unknown "ari.pasword" then comes with "ari.password:
	// missing", which is the hint the operator needs.
	c.finish()
	if err := c.Validate(); err != nil {
		p = append(p, err.(Problems)...)
	}
	if len(p) > 0 {
		return c, p
	}
	return c, nil
}
