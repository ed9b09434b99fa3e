package main

import (
	"context"
	"io"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/store"
)

type extensionView struct {
	ID         int64  `json:"id"`
	Number     string `json:"number"`
	DialString string `json:"dial_string"`
	Kind       string `json:"kind"`
	Owner      string `json:"owner"`
	Mobile     string `json:"mobile"`
}

func extensionTable(n *names, es ...orchestrator.Extension) ([]extensionView, table) {
	views := []extensionView{}
	t := table{header: []string{"ID", "NUMBER", "KIND", "DIAL STRING", "OWNER", "MOBILE"}}
	for _, e := range es {
		v := extensionView{ID: e.ID, Number: e.Number, DialString: e.DialString, Kind: string(e.Kind),
			Owner: n.logins[e.OwnerID], Mobile: e.Mobile}
		views = append(views, v)
		t.rows = append(t.rows, []string{strconv.FormatInt(v.ID, 10), v.Number, v.Kind, v.DialString, v.Owner, v.Mobile})
	}
	return views, t
}

func (a *admin) showExtension(ctx context.Context, db *store.DB, out io.Writer, e orchestrator.Extension) error {
	n, err := loadNames(ctx, db)
	if err != nil {
		return err
	}
	v, t := extensionTable(n, e)
	return output(out, a.json, v[0], t)
}

type extensionInput struct {
	number, dialString, kind, owner, mobile string
}

func extensionFlags(fs *pflag.FlagSet, in *extensionInput, defaultKind string) {
	fs.StringVar(&in.number, "number", "", "the number agents pick, e.g. 2001")
	fs.StringVar(&in.dialString, "dial-string", "", "what the PBX dials: PJSIP/2001 (Asterisk), user/2001 (FreeSWITCH)")
	fs.StringVar(&in.kind, "kind", defaultKind, "physical (a phone) or virtual (follows its owner's mobile, R3)")
	fs.StringVar(&in.owner, "owner", "", "owner's login; required for virtual (\"\" for none)")
	fs.StringVar(&in.mobile, "mobile", "", "optional check: a virtual extension rings its owner's mobile (set with users update --mobile)")
}

func (in *extensionInput) apply(ctx context.Context, db *store.DB, fs *pflag.FlagSet, e *orchestrator.Extension, all bool) error {
	given := func(name string) bool { return all || fs.Changed(name) }
	if given("number") {
		e.Number = in.number
	}
	if given("dial-string") {
		e.DialString = in.dialString
	}
	if given("kind") {
		e.Kind = orchestrator.ExtensionKind(in.kind)
	}
	if given("mobile") {
		e.Mobile = in.mobile
	}
	if given("owner") {
		id, err := userID(ctx, db, in.owner)
		if err != nil {
			return err
		}
		e.OwnerID = id
	}
	return nil
}

func newAdminExtensionsCmd(a *admin) *cobra.Command {
	cmd := &cobra.Command{Use: "extensions", Aliases: []string{"extension"}, Short: "Manage PBX extensions (stations)"}

	var addIn extensionInput
	var add *cobra.Command
	add = a.subcommand("add --number N (--dial-string S | --kind virtual --owner LOGIN)", "Add an extension", cobra.NoArgs,
		func(ctx context.Context, db *store.DB, out io.Writer, _ []string) error {
			var e orchestrator.Extension
			if err := addIn.apply(ctx, db, add.Flags(), &e, true); err != nil {
				return err
			}
			e, err := db.AddExtension(ctx, e)
			if err != nil {
				return err
			}
			return a.showExtension(ctx, db, out, e)
		})
	extensionFlags(add.Flags(), &addIn, string(orchestrator.ExtensionPhysical))
	_ = add.MarkFlagRequired("number")

	list := a.subcommand("list", "List extensions", cobra.NoArgs,
		func(ctx context.Context, db *store.DB, out io.Writer, _ []string) error {
			es, err := db.Extensions(ctx)
			if err != nil {
				return err
			}
			n, err := loadNames(ctx, db)
			if err != nil {
				return err
			}
			v, t := extensionTable(n, es...)
			return output(out, a.json, v, t)
		})

	show := a.subcommand("show NUMBER", "Show an extension", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			e, err := db.ExtensionByNumber(ctx, args[0])
			if err != nil {
				return err
			}
			return a.showExtension(ctx, db, out, e)
		})

	var updIn extensionInput
	var update *cobra.Command
	update = a.subcommand("update NUMBER [flags]", "Change an extension (only the flags given)", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			e, err := db.ExtensionByNumber(ctx, args[0])
			if err != nil {
				return err
			}
			if err := updIn.apply(ctx, db, update.Flags(), &e, false); err != nil {
				return err
			}
			if e, err = db.UpdateExtension(ctx, e); err != nil {
				return err
			}
			return a.showExtension(ctx, db, out, e)
		})
	extensionFlags(update.Flags(), &updIn, "")

	remove := a.subcommand("remove NUMBER", "Remove an extension", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			e, err := db.ExtensionByNumber(ctx, args[0])
			if err != nil {
				return err
			}
			n, err := loadNames(ctx, db)
			if err != nil {
				return err
			}
			if err := db.RemoveExtension(ctx, e.ID); err != nil {
				return err
			}
			v, _ := extensionTable(n, e)
			return removed(out, a.json, v[0], "extension "+strconv.Quote(e.Number))
		})

	cmd.AddCommand(add, list, show, update, remove)
	return cmd
}
