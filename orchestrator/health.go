package orchestrator

import (
	"errors"
	"sort"
	"time"
)

// Part names a piece of the system whose loss every desktop is told about
// (S9, P4).
type Part string

const (
	PartPBX      Part = "pbx"      // the PBX control link
	PartDatabase Part = "database" // the provisioning and history store
)

// partTexts say, in the users' terms, what stops working while a part is
// down. The server words them so every desktop shows the same banner.
var partTexts = map[Part]string{
	PartPBX:      "Telephony link lost — new calls cannot be offered, answered or transferred; calls in progress continue. Reconnecting…",
	PartDatabase: "Database unavailable — sign-in, call data saving and history are unavailable.",
}

// PartText is what the banner says while part is down.
func PartText(part Part) string {
	if text := partTexts[part]; text != "" {
		return text
	}
	return string(part) + " unavailable — some features may not work."
}

// PartDown is one part that is down, for the desktop's banner.
type PartDown struct {
	Part  Part      `json:"part"`
	Text  string    `json:"text"`
	Since time.Time `json:"since"`
}

// HealthView is what is down right now; Down is empty when all is well.
type HealthView struct {
	Down []PartDown `json:"down"`
}

// errPBXLinkDown is what the PBX part reports while its link is lost.
var errPBXLinkDown = errors.New("PBX link down")

// ReportHealth tells the orchestrator whether part works: err nil means it
// does. Probes call it on every check; only changes reach desktops and logs,
// so a steady probe makes no noise. It never blocks: when the loop's queue
// is full the report is dropped, since probes report again shortly and a
// readiness check must not hang behind a busy loop.
func (o *Orchestrator) ReportHealth(part Part, err error) {
	select {
	case o.cmds <- func() { o.setHealth(part, err) }:
	case <-o.done:
	default:
		o.log.Debug("health report dropped: the controller is busy", "part", part)
	}
}

// setHealth records part's state and, when it changed, logs the transition
// once and tells every desktop. Called only from the loop.
func (o *Orchestrator) setHealth(part Part, err error) {
	since, down := o.st.down[part]
	switch {
	case err != nil && !down:
		if o.st.down == nil {
			o.st.down = map[Part]time.Time{}
		}
		o.st.down[part] = o.clock.Now()
		o.log.Warn("part of the system down; desktops show the banner", "part", part, "err", err)
	case err == nil && down:
		delete(o.st.down, part)
		o.log.Info("part of the system back", "part", part, "down_for", o.clock.Now().Sub(since).Round(time.Millisecond))
	default:
		return
	}
	h := o.healthView()
	o.publish(Event{Type: EventHealth, Health: &h})
}

// healthView lists the parts that are down, in a stable order.
func (o *Orchestrator) healthView() HealthView {
	h := HealthView{Down: []PartDown{}}
	for part, since := range o.st.down {
		h.Down = append(h.Down, PartDown{Part: part, Text: PartText(part), Since: since})
	}
	sort.Slice(h.Down, func(i, j int) bool { return h.Down[i].Part < h.Down[j].Part })
	return h
}
