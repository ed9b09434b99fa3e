package orchestrator

import (
	"context"
	"fmt"
	"time"
)

// supervisorRingTime is how long a supervisor's station rings for a
// monitoring session before the attempt is given up.
const supervisorRingTime = 30 * time.Second

// Monitor states.
const (
	MonitorConnecting = "connecting" // the supervisor's station is being dialled
	MonitorActive     = "active"
	// MonitorFollowing: the monitored call was blind-transferred to an
	// agent of the team who has not answered yet; the monitor moves to them
	// on the answer (monitor_follow.go, M5.4).
	MonitorFollowing = "following"
)

// monitor is one supervisor listening to one agent's call (M1–M7).
type monitor struct {
	id  MonitorID
	sup *agent
	// target is the agent whose call is monitored; it changes when the
	// call is transferred within the team (monitor_follow.go, M5.4).
	target *agent
	ix     *interaction
	leg    LegID // the supervisor's station leg
	state  string
	mode   MonitorMode
	paused bool
	// heldForConsult: the agent consulted while the supervisor barged, so
	// the supervisor neither hears nor is heard until the consult ends, and
	// the barge then continues (M5.3).
	heldForConsult bool
	// busy names the change the PBX is making to the monitor; other
	// changes wait for it. towards is the mode it switches to, if any.
	busy      string
	towards   MonitorMode
	ringTimer Timer
	media     serial
}

// MonitorView is a monitoring session as its supervisor sees it.
type MonitorView struct {
	ID        MonitorID   `json:"id"`
	AgentID   int64       `json:"agent_id"`
	AgentName string      `json:"agent_name"`
	State     string      `json:"state"`
	Mode      MonitorMode `json:"mode"`
	Paused    bool        `json:"paused"`
	// Held: the supervisor is held while the agent consults (M5.3).
	Held    bool                  `json:"held"`
	Actions map[string]ActionView `json:"actions"`
}

// StartMonitor dials the supervisor's station to monitor an agent's call
// (M1, M2). Of several supervisors starting at once exactly one wins; the
// loop applies them one by one.
func (o *Orchestrator) StartMonitor(ctx context.Context, supervisorID, agentID int64, mode MonitorMode) (MonitorView, error) {
	var v MonitorView
	err := o.do(ctx, func() error {
		m, err := o.startMonitor(supervisorID, agentID, mode)
		if err == nil {
			v = o.monitorView(m)
		}
		return err
	})
	return v, err
}

// ChangeMonitor pauses, resumes or changes the mode of the supervisor's
// monitoring: action is pause, resume, listen, whisper or barge (M3–M5,
// M7). It returns once the PBX has made the change: the desktop shows the
// mode the supervisor is really in.
func (o *Orchestrator) ChangeMonitor(ctx context.Context, supervisorID int64, id MonitorID, action string) error {
	return o.doPBX(ctx, func(w *outcome) error { return o.changeMonitor(supervisorID, id, action, w) })
}

// StopMonitor ends the supervisor's monitoring, a barge included (M5.6).
func (o *Orchestrator) StopMonitor(ctx context.Context, supervisorID int64, id MonitorID) error {
	return o.do(ctx, func() error {
		m, err := o.ownMonitor(supervisorID, id)
		if err != nil {
			return err
		}
		o.endMonitor(m, "")
		return nil
	})
}

