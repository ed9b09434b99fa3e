package main

import (
	"context"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/store"
)

// Idle codes (reasons for Idle, A13) and wrap-up codes (A12).

type codeView struct {
	ID    int64  `json:"id"`
	Code  string `json:"code"`
	Label string `json:"label"`
	Auto  *bool  `json:"auto,omitempty"` // wrap-up codes only
}

func idleCodeTable(cs ...orchestrator.IdleCode) ([]codeView, table) {
	views := []codeView{}
	t := table{header: []string{"ID", "CODE", "LABEL"}}
	for _, c := range cs {
		views = append(views, codeView{ID: c.ID, Code: c.Code, Label: c.Label})
		t.rows = append(t.rows, []string{strconv.FormatInt(c.ID, 10), c.Code, c.Label})
	}
	return views, t
}

func wrapupCodeTable(cs ...orchestrator.WrapupCode) ([]codeView, table) {
	views := []codeView{}
	t := table{header: []string{"ID", "CODE", "LABEL", "AUTO"}}
	for _, c := range cs {
		auto := c.Auto
		views = append(views, codeView{ID: c.ID, Code: c.Code, Label: c.Label, Auto: &auto})
		t.rows = append(t.rows, []string{strconv.FormatInt(c.ID, 10), c.Code, c.Label, yesNo(c.Auto)})
	}
	return views, t
}

func newAdminIdleCodesCmd(a *admin) *cobra.Command {
	cmd := &cobra.Command{Use: "idle-codes", Aliases: []string{"idle-code"}, Short: "Manage idle reason codes"}
	show := func(out io.Writer, c orchestrator.IdleCode) error {
		v, t := idleCodeTable(c)
		return output(out, a.json, v[0], t)
	}

	var addC orchestrator.IdleCode
	add := a.subcommand("add --code CODE --label LABEL", "Add an idle code", cobra.NoArgs,
		func(ctx context.Context, db *store.DB, out io.Writer, _ []string) error {
			c, err := db.AddIdleCode(ctx, addC)
			if err != nil {
				return err
			}
			return show(out, c)
		})
	add.Flags().StringVar(&addC.Code, "code", "", "short code (letters, digits, _ . -)")
	add.Flags().StringVar(&addC.Label, "label", "", "what agents see")
	_ = add.MarkFlagRequired("code")
	_ = add.MarkFlagRequired("label")

	list := listCommand(a, "List idle codes", (*store.DB).IdleCodes, idleCodeTable)

	showCmd := a.subcommand("show CODE", "Show an idle code", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			c, err := db.IdleCodeByCode(ctx, args[0])
			if err != nil {
				return err
			}
			return show(out, c)
		})

	var updC orchestrator.IdleCode
	var update *cobra.Command
	update = a.subcommand("update CODE [--code NEW] [--label LABEL]", "Change an idle code", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			c, err := db.IdleCodeByCode(ctx, args[0])
			if err != nil {
				return err
			}
			if update.Flags().Changed("code") {
				c.Code = updC.Code
			}
			if update.Flags().Changed("label") {
				c.Label = updC.Label
			}
			if c, err = db.UpdateIdleCode(ctx, c); err != nil {
				return err
			}
			return show(out, c)
		})
	update.Flags().StringVar(&updC.Code, "code", "", "new code")
	update.Flags().StringVar(&updC.Label, "label", "", "new label")

	remove := a.subcommand("remove CODE", "Remove an idle code", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			c, err := db.IdleCodeByCode(ctx, args[0])
			if err != nil {
				return err
			}
			if err := db.RemoveIdleCode(ctx, c.ID); err != nil {
				return err
			}
			v, _ := idleCodeTable(c)
			return removed(out, a.json, v[0], "idle code "+strconv.Quote(c.Code))
		})

	cmd.AddCommand(add, list, showCmd, update, remove)
	return cmd
}

func newAdminWrapupCodesCmd(a *admin) *cobra.Command {
	cmd := &cobra.Command{Use: "wrapup-codes", Aliases: []string{"wrapup-code"}, Short: "Manage wrap-up codes"}
	show := func(out io.Writer, c orchestrator.WrapupCode) error {
		v, t := wrapupCodeTable(c)
		return output(out, a.json, v[0], t)
	}

	var addC orchestrator.WrapupCode
	add := a.subcommand("add --code CODE --label LABEL [--auto]", "Add a wrap-up code", cobra.NoArgs,
		func(ctx context.Context, db *store.DB, out io.Writer, _ []string) error {
			c, err := db.AddWrapupCode(ctx, addC)
			if err != nil {
				return err
			}
			return show(out, c)
		})
	add.Flags().StringVar(&addC.Code, "code", "", "short code (letters, digits, _ . -)")
	add.Flags().StringVar(&addC.Label, "label", "", "what agents see")
	add.Flags().BoolVar(&addC.Auto, "auto", false, "the code recorded when a queue's wrap-up time runs out (at most one)")
	_ = add.MarkFlagRequired("code")
	_ = add.MarkFlagRequired("label")

	list := listCommand(a, "List wrap-up codes", (*store.DB).WrapupCodes, wrapupCodeTable)

	showCmd := a.subcommand("show CODE", "Show a wrap-up code", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			c, err := db.WrapupCodeByCode(ctx, args[0])
			if err != nil {
				return err
			}
			return show(out, c)
		})

	var updC orchestrator.WrapupCode
	var update *cobra.Command
	update = a.subcommand("update CODE [--code NEW] [--label LABEL] [--auto=true|false]", "Change a wrap-up code", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			c, err := db.WrapupCodeByCode(ctx, args[0])
			if err != nil {
				return err
			}
			fs := update.Flags()
			if fs.Changed("code") {
				c.Code = updC.Code
			}
			if fs.Changed("label") {
				c.Label = updC.Label
			}
			if fs.Changed("auto") {
				c.Auto = updC.Auto
			}
			if c, err = db.UpdateWrapupCode(ctx, c); err != nil {
				return err
			}
			return show(out, c)
		})
	update.Flags().StringVar(&updC.Code, "code", "", "new code")
	update.Flags().StringVar(&updC.Label, "label", "", "new label")
	update.Flags().BoolVar(&updC.Auto, "auto", false, "make it (or, with =false, no longer) the automatic code")

	remove := a.subcommand("remove CODE", "Remove a wrap-up code", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			c, err := db.WrapupCodeByCode(ctx, args[0])
			if err != nil {
				return err
			}
			if err := db.RemoveWrapupCode(ctx, c.ID); err != nil {
				return err
			}
			v, _ := wrapupCodeTable(c)
			return removed(out, a.json, v[0], "wrap-up code "+strconv.Quote(c.Code))
		})

	cmd.AddCommand(add, list, showCmd, update, remove)
	return cmd
}
