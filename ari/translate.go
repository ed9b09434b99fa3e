package ari

import (
	"strings"
	"sync"
	"time"

	ariv6 "github.com/CyCoreSystems/ari/v6"

	"github.com/ringside/ringside/orchestrator"
)

// dialledArg is the Stasis argument of every leg the adapter originates. It
// marks the leg as ours even for a controller that restarted and forgot its
// intents, so such a leg is never mistaken for a customer call.
const dialledArg = "dialed"

// varPrefix marks the channel variables that carry call data (DESIGN.md).
const varPrefix = "RINGSIDE_VAR_"

// translator turns ARI events into MediaEvents. It keeps, per channel, the
// little it needs to classify later events: whether the adapter dialled the
// leg, what it already reported, and the last dial status.
type translator struct {
	mu   sync.Mutex
	legs map[string]*legInfo
	// ended remembers the legs reported at StasisEnd, so the
	// ChannelDestroyed that follows for a dialled leg reports nothing
	// more. A call that entered from the dialplan gets none, so the
	// memory is bounded: the oldest are forgotten first.
	ended    map[string]bool
	endOrder []string
	clock    uint64 // counts records and snapshots (legs.go, prune)
}

// put records a leg, stamped so that a channel snapshot taken before it
// never prunes it.
func (t *translator) put(id string, l *legInfo) {
	t.clock++
	l.born = t.clock
	t.legs[id] = l
}

// maxEnded bounds the legs remembered as ended; far more than the
// ChannelDestroyed of one leg ever lags behind its StasisEnd.
const maxEnded = 4096

type legInfo struct {
	dialled    bool
	snoop      bool // a snoop channel of a monitor: never reported
	ringing    bool // MediaRinging reported
	answered   bool // MediaAnswered reported
	up         bool // the channel reached state Up
	dialStatus string
	// cause is the Q.850 cause of the leg's end as far as known: from a
	// far-end ChannelHangupRequest, or the one our own Hangup asked for
	// (Asterisk reports an ARI hang-up request as "soft", with a flag in
	// place of the cause).
	cause int
	// started is closed when a snoop enters the application (or ends
	// before it does); startOK tells which (monitor.go waits on it).
	started chan struct{}
	startOK bool
	born    uint64 // the translator's clock when it was recorded (prune)
}

func newTranslator() *translator {
	return &translator{legs: map[string]*legInfo{}, ended: map[string]bool{}}
}

// expectDial records the intent to originate id before the request is
// sent: Asterisk may report the leg before the originate returns.
func (t *translator) expectDial(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.put(id, &legInfo{dialled: true})
}

// expectSnoop records a snoop channel about to be made, so its events are
// never taken for a call entering the application. The channel returned is
// closed when the snoop enters the application or ends (snoopStarted
// tells which): until it is in the application it cannot join a bridge
// (PBX-NOTES: an addChannel too early gets 422 and the snoop hangs up).
func (t *translator) expectSnoop(id string) <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	l := &legInfo{snoop: true, started: make(chan struct{})}
	t.put(id, l)
	return l.started
}

// snoopStarted reports whether the snoop entered the application and is
// still there.
func (t *translator) snoopStarted(id string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	l := t.legs[id]
	return l != nil && l.startOK
}

// expectHangup records the cause our own hang-up of id asks for: Asterisk
// reports it only in ChannelDestroyed, which a call that entered from the
// dialplan never gets (PBX-NOTES).
func (t *translator) expectHangup(id string, cause int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if l := t.legs[id]; l != nil && l.cause == 0 {
		l.cause = cause
	}
}

// forget drops an intent whose originate Asterisk refused.
func (t *translator) forget(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.legs, id)
}

