package main

import "github.com/spf13/cobra"

// extraCommands are subcommands defined in other files of this package,
// which register themselves from init():
//
//	func init() { extraCommands = append(extraCommands, newServeCmd) }
//
// This keeps root.go free of references to commands that may not exist yet,
// so the build stays green while they are written in parallel.
var extraCommands []func() *cobra.Command

// newRootCmd builds the whole command tree. Tests call it afresh for every
// run, so no flag state leaks between them.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "ringside",
		Short: "Contact-center controller for Asterisk (ARI) and FreeSWITCH (ESL)",
		Long: `Ringside drives an Asterisk or FreeSWITCH PBX and gives agents and
supervisors a desktop in the browser.

  ringside migrate --db ringside.db      create or upgrade the database
  ringside admin --db ringside.db ...    provision users, teams, queues, extensions, codes
  ringside serve --config ringside.yaml  run the controller`,
		Version: versionString(),
		// main prints the error once; usage text would bury it.
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.AddCommand(
		newVersionCmd(),
		newMigrateCmd(),
		newAdminCmd(),
	)

	// ---- Registered from other files (serve, demo): see extraCommands. ----
	for _, newCmd := range extraCommands {
		root.AddCommand(newCmd())
	}
	return root
}
