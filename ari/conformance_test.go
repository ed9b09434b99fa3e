package ari

import (
	"testing"

	"github.com/ringside/ringside/orchestrator/mediatest"
)

// The Media conformance suite (orchestrator/mediatest) on pbxsim, over
// real HTTP and WebSocket: every port operation judged by who hears whom
// and by events (P1, P3, A5, A6.3, A8, A9, A10.2, M2–M4, M7, P4). The same
// suite runs on a real Asterisk with `go test -tags pbx` (docs/testing.md).
func TestMediaConformance(t *testing.T) {
	mediatest.Run(t, newSimLab(t))
}