func (o *Orchestrator) startMonitor(supID, agentID int64, mode MonitorMode) (*monitor, error) {
	s, err := o.signedIn(supID)
	if err != nil {
		return nil, err
	}
	if s.role == SignInAgent {
		return nil, Errorf(CodeForbidden, "monitoring needs a supervisor sign-in")
	}
	if mode != MonitorListen && mode != MonitorWhisper {
		return nil, Errorf(CodeInvalid, "mode: %q must be listen or whisper", mode)
	}
	if s.monitoring != nil {
		return nil, Errorf(CodeConflict, "you are already monitoring %s; end that first", s.monitoring.target.user.Name)
	}
	if s.current != nil || s.wrapup != nil {
		return nil, Errorf(CodeConflict, "you cannot monitor while on a call of your own")
	}
	t := o.st.agents[agentID]
	if t == nil || !t.takesCalls {
		return nil, Errorf(CodeConflict, "that agent is not signed in to take calls")
	}
	if t == s {
		return nil, Errorf(CodeInvalid, "agent_id: you cannot monitor yourself")
	}
	if t.monitoredBy != nil {
		return nil, Errorf(CodeConflict, "%s is already monitored by %s", t.user.Name, t.monitoredBy.sup.user.Name)
	}
	ix := t.current
	if ix == nil || ix.agent != t || ix.state != InteractionConnected {
		return nil, Errorf(CodeConflict, "%s is not on a call", t.user.Name)
	}
	o.st.monitors++
	m := &monitor{
		id: MonitorID(fmt.Sprintf("mon-%s-%d-%s", o.st.boot, o.st.monitors, ix.id)), sup: s, target: t, ix: ix,
		state: MonitorConnecting, mode: mode,
	}
	m.leg = LegID(string(m.id) + "-sup")
	s.monitoring, t.monitoredBy = m, m
	o.st.monitorLegs[m.leg] = m
	m.ringTimer = o.clock.AfterFunc(supervisorRingTime, func() {
		o.post(func() {
			if s.monitoring == m && m.state == MonitorConnecting {
				o.endMonitor(m, "your phone was not answered, so monitoring did not start")
			}
		})
	})
	req := DialRequest{Leg: m.leg, Endpoint: s.dialString, CallerID: "Monitor " + t.user.Name, Timeout: supervisorRingTime + pbxTimeoutMargin}
	o.commandOn(&m.media, string(m.id), "dial supervisor", func(err error) {
		if s.monitoring == m && m.state == MonitorConnecting {
			o.endMonitor(m, "your phone could not be dialled: "+reasonOf(err))
		}
	}, dial(req))
	o.auditMonitor(m, "monitor_started", string(mode))
	o.publishMonitor(m)
	return m, nil
}

// onMonitorMedia handles the supervisor's leg; it reports whether ev was one.
func (o *Orchestrator) onMonitorMedia(ev MediaEvent) bool {
	m := o.st.monitorLegs[ev.Leg]
	if m == nil {
		return false
	}
	switch ev.Kind {
	case MediaAnswered:
		if m.state != MonitorConnecting {
			return true
		}
		stopTimer(&m.ringTimer)
		m.state = MonitorActive
		o.commandOn(&m.media, string(m.id), "monitor", func(err error) {
			if m.sup.monitoring == m {
				o.endMonitor(m, "monitoring could not start: "+reasonOf(err))
			}
		}, func(ctx context.Context, md Media) error { return md.Monitor(ctx, m.id, m.leg, m.ix.agentLeg, m.mode) })
		o.publishMonitor(m)
	case MediaHungUp:
		delete(o.st.monitorLegs, m.leg)
		o.endMonitor(m, "your phone hung up, so monitoring ended")
	}
	return true
}

func (o *Orchestrator) ownMonitor(supID int64, id MonitorID) (*monitor, error) {
	s, err := o.signedIn(supID)
	if err != nil {
		return nil, err
	}
	if s.monitoring == nil || s.monitoring.id != id {
		return nil, Errorf(CodeNotFound, "monitoring session %s not found", id)
	}
	return s.monitoring, nil
}

