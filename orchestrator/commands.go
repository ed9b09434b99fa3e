package orchestrator

import "context"

// SignInRequest signs a user in on a station (S3, S4).
type SignInRequest struct {
	UserID  int64
	Role    string // agent | supervisor | supervisor_agent
	Station StationRequest
	TeamID  int64 // chosen team for supervisor_agent (S6); 0: the user's own
}

// StationRequest names the station: an extension number, or a dial number.
type StationRequest struct {
	Type   StationType `json:"type"`
	Number string      `json:"number"`
	// Country is the dial-number picker's ISO 3166 region ("GB") that a
	// national Number is read in; "" is +1 (S4.1). E.164 and IDD numbers
	// ignore it.
	Country string `json:"country,omitempty"`
}

// SignIn starts the user's agent session. The agent starts Available (R2),
// or Virtual on a virtual extension (R7).
func (o *Orchestrator) SignIn(ctx context.Context, req SignInRequest) (AgentView, error) {
	var view AgentView
	err := o.do(ctx, func() error {
		v, err := o.signIn(ctx, req)
		view = v
		return err
	})
	return view, err
}

// SignOut ends the user's session (S8: refused while talking).
func (o *Orchestrator) SignOut(ctx context.Context, userID int64) error {
	return o.do(ctx, func() error { return o.signOut(ctx, userID) })
}

// SetState sets the agent Available or Idle with a reason code.
func (o *Orchestrator) SetState(ctx context.Context, userID int64, state AgentState, reasonCode string) error {
	return o.do(ctx, func() error { return o.setState(ctx, userID, state, reasonCode) })
}

// EndInteraction hangs up the customer of the agent's connected interaction.
func (o *Orchestrator) EndInteraction(ctx context.Context, userID int64, interactionID string) error {
	return o.do(ctx, func() error { return o.endInteraction(ctx, userID, interactionID) })
}

// Wrapup closes the agent's wrap-up with a code (A12).
func (o *Orchestrator) Wrapup(ctx context.Context, userID int64, interactionID, code string) error {
	return o.do(ctx, func() error { return o.wrapup(ctx, userID, interactionID, code) })
}

// Agent returns the user's live view, or nil when they are not signed in.
func (o *Orchestrator) Agent(ctx context.Context, userID int64) (*AgentView, error) {
	var view *AgentView
	err := o.do(ctx, func() error {
		if a := o.st.agents[userID]; a != nil {
			v := o.agentView(a)
			view = &v
		}
		return nil
	})
	return view, err
}

// Agents returns every signed-in user's view, ordered by name.
func (o *Orchestrator) Agents(ctx context.Context) ([]AgentView, error) {
	var views []AgentView
	err := o.do(ctx, func() error {
		views = o.allAgentViews()
		return nil
	})
	return views, err
}
