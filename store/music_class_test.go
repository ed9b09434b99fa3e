package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// P6, A5: a queue's music-on-hold class is stored, changed and read back
// by every way a queue is read; empty (the configured default) is what a
// queue gets when none is given.
func TestQueueMusicClassStored_P6_A5(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	q := salesQueue()
	q.MusicClass = "ringside"
	q = must[orchestrator.Queue](t)(db.AddQueue(ctx, q))
	support := must[orchestrator.Queue](t)(db.AddQueue(ctx, orchestrator.Queue{Name: "support", RingTime: 20 * time.Second}))

	if got := must[orchestrator.Queue](t)(db.Queue(ctx, q.ID)); got.MusicClass != "ringside" {
		t.Errorf("Queue music class = %q", got.MusicClass)
	}
	if got := must[orchestrator.Queue](t)(db.QueueByName(ctx, "Sales")); got.MusicClass != "ringside" {
		t.Errorf("QueueByName music class = %q", got.MusicClass)
	}
	if got := must[orchestrator.Queue](t)(db.Queue(ctx, support.ID)); got.MusicClass != "" {
		t.Errorf("a queue added without a class has %q, want empty (the default)", got.MusicClass)
	}

	q.MusicClass = "Sales_hold-2"
	must[orchestrator.Queue](t)(db.UpdateQueue(ctx, q))
	qs := must[[]orchestrator.Queue](t)(db.Queues(ctx))
	if len(qs) != 2 || qs[0] != q || qs[1].MusicClass != "" {
		t.Errorf("Queues = %+v, want sales with class Sales_hold-2 and support without", qs)
	}

	// Back to the configured default.
	q.MusicClass = ""
	must[orchestrator.Queue](t)(db.UpdateQueue(ctx, q))
	if got := must[orchestrator.Queue](t)(db.Queue(ctx, q.ID)); got != q {
		t.Errorf("after clearing the class: %+v, want %+v", got, q)
	}
}

// P6, A5: the class is an Asterisk musiconhold.conf section asked for in
// an ARI query: letters, digits, '-' and '_', at most 80 characters
// (MAX_MUSICCLASS). A refusal names music_class and stores nothing.
func TestQueueMusicClassValidation_P6_A5(t *testing.T) {
	for _, c := range []struct {
		name, class, want string
	}{
		{"space", "on hold", `music_class: "on hold" may contain only letters, digits, '-' and '_'`},
		{"slash", "moh/ringside", `music_class: "moh/ringside" may contain only`},
		{"query characters", "a&b=c", "music_class:"},
		{"dot", "ringside.v2", "music_class:"},
		{"not ASCII", "müsik", "music_class:"},
		{"leading space", " ringside", "music_class:"},
		{"too long", strings.Repeat("m", 81), "music_class: longer than 80 characters"},
	} {
		t.Run(c.name, func(t *testing.T) {
			q := salesQueue()
			q.MusicClass = c.class
			wantCode(t, ValidateQueue(q), orchestrator.CodeInvalid, c.want)
		})
	}
	for _, class := range []string{"", "default", "ringside", "Sales_hold-2", strings.Repeat("m", 80)} {
		q := salesQueue()
		q.MusicClass = class
		if err := ValidateQueue(q); err != nil {
			t.Errorf("class %q refused: %v", class, err)
		}
	}

	ctx := context.Background()
	db := openTest(t)
	bad := salesQueue()
	bad.MusicClass = "on hold"
	_, err := db.AddQueue(ctx, bad)
	wantCode(t, err, orchestrator.CodeInvalid, "music_class:")
	q := must[orchestrator.Queue](t)(db.AddQueue(ctx, salesQueue()))
	bad.ID = q.ID
	_, err = db.UpdateQueue(ctx, bad)
	wantCode(t, err, orchestrator.CodeInvalid, "music_class:")
	if got := must[orchestrator.Queue](t)(db.Queue(ctx, q.ID)); got != q {
		t.Errorf("a refused update changed the queue: %+v", got)
	}
	// The schema bounds the length too, for writes past the store's rules.
	if _, err := db.w.ExecContext(ctx, `UPDATE queues SET music_class = ? WHERE id = ?`, strings.Repeat("m", 81), q.ID); err == nil {
		t.Error("the schema took an 81-character music class")
	}
}

// Migration 0006: queues written before it (no music_class in the INSERT)
// read back with the configured default (A5).
func TestQueueMusicClassMigrationDefault_A5(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	if _, err := db.w.ExecContext(ctx, `INSERT INTO queues (name, ring_time_s) VALUES ('old', 20)`); err != nil {
		t.Fatal(err)
	}
	if got := must[orchestrator.Queue](t)(db.QueueByName(ctx, "old")); got.MusicClass != "" {
		t.Errorf("an old queue's class = %q, want empty", got.MusicClass)
	}
}