func (o *Orchestrator) changeMonitor(supID int64, id MonitorID, action string, w *outcome) error {
	m, err := o.ownMonitor(supID, id)
	if err != nil {
		return err
	}
	if v := o.monitorAction(m, action); !v.Allowed {
		if v.Reason == "unknown action" {
			return Errorf(CodeInvalid, "action: %q must be pause, resume, listen, whisper or barge", action)
		}
		return Errorf(CodeConflict, "%s", v.Reason)
	}
	var step mediaStep
	var apply func()
	what, busy := "switch to "+action, "switching to "+action
	switch action {
	case "pause":
		what, busy = "pause", "pausing"
		step = func(ctx context.Context, md Media) error { return md.PauseMonitor(ctx, m.id) }
		apply = func() { m.paused = true }
	case "resume":
		what, busy = "resume", "resuming"
		step = func(ctx context.Context, md Media) error { return md.ResumeMonitor(ctx, m.id) }
		apply = func() { m.paused = false }
	default:
		mode := MonitorMode(action)
		step = func(ctx context.Context, md Media) error { return md.SetMonitorMode(ctx, m.id, mode) }
		apply = func() { m.mode = mode }
		m.towards = mode
	}
	m.busy = busy + " your monitoring"
	o.publishMonitor(m)
	o.commandThen(&m.media, string(m.id), action, func(_ int, err error) {
		m.busy, m.towards = "", ""
		if s := m.sup; s.monitoring != m {
			o.tell(w, nil, Errorf(CodeConflict, "Monitoring ended before the phone system was done."))
			return
		}
		if err != nil {
			// The adapter leaves the monitor as it was (make-before-break:
			// the old snoop carries on), so the view stays true as it is.
			err = pbxFailure("Could not "+what+" monitoring", err)
			o.auditMonitor(m, "monitor_"+action+"_failed", ErrorMessage(err))
		} else {
			apply()
			o.auditMonitor(m, "monitor_"+action, "")
		}
		o.publishMonitor(m)
		o.tell(w, m.sup, err)
	}, step)
	return nil
}

// monitorAction holds the monitoring rules (M3, M4, M5.1, M5.2).
func (o *Orchestrator) monitorAction(m *monitor, action string) ActionView {
	if m.state == MonitorFollowing && action != "end" {
		return no("monitoring moves to " + m.target.user.Name + " when they answer the transferred call")
	}
	if m.state != MonitorActive && action != "end" {
		return no("your phone has not answered yet")
	}
	if m.heldForConsult && action != "end" {
		return no("you are on hold while the agent consults") // M5.3, M5.5
	}
	if m.busy != "" && action != "end" {
		return no("wait: the phone system is still " + m.busy)
	}
	switch action {
	case "end":
		return yes()
	case "pause":
		if m.paused {
			return no("monitoring is already paused")
		}
		return yes()
	case "resume":
		if !m.paused {
			return no("monitoring is not paused")
		}
		return yes()
	case "listen", "whisper", "barge":
		switch {
		case m.mode == MonitorMode(action):
			return no("already in " + action + " mode")
		case m.paused:
			return no("resume monitoring first") // M5.2
		case action == "barge" && m.ix.consult != nil && m.ix.consult.agent != nil:
			return no("the agent is talking to another agent") // M5.1
		}
		return yes()
	}
	return no("unknown action")
}

// endMonitor stops a monitoring session; why, when set, tells the
// supervisor that it ended without them asking.
func (o *Orchestrator) endMonitor(m *monitor, why string) {
	s, t := m.sup, m.target
	if s.monitoring != m {
		return
	}
	stopTimer(&m.ringTimer)
	s.monitoring, t.monitoredBy = nil, nil
	delete(o.st.monitorLegs, m.leg)
	if m.state != MonitorConnecting { // the PBX has the monitor (while following too)
		o.commandOn(&m.media, string(m.id), "stop monitor", nil,
			func(ctx context.Context, md Media) error { return md.StopMonitor(ctx, m.id) })
	}
	o.commandOn(&m.media, string(m.id), "hang up supervisor", nil, hangup(m.leg, CauseNormal))
	o.auditMonitor(m, "monitor_ended", why)
	if why != "" {
		o.notify(s, "info", "Monitoring of "+t.user.Name+" ended: "+why+".")
	}
	o.publishAgent(s)
	o.publishAgent(t)
}

