package main

import (
	"context"
	"io"
	"strconv"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/store"
)

type queueView struct {
	ID                  int64  `json:"id"`
	Name                string `json:"name"`
	Priority            int    `json:"priority"`
	RingTimeS           int64  `json:"ring_time_s"`
	WrapupTimeS         int64  `json:"wrapup_time_s"`
	Recording           bool   `json:"recording"`
	PrivacyShieldS      int64  `json:"privacy_shield_s"`
	AllowEndWrapupEarly bool   `json:"allow_end_wrapup_early"`
	MusicClass          string `json:"music_class"` // "": the configured default
}

func queueTable(qs ...orchestrator.Queue) ([]queueView, table) {
	views := []queueView{}
	t := table{header: []string{"ID", "NAME", "PRIORITY", "RING", "WRAP-UP", "RECORDING", "PRIVACY", "END-WRAPUP-EARLY", "MUSIC"}}
	for _, q := range qs {
		views = append(views, queueView{ID: q.ID, Name: q.Name, Priority: q.Priority,
			RingTimeS: int64(q.RingTime / time.Second), WrapupTimeS: int64(q.WrapupTime / time.Second),
			Recording: q.Recording, PrivacyShieldS: int64(q.PrivacyShield / time.Second),
			AllowEndWrapupEarly: q.AllowEndWrapupEarly, MusicClass: q.MusicClass})
		t.rows = append(t.rows, []string{strconv.FormatInt(q.ID, 10), q.Name, strconv.Itoa(q.Priority),
			secs(q.RingTime), secs(q.WrapupTime), yesNo(q.Recording), secs(q.PrivacyShield), yesNo(q.AllowEndWrapupEarly),
			musicClass(q.MusicClass)})
	}
	return views, t
}

// musicClass is a queue's music class as the table shows it.
func musicClass(class string) string {
	if class == "" {
		return "(default)"
	}
	return class
}

func (a *admin) showQueue(out io.Writer, q orchestrator.Queue) error {
	v, t := queueTable(q)
	return output(out, a.json, v[0], t)
}

// queueFlags binds the queue settings; on update only the flags given are
// applied to the stored queue.
func queueFlags(fs *pflag.FlagSet, q *orchestrator.Queue) {
	fs.StringVar(&q.Name, "name", "", "queue name, as the dialplan names it (letters, digits, _ . -)")
	fs.IntVar(&q.Priority, "priority", 0, "priority 0..1000; higher is served first")
	fs.Var(secondsValue{&q.RingTime}, "ring-time", "how long an offer rings before RONA, e.g. 20 or 20s")
	fs.Var(secondsValue{&q.WrapupTime}, "wrapup-time", "wrap-up time before the automatic code applies; 0: until a code is chosen")
	fs.BoolVar(&q.Recording, "recording", false, "record calls automatically")
	fs.Var(secondsValue{&q.PrivacyShield}, "privacy-shield", "how long a recording pause lasts before it resumes by itself")
	fs.BoolVar(&q.AllowEndWrapupEarly, "allow-end-wrapup-early", false, "supervisors may end an agent's wrap-up")
	fs.StringVar(&q.MusicClass, "music-class", "", `music on hold class of waiting and held callers (an Asterisk musiconhold.conf class: letters, digits, - and _); "": the configured default (setting music_class)`)
}

// applyChanged copies the flags the user gave from src onto dst.
func applyQueueChanges(fs *pflag.FlagSet, dst *orchestrator.Queue, src orchestrator.Queue) {
	set := map[string]func(){
		"name":                   func() { dst.Name = src.Name },
		"priority":               func() { dst.Priority = src.Priority },
		"ring-time":              func() { dst.RingTime = src.RingTime },
		"wrapup-time":            func() { dst.WrapupTime = src.WrapupTime },
		"recording":              func() { dst.Recording = src.Recording },
		"privacy-shield":         func() { dst.PrivacyShield = src.PrivacyShield },
		"allow-end-wrapup-early": func() { dst.AllowEndWrapupEarly = src.AllowEndWrapupEarly },
		"music-class":            func() { dst.MusicClass = src.MusicClass },
	}
	for name, f := range set {
		if fs.Changed(name) {
			f()
		}
	}
}

func newAdminQueuesCmd(a *admin) *cobra.Command {
	cmd := &cobra.Command{Use: "queues", Aliases: []string{"queue"}, Short: "Manage queues"}

	addQ := orchestrator.Queue{RingTime: 20 * time.Second}
	add := a.subcommand("add --name NAME [settings]", "Add a queue", cobra.NoArgs,
		func(ctx context.Context, db *store.DB, out io.Writer, _ []string) error {
			q, err := db.AddQueue(ctx, addQ)
			if err != nil {
				return err
			}
			return a.showQueue(out, q)
		})
	queueFlags(add.Flags(), &addQ)
	_ = add.MarkFlagRequired("name")

	list := listCommand(a, "List queues", (*store.DB).Queues, queueTable)

	show := a.subcommand("show NAME", "Show a queue", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			q, err := db.QueueByName(ctx, args[0])
			if err != nil {
				return err
			}
			return a.showQueue(out, q)
		})

	var updQ orchestrator.Queue
	var update *cobra.Command
	update = a.subcommand("update NAME [settings]", "Change a queue's settings (only the flags given)", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			q, err := db.QueueByName(ctx, args[0])
			if err != nil {
				return err
			}
			applyQueueChanges(update.Flags(), &q, updQ)
			if q, err = db.UpdateQueue(ctx, q); err != nil {
				return err
			}
			return a.showQueue(out, q)
		})
	queueFlags(update.Flags(), &updQ)

	remove := a.subcommand("remove NAME", "Remove a queue and every skill for it", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			q, err := db.QueueByName(ctx, args[0])
			if err != nil {
				return err
			}
			if err := db.RemoveQueue(ctx, q.ID); err != nil {
				return err
			}
			v, _ := queueTable(q)
			return removed(out, a.json, v[0], "queue "+strconv.Quote(q.Name))
		})

	cmd.AddCommand(add, list, show, update, remove)
	return cmd
}
