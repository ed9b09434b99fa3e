package main

import (
	"context"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/store"
)

type teamView struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

func teamTable(ts ...orchestrator.Team) ([]teamView, table) {
	views := []teamView{}
	t := table{header: []string{"ID", "NAME"}}
	for _, x := range ts {
		views = append(views, teamView{ID: x.ID, Name: x.Name})
		t.rows = append(t.rows, []string{strconv.FormatInt(x.ID, 10), x.Name})
	}
	return views, t
}

func (a *admin) showTeam(out io.Writer, x orchestrator.Team) error {
	v, t := teamTable(x)
	return output(out, a.json, v[0], t)
}

func newAdminTeamsCmd(a *admin) *cobra.Command {
	cmd := &cobra.Command{Use: "teams", Aliases: []string{"team"}, Short: "Manage teams"}

	var name string
	add := a.subcommand("add --name NAME", "Add a team", cobra.NoArgs,
		func(ctx context.Context, db *store.DB, out io.Writer, _ []string) error {
			x, err := db.AddTeam(ctx, orchestrator.Team{Name: name})
			if err != nil {
				return err
			}
			return a.showTeam(out, x)
		})
	add.Flags().StringVar(&name, "name", "", "team name (required)")
	_ = add.MarkFlagRequired("name")

	list := listCommand(a, "List teams", (*store.DB).Teams, teamTable)

	show := a.subcommand("show NAME", "Show a team", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			x, err := db.TeamByName(ctx, args[0])
			if err != nil {
				return err
			}
			return a.showTeam(out, x)
		})

	var newName string
	update := a.subcommand("update NAME --name NEW", "Rename a team", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			x, err := db.TeamByName(ctx, args[0])
			if err != nil {
				return err
			}
			x.Name = newName
			if x, err = db.UpdateTeam(ctx, x); err != nil {
				return err
			}
			return a.showTeam(out, x)
		})
	update.Flags().StringVar(&newName, "name", "", "new team name (required)")
	_ = update.MarkFlagRequired("name")

	remove := a.subcommand("remove NAME", "Remove a team that has no members", cobra.ExactArgs(1),
		func(ctx context.Context, db *store.DB, out io.Writer, args []string) error {
			x, err := db.TeamByName(ctx, args[0])
			if err != nil {
				return err
			}
			if err := db.RemoveTeam(ctx, x.ID); err != nil {
				return err
			}
			v, _ := teamTable(x)
			return removed(out, a.json, v[0], "team "+strconv.Quote(x.Name))
		})

	cmd.AddCommand(add, list, show, update, remove)
	return cmd
}
