package config

import (
	"os"
	"strings"
	"testing"
)

// The operator docs and the example file must keep up with the settings.
func TestDocsAndExampleCoverEverySetting(t *testing.T) {
	doc, err := os.ReadFile("../docs/config.md")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("../ringside.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range settings() {
		if !strings.Contains(string(doc), "`"+s.Path+"`") {
			t.Errorf("docs/config.md does not document key %s", s.Path)
		}
		if !strings.Contains(string(doc), "`"+s.Env+"`") && !strings.Contains(string(doc), "`"+s.Env+"` (") {
			t.Errorf("docs/config.md does not document variable %s", s.Env)
		}
		leaf := s.Path[strings.LastIndex(s.Path, ".")+1:]
		if !strings.Contains(string(example), leaf+":") {
			t.Errorf("ringside.example.yaml has no %s", s.Path)
		}
	}
	for _, f := range flagSpecs {
		if !strings.Contains(string(doc), "`--"+f.flag+"`") {
			t.Errorf("docs/config.md does not document flag --%s", f.flag)
		}
	}
}

// The example is a valid configuration as it stands.
func TestExampleFileLoads(t *testing.T) {
	c, err := Load("../ringside.example.yaml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.PBX != PBXAsterisk || c.ARI.App != "ringside" || c.DialNumberTemplate != "PJSIP/{number}@trunk" {
		t.Errorf("example loaded as %+v", c)
	}
}
