package main

import (
	"strings"
	"testing"
)

// P6, A5 from the CLI: --music-class sets a queue's music-on-hold class on
// add and update (only when given); "" puts it back on the configured
// default, which the table shows as "(default)"; a bad class is refused
// naming music_class and nothing changes.
func TestAdminQueueMusicClass_P6_A5(t *testing.T) {
	db := newDB(t)
	provision(t, db)
	a := func(args ...string) []string { return append([]string{"admin", "--db", db, "--json"}, args...) }

	q := decode[queueView](t, ok(t, a("queues", "add", "--name", "vip", "--music-class", "ringside")...))
	if q.MusicClass != "ringside" {
		t.Fatalf("added %+v, want music class ringside", q)
	}
	// An update without the flag keeps the class.
	q = decode[queueView](t, ok(t, a("queues", "update", "vip", "--priority", "3")...))
	if q.MusicClass != "ringside" || q.Priority != 3 {
		t.Errorf("after an update without --music-class: %+v", q)
	}
	q = decode[queueView](t, ok(t, a("queues", "update", "vip", "--music-class", "vip_hold-2")...))
	if q.MusicClass != "vip_hold-2" || q.Priority != 3 {
		t.Errorf("after --music-class vip_hold-2: %+v", q)
	}

	out := ok(t, "admin", "--db", db, "queues", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.Contains(lines[0], "MUSIC") {
		t.Errorf("list header lacks MUSIC:\n%s", out)
	}
	for _, l := range lines[1:] {
		name := strings.Fields(l)[1]
		want := map[string]string{"sales": "(default)", "support": "(default)", "vip": "vip_hold-2"}[name]
		if !strings.HasSuffix(strings.TrimSpace(l), want) {
			t.Errorf("row of %s does not end in %q:\n%s", name, want, out)
		}
	}

	// Refused: named, and the queue keeps its class.
	for _, c := range []struct{ class, part string }{
		{"on hold", `music_class: "on hold" may contain only letters, digits, '-' and '_'`},
		{"moh/vip", "music_class:"},
		{strings.Repeat("m", 81), "music_class: longer than 80 characters"},
	} {
		fails(t, []string{"admin", "--db", db, "queues", "update", "vip", "--music-class", c.class}, c.part)
		fails(t, []string{"admin", "--db", db, "queues", "add", "--name", "vip3", "--music-class", c.class}, c.part)
	}
	if q := decode[queueView](t, ok(t, a("queues", "show", "vip")...)); q.MusicClass != "vip_hold-2" {
		t.Errorf("a refused update changed the class: %+v", q)
	}
	fails(t, []string{"admin", "--db", db, "queues", "show", "vip3"}, `queue "vip3" not found`)

	// Back to the configured default.
	q = decode[queueView](t, ok(t, a("queues", "update", "vip", "--music-class", "")...))
	if q.MusicClass != "" {
		t.Errorf("after --music-class \"\": %+v", q)
	}
	if out := ok(t, "admin", "--db", db, "queues", "show", "vip"); !strings.Contains(out, "(default)") {
		t.Errorf("show of a queue on the default class:\n%s", out)
	}
}
