package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/ringside/ringside/store"
)

// defaultDBPath is --db's default: $RINGSIDE_DATABASE (the variable that
// `serve` reads too), else ringside.db in the working directory.
func defaultDBPath() string {
	if p := os.Getenv("RINGSIDE_DATABASE"); p != "" {
		return p
	}
	return "ringside.db"
}

func newMigrateCmd() *cobra.Command {
	var dbPath string
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Create the database, or bring its schema up to date",
		Long: `Creates the SQLite database if it does not exist and applies every
schema migration it has not seen. Running it again changes nothing. ` + "`serve`" + ` does
the same at start; run migrate first to prepare a database for ` + "`admin`" + `.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			db, err := store.Open(ctx, dbPath)
			if err != nil {
				return err
			}
			defer db.Close()
			v, err := db.SchemaVersion(ctx)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s: schema version %d (up to date)\n", dbPath, v)
			return err
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", defaultDBPath(), "SQLite database file; $RINGSIDE_DATABASE sets the default")
	return cmd
}
