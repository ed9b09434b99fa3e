package webui

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// The desk's supervisor side (M1–M7, G1–G3): plausible rules, not the
// orchestrator's; the page must follow whatever the server says.

func (d *desk) agentListLocked() []orchestrator.AgentView {
	out := []orchestrator.AgentView{}
	for _, a := range d.agents {
		out = append(out, *cloneAgent(a))
	}
	slices.SortFunc(out, func(a, b orchestrator.AgentView) int { return cmp.Compare(a.UserID, b.UserID) })
	return out
}

func (d *desk) supervisingLocked(supID, agentID int64) (*orchestrator.AgentView, *orchestrator.AgentView, error) {
	s := d.agents[supID]
	if s == nil || s.Role == orchestrator.SignInAgent {
		return nil, nil, orchestrator.Errorf(orchestrator.CodeForbidden, "this needs a supervisor sign-in")
	}
	a := d.agents[agentID]
	if a == nil {
		return nil, nil, orchestrator.Errorf(orchestrator.CodeNotFound, "that agent is not signed in")
	}
	return s, a, nil
}

func (d *desk) SupervisorAgents(ctx context.Context, supervisorID int64, f orchestrator.AgentFilter) ([]orchestrator.AgentView, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	q := strings.ToLower(f.Query)
	out := []orchestrator.AgentView{}
	for _, v := range d.agentListLocked() {
		if f.State != "" && v.State != f.State || q != "" && !strings.Contains(strings.ToLower(v.Name), q) {
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

func queueName(id int64) string {
	for _, q := range queueList {
		if q.ID == id {
			return q.Name
		}
	}
	return ""
}

func (d *desk) LogAgentIntoQueue(ctx context.Context, supervisorID, agentID, queueID int64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, a, err := d.supervisingLocked(supervisorID, agentID)
	if err != nil {
		return err
	}
	name := queueName(queueID)
	if name == "" {
		return orchestrator.Errorf(orchestrator.CodeNotFound, "queue not found")
	}
	if slices.Contains(a.Queues, name) {
		return orchestrator.Errorf(orchestrator.CodeConflict, "%s is already in queue %s", a.Name, name)
	}
	a.Queues = append(a.Queues, name)
	d.publishLocked(agentID, nil)
	return nil
}

func (d *desk) LogAgentOutOfQueue(ctx context.Context, supervisorID, agentID, queueID int64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, a, err := d.supervisingLocked(supervisorID, agentID)
	if err != nil {
		return err
	}
	name := queueName(queueID)
	i := slices.Index(a.Queues, name)
	if i < 0 {
		return orchestrator.Errorf(orchestrator.CodeConflict, "%s is not in queue %s", a.Name, name)
	}
	a.Queues = slices.Delete(a.Queues, i, i+1)
	d.publishLocked(agentID, nil)
	return nil
}

func (d *desk) SetAgentState(ctx context.Context, supervisorID, agentID int64, state orchestrator.AgentState, reason string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, a, err := d.supervisingLocked(supervisorID, agentID)
	if err != nil {
		return err
	}
	if a.Interaction != nil {
		return orchestrator.Errorf(orchestrator.CodeConflict, "%s is on a call", a.Name)
	}
	d.setStateLocked(a, state, reason)
	d.publishLocked(agentID, nil)
	return nil
}

func (d *desk) SignAgentOut(ctx context.Context, supervisorID, agentID int64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, a, err := d.supervisingLocked(supervisorID, agentID)
	if err != nil {
		return err
	}
	if a.Interaction != nil {
		return orchestrator.Errorf(orchestrator.CodeConflict, "%s is on a call", a.Name)
	}
	delete(d.agents, agentID)
	d.publishLocked(agentID, nil)
	return nil
}

func (d *desk) EndAgentWrapup(ctx context.Context, supervisorID, agentID int64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, a, err := d.supervisingLocked(supervisorID, agentID)
	if err != nil {
		return err
	}
	if a.State != orchestrator.StateWrapup {
		return orchestrator.Errorf(orchestrator.CodeConflict, "%s is not in wrap-up", a.Name)
	}
	a.Interaction = nil
	d.setStateLocked(a, orchestrator.StateAvailable, "")
	d.publishLocked(agentID, nil)
	return nil
}

// monActionsLocked applies the monitoring rules (M3, M4, M5.2) to m.
func monActionsLocked(m *orchestrator.MonitorView) {
	ok := orchestrator.ActionView{Allowed: true}
	no := func(r string) orchestrator.ActionView { return orchestrator.ActionView{Reason: r} }
	m.Actions = map[string]orchestrator.ActionView{"end": ok}
	for _, a := range []string{"pause", "resume", "listen", "whisper", "barge"} {
		switch {
		case m.State != orchestrator.MonitorActive:
			m.Actions[a] = no("your phone has not answered yet")
		case a == "pause" && m.Paused:
			m.Actions[a] = no("monitoring is already paused")
		case a == "resume" && !m.Paused:
			m.Actions[a] = no("monitoring is not paused")
		case a == "pause" || a == "resume":
			m.Actions[a] = ok
		case string(m.Mode) == a:
			m.Actions[a] = no("already in " + a + " mode")
		case m.Paused:
			m.Actions[a] = no("resume monitoring first")
		default:
			m.Actions[a] = ok
		}
	}
}

func (d *desk) StartMonitor(ctx context.Context, supervisorID, agentID int64, mode orchestrator.MonitorMode) (orchestrator.MonitorView, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, a, err := d.supervisingLocked(supervisorID, agentID)
	if err != nil {
		return orchestrator.MonitorView{}, err
	}
	switch {
	case s.Monitoring != nil:
		return orchestrator.MonitorView{}, orchestrator.Errorf(orchestrator.CodeConflict, "you already monitor %s", s.Monitoring.AgentName)
	case a.MonitoredBy != "":
		return orchestrator.MonitorView{}, orchestrator.Errorf(orchestrator.CodeConflict, "%s is already monitored by %s", a.Name, a.MonitoredBy)
	case a.Interaction == nil:
		return orchestrator.MonitorView{}, orchestrator.Errorf(orchestrator.CodeConflict, "%s is not on a call", a.Name)
	}
	d.nextID++
	m := &orchestrator.MonitorView{ID: orchestrator.MonitorID("mon-" + time.Now().Format("150405.000")), AgentID: agentID, AgentName: a.Name,
		State: orchestrator.MonitorConnecting, Mode: mode}
	monActionsLocked(m)
	s.Monitoring, a.MonitoredBy = m, s.Name
	d.publishLocked(supervisorID, nil)
	d.publishLocked(agentID, nil)
	return *m, nil
}

// answerMonitor is the supervisor's phone answering (M2).
func (d *desk) answerMonitor(supID int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if m := d.agents[supID].Monitoring; m != nil {
		m.State = orchestrator.MonitorActive
		monActionsLocked(m)
		d.publishLocked(supID, nil)
	}
}

func (d *desk) ownMonitorLocked(supID int64, id orchestrator.MonitorID) (*orchestrator.AgentView, error) {
	s := d.agents[supID]
	if s == nil || s.Monitoring == nil || s.Monitoring.ID != id {
		return nil, orchestrator.Errorf(orchestrator.CodeNotFound, "monitoring session %s not found", id)
	}
	return s, nil
}

func (d *desk) ChangeMonitor(ctx context.Context, supervisorID int64, id orchestrator.MonitorID, action string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.ownMonitorLocked(supervisorID, id)
	if err != nil {
		return err
	}
	m := s.Monitoring
	if v, ok := m.Actions[action]; !ok || !v.Allowed {
		return orchestrator.Errorf(orchestrator.CodeConflict, "%s", v.Reason)
	}
	switch action {
	case "pause":
		m.Paused = true
	case "resume":
		m.Paused = false
	default:
		m.Mode = orchestrator.MonitorMode(action)
	}
	monActionsLocked(m)
	d.publishLocked(supervisorID, nil)
	return nil
}

func (d *desk) StopMonitor(ctx context.Context, supervisorID int64, id orchestrator.MonitorID) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	s, err := d.ownMonitorLocked(supervisorID, id)
	if err != nil {
		return err
	}
	agentID := s.Monitoring.AgentID
	s.Monitoring = nil
	if a := d.agents[agentID]; a != nil {
		a.MonitoredBy = ""
		d.publishLocked(agentID, nil)
	}
	d.publishLocked(supervisorID, nil)
	return nil
}

func (d *desk) QueueStats(ctx context.Context) ([]orchestrator.QueueStats, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []orchestrator.QueueStats
	for _, q := range queueList {
		st := orchestrator.QueueStats{ID: q.ID, Name: q.Name}
		for _, a := range d.agents {
			if slices.Contains(a.Queues, q.Name) {
				st.SignedIn++
				if a.State == orchestrator.StateAvailable {
					st.Available++
				}
			}
		}
		out = append(out, st)
	}
	return out, nil
}
