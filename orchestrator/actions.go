package orchestrator

// The participant rules (A5, A6.4, A7, A10.4) in one place: what a viewer
// may do to an interaction right now, and why not. Commands check the same
// table the desktop draws its buttons from, so the two never disagree.

var ownerActions = []string{
	ActionHold, ActionResume, ActionResumeConsulted, ActionEnd, ActionConsult, ActionEndConsult,
	ActionTransfer, ActionConference, ActionPauseRecording, ActionResumeRecording,
}

// actions returns every action's state for viewer a.
func (o *Orchestrator) actions(ix *interaction, a *agent) map[string]ActionView {
	out := map[string]ActionView{}
	for _, name := range append(ownerActions, ActionExitConsult, ActionWrapup) {
		out[name] = o.action(ix, a, name)
	}
	return out
}

// allowed returns nil when a may take the action, else the conflict.
func (o *Orchestrator) allowed(ix *interaction, a *agent, name string) error {
	if v := o.action(ix, a, name); !v.Allowed {
		return Errorf(CodeConflict, "%s", v.Reason)
	}
	return nil
}

func yes() ActionView             { return ActionView{Allowed: true} }
func no(reason string) ActionView { return ActionView{Reason: reason} }

func (o *Orchestrator) action(ix *interaction, a *agent, name string) ActionView {
	if a.wrapup != nil && a.wrapup.ix == ix && a.current != ix {
		if name == ActionWrapup {
			return yes()
		}
		return no("the call has ended; choose a wrap-up reason")
	}
	if name == ActionWrapup {
		return no("wrap-up comes after the call")
	}
	if ix.state != InteractionConnected {
		return no("the call is not connected yet")
	}
	if ix.busy != nil {
		return no("wait: the phone system is still " + ix.busy.what)
	}
	c := ix.consult
	if ix.agent != a {
		// The consulted agent (A7): may only leave the consult.
		if c != nil && c.agent == a {
			if name == ActionExitConsult {
				if c.state != ConsultConnected {
					return no("answer the consult first")
				}
				return yes()
			}
			return no("only the agent who started the consult can do this")
		}
		return no("this is not your call")
	}
	switch name {
	case ActionExitConsult:
		return no("the consulted agent leaves with Exit consult; you end it with End consult")
	case ActionHold:
		switch {
		case c != nil:
			return no("the customer is handled by the consult")
		case ix.held:
			return no("the customer is already on hold")
		}
		return yes()
	case ActionResume:
		if c != nil {
			if c.conference {
				return no("everyone is talking in the conference")
			}
			if c.held != "customer" {
				return no("you are already talking to the customer")
			}
			return yes() // A6.4: Resume stays enabled before the answer
		}
		if !ix.held {
			return no("the customer is not on hold")
		}
		return yes()
	case ActionResumeConsulted:
		switch {
		case c == nil:
			return no("there is no consult")
		case c.conference:
			return no("everyone is talking in the conference")
		case c.state != ConsultConnected:
			return consultUnanswered(c)
		case c.held != "consulted":
			return no("you are already talking to the consulted party")
		}
		return yes()
	case ActionEnd:
		switch {
		case c != nil:
			return no("end the consult first")
		case ix.held:
			return no("resume the customer before ending the call") // A5
		}
		return yes()
	case ActionConsult:
		if c != nil {
			return no("a consult is already in progress")
		}
		return yes()
	case ActionEndConsult:
		if c == nil {
			return no("there is no consult")
		}
		return yes()
	case ActionTransfer:
		if c != nil && c.state != ConsultConnected {
			return consultUnanswered(c) // A6.4
		}
		return yes()
	case ActionConference:
		switch {
		case c == nil:
			return no("start a consult first")
		case c.state != ConsultConnected:
			return consultUnanswered(c) // A6.4
		case c.conference:
			return no("the conference is already on")
		}
		return yes()
	case ActionPauseRecording, ActionResumeRecording:
		r := ix.rec
		switch {
		case r == nil || r.stopped:
			return no("this call is not being recorded")
		case c != nil && c.conference:
			return no("recording cannot be paused or resumed during a conference") // A10.4
		case c != nil:
			return no("recording cannot be paused or resumed during a consult") // A10.4
		case name == ActionPauseRecording && r.paused:
			return no("the recording is already paused")
		case name == ActionResumeRecording && !r.paused:
			return no("the recording is not paused")
		}
		return yes()
	}
	return no("unknown action")
}
