package ari

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/ringside/ringside/orchestrator"
)

// Legs lists the application's channels that Asterisk still has, for the
// orchestrator's resync after a lost link (P4).
//
// It is one GET /channels read directly rather than through ari/v6, whose
// Channel().List keeps only the ids: the state and dialplan would then
// cost one GET /channels/{id} per channel, and the answers would no longer
// be one snapshot.
//
// Asterisk lists every channel it has, other applications' and plain
// dialplan calls included. A channel is the controller's when the adapter
// knows it (it dialled it, or saw it enter the application) or when it
// sits in Stasis for this application (a call that entered while the link
// was down, or a leg dialled before a restart). Snoop channels are the
// adapter's own plumbing and are never listed. A leg is Answered when it
// is Up and in Stasis: an originated channel is Up a moment before it
// enters the application, and joining it to a bridge before then fails.
func (a *Adapter) Legs(ctx context.Context) ([]orchestrator.LegStatus, error) {
	asked := a.tr.now()
	chans, err := a.listChannels(ctx)
	if err != nil {
		return nil, &Error{Op: "list legs", Status: statusCode(err), Err: err}
	}
	out := make([]orchestrator.LegStatus, 0, len(chans))
	present := make(map[string]bool, len(chans))
	for _, ch := range chans {
		present[ch.ID] = true
	}
	a.tr.prune(present, asked)
	for _, ch := range chans {
		known, snoop := a.tr.knows(ch.ID)
		inApp := ch.Dialplan.AppName == "Stasis" && stasisApp(ch.Dialplan.AppData) == a.opts.Application
		if ch.ID == "" || snoop || strings.HasPrefix(ch.Name, "Snoop/") || (!known && !inApp) {
			continue
		}
		out = append(out, orchestrator.LegStatus{
			Leg:      orchestrator.LegID(ch.ID),
			Answered: ch.State == "Up" && inApp,
		})
	}
	return out, nil
}

// channelSummary is the part of ARI's Channel model that Legs reads.
type channelSummary struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	State    string `json:"state"` // Down, Rsrved, OffHook, Dialing, Ring, Ringing, Up, Busy...
	Dialplan struct {
		AppName string `json:"app_name"`
		AppData string `json:"app_data"` // "ringside,queue=support"
	} `json:"dialplan"`
}

// httpStatusError is a reply other than 200 to GET /channels.
type httpStatusError struct {
	status int
	body   string
}

func (e *httpStatusError) Error() string {
	return fmt.Sprintf("GET /channels: %d %s", e.status, e.body)
}

func statusCode(err error) int {
	var e *httpStatusError
	if errors.As(err, &e) {
		return e.status
	}
	return 0
}

func (a *Adapter) listChannels(ctx context.Context) ([]channelSummary, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.opts.URL+"/channels", nil)
	if err != nil {
		return nil, err
	}
	req.SetBasicAuth(a.opts.Username, a.opts.Password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return nil, &httpStatusError{status: resp.StatusCode, body: strings.TrimSpace(string(msg))}
	}
	var chans []channelSummary
	if err := json.NewDecoder(resp.Body).Decode(&chans); err != nil {
		return nil, fmt.Errorf("GET /channels: %w", err)
	}
	return chans, nil
}

// stasisApp is the application named by Stasis() arguments "app,arg,...".
func stasisApp(appData string) string {
	name, _, _ := strings.Cut(appData, ",")
	return strings.TrimSpace(name)
}

// now is the translator's clock, read before a channel snapshot is asked.
func (t *translator) now() uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clock++
	return t.clock
}

// prune forgets the legs that were in the application and that Asterisk no
// longer has: their StasisEnd was lost with the link (P4). Only legs
// recorded before the snapshot was asked (asked) are judged; dials still
// on their way and snoops are kept: they may simply not be listed yet.
func (t *translator) prune(present map[string]bool, asked uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for id, l := range t.legs {
		inApp := l.answered || (!l.dialled && !l.snoop)
		if inApp && l.born < asked && !present[id] {
			delete(t.legs, id)
		}
	}
}

// knows reports whether the translator has seen or expects the channel,
// and whether it is a snoop.
func (t *translator) knows(id string) (known, snoop bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	l := t.legs[id]
	return l != nil, l != nil && l.snoop
}