// endMonitorOf ends the monitoring of agent a's call, if any: the call
// ended, or never reached the agent it was transferred to.
func (o *Orchestrator) endMonitorOf(a *agent, why string) {
	if a != nil && a.monitoredBy != nil {
		o.endMonitor(a.monitoredBy, why)
	}
}

func (o *Orchestrator) auditMonitor(m *monitor, action, detail string) {
	e := AuditEntry{At: o.clock.Now(), ActorID: m.sup.user.ID, Action: action, TargetUserID: m.target.user.ID, InteractionID: m.ix.id, Detail: detail}
	o.persist("audit", func(ctx context.Context) error { return o.store.Audit(ctx, e) })
}

func (o *Orchestrator) publishMonitor(m *monitor) {
	o.publishAgent(m.sup)
	o.publishAgent(m.target)
}

func (o *Orchestrator) monitorView(m *monitor) MonitorView {
	v := MonitorView{ID: m.id, AgentID: m.target.user.ID, AgentName: m.target.user.Name, State: m.state, Mode: m.mode, Paused: m.paused, Held: m.heldForConsult,
		Actions: map[string]ActionView{}}
	for _, a := range []string{"pause", "resume", "listen", "whisper", "barge", "end"} {
		v.Actions[a] = o.monitorAction(m, a)
	}
	return v
}

// holdBargeForConsult silences a barging supervisor while the agent they
// monitor consults (M5.3): the barge moves to listen and is paused.
func (o *Orchestrator) holdBargeForConsult(a *agent) {
	m := a.monitoredBy
	barging := m != nil && (m.mode == MonitorBarge || m.towards == MonitorBarge) // a switch to barge under way counts
	if m == nil || m.state != MonitorActive || !barging || m.heldForConsult {
		return
	}
	m.heldForConsult = true
	// Paused first, so the listen snoop that replaces the barge is muted
	// from the start; always, because a resume may be under way (m.paused
	// is what the supervisor asked for, restored after the consult).
	steps := []mediaStep{
		func(ctx context.Context, md Media) error { return md.PauseMonitor(ctx, m.id) },
		func(ctx context.Context, md Media) error { return md.SetMonitorMode(ctx, m.id, MonitorListen) },
	}
	o.commandOn(&m.media, string(m.id), "hold barge for consult", func(err error) {
		// The supervisor could still be heard in the consult (M5.3):
		// monitoring ends rather than go on that way.
		if m.sup.monitoring == m {
			o.endMonitor(m, "you could not be put on hold for "+a.user.Name+"'s consult ("+reasonOf(err)+")")
		}
	}, steps...)
	o.auditMonitor(m, "monitor_held_for_consult", "")
	o.notify(m.sup, "info", a.user.Name+" is consulting; you are on hold until the consult ends.")
	o.publishMonitor(m)
}

// restoreBargeAfterConsult continues the barge when the consult is over (M5.3).
func (o *Orchestrator) restoreBargeAfterConsult(a *agent) {
	m := a.monitoredBy
	if m == nil || !m.heldForConsult {
		return
	}
	m.heldForConsult = false
	steps := []mediaStep{func(ctx context.Context, md Media) error { return md.SetMonitorMode(ctx, m.id, MonitorBarge) }}
	if !m.paused {
		steps = append(steps, func(ctx context.Context, md Media) error { return md.ResumeMonitor(ctx, m.id) })
	}
	o.commandThen(&m.media, string(m.id), "restore barge", func(failed int, err error) {
		if err == nil || m.sup.monitoring != m {
			return
		}
		// The view shows what the PBX is left with, and the supervisor
		// can take it from there.
		m.paused = true
		if failed == 0 {
			m.mode = MonitorListen
			o.notify(m.sup, "error", pbxFailure("Your barge could not continue after the consult; you are listening, paused", err).Message)
		} else {
			o.notify(m.sup, "error", pbxFailure("Your barge continues paused after the consult", err).Message)
		}
		o.publishMonitor(m)
	}, steps...)
	o.auditMonitor(m, "monitor_barge_restored", "")
	o.publishMonitor(m)
}
