package ari

import (
	"fmt"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/orchestrator/mediatest"
	"github.com/ringside/ringside/pbxsim"
)

// simLab is the conformance suite's Lab on pbxsim: handsets are pbxsim's
// scripted endpoints, hearing is its who-hears-whom model, and a probe
// between adapter and simulator sees the PBX after every request (for
// Continuous).
type simLab struct {
	sim   *pbxsim.Sim
	probe *probe
	url   string
	calls int
}

// The lab's music classes: no "default", as on many installs.
const (
	simMusic        = "ringside"
	simMissingMusic = "ringside-missing"
)

func newSimLab(t *testing.T) *simLab {
	t.Helper()
	sim := pbxsim.New(pbxsim.Options{Logger: quietLog(), MusicClasses: []string{simMusic}})
	p := &probe{}
	srv := httptest.NewServer(p.wrap(sim.Handler()))
	t.Cleanup(func() {
		_ = sim.Close()
		srv.CloseClientConnections()
		srv.Close()
	})
	return &simLab{sim: sim, probe: p, url: srv.URL + "/ari"}
}

func (l *simLab) Connect(t *testing.T) mediatest.Adapter {
	return startAdapter(t, l.url)
}

func (l *simLab) Station(t *testing.T, leg orchestrator.LegID, b mediatest.Behavior) string {
	switch b {
	case mediatest.Answer:
		return "SIM/answer-after-50ms"
	case mediatest.NoAnswer:
		return "SIM/noanswer"
	case mediatest.Busy:
		return "SIM/busy-after-50ms"
	case mediatest.Reject:
		return "SIM/reject-after-50ms"
	}
	t.Fatalf("no handset behaves %q", b)
	return ""
}

func (l *simLab) Call(t *testing.T, queue string, vars map[string]string) (orchestrator.LegID, string) {
	t.Helper()
	l.calls++
	caller := fmt.Sprintf("+1555010%04d", l.calls)
	id, err := l.sim.PlaceCall(queue, caller, vars)
	if err != nil {
		t.Fatal(err)
	}
	return orchestrator.LegID(id), caller
}

func (l *simLab) HangUpHandset(t *testing.T, leg orchestrator.LegID) {
	if err := l.sim.Hangup(string(leg)); err != nil {
		t.Fatal(err)
	}
}

func (l *simLab) Listen(t *testing.T, legs ...orchestrator.LegID) mediatest.Heard {
	t.Helper()
	h := mediatest.NewHeard()
	for _, to := range legs {
		if m, err := l.sim.HearsMusic(string(to)); err != nil {
			t.Fatal(err)
		} else if m {
			h.SetMusic(to)
		}
		for _, from := range legs {
			if ok, err := l.sim.Hears(string(from), string(to)); err != nil {
				t.Fatal(err)
			} else if ok && from != to {
				h.Set(from, to)
			}
		}
	}
	return h
}

// Continuous checks the path after every request the action sends: the
// simulator changes only on requests, so a break shows between two.
func (l *simLab) Continuous(t *testing.T, from, to orchestrator.LegID, action func()) (bool, string) {
	l.probe.start(func() bool {
		ok, _ := l.sim.Hears(string(from), string(to))
		return ok
	})
	action()
	trace, fails := l.probe.stop()
	if len(fails) > 0 {
		return false, fmt.Sprintf("silent after %v (requests %v)", fails, trace)
	}
	return true, ""
}

func (l *simLab) RecordingFile(t *testing.T, rec orchestrator.RecordingID) []byte {
	t.Helper()
	var path string
	deadline := time.Now().Add(l.Patience())
	for {
		p, ok := l.sim.RecordingFile(string(rec))
		if ok {
			path = p
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recording %s", rec)
		}
		time.Sleep(10 * time.Millisecond)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (l *simLab) Music() (have, missing string) { return simMusic, simMissingMusic }
func (l *simLab) DropLink(*testing.T)           { l.sim.DropLink() }
func (l *simLab) RestoreLink(*testing.T)        { l.sim.RestoreLink() }
func (l *simLab) Patience() time.Duration       { return 3 * time.Second }
