package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/ringside/ringside/store"
)

// admin is what every `ringside admin` subcommand shares: the database and
// the output format, set by the persistent --db and --json flags.
type admin struct {
	dbPath string
	json   bool
}

func newAdminCmd() *cobra.Command {
	a := &admin{}
	cmd := &cobra.Command{
		Use:   "admin",
		Short: "Provision users, teams, queues, extensions, codes and call variables",
		Long: `Provisioning straight on the database (P6). Each entity has add, list,
show, update and remove; a change that fails changes nothing.

Output is a table; --json prints JSON instead (an object for one entity, an
array for a list). Password hashes are never printed.

The database must exist: create it with "ringside migrate --db PATH". It is
safe to run admin commands while "ringside serve" uses the same database.`,
		Args: cobra.NoArgs,
	}
	cmd.PersistentFlags().StringVar(&a.dbPath, "db", defaultDBPath(), "SQLite database file; $RINGSIDE_DATABASE sets the default")
	cmd.PersistentFlags().BoolVar(&a.json, "json", false, "print JSON instead of a table")
	cmd.AddCommand(
		newAdminUsersCmd(a),
		newAdminTeamsCmd(a),
		newAdminQueuesCmd(a),
		newAdminExtensionsCmd(a),
		newAdminIdleCodesCmd(a),
		newAdminWrapupCodesCmd(a),
		newAdminVariablesCmd(a),
	)
	return cmd
}

// run adapts an admin action to cobra: it opens the database, runs f with
// the command's output, and closes the database.
func (a *admin) run(f func(ctx context.Context, db *store.DB, out io.Writer, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		ctx := cmd.Context()
		if ctx == nil {
			ctx = context.Background()
		}
		db, err := a.open(ctx)
		if err != nil {
			return err
		}
		defer db.Close()
		return f(ctx, db, cmd.OutOrStdout(), args)
	}
}

// open opens an existing database. Opening would create a missing file, and
// a mistyped --db would then quietly provision an empty database nobody
// uses; refusing is the clearer failure.
func (a *admin) open(ctx context.Context) (*store.DB, error) {
	if a.dbPath != ":memory:" {
		if _, err := os.Stat(a.dbPath); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("database %s does not exist; create it with: ringside migrate --db %s", a.dbPath, a.dbPath)
		}
	}
	return store.Open(ctx, a.dbPath)
}

// subcommand builds an admin leaf command.
// listCommand is the `list` subcommand of an entity: load every row, then
// print the table or, with --json, the views.
func listCommand[T, V any](a *admin, short string, load func(*store.DB, context.Context) ([]T, error), render func(...T) ([]V, table)) *cobra.Command {
	return a.subcommand("list", short, cobra.NoArgs,
		func(ctx context.Context, db *store.DB, out io.Writer, _ []string) error {
			rows, err := load(db, ctx)
			if err != nil {
				return err
			}
			v, t := render(rows...)
			return output(out, a.json, v, t)
		})
}

func (a *admin) subcommand(use, short string, args cobra.PositionalArgs,
	f func(ctx context.Context, db *store.DB, out io.Writer, args []string) error) *cobra.Command {
	return &cobra.Command{Use: use, Short: short, Args: args, RunE: a.run(f)}
}