// translate maps one ARI event to what the orchestrator needs to know
// (usually nothing).
func (t *translator) translate(ev ariv6.Event) []orchestrator.MediaEvent {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch e := ev.(type) {
	case *ariv6.StasisStart:
		return t.stasisStart(e)
	case *ariv6.ChannelStateChange:
		l := t.legs[e.Channel.ID]
		if l == nil {
			return nil
		}
		switch e.Channel.State {
		case "Up":
			l.up = true
		case "Ringing":
			return t.ringing(l, e.Channel.ID, at(e.Timestamp))
		}
	case *ariv6.Dial:
		l := t.legs[e.Peer.ID]
		if l == nil || !l.dialled {
			return nil
		}
		if e.Dialstatus != "" {
			l.dialStatus = e.Dialstatus
		}
		switch e.Dialstatus {
		case "RINGING":
			return t.ringing(l, e.Peer.ID, at(e.Timestamp))
		case "ANSWER":
			l.up = true
		}
	case *ariv6.ChannelHangupRequest:
		// A far end's hang-up carries its Q.850 cause; a soft request (an
		// ARI DELETE, a dialplan SoftHangup) carries a flag instead.
		if e.Soft || e.Cause <= 0 || e.Channel.ID == "" || isSnoop(e.Channel) {
			break
		}
		l := t.legs[e.Channel.ID]
		if l == nil && isLocalPeer(e.Channel) {
			break // the far end of a Local channel we dialled
		}
		if l == nil {
			// A leg from before a controller restart: this adapter never
			// saw it enter, but its StasisEnd is still the orchestrator's
			// news (P5).
			l = &legInfo{}
			t.put(e.Channel.ID, l)
		}
		if l.cause == 0 {
			l.cause = e.Cause
		}
	case *ariv6.StasisEnd:
		return t.stasisEnd(e)
	case *ariv6.ChannelDestroyed:
		id := e.Channel.ID
		if id == "" {
			return nil
		}
		l := t.legs[id]
		delete(t.legs, id)
		if l != nil && l.snoop {
			l.closeStarted(false)
			return nil
		}
		if t.ended[id] {
			delete(t.ended, id)
			return nil // reported at its StasisEnd
		}
		if l == nil && (isSnoop(e.Channel) || isLocalPeer(e.Channel)) {
			return nil
		}
		var answered bool
		var status string
		if l != nil {
			answered, status = l.up, l.dialStatus
		}
		return []orchestrator.MediaEvent{{
			Kind: orchestrator.MediaHungUp, Leg: orchestrator.LegID(id),
			Cause: classify(e.Cause, status, answered), At: at(e.Timestamp),
		}}
	}
	return nil
}

// stasisEnd ends a leg: once it has left the application the controller
// can do nothing more with it. It is the only end a call that entered
// from the dialplan reports (no ChannelDestroyed follows, PBX-NOTES), and
// a snoop's; a dialled leg's ChannelDestroyed follows and is ignored.
func (t *translator) stasisEnd(e *ariv6.StasisEnd) []orchestrator.MediaEvent {
	id := e.Channel.ID
	if id == "" {
		return nil
	}
	l := t.legs[id]
	delete(t.legs, id)
	switch {
	case l != nil && l.snoop:
		l.closeStarted(false)
		return nil
	case isSnoop(e.Channel) || t.ended[id]:
		return nil
	}
	// A leg this adapter never saw enter is one from before a controller
	// restart (P5): its end is news all the same.
	t.remember(id)
	cause := orchestrator.CauseNormal // it was up in the application: the call happened
	if l != nil && l.cause != 0 {
		cause = classify(l.cause, "", true)
	}
	return []orchestrator.MediaEvent{{Kind: orchestrator.MediaHungUp, Leg: orchestrator.LegID(id), Cause: cause, At: at(e.Timestamp)}}
}

// remember marks a leg as ended, forgetting the oldest beyond maxEnded.
func (t *translator) remember(id string) {
	t.ended[id] = true
	t.endOrder = append(t.endOrder, id)
	if len(t.endOrder) > maxEnded {
		delete(t.ended, t.endOrder[0])
		t.endOrder[0] = ""
		t.endOrder = t.endOrder[1:]
	}
}

func (l *legInfo) closeStarted(ok bool) {
	if l.started == nil {
		return
	}
	select {
	case <-l.started:
	default:
		l.startOK = ok
		close(l.started)
	}
}

// stasisStart is either a dialled leg that answered (it is only now under
// the application's control, so a Join before it would fail with 422) or
// a call entering from the dialplan.
func (t *translator) stasisStart(e *ariv6.StasisStart) []orchestrator.MediaEvent {
	id := e.Channel.ID
	if id == "" {
		return nil
	}
	delete(t.ended, id) // back in the application (after a /continue)
	l := t.legs[id]
	if (l != nil && l.snoop) || hasArg(e.Args, snoopArg) || isSnoop(e.Channel) {
		// A monitor's snoop (also one made by a controller before a
		// restart): not a call. Its StasisEnd forgets it.
		if l == nil || !l.snoop {
			l = &legInfo{snoop: true}
			t.put(id, l)
		}
		l.closeStarted(true)
		return nil
	}
	if (l != nil && l.dialled) || hasArg(e.Args, dialledArg) {
		if l == nil {
			l = &legInfo{dialled: true}
			t.put(id, l)
		}
		if e.Channel.State != "Up" || l.answered {
			return nil // /channels/create puts a leg in Stasis before it is dialled
		}
		l.up, l.answered = true, true
		return []orchestrator.MediaEvent{{Kind: orchestrator.MediaAnswered, Leg: orchestrator.LegID(id), At: at(e.Timestamp)}}
	}
	if l != nil {
		return nil // already reported
	}
	t.put(id, &legInfo{up: e.Channel.State == "Up"})
	ev := orchestrator.MediaEvent{
		Kind:      orchestrator.MediaIncoming,
		Leg:       orchestrator.LegID(id),
		Queue:     argValue(e.Args, "queue"),
		Variables: callVariables(e.Channel.ChannelVars),
		At:        at(e.Timestamp),
	}
	if e.Channel.Caller != nil {
		ev.Caller = e.Channel.Caller.Number
	}
	return []orchestrator.MediaEvent{ev}
}

