package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/ringside/ringside/app"
)

func init() { extraCommands = append(extraCommands, newDemoCmd) }

func newDemoCmd() *cobra.Command {
	var o app.DemoOptions
	var level string
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run Ringside on a simulated PBX with demo users, queues and calls",
		Long: `demo starts a simulated Asterisk (pbxsim, spoken to through the real ARI
client over loopback), the controller and the desktop, on a SQLite file that
is seeded with demo data when new. /api/v1/sim drives the simulated PBX.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.CallsPerMinute < 0 {
				return fmt.Errorf("--calls-per-minute: %d must be 0 or more", o.CallsPerMinute)
			}
			o.Logger = newLogger(level)
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			d, err := app.StartDemo(ctx, o)
			if err != nil {
				return err
			}
			defer d.Close()
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "Ringside demo: %s\n", d.URL)
			if !d.Seeded {
				fmt.Fprintf(out, "(using the existing database %s; delete it to start afresh)\n", o.DBPath)
			}
			fmt.Fprintf(out, "Sign in with any of these (password %q):\n", app.DemoPassword)
			for _, l := range app.DemoLogins {
				fmt.Fprintf(out, "  %s\n", l)
			}
			fmt.Fprintln(out, "Press Ctrl-C to stop.")
			<-ctx.Done()
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.DBPath, "db", "./ringside-demo.db", "SQLite database file (created and seeded when new)")
	f.StringVar(&o.Listen, "listen", "127.0.0.1:8080", "HTTP listen address, host:port")
	f.BoolVar(&o.AutoAnswer, "auto-answer", false, "simulated stations answer by themselves")
	f.IntVar(&o.CallsPerMinute, "calls-per-minute", 0, "generate this many customer calls per minute")
	f.StringVar(&o.RecordingsDir, "recordings-dir", "", "where simulated call recordings (WAV) are kept (default: a temporary directory removed on exit)")
	f.StringVar(&level, "log-level", "warn", "log level: debug, info, warn or error")
	return cmd
}
