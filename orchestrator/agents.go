package orchestrator

import (
	"context"
	"strings"
)

// Role names a user may sign in with (S3).
const (
	SignInAgent           = "agent"
	SignInSupervisor      = "supervisor"
	SignInSupervisorAgent = "supervisor_agent"
)

func (o *Orchestrator) signIn(ctx context.Context, req SignInRequest) (AgentView, error) {
	if _, ok := o.st.agents[req.UserID]; ok {
		return AgentView{}, Errorf(CodeConflict, "you are already signed in")
	}
	u, err := o.store.User(ctx, req.UserID)
	if err != nil {
		return AgentView{}, err
	}
	takesCalls, err := checkSignInRole(u, req.Role)
	if err != nil {
		return AgentView{}, err
	}
	st, dialString, err := o.resolveStation(ctx, u, req.Station)
	if err != nil {
		return AgentView{}, err
	}
	if err := o.stationConflict(st, dialString); err != nil {
		return AgentView{}, err
	}
	teamID := u.TeamID
	if req.TeamID != 0 {
		teamID = req.TeamID
	}
	var teamName string
	if teamID != 0 {
		t, err := o.store.Team(ctx, teamID)
		if ErrorCode(err) == CodeNotFound {
			return AgentView{}, Errorf(CodeInvalid, "team_id: team %d does not exist", teamID)
		}
		if err != nil {
			return AgentView{}, err
		}
		teamName = t.Name
	}
	var queues []Queue
	if takesCalls {
		for _, id := range u.Queues {
			q, err := o.store.Queue(ctx, id)
			if err != nil {
				return AgentView{}, err
			}
			queues = append(queues, q)
		}
	}
	now := o.clock.Now()
	sid, err := o.store.StartAgentSession(ctx, AgentSessionRecord{
		UserID: u.ID, Role: req.Role, StationType: st.Type, StationNumber: st.Number, TeamID: teamID, StartedAt: now,
	})
	if err != nil {
		return AgentView{}, err
	}
	a := &agent{
		user: u, sessionID: sid, role: req.Role, takesCalls: takesCalls, teamID: teamID, teamName: teamName,
		station: st, dialString: dialString, queues: queues,
	}
	o.st.agents[u.ID] = a
	// R2: Available after sign-in; R7: Virtual on a virtual extension.
	o.setAgentState(a, o.readyState(a), "")
	o.route()
	return o.agentView(a), nil
}

// checkSignInRole says whether the user may sign in with role, and whether
// that role takes calls.
func checkSignInRole(u User, role string) (bool, error) {
	switch role {
	case SignInAgent:
		if !u.HasRole(RoleAgent) {
			return false, Errorf(CodeForbidden, "you do not have the agent role")
		}
		return true, nil
	case SignInSupervisor:
		if !u.HasRole(RoleSupervisor) {
			return false, Errorf(CodeForbidden, "you do not have the supervisor role")
		}
		return false, nil
	case SignInSupervisorAgent:
		if !u.HasRole(RoleSupervisor) || !u.HasRole(RoleAgent) {
			return false, Errorf(CodeForbidden, "signing in as supervisor and agent needs both roles")
		}
		return true, nil
	}
	return false, Errorf(CodeInvalid, "role: %q must be agent, supervisor or supervisor_agent", role)
}

// resolveStation validates the requested station (S4, S7) and returns what
// the PBX dials to reach it.
func (o *Orchestrator) resolveStation(ctx context.Context, u User, req StationRequest) (StationView, string, error) {
	switch req.Type {
	case StationExtension:
		number := strings.TrimSpace(req.Number)
		if number == "" {
			return StationView{}, "", Errorf(CodeInvalid, "station.number: pick an extension")
		}
		ext, err := o.store.ExtensionByNumber(ctx, number)
		if ErrorCode(err) == CodeNotFound {
			return StationView{}, "", Errorf(CodeInvalid, "station.number: extension %s is not known to the PBX", number)
		}
		if err != nil {
			return StationView{}, "", err
		}
		if ext.Kind == ExtensionVirtual {
			// R5: only the owner, and only when allowed to work remotely.
			if ext.OwnerID != u.ID || !u.AllowRemote {
				return StationView{}, "", Errorf(CodeForbidden, "extension %s is another user's virtual extension", number)
			}
			// R3: the PBX reaches the mobile through the trunk, like a
			// dial-number station, so it gets the same check and E.164 form.
			mobile, err := ParseDialNumber(ext.Mobile, "")
			if err != nil {
				return StationView{}, "", Errorf(CodeInvalid, "station.number: virtual extension %s follows mobile %v; ask an admin to correct it", number, err)
			}
			return StationView{Type: StationExtension, Number: ext.Number, Virtual: true, Mobile: mobile}, o.trunkDialString(mobile), nil
		}
		return StationView{Type: StationExtension, Number: ext.Number}, ext.DialString, nil
	case StationDialNumber:
		if err := CheckDialRegion(req.Country); err != nil {
			return StationView{}, "", Errorf(CodeInvalid, "station.country: %v", err)
		}
		number, err := ParseDialNumber(req.Number, req.Country)
		if err != nil {
			return StationView{}, "", Errorf(CodeInvalid, "station.number: %v", err)
		}
		return StationView{Type: StationDialNumber, Number: number}, o.trunkDialString(number), nil
	case StationBrowser:
		return StationView{}, "", Errorf(CodeInvalid, "station.type: browser audio is not available yet; pick an extension or a dial number")
	}
	return StationView{}, "", Errorf(CodeInvalid, "station.type: %q must be extension or dial_number", req.Type)
}

