package orchestrator

import "sort"

// secureMask replaces a secure variable's value wherever it is shown (A11.3).
const secureMask = "*****"

// maxPopoverVariables is the most variables a contact request shows (A1).
const maxPopoverVariables = 6

func (o *Orchestrator) agentView(a *agent) AgentView {
	v := AgentView{
		UserID: a.user.ID, Name: a.user.Name, Login: a.user.Login, Role: a.role, TeamID: a.teamID,
		State: a.state, Reason: a.reason, Since: a.since, Station: a.station, Queues: []string{},
	}
	for _, q := range a.queues {
		v.Queues = append(v.Queues, q.Name)
	}
	if a.monitoring != nil {
		mv := o.monitorView(a.monitoring)
		v.Monitoring = &mv
	}
	if a.monitoredBy != nil {
		v.MonitoredBy = a.monitoredBy.sup.user.Name
	}
	switch {
	case a.current != nil:
		iv := o.interactionView(a.current, a)
		v.Interaction = &iv
	case a.wrapup != nil:
		iv := o.interactionView(a.wrapup.ix, a)
		iv.State = InteractionWrapup
		iv.WrapupDeadline = a.wrapup.deadline
		iv.Consult, iv.Held = nil, false
		v.Interaction = &iv
	}
	return v
}

func (o *Orchestrator) allAgentViews() []AgentView {
	views := make([]AgentView, 0, len(o.st.agents))
	for _, a := range o.st.agents {
		views = append(views, o.agentView(a))
	}
	sort.Slice(views, func(i, j int) bool {
		if views[i].Name != views[j].Name {
			return views[i].Name < views[j].Name
		}
		return views[i].UserID < views[j].UserID
	})
	return views
}

// interactionView is ix as viewer a sees it.
func (o *Orchestrator) interactionView(ix *interaction, a *agent) InteractionView {
	v := InteractionView{
		ID: ix.id, Queue: ix.queue.Name, Caller: ix.caller, State: ix.state,
		ArrivedAt: ix.arrivedAt, OfferedAt: ix.offeredAt, AnsweredAt: ix.answered, EndedAt: ix.ended,
		Variables: variableViews(ix.defs, ix.vars, ix.versions), Role: RoleOwner, Held: ix.held,
		Actions: o.actions(ix, a),
	}
	if r := ix.rec; r != nil {
		rv := &RecordingView{State: RecordingActive, ResumesAt: r.resumesAt}
		if r.paused {
			rv.State = RecordingPaused
		}
		if r.stopped {
			rv.State = RecordingStopped
		}
		v.Recording = rv
	}
	if c := ix.consult; c != nil {
		v.Consult = c.view()
		if c.agent == a {
			// The consulted agent sees the consult from their side: who asked
			// (A1), and how far their own leg has got.
			v.Role = RoleConsulted
			from := o.party(ix.agent)
			v.From = &from
			v.State = consultLegState(c.state)
		}
	}
	return v
}

// consultLegState maps a consult's progress to the consulted agent's
// interaction state, so their desktop shows Connecting, the popover, then
// the call panel as for any offer.
func consultLegState(s string) InteractionState {
	switch s {
	case ConsultRinging:
		return InteractionRinging
	case ConsultConnected:
		return InteractionConnected
	}
	return InteractionConnecting
}

// variableViews lists the admin-defined variables in admin order, then any
// variable the PBX sent without a definition, by name. Secure values are
// masked and secure variables never go in the popover; at most six are
// marked for it.
func variableViews(defs []VariableDef, vars map[string]string, versions map[string]int) []VariableView {
	out := make([]VariableView, 0, len(vars))
	defined := map[string]bool{}
	popover := 0
	for _, d := range defs {
		defined[d.Name] = true
		val, ok := vars[d.Name]
		if !ok && !d.Editable {
			continue
		}
		vv := VariableView{Name: d.Name, Label: d.Label, Value: val, Secure: d.Secure, Editable: d.Editable, Version: versions[d.Name], Type: d.Type}
		if d.Secure {
			vv.Value = secureMask
		} else if d.Popover && ok && popover < maxPopoverVariables {
			vv.Popover = true
			popover++
		}
		out = append(out, vv)
	}
	var extra []string
	for name := range vars {
		if !defined[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		out = append(out, VariableView{Name: name, Label: name, Value: vars[name]})
	}
	return out
}
