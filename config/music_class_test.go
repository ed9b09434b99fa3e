package config

import (
	"errors"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// A5: the music class of queues that name none is a setting, music_class
// (RINGSIDE_MUSIC_CLASS, --music-class), "default" unless set; empty means
// the default too.
func TestMusicClassSetting_A5(t *testing.T) {
	if got := valid().MusicClass; got != "default" {
		t.Errorf("default music class %q, want default", got)
	}
	if EnvVar("music_class") != "RINGSIDE_MUSIC_CLASS" {
		t.Errorf("music_class variable = %q", EnvVar("music_class"))
	}
	conn := []string{"RINGSIDE_ARI_URL=http://p/ari", "RINGSIDE_ARI_USERNAME=u", "RINGSIDE_ARI_PASSWORD=p"}
	for _, c := range []struct {
		name, body string
		env, args  []string
		want       string
	}{
		{"default", "", nil, nil, "default"},
		{"file", "music_class: ringside\n", nil, nil, "ringside"},
		{"empty in the file", "music_class: \"\"\n", nil, nil, "default"},
		{"env over file", "music_class: ringside\n", []string{"RINGSIDE_MUSIC_CLASS=night_moh-2"}, nil, "night_moh-2"},
		{"flag over env", "", []string{"RINGSIDE_MUSIC_CLASS=night"}, []string{"--music-class", "day"}, "day"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
			f := AddFlags(fs)
			if err := fs.Parse(append([]string{"--config", writeFile(t, c.body)}, c.args...)); err != nil {
				t.Fatal(err)
			}
			cfg, err := f.Resolve(append(c.env, conn...))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.MusicClass != c.want {
				t.Errorf("music_class = %q, want %q", cfg.MusicClass, c.want)
			}
		})
	}
}

// A5: the class is an Asterisk musiconhold.conf section asked for in an
// ARI query, so only letters, digits, '-' and '_', at most 80 characters
// (MAX_MUSICCLASS); a bad one is named with the key, from any source.
func TestMusicClassValidated_A5(t *testing.T) {
	for _, c := range []struct{ class, want string }{
		{"on hold", `music_class: "on hold" may contain only letters, digits, '-' and '_'`},
		{"moh/ringside", `music_class: "moh/ringside" may contain only`},
		{"a&b", "music_class:"},
		{strings.Repeat("m", 81), "music_class: longer than 80 characters"},
	} {
		cfg := valid()
		cfg.MusicClass = c.class
		err := cfg.Validate()
		var p Problems
		if !errors.As(err, &p) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("music_class %q: Validate() = %v, want it to contain %q", c.class, err, c.want)
		}
	}
	cfg := valid()
	cfg.MusicClass = strings.Repeat("m", 80)
	if err := cfg.Validate(); err != nil {
		t.Errorf("80-character class refused: %v", err)
	}
	_, err := Load(writeFile(t, "music_class: on hold\n"), []string{"RINGSIDE_ARI_URL=http://p/ari", "RINGSIDE_ARI_USERNAME=u", "RINGSIDE_ARI_PASSWORD=p"})
	if err == nil || !strings.Contains(err.Error(), `music_class: "on hold"`) {
		t.Errorf("bad class in the file: %v", err)
	}
	_, err = Load("", []string{"RINGSIDE_MUSIC_CLASS=x/y", "RINGSIDE_ARI_URL=http://p/ari", "RINGSIDE_ARI_USERNAME=u", "RINGSIDE_ARI_PASSWORD=p"})
	if err == nil || !strings.Contains(err.Error(), `music_class: "x/y"`) {
		t.Errorf("bad class in the environment: %v", err)
	}
}
