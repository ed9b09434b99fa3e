package orchestrator

import "sort"

// targetAgents lists who the user may consult (A6.1) or transfer to (A8.1).
func (o *Orchestrator) targetAgents(userID int64, purpose string) ([]TargetAgentView, error) {
	if purpose != "consult" && purpose != "transfer" {
		return nil, Errorf(CodeInvalid, "purpose: %q must be consult or transfer", purpose)
	}
	out := []TargetAgentView{}
	for _, b := range o.st.agents {
		if b.user.ID == userID || !b.takesCalls || targetAgentError(b, purpose) != nil {
			continue
		}
		out = append(out, TargetAgentView{UserID: b.user.ID, Name: b.user.Name, State: b.state, Station: b.station.Number, TeamID: b.teamID})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// publishIx pushes the interaction's change to every agent it concerns.
func (o *Orchestrator) publishIx(ix *interaction) {
	if ix.agent != nil {
		o.publishAgent(ix.agent)
	}
	if ix.consult != nil && ix.consult.agent != nil {
		o.publishAgent(ix.consult.agent)
	}
}

// changed follows an interaction change: the recording keeps up with who is
// in the room, and every agent concerned sees the new state.
func (o *Orchestrator) changed(ix *interaction) {
	o.syncRecording(ix)
	o.publishIx(ix)
}
