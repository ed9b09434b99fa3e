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

// Call variable definitions (A11.1): which PBX variables the desktop shows,
// how, and in what order.

type variableView struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Label    string `json:"label"`
	Order    int    `json:"order"`
	Editable bool   `json:"editable"`
	Secure   bool   `json:"secure"`
	Popover  bool   `json:"popover"`
	Type     string `json:"type"`
}

func variableTable(vs ...orchestrator.VariableDef) ([]variableView, table) {
	views := []variableView{}
	t := table{header: []string{"ID", "NAME", "LABEL", "TYPE", "ORDER", "EDITABLE", "SECURE", "POPOVER"}}
	for _, v := range vs {
		views = append(views, variableView{ID: v.ID, Name: v.Name, Label: v.Label, Order: v.Order,
			Editable: v.Editable, Secure: v.Secure, Popover: v.Popover, Type: string(v.Type)})
		t.rows = append(t.rows, []string{strconv.FormatInt(v.ID, 10), v.Name, v.Label, string(v.Type), strconv.Itoa(v.Order),
			yesNo(v.Editable), yesNo(v.Secure), yesNo(v.Popover)})
	}
	return views, t
}

func variableFlags(fs *pflag.FlagSet, v *orchestrator.VariableDef) {
	fs.StringVar(&v.Name, "name", "", "variable name as the PBX sets it, without the RINGSIDE_VAR_ prefix")
	fs.StringVar(&v.Label, "label", "", "what agents see")
	fs.IntVar(&v.Order, "order", 0, "position in the popover and call-data panel (0..10000)")
	fs.BoolVar(&v.Editable, "editable", false, "agents may change it during the call")
	fs.BoolVar(&v.Secure, "secure", false, "masked, revealed only on request, never logged or in the popover")
	fs.BoolVar(&v.Popover, "popover", false, "shown in the contact-request popover (at most 6)")
	fs.Var((*variableTypeFlag)(&v.Type), "type", "text or datetime (ISO 8601 values)")
}

// variableTypeFlag reads --type; the store names a bad value.
type variableTypeFlag orchestrator.VariableType

func (f *variableTypeFlag) String() string     { return string(*f) }
func (f *variableTypeFlag) Set(s string) error { *f = variableTypeFlag(s); return nil }
func (f *variableTypeFlag) Type() string       { return "type" }

func applyVariableChanges(fs *pflag.FlagSet, dst *orchestrator.VariableDef, src orchestrator.VariableDef) {
	set := map[string]func(){
		"name":     func() { dst.Name = src.Name },
		"label":    func() { dst.Label = src.Label },
		"order":    func() { dst.Order = src.Order },
		"editable": func() { dst.Editable = src.Editable },
		"secure":   func() { dst.Secure = src.Secure },
		"popover":  func() { dst.Popover = src.Popover },
		"type":     func() { dst.Type = src.Type },
	}
	for name, f := range set {
		if fs.Changed(name) {
			f()
		}
	}
}

func newAdminVariablesCmd(a *admin) *cobra.Command {
	cmd := &cobra.Command{Use: "variables", Aliases: []string{"variable"}, Short: "Manage call variable definitions"}
	show := func(out io.Writer, d orchestrator.VariableDef) error {
		v, t := variableTable(d)
		return output(out, a.json, v[0], t)
	}

	var addV orchestrator.VariableDef
	add := a.subcommand("add --name NAME --label LABEL [flags]", "Add a variable definition", cobra.NoArgs,
		func(ctx context.Context, db *store.DB, out io.Writer, _ []string) error {
			d, err := db.AddVariableDef(ctx, addV)
			if err != nil {
				return err
			}
			return show(out, d)
		})
	variableFlags(add.Flags(), &addV)
	_ = add.MarkFlagRequired("name")
	_ = add.MarkFlagRequired("label")

	list := listCommand(a, "List variable definitions in order", (*store.DB).VariableDefs, variableTable)

	showCmd := a.subcommand("show NAME", "Show a variable definition", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			d, err := db.VariableDefByName(ctx, args[0])
			if err != nil {
				return err
			}
			return show(out, d)
		})

	var updV orchestrator.VariableDef
	var update *cobra.Command
	update = a.subcommand("update NAME [flags]", "Change a variable definition (only the flags given)", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			d, err := db.VariableDefByName(ctx, args[0])
			if err != nil {
				return err
			}
			applyVariableChanges(update.Flags(), &d, updV)
			if d, err = db.UpdateVariableDef(ctx, d); err != nil {
				return err
			}
			return show(out, d)
		})
	variableFlags(update.Flags(), &updV)

	remove := a.subcommand("remove NAME", "Remove a variable definition", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			d, err := db.VariableDefByName(ctx, args[0])
			if err != nil {
				return err
			}
			if err := db.RemoveVariableDef(ctx, d.ID); err != nil {
				return err
			}
			v, _ := variableTable(d)
			return removed(out, a.json, v[0], "variable "+strconv.Quote(d.Name))
		})

	cmd.AddCommand(add, list, showCmd, update, remove)
	return cmd
}
