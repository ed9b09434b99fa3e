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
	if a.current != nil {
		iv := interactionView(a.current)
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

func interactionView(ix *interaction) InteractionView {
	return InteractionView{
		ID: ix.id, Queue: ix.queue.Name, Caller: ix.caller, State: ix.state,
		ArrivedAt: ix.arrivedAt, OfferedAt: ix.offeredAt, AnsweredAt: ix.answered, EndedAt: ix.ended,
		WrapupDeadline: ix.wrapupBy, Variables: variableViews(ix.defs, ix.vars),
	}
}

// variableViews lists the admin-defined variables in admin order, then any
// variable the PBX sent without a definition, by name. Secure values are
// masked and secure variables never go in the popover; at most six are
// marked for it.
func variableViews(defs []VariableDef, vars map[string]string) []VariableView {
	out := make([]VariableView, 0, len(vars))
	defined := map[string]bool{}
	popover := 0
	for _, d := range defs {
		defined[d.Name] = true
		val, ok := vars[d.Name]
		if !ok && !d.Editable {
			continue
		}
		vv := VariableView{Name: d.Name, Label: d.Label, Value: val, Secure: d.Secure, Editable: d.Editable}
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
