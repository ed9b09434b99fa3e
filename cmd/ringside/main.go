// Command ringside is the contact-center controller: `ringside serve` runs
// it, `ringside admin …` provisions it, `ringside migrate` prepares its
// database.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// Commands get a context that ends on Ctrl-C or SIGTERM, so that a
	// long-running command (serve) can shut down cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ringside:", err)
		os.Exit(1)
	}
}