func (t *translator) ringing(l *legInfo, id string, when time.Time) []orchestrator.MediaEvent {
	if !l.dialled || l.ringing || l.answered {
		return nil
	}
	l.ringing = true
	return []orchestrator.MediaEvent{{Kind: orchestrator.MediaRinging, Leg: orchestrator.LegID(id), At: when}}
}

// classify turns Asterisk's account of a leg's end into a Cause.
// PBX-NOTES: a rung-out originate ends with cause 19 and no NOANSWER Dial
// event; a busy one reports Dial BUSY but ends with cause 0; a remote
// decline ends with cause 21 after a Dial NOANSWER. So the dial status
// decides busy and congestion, the cause everything else.
func classify(cause int, dialStatus string, answered bool) orchestrator.Cause {
	if !answered {
		switch dialStatus {
		case "BUSY":
			return orchestrator.CauseBusy
		case "CONGESTION", "CHANUNAVAIL":
			return orchestrator.CauseFailed
		}
	}
	switch cause {
	case 16: // normal clearing
		return orchestrator.CauseNormal
	case 17: // user busy
		return orchestrator.CauseBusy
	case 19: // user alerting, no answer
		return orchestrator.CauseNoAnswer
	case 21: // call rejected
		return orchestrator.CauseRejected
	case 0:
		if answered {
			return orchestrator.CauseNormal // a call that happened, ended without a reason
		}
	}
	return orchestrator.CauseFailed
}

// hangupReason is the ARI hang-up reason that produces each cause
// (convert_reason_to_hangup_code); "congestion" rather than the newer
// "failure" so that older Asterisk versions accept it.
func hangupReason(c orchestrator.Cause) string {
	switch c {
	case orchestrator.CauseBusy:
		return "busy"
	case orchestrator.CauseNoAnswer:
		return "no_answer"
	case orchestrator.CauseRejected:
		return "rejected"
	case orchestrator.CauseFailed:
		return "congestion"
	default:
		return "normal"
	}
}

// hangupCode is the Q.850 cause hangupReason gives a channel.
func hangupCode(c orchestrator.Cause) int {
	switch c {
	case orchestrator.CauseBusy:
		return 17
	case orchestrator.CauseNoAnswer:
		return 19
	case orchestrator.CauseRejected:
		return 21
	case orchestrator.CauseFailed:
		return 34
	default:
		return 16
	}
}

// callVariables strips the RINGSIDE_VAR_ prefix; other variables are not
// call data. Asterisk lists every variable ari.conf names on every
// channel, with "" where the dialplan set none (measured on 23.4.1), so
// an empty value is a variable the call does not have.
func callVariables(vars map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range vars {
		if name, ok := strings.CutPrefix(k, varPrefix); ok && name != "" && v != "" {
			out[name] = v
		}
	}
	return out
}

// argValue finds key=value among the Stasis arguments.
func argValue(args []string, key string) string {
	for _, a := range args {
		if k, v, ok := strings.Cut(a, "="); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func hasArg(args []string, want string) bool {
	for _, a := range args {
		if strings.TrimSpace(a) == want {
			return true
		}
	}
	return false
}

// isLocalPeer tells the dialplan half of a Local channel the adapter
// dialled (Local/…;2, id "<leg>;2"): Asterisk sends the application its
// events too (measured on 23.4.1), but it is the far end's business, not
// a leg of ours.
func isLocalPeer(ch ariv6.ChannelData) bool {
	return strings.HasPrefix(ch.Name, "Local/") && strings.HasSuffix(ch.Name, ";2")
}

// isSnoop tells a snoop channel by its name (Snoop/<spied>-<seq>).
func isSnoop(ch ariv6.ChannelData) bool {
	return strings.HasPrefix(ch.Name, "Snoop/")
}

func at(d ariv6.DateTime) time.Time {
	if t := time.Time(d); !t.IsZero() {
		return t
	}
	return time.Now()
}