func (o *Orchestrator) trunkDialString(number string) string {
	return strings.ReplaceAll(o.dialTemplate, "{number}", number)
}

// stationConflict refuses a station another signed-in user is on (S7): the
// same extension or dial number, or the same phone reached another way (a
// dial number that is someone's virtual-extension mobile, or the reverse),
// which is why the dial strings are compared too.
func (o *Orchestrator) stationConflict(st StationView, dialString string) error {
	for _, a := range o.st.agents {
		if a.station.Type == st.Type && a.station.Number == st.Number {
			return Errorf(CodeConflict, "%s is in use by %s", describeStation(st, "your"), a.user.Name)
		}
		if dialString != "" && a.dialString == dialString {
			return Errorf(CodeConflict, "%s is in use by %s on %s", describeStation(st, "your"), a.user.Name, describeStation(a.station, "their"))
		}
	}
	return nil
}

// describeStation names a station in a conflict message; whose is "your"
// or "their" for a virtual extension, which is always its owner's.
func describeStation(st StationView, whose string) string {
	switch {
	case st.Type == StationDialNumber:
		return "dial number " + st.Number
	case st.Virtual:
		return whose + " virtual extension " + st.Number + " (mobile " + st.Mobile + ")"
	}
	return "extension " + st.Number
}

func (o *Orchestrator) signOut(ctx context.Context, userID int64) error {
	a, err := o.signedIn(userID)
	if err != nil {
		return err
	}
	if a.monitoring != nil {
		return Errorf(CodeConflict, "end monitoring before signing out") // M6
	}
	// S8: only from a non-talking state.
	if err := busyError(a, "sign out"); err != nil {
		return err
	}
	o.setAgentState(a, StateLoggedOut, "")
	now := o.clock.Now()
	o.persist("end agent session", func(ctx context.Context) error { return o.store.EndAgentSession(ctx, a.sessionID, now) })
	delete(o.st.agents, userID)
	o.publish(Event{Type: EventAgent, UserID: userID})
	o.endUnstaffedConsults()
	return nil
}

func (o *Orchestrator) signedIn(userID int64) (*agent, error) {
	a := o.st.agents[userID]
	if a == nil {
		return nil, Errorf(CodeConflict, "you are not signed in on a station")
	}
	return a, nil
}

// setState applies an agent's own Available / Idle choice.
func (o *Orchestrator) setState(ctx context.Context, userID int64, s AgentState, reasonCode string) error {
	a, err := o.signedIn(userID)
	if err != nil {
		return err
	}
	if err := busyError(a, "change state"); err != nil {
		return err
	}
	switch s {
	case StateAvailable, StateVirtual:
		o.setAgentState(a, o.readyState(a), "")
		o.route()
		return nil
	case StateIdle:
		code, err := o.idleCode(ctx, reasonCode)
		if err != nil {
			return err
		}
		o.setAgentState(a, StateIdle, code.Code)
		return nil
	}
	return Errorf(CodeInvalid, "state: %q must be available or idle", s)
}

func (o *Orchestrator) idleCode(ctx context.Context, code string) (IdleCode, error) {
	if code == "" {
		return IdleCode{}, Errorf(CodeInvalid, "reason_code: an idle reason is required")
	}
	codes, err := o.store.IdleCodes(ctx)
	if err != nil {
		return IdleCode{}, err
	}
	for _, c := range codes {
		if c.Code == code {
			return c, nil
		}
	}
	return IdleCode{}, Errorf(CodeInvalid, "reason_code: %q is not an idle code", code)
}

// busyError refuses what an agent cannot do while a call is offered,
// connected or being wrapped up.
func busyError(a *agent, what string) error {
	switch {
	case a.wrapup != nil:
		return Errorf(CodeConflict, "finish wrap-up before you %s", what)
	case a.current == nil:
		return nil
	case a.current.state == InteractionConnected:
		return Errorf(CodeConflict, "end your call before you %s", what)
	}
	return Errorf(CodeConflict, "a call is being offered to you; you cannot %s now", what)
}

// readyState is the state that means "ready for calls" on the agent's
// station: Virtual on a virtual extension (R7), otherwise Available.
func (o *Orchestrator) readyState(a *agent) AgentState {
	if a.station.Virtual {
		return StateVirtual
	}
	return StateAvailable
}

// setAgentState changes, stamps, stores and publishes an agent's state (A13).
func (o *Orchestrator) setAgentState(a *agent, s AgentState, reason string) {
	now := o.clock.Now()
	if (s == StateAvailable || s == StateVirtual) && a.state != StateAvailable && a.state != StateVirtual {
		a.readySince = now
	}
	a.state, a.reason, a.since = s, reason, now
	change := StateChange{UserID: a.user.ID, SessionID: a.sessionID, State: s, Reason: reason, At: now}
	o.persist("agent state", func(ctx context.Context) error { return o.store.RecordState(ctx, change) })
	o.publishAgent(a)
}

// publishAgent pushes the agent's current view to their desktops.
func (o *Orchestrator) publishAgent(a *agent) {
	v := o.agentView(a)
	o.publish(Event{Type: EventAgent, UserID: a.user.ID, Agent: &v})
}

func (o *Orchestrator) notify(a *agent, kind, text string) {
	o.publish(Event{Type: EventNotice, UserID: a.user.ID, Notice: &Notice{Kind: kind, Text: text}})
}
