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
}

type legInfo struct {
	dialled    bool
	snoop      bool // a snoop channel of a monitor: never reported
	ringing    bool // MediaRinging reported
	answered   bool // MediaAnswered reported
	up         bool // the channel reached state Up
	dialStatus string
}

func newTranslator() *translator {
	return &translator{legs: map[string]*legInfo{}}
}

// expectDial records the intent to originate id before the request is
// sent: Asterisk may report the leg before the originate returns.
func (t *translator) expectDial(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.legs[id] = &legInfo{dialled: true}
}

// expectSnoop records a snoop channel about to be made, so its events are
// never taken for a call entering the application.
func (t *translator) expectSnoop(id string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.legs[id] = &legInfo{snoop: true}
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
	case *ariv6.StasisEnd:
		// A snoop ends with StasisEnd and no ChannelDestroyed (PBX-NOTES).
		if l := t.legs[e.Channel.ID]; l != nil && l.snoop {
			delete(t.legs, e.Channel.ID)
		}
	case *ariv6.ChannelDestroyed:
		id := e.Channel.ID
		if id == "" {
			return nil
		}
		l := t.legs[id]
		delete(t.legs, id)
		if (l != nil && l.snoop) || isSnoop(e.Channel) {
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

// stasisStart is either a dialled leg that answered (it is only now under
// the application's control, so a Join before it would fail with 422) or
// a call entering from the dialplan.
func (t *translator) stasisStart(e *ariv6.StasisStart) []orchestrator.MediaEvent {
	id := e.Channel.ID
	if id == "" {
		return nil
	}
	l := t.legs[id]
	if (l != nil && l.snoop) || hasArg(e.Args, snoopArg) || isSnoop(e.Channel) {
		// A monitor's snoop (also one made by a controller before a
		// restart): not a call. Its StasisEnd forgets it.
		t.legs[id] = &legInfo{snoop: true}
		return nil
	}
	if (l != nil && l.dialled) || hasArg(e.Args, dialledArg) {
		if l == nil {
			l = &legInfo{dialled: true}
			t.legs[id] = l
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
	t.legs[id] = &legInfo{up: e.Channel.State == "Up"}
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

// callVariables strips the RINGSIDE_VAR_ prefix; other variables are not
// call data.
func callVariables(vars map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range vars {
		if name, ok := strings.CutPrefix(k, varPrefix); ok && name != "" {
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
