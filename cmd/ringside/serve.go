package main

import (
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/ringside/ringside/app"
	"github.com/ringside/ringside/config"
)

func init() { extraCommands = append(extraCommands, newServeCmd) }

func newServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the controller against the configured PBX",
		Args:  cobra.NoArgs,
	}
	flags := config.AddFlags(cmd.Flags())
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		// Everything is validated before anything starts, and every bad
		// field is named.
		cfg, err := flags.Resolve(os.Environ())
		if err != nil {
			return fmt.Errorf("configuration: %w", err)
		}
		log := newLogger(cfg.LogLevel)
		ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		srv, err := app.Serve(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer srv.Close()
		log.Info("ringside serving", "url", srv.URL, "pbx", cfg.PBX)
		fmt.Fprintf(cmd.OutOrStdout(), "Ringside is listening on %s\n", srv.URL)
		<-ctx.Done()
		return nil
	}
	return cmd
}

// newLogger logs text to stderr at level (debug, info, warn, error).
func newLogger(level string) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: l}))
}
