package webui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ringside/ringside/api"
	"github.com/ringside/ringside/orchestrator"
)

// desk is a tiny stand-in for the orchestrator and the simulated PBX
// together, enough to click through the desktop in a real browser: a
// customer call offers itself to a signed-in Available agent, the handset
// answers or rejects it, and the call-handling commands (hold, consult,
// transfer, conference, recording, call data) move it on. Its rules are
// plausible, not the orchestrator's: the desktop must show whatever the
// server says (interaction.actions), so the browser tests check that the
// page follows the fake, not that the fake is right.
type desk struct {
	mu     sync.Mutex
	seq    uint64
	agents map[int64]*orchestrator.AgentView
	subs   map[*orchestrator.Subscription]chan orchestrator.Event
	all    map[*orchestrator.Subscription]bool // supervisors' streams (SubscribeAll)
	legs   []api.SimLeg
	calls  map[string]*call
	nextID int
	// holdConnecting keeps a new offer in "connecting" (for a screenshot).
	holdConnecting bool
	wrapupTime     time.Duration
	privacyShield  time.Duration // how long a recording pause lasts (A10.3)
}

// call is one interaction as the desk keeps it; each participant's
// InteractionView is rendered from it.
type call struct {
	base      orchestrator.InteractionView // state, variables: shared by all viewers
	owner     int64                        // the handling agent
	held      bool                         // the customer is on hold
	rec       *orchestrator.RecordingView
	recTimer  *time.Timer
	consult   *orchestrator.ConsultView
	consulted int64                   // the consulted agent when signed in here; 0 otherwise
	before    orchestrator.AgentState // the consulted agent's state before the consult
	reason    string                  // and its idle reason
	consultN  int                     // consults so far: names their legs
	leg       string                  // the consulted agent's leg
	secrets   map[string]string       // secure variables' values (A11.3)
	editors   map[string]string       // who saved each variable last
}

// directory holds agents who are not signed in here but show in the
// consult and transfer pickers with a state (A6.1, A8.1).
var directory = []orchestrator.TargetAgentView{
	{UserID: 5, Name: "Bob Builder", State: orchestrator.StateIdle, Station: "2005", TeamID: 1},
	{UserID: 6, Name: "Carol Chen", State: orchestrator.StateAvailable, Station: "2006", TeamID: 2},
	{UserID: 7, Name: "Dan Wrapup", State: orchestrator.StateWrapup, Station: "2007", TeamID: 1},
}

var teams = map[int64]string{1: "Team Red", 2: "Team Blue"}

var queueList = []orchestrator.Queue{{ID: 3, Name: "billing"}, {ID: 1, Name: "sales", Recording: true}, {ID: 2, Name: "support"}}

func newDesk() *desk {
	return &desk{agents: map[int64]*orchestrator.AgentView{}, subs: map[*orchestrator.Subscription]chan orchestrator.Event{}, all: map[*orchestrator.Subscription]bool{},
		calls: map[string]*call{}, privacyShield: 45 * time.Second}
}

// cloneAgent copies a view deeply, so a published event never shares
// memory with the desk's later changes.
func cloneAgent(v *orchestrator.AgentView) *orchestrator.AgentView {
	if v == nil {
		return nil
	}
	c := *v
	c.Queues = slices.Clone(v.Queues)
	if v.Monitoring != nil {
		m := *v.Monitoring // its Actions map is replaced, never changed in place
		c.Monitoring = &m
	}
	if v.Interaction != nil {
		ix := cloneIx(*v.Interaction)
		c.Interaction = &ix
	}
	return &c
}

func cloneIx(ix orchestrator.InteractionView) orchestrator.InteractionView {
	ix.Variables = slices.Clone(ix.Variables)
	if ix.Actions != nil {
		m := make(map[string]orchestrator.ActionView, len(ix.Actions))
		for k, v := range ix.Actions {
			m[k] = v
		}
		ix.Actions = m
	}
	if ix.Recording != nil {
		r := *ix.Recording
		ix.Recording = &r
	}
	if ix.Consult != nil {
		c := *ix.Consult
		ix.Consult = &c
	}
	if ix.From != nil {
		f := *ix.From
		ix.From = &f
	}
	return ix
}

// publishLocked sends the agent's new view to their subscribers.
func (d *desk) publishLocked(uid int64, notice *orchestrator.Notice) {
	d.seq++
	ev := orchestrator.Event{Seq: d.seq, Type: orchestrator.EventAgent, UserID: uid}
	if notice != nil {
		ev.Type, ev.Notice = orchestrator.EventNotice, notice
	} else {
		ev.Agent = cloneAgent(d.agents[uid])
	}
	for sub, ch := range d.subs {
		if sub.UserID == uid || d.all[sub] && ev.Type == orchestrator.EventAgent {
			select {
			case ch <- ev:
			default:
			}
		}
	}
}

func (d *desk) setStateLocked(a *orchestrator.AgentView, s orchestrator.AgentState, reason string) {
	a.State, a.Reason, a.Since = s, reason, time.Now()
}

func (d *desk) SignIn(ctx context.Context, req orchestrator.SignInRequest) (orchestrator.AgentView, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if req.Station.Type == orchestrator.StationDialNumber {
		n, err := orchestrator.ParseDialNumber(req.Station.Number, req.Station.Country)
		if err != nil {
			return orchestrator.AgentView{}, orchestrator.Errorf(orchestrator.CodeInvalid, "station.number: %v", err)
		}
		req.Station.Number = n
	}
	for _, a := range d.agents {
		if a.Station.Number == req.Station.Number {
			return orchestrator.AgentView{}, orchestrator.Errorf(orchestrator.CodeConflict, "extension %s is in use by %s", a.Station.Number, a.Name)
		}
	}
	u := users[req.UserID]
	a := &orchestrator.AgentView{UserID: u.ID, Name: u.Name, Login: u.Login, Role: req.Role, TeamID: u.TeamID,
		Station: orchestrator.StationView{Type: req.Station.Type, Number: req.Station.Number}, Queues: []string{"sales", "support"}}
	d.setStateLocked(a, orchestrator.StateAvailable, "")
	d.agents[u.ID] = a
	d.publishLocked(u.ID, nil)
	return *cloneAgent(a), nil
}

func (d *desk) RemoteAccessChanged(context.Context, int64) error { return nil }

func (d *desk) SignOut(ctx context.Context, userID int64) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.agents[userID]
	if a == nil {
		return orchestrator.Errorf(orchestrator.CodeConflict, "you are not signed in on a station")
	}
	if a.Interaction != nil {
		return orchestrator.Errorf(orchestrator.CodeConflict, "end your call before signing out")
	}
	delete(d.agents, userID)
	d.publishLocked(userID, nil)
	return nil
}

func (d *desk) SetState(ctx context.Context, userID int64, s orchestrator.AgentState, reason string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.agents[userID]
	if a == nil {
		return orchestrator.Errorf(orchestrator.CodeConflict, "you are not signed in on a station")
	}
	if a.Interaction != nil {
		return orchestrator.Errorf(orchestrator.CodeConflict, "you cannot change state while on a call")
	}
	if s == orchestrator.StateIdle && reason == "lunch" {
		return orchestrator.Errorf(orchestrator.CodeConflict, "lunch is not before 11:30")
	}
	d.setStateLocked(a, s, reason)
	d.publishLocked(userID, nil)
	return nil
}

// --- rendering a call for each participant ---

func (d *desk) name(uid int64) string {
	if a := d.agents[uid]; a != nil {
		return a.Name
	}
	for _, t := range directory {
		if t.UserID == uid {
			return t.Name
		}
	}
	return fmt.Sprintf("agent %d", uid)
}

// consultState is what the consulted agent's own interaction shows.
func consultState(s string) orchestrator.InteractionState {
	switch s {
	case orchestrator.ConsultConnected:
		return orchestrator.InteractionConnected
	case orchestrator.ConsultRinging:
		return orchestrator.InteractionRinging
	}
	return orchestrator.InteractionConnecting
}

// viewLocked renders the call as uid sees it.
func (d *desk) viewLocked(c *call, uid int64) orchestrator.InteractionView {
	v := cloneIx(c.base)
	if uid == c.owner {
		v.Role, v.Held = orchestrator.RoleOwner, c.held
		if c.rec != nil {
			r := *c.rec
			v.Recording = &r
		}
		if c.consult != nil {
			cv := *c.consult
			v.Consult = &cv
		}
	} else {
		v.Role = orchestrator.RoleConsulted
		v.State = consultState(c.consult.State)
		cv := *c.consult
		v.Consult = &cv
		o := d.agents[c.owner]
		v.From = &orchestrator.PartyView{UserID: c.owner, Name: o.Name, Station: o.Station.Number, Team: teams[o.TeamID]}
	}
	v.Actions = d.actionsLocked(c, uid)
	return v
}

// actionsLocked is the fake's rule table: what uid may do now, and why not.
func (d *desk) actionsLocked(c *call, uid int64) map[string]orchestrator.ActionView {
	m := map[string]orchestrator.ActionView{}
	set := func(name string, ok bool, reason string) {
		if ok {
			m[name] = orchestrator.ActionView{Allowed: true}
		} else {
			m[name] = orchestrator.ActionView{Reason: reason}
		}
	}
	all := []string{orchestrator.ActionHold, orchestrator.ActionResume, orchestrator.ActionResumeConsulted, orchestrator.ActionEnd,
		orchestrator.ActionConsult, orchestrator.ActionEndConsult, orchestrator.ActionExitConsult, orchestrator.ActionTransfer,
		orchestrator.ActionConference, orchestrator.ActionPauseRecording, orchestrator.ActionResumeRecording, orchestrator.ActionWrapup}
	if uid != c.owner { // the consulted agent (A7)
		for _, n := range all {
			set(n, false, "Only "+d.name(c.owner)+", who consulted you, can do this")
		}
		set(orchestrator.ActionWrapup, false, "You do not wrap up a consult")
		set(orchestrator.ActionExitConsult, c.consult.State == orchestrator.ConsultConnected, "Answer the consult first")
		return m
	}
	connected := c.base.State == orchestrator.InteractionConnected
	cons := c.consult
	consUp := cons != nil && cons.State == orchestrator.ConsultConnected
	who := ""
	if cons != nil {
		who = cons.With.Name
	}
	notAnswered := who + " has not answered yet"

	switch {
	case !connected:
		set(orchestrator.ActionHold, false, "The call is not connected")
	case cons != nil:
		set(orchestrator.ActionHold, false, "The customer is held by the consult; use Resume customer")
	default:
		set(orchestrator.ActionHold, !c.held, "The customer is already on hold")
	}
	set(orchestrator.ActionResume, connected && c.held, "The customer is not on hold")
	switch {
	case cons == nil:
		set(orchestrator.ActionResumeConsulted, false, "No consult in progress")
	case !consUp:
		set(orchestrator.ActionResumeConsulted, false, notAnswered)
	default:
		set(orchestrator.ActionResumeConsulted, cons.Held == "consulted", "You are talking to "+who)
	}
	switch {
	case c.held:
		set(orchestrator.ActionEnd, false, "Resume the customer before ending the call")
	case cons != nil:
		set(orchestrator.ActionEnd, false, "End the consult first")
	default:
		set(orchestrator.ActionEnd, connected, "The call is not connected")
	}
	set(orchestrator.ActionConsult, connected && cons == nil, "A consult is already in progress")
	set(orchestrator.ActionEndConsult, cons != nil, "No consult in progress")
	set(orchestrator.ActionExitConsult, false, "Only the consulted agent can exit a consult")
	set(orchestrator.ActionTransfer, connected && (cons == nil || consUp), notAnswered)
	switch {
	case cons == nil:
		set(orchestrator.ActionConference, false, "Consult someone first")
	case !consUp:
		set(orchestrator.ActionConference, false, notAnswered)
	default:
		set(orchestrator.ActionConference, !cons.Conference, "You are in a conference already")
	}
	switch {
	case c.rec == nil:
		set(orchestrator.ActionPauseRecording, false, "This call is not recorded")
		set(orchestrator.ActionResumeRecording, false, "This call is not recorded")
	case cons != nil:
		set(orchestrator.ActionPauseRecording, false, "Recording cannot be paused during a consult or conference")
		set(orchestrator.ActionResumeRecording, false, "Recording cannot be resumed during a consult or conference")
	default:
		set(orchestrator.ActionPauseRecording, c.rec.State == orchestrator.RecordingActive, "The recording is paused")
		set(orchestrator.ActionResumeRecording, c.rec.State == orchestrator.RecordingPaused, "The recording is not paused")
	}
	set(orchestrator.ActionWrapup, false, "The call is still going on")
	return m
}

// syncLocked renders the call for its participants and publishes.
func (d *desk) syncLocked(c *call) {
	for _, uid := range []int64{c.owner, c.consulted} {
		if a := d.agents[uid]; a != nil && uid != 0 {
			v := d.viewLocked(c, uid)
			a.Interaction = &v
			d.publishLocked(uid, nil)
		}
	}
}

// refuseLocked answers a command with the reason its action is not allowed.
func (d *desk) refuseLocked(c *call, uid int64, action string) error {
	if a := d.actionsLocked(c, uid)[action]; !a.Allowed {
		return orchestrator.Errorf(orchestrator.CodeConflict, "%s", a.Reason)
	}
	return nil
}

// callLocked finds the interaction uid takes part in.
func (d *desk) callLocked(uid int64, id string) (*call, error) {
	c := d.calls[id]
	if c == nil || (c.owner != uid && c.consulted != uid) {
		return nil, orchestrator.Errorf(orchestrator.CodeNotFound, "no interaction %s of yours", id)
	}
	return c, nil
}

// toWrapupLocked sends the owner to wrap-up with a frozen copy of the
// call (A12, A8.3); the desk forgets the call when it goes on without them.
func (d *desk) toWrapupLocked(c *call) {
	a := d.agents[c.owner]
	ix := d.viewLocked(c, c.owner)
	ix.State, ix.EndedAt, ix.Held, ix.Consult, ix.Recording = orchestrator.InteractionWrapup, time.Now(), false, nil, nil
	if d.wrapupTime > 0 {
		ix.WrapupDeadline = time.Now().Add(d.wrapupTime)
	}
	for k := range ix.Actions {
		ix.Actions[k] = orchestrator.ActionView{Reason: "The call has ended"}
	}
	ix.Actions[orchestrator.ActionWrapup] = orchestrator.ActionView{Allowed: true}
	a.Interaction = &ix
	d.setStateLocked(a, orchestrator.StateWrapup, "")
	d.publishLocked(a.UserID, nil)
	if c.recTimer != nil {
		c.recTimer.Stop()
	}
}

// releaseConsultedLocked ends the consulted agent's part (never a wrap-up, A7).
func (d *desk) releaseConsultedLocked(c *call) {
	d.legDownLocked(c.leg)
	if a := d.agents[c.consulted]; a != nil && c.consulted != 0 {
		a.Interaction = nil
		d.setStateLocked(a, c.before, c.reason)
		d.publishLocked(a.UserID, nil)
	}
	c.consult, c.consulted = nil, 0
}

func (d *desk) legDownLocked(id string) {
	for i := range d.legs {
		if d.legs[i].ID == id {
			d.legs[i].State = "down"
		}
	}
}

// --- the orchestrator's commands ---

func (d *desk) EndInteraction(ctx context.Context, userID int64, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, err := d.callLocked(userID, id)
	if err != nil {
		return err
	}
	if err := d.refuseLocked(c, userID, orchestrator.ActionEnd); err != nil {
		return err
	}
	d.endCallLocked(c)
	return nil
}

// endCallLocked: the customer is gone; the owner wraps up.
func (d *desk) endCallLocked(c *call) {
	for i := range d.legs {
		if d.legs[i].Room == c.base.ID {
			d.legs[i].State = "down"
		}
	}
	d.releaseConsultedLocked(c)
	d.toWrapupLocked(c)
	delete(d.calls, c.base.ID)
}

func (d *desk) Wrapup(ctx context.Context, userID int64, id, code string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.agents[userID]
	if a == nil || a.Interaction == nil || a.Interaction.State != orchestrator.InteractionWrapup {
		return orchestrator.Errorf(orchestrator.CodeConflict, "nothing to wrap up")
	}
	a.Interaction = nil
	d.setStateLocked(a, orchestrator.StateAvailable, "")
	d.publishLocked(userID, nil)
	return nil
}

func (d *desk) Hold(ctx context.Context, uid int64, id string) error {
	return d.command(uid, id, orchestrator.ActionHold, func(c *call) { c.held = true })
}

func (d *desk) Resume(ctx context.Context, uid int64, id string) error {
	return d.command(uid, id, orchestrator.ActionResume, func(c *call) {
		c.held = false
		if c.consult != nil {
			c.consult.Held = "consulted" // A6.3: never both held
		}
	})
}

func (d *desk) ResumeConsulted(ctx context.Context, uid int64, id string) error {
	return d.command(uid, id, orchestrator.ActionResumeConsulted, func(c *call) {
		c.held, c.consult.Held = true, "customer"
	})
}

func (d *desk) Conference(ctx context.Context, uid int64, id string) error {
	return d.command(uid, id, orchestrator.ActionConference, func(c *call) {
		c.held, c.consult.Held, c.consult.Conference = false, "", true
	})
}

func (d *desk) EndConsult(ctx context.Context, uid int64, id string) error {
	return d.command(uid, id, orchestrator.ActionEndConsult, func(c *call) {
		d.releaseConsultedLocked(c)
		c.held = false // A6.7: back to the customer
	})
}

func (d *desk) ExitConsult(ctx context.Context, uid int64, id string) error {
	return d.command(uid, id, orchestrator.ActionExitConsult, func(c *call) {
		d.releaseConsultedLocked(c)
		c.held = false // A6.5: the call goes on between agent 1 and the customer
	})
}

func (d *desk) PauseRecording(ctx context.Context, uid int64, id string) error {
	return d.command(uid, id, orchestrator.ActionPauseRecording, func(c *call) {
		c.rec = &orchestrator.RecordingView{State: orchestrator.RecordingPaused, ResumesAt: time.Now().Add(d.privacyShield)}
		c.recTimer = time.AfterFunc(d.privacyShield, func() { // A10.3
			d.mu.Lock()
			defer d.mu.Unlock()
			if c.rec != nil && c.rec.State == orchestrator.RecordingPaused && d.calls[c.base.ID] == c {
				c.rec = &orchestrator.RecordingView{State: orchestrator.RecordingActive}
				d.syncLocked(c)
			}
		})
	})
}

func (d *desk) ResumeRecording(ctx context.Context, uid int64, id string) error {
	return d.command(uid, id, orchestrator.ActionResumeRecording, func(c *call) {
		if c.recTimer != nil {
			c.recTimer.Stop()
		}
		c.rec = &orchestrator.RecordingView{State: orchestrator.RecordingActive}
	})
}

// command checks the action against the rule table, applies it, publishes.
func (d *desk) command(uid int64, id, action string, apply func(*call)) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, err := d.callLocked(uid, id)
	if err != nil {
		return err
	}
	if err := d.refuseLocked(c, uid, action); err != nil {
		return err
	}
	apply(c)
	d.syncLocked(c)
	return nil
}

// digits keeps a dial number's digits (A6.2, roughly).
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' || strings.ContainsRune("+#*:", r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (d *desk) Consult(ctx context.Context, uid int64, id string, t orchestrator.Target) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, err := d.callLocked(uid, id)
	if err != nil {
		return err
	}
	if err := d.refuseLocked(c, uid, orchestrator.ActionConsult); err != nil {
		return err
	}
	cv := &orchestrator.ConsultView{Target: t, State: orchestrator.ConsultRinging, Held: "customer"}
	switch t.Type {
	case orchestrator.TargetAgent:
		var found bool
		if a := d.agents[t.ID]; a != nil && t.ID != uid {
			if a.Interaction != nil || (a.State != orchestrator.StateAvailable && a.State != orchestrator.StateIdle) {
				return orchestrator.Errorf(orchestrator.CodeConflict, "%s is busy", a.Name)
			}
			cv.With = orchestrator.PartyView{UserID: a.UserID, Name: a.Name, Station: a.Station.Number, Team: teams[a.TeamID]}
			c.consulted, c.before, c.reason, found = a.UserID, a.State, a.Reason, true
			d.setStateLocked(a, orchestrator.StateRinging, "")
			c.consultN++
			c.leg = fmt.Sprintf("consult-%s-%d", id, c.consultN)
			d.legs = append(d.legs, api.SimLeg{ID: c.leg, Endpoint: "PJSIP/" + a.Station.Number, State: "ringing", Room: id, Caller: d.agents[uid].Name})
		}
		for _, x := range directory {
			if x.UserID == t.ID {
				if x.State == orchestrator.StateWrapup {
					return orchestrator.Errorf(orchestrator.CodeConflict, "%s is in wrap-up", x.Name)
				}
				cv.With, found = orchestrator.PartyView{UserID: x.UserID, Name: x.Name, Station: x.Station, Team: teams[x.TeamID]}, true
			}
		}
		if !found {
			return orchestrator.Errorf(orchestrator.CodeNotFound, "no agent %d", t.ID)
		}
	case orchestrator.TargetQueue:
		for _, q := range queueList {
			if q.ID == t.ID {
				cv.With = orchestrator.PartyView{Name: "Queue " + q.Name}
			}
		}
		if cv.With.Name == "" {
			return orchestrator.Errorf(orchestrator.CodeNotFound, "no queue %d", t.ID)
		}
		cv.State = orchestrator.ConsultConnecting
	case orchestrator.TargetDialNumber:
		n := digits(t.Number)
		if len(n) < 3 || len(n) > 18 {
			return orchestrator.Errorf(orchestrator.CodeInvalid, "target.number: %q must have 3 to 18 digits", t.Number)
		}
		cv.With, cv.State = orchestrator.PartyView{Name: n}, orchestrator.ConsultConnecting
	}
	c.consult, c.held = cv, true // A6.3: the customer is held
	d.syncLocked(c)
	return nil
}

// consultLeg is the leg ringing the consulted agent of interaction id.
func (d *desk) consultLeg(id string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.calls[id].leg
}

func (d *desk) answerConsultLocked(c *call) {
	c.consult.State = orchestrator.ConsultConnected
	if a := d.agents[c.consulted]; a != nil && c.consulted != 0 {
		d.setStateLocked(a, orchestrator.StateEngaged, "")
	}
	for i := range d.legs {
		if d.legs[i].ID == c.leg {
			d.legs[i].State = "up"
		}
	}
	d.syncLocked(c)
}

// failConsultLocked: the consulted party did not answer (A6.6).
func (d *desk) failConsultLocked(c *call, why string) {
	consulted := c.consulted
	if a := d.agents[consulted]; a != nil && consulted != 0 {
		c.before, c.reason = orchestrator.StateRONA, "consult not answered"
	}
	d.releaseConsultedLocked(c)
	d.syncLocked(c)
	d.publishLocked(c.owner, &orchestrator.Notice{Kind: "error", Text: "Consult failed: " + why})
	if consulted != 0 {
		d.publishLocked(consulted, &orchestrator.Notice{Kind: "rona", Text: "You did not answer a consult. Go Available or Idle to continue."})
	}
}

func (d *desk) Transfer(ctx context.Context, uid int64, id string, t orchestrator.Target, mode orchestrator.TransferMode) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, err := d.callLocked(uid, id)
	if err != nil {
		return err
	}
	if err := d.refuseLocked(c, uid, orchestrator.ActionTransfer); err != nil {
		return err
	}
	if mode == orchestrator.TransferBlind {
		if c.consult != nil {
			return orchestrator.Errorf(orchestrator.CodeConflict, "End the consult before a blind transfer")
		}
		if t.Type == orchestrator.TargetAgent {
			ok := false
			for _, x := range directory {
				ok = ok || x.UserID == t.ID && x.State == orchestrator.StateAvailable
			}
			if !ok {
				return orchestrator.Errorf(orchestrator.CodeConflict, "%s is not available", d.name(t.ID))
			}
		}
		// The call leaves this desk; the owner wraps up (A8.3).
		d.endCallLocked(c)
		return nil
	}
	if c.consult == nil {
		return orchestrator.Errorf(orchestrator.CodeConflict, "No consult to transfer to")
	}
	// Consult transfer: the consulted agent takes the call; agent 1 wraps up.
	next := c.consulted
	d.legDownLocked("agent-" + id)
	d.toWrapupLocked(c)
	if next == 0 {
		delete(d.calls, id)
		return nil
	}
	c.owner, c.consulted, c.consult, c.held = next, 0, nil, false
	d.syncLocked(c)
	return nil
}

func (d *desk) SetVariable(ctx context.Context, uid int64, id, name, value string, version int) (orchestrator.VariableView, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, err := d.callLocked(uid, id)
	if err != nil {
		return orchestrator.VariableView{}, err
	}
	for i := range c.base.Variables {
		v := &c.base.Variables[i]
		if v.Name != name {
			continue
		}
		if !v.Editable {
			return orchestrator.VariableView{}, orchestrator.Errorf(orchestrator.CodeForbidden, "%s cannot be edited", v.Label)
		}
		if n := len([]rune(value)); n > 256 {
			return orchestrator.VariableView{}, orchestrator.Errorf(orchestrator.CodeInvalid, "value: at most 256 characters (got %d)", n)
		}
		if v.Type == orchestrator.VariableDateTime && value != "" {
			t, err := time.Parse(time.RFC3339, value)
			if err != nil {
				return orchestrator.VariableView{}, orchestrator.Errorf(orchestrator.CodeInvalid, "value: %s must be an ISO 8601 date-time", v.Label)
			}
			if t.Year() < 2000 { // a rule only the server knows, so the page must show its message
				return orchestrator.VariableView{}, orchestrator.Errorf(orchestrator.CodeInvalid, "value: %s must be in 2000 or later", v.Label)
			}
		}
		if version != v.Version {
			return orchestrator.VariableView{}, orchestrator.Errorf(orchestrator.CodeConflict,
				"Your value was overwritten: %s saved %q first. Your change was not saved.", c.editors[name], v.Value)
		}
		d.saveLocked(c, v, value, d.name(uid))
		return *v, nil
	}
	return orchestrator.VariableView{}, orchestrator.Errorf(orchestrator.CodeNotFound, "no variable %s", name)
}

func (d *desk) saveLocked(c *call, v *orchestrator.VariableView, value, editor string) {
	v.Value, v.Version = value, v.Version+1
	c.editors[v.Name] = editor
	d.syncLocked(c)
}

// editAs saves a variable as someone else would (another agent's save, A11.4).
func (d *desk) editAs(id, name, value, editor string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := d.calls[id]
	for i := range c.base.Variables {
		if c.base.Variables[i].Name == name {
			d.saveLocked(c, &c.base.Variables[i], value, editor)
		}
	}
}

func (d *desk) RevealVariable(ctx context.Context, uid int64, id, name string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, err := d.callLocked(uid, id)
	if err != nil {
		return "", err
	}
	v, ok := c.secrets[name]
	if !ok {
		return "", orchestrator.Errorf(orchestrator.CodeInvalid, "%s is not a secure variable", name)
	}
	return v, nil
}

func (d *desk) TargetAgents(ctx context.Context, uid int64, purpose string) ([]orchestrator.TargetAgentView, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var all []orchestrator.TargetAgentView
	for _, a := range d.agents {
		if a.UserID != uid {
			all = append(all, orchestrator.TargetAgentView{UserID: a.UserID, Name: a.Name, State: a.State, Station: a.Station.Number, TeamID: a.TeamID})
		}
	}
	all = append(all, directory...)
	out := []orchestrator.TargetAgentView{}
	for _, t := range all {
		ok := t.State == orchestrator.StateAvailable || t.State == orchestrator.StateVirtual
		if purpose == "consult" {
			ok = ok || t.State == orchestrator.StateIdle
		}
		if ok {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b orchestrator.TargetAgentView) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (d *desk) Agent(ctx context.Context, userID int64) (*orchestrator.AgentView, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return cloneAgent(d.agents[userID]), nil
}

func (d *desk) Subscribe(ctx context.Context, userID int64) (*orchestrator.Subscription, error) {
	return d.subscribe(userID, false)
}

func (d *desk) SubscribeAll(ctx context.Context, userID int64) (*orchestrator.Subscription, error) {
	return d.subscribe(userID, true)
}

func (d *desk) subscribe(userID int64, all bool) (*orchestrator.Subscription, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ch := make(chan orchestrator.Event, 64)
	var sub *orchestrator.Subscription
	sub = orchestrator.NewSubscription(userID, cloneAgent(d.agents[userID]), d.seq, ch, func() { d.unsubscribe(sub) })
	d.subs[sub] = ch
	if all {
		d.all[sub] = true
		sub.Agents = d.agentListLocked()
	}
	return sub, nil
}

// unsubscribe forgets a closed subscription.
func (d *desk) unsubscribe(sub *orchestrator.Subscription) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.subs, sub)
	delete(d.all, sub)
}

// closeStreams ends every subscription, as the orchestrator does for a
// desktop that fell behind.
func (d *desk) closeStreams() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for sub, ch := range d.subs {
		close(ch)
		delete(d.subs, sub)
	}
}

// --- the simulated PBX side ---

func (d *desk) PlaceCall(queue, caller string, vars map[string]string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var q *orchestrator.Queue
	for i := range queueList {
		if queueList[i].Name == queue {
			q = &queueList[i]
		}
	}
	if q == nil {
		return "", orchestrator.Errorf(orchestrator.CodeNotFound, "queue %s does not exist", queue)
	}
	d.nextID++
	ixID := fmt.Sprintf("ix-%d", d.nextID)
	cust := api.SimLeg{ID: fmt.Sprintf("cust-%d", d.nextID), Endpoint: "customer/" + caller, State: "up", Room: ixID, Caller: caller}
	d.legs = append(d.legs, cust)
	var target *orchestrator.AgentView
	for _, a := range d.agents {
		if a.State == orchestrator.StateAvailable && a.Interaction == nil {
			target = a
		}
	}
	if target == nil {
		return cust.ID, nil
	}
	c := &call{owner: target.UserID, secrets: map[string]string{"pin": "4321"}, editors: map[string]string{},
		base: orchestrator.InteractionView{ID: ixID, Queue: queue, Caller: caller, State: orchestrator.InteractionConnecting,
			ArrivedAt: time.Now(), OfferedAt: time.Now(),
			Variables: []orchestrator.VariableView{
				{Name: "account", Label: "Account", Value: vars["account"], Popover: true, Editable: true, Version: 1},
				{Name: "tier", Label: "Tier", Value: vars["tier"], Popover: true, Version: 1},
				{Name: "pin", Label: "PIN", Value: "*****", Secure: true, Version: 1}, // never rendered in a popover
				{Name: "notes", Label: "Notes", Value: "", Editable: true, Version: 1},
				// A11.2: date-times, one editable, one read-only.
				{Name: "callback", Label: "Callback", Value: vars["callback"], Editable: true, Version: 1, Type: orchestrator.VariableDateTime},
				{Name: "opened", Label: "Ticket opened", Value: "2026-03-01T09:15:00Z", Version: 1, Type: orchestrator.VariableDateTime},
			}}}
	if q.Recording {
		c.rec = &orchestrator.RecordingView{State: orchestrator.RecordingActive}
	}
	d.calls[ixID] = c
	d.setStateLocked(target, orchestrator.StateRinging, "")
	d.syncLocked(c)
	if !d.holdConnecting {
		d.ringLocked(c)
	}
	return cust.ID, nil
}

// ringLocked moves a connecting offer to ringing: the station's leg rings.
func (d *desk) ringLocked(c *call) {
	c.base.State = orchestrator.InteractionRinging
	a := d.agents[c.owner]
	d.legs = append(d.legs, api.SimLeg{ID: "agent-" + c.base.ID, Endpoint: "PJSIP/" + a.Station.Number, State: "ringing", Room: c.base.ID, Caller: c.base.Caller})
	d.syncLocked(c)
}

// ring releases a held "connecting" offer.
func (d *desk) ring() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range d.calls {
		if c.base.State == orchestrator.InteractionConnecting {
			d.ringLocked(c)
		}
	}
}

func (d *desk) Legs() []api.SimLeg {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]api.SimLeg(nil), d.legs...)
}

func (d *desk) legLocked(id string) (*api.SimLeg, *call, error) {
	for i := range d.legs {
		if d.legs[i].ID == id {
			return &d.legs[i], d.calls[d.legs[i].Room], nil
		}
	}
	return nil, nil, orchestrator.Errorf(orchestrator.CodeNotFound, "no leg %s", id)
}

func (d *desk) Answer(id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	leg, c, err := d.legLocked(id)
	if err != nil {
		return err
	}
	if leg.State != "ringing" {
		return orchestrator.Errorf(orchestrator.CodeConflict, "leg %s is not ringing", id)
	}
	leg.State = "up"
	switch {
	case c == nil:
	case strings.HasPrefix(id, "consult-"):
		d.answerConsultLocked(c)
	default:
		c.base.State, c.base.AnsweredAt = orchestrator.InteractionConnected, time.Now().Add(-65*time.Second) // a running timer shows at once
		d.setStateLocked(d.agents[c.owner], orchestrator.StateEngaged, "")
		d.syncLocked(c)
	}
	return nil
}

func (d *desk) Reject(id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	leg, c, err := d.legLocked(id)
	if err != nil {
		return err
	}
	leg.State = "down"
	switch {
	case c == nil:
	case strings.HasPrefix(id, "consult-"):
		d.failConsultLocked(c, d.name(c.consulted)+" did not answer")
	default:
		a := d.agents[c.owner]
		delete(d.calls, c.base.ID)
		a.Interaction = nil
		d.setStateLocked(a, orchestrator.StateRONA, "rejected")
		d.publishLocked(a.UserID, nil)
		d.publishLocked(a.UserID, &orchestrator.Notice{Kind: "rona", Text: "You did not answer a call from sales. Go Available or Idle to continue."})
	}
	return nil
}

func (d *desk) Hangup(id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	leg, c, err := d.legLocked(id)
	if err != nil {
		return err
	}
	leg.State = "down"
	switch {
	case c == nil:
	case strings.HasPrefix(id, "consult-"):
		if c.consult != nil {
			d.failConsultLocked(c, d.name(c.consulted)+" hung up")
		}
	case c.base.State == orchestrator.InteractionConnected:
		d.endCallLocked(c)
	}
	return nil
}

func (d *desk) Hears(from, to string) (bool, error) { return true, nil }
func (d *desk) DropLink()                           {}
func (d *desk) RestoreLink()                        {}

// --- accounts ---

var users = map[int64]orchestrator.User{
	1: {ID: 1, Login: "ann@example.com", Name: "Ann Agent", Roles: []orchestrator.Role{orchestrator.RoleAgent}, TeamID: 1, PersonalExtensionID: 2},
	2: {ID: 2, Login: "sue@example.com", Name: "Sue Both", Roles: []orchestrator.Role{orchestrator.RoleSupervisor, orchestrator.RoleAgent}, TeamID: 1},
}

type accounts struct {
	mu         sync.Mutex
	hash       string
	sessions   map[string]int64
	remembered map[int64]orchestrator.StationRequest
}

func newAccounts() *accounts {
	h, _ := bcrypt.GenerateFromPassword([]byte("secret"), bcrypt.MinCost)
	return &accounts{hash: string(h), sessions: map[string]int64{}, remembered: map[int64]orchestrator.StationRequest{}}
}

func (a *accounts) UserByLogin(ctx context.Context, login string) (orchestrator.User, error) {
	for _, u := range users {
		if u.Login == login {
			u.PasswordHash = a.hash
			return u, nil
		}
	}
	return orchestrator.User{}, orchestrator.Errorf(orchestrator.CodeNotFound, "no user")
}

func (a *accounts) User(ctx context.Context, id int64) (orchestrator.User, error) {
	if u, ok := users[id]; ok {
		return u, nil
	}
	return orchestrator.User{}, orchestrator.Errorf(orchestrator.CodeNotFound, "no user")
}

func (a *accounts) CreateWebSession(ctx context.Context, token string, userID int64, expires time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sessions[token] = userID
	return nil
}

func (a *accounts) WebSession(ctx context.Context, token string) (int64, time.Time, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	uid, ok := a.sessions[token]
	if !ok {
		return 0, time.Time{}, orchestrator.Errorf(orchestrator.CodeNotFound, "no session")
	}
	return uid, time.Now().Add(time.Hour), nil
}

func (a *accounts) DeleteWebSession(ctx context.Context, token string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.sessions, token)
	return nil
}

func (a *accounts) RememberStation(ctx context.Context, userID int64, st orchestrator.StationRequest) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.remembered[userID] = st
	return nil
}

func (a *accounts) RememberedStation(ctx context.Context, userID int64) (*orchestrator.StationRequest, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if st, ok := a.remembered[userID]; ok {
		return &st, nil
	}
	return nil, orchestrator.Errorf(orchestrator.CodeNotFound, "none")
}

func (a *accounts) Extensions(ctx context.Context) ([]orchestrator.Extension, error) {
	return []orchestrator.Extension{
		{ID: 1, Number: "2001", Kind: orchestrator.ExtensionPhysical},
		{ID: 2, Number: "2002", Kind: orchestrator.ExtensionPhysical},
		{ID: 3, Number: "2003", Kind: orchestrator.ExtensionPhysical},
	}, nil
}

func (a *accounts) IdleCodes(ctx context.Context) ([]orchestrator.IdleCode, error) {
	return []orchestrator.IdleCode{{ID: 1, Code: "break", Label: "Break"}, {ID: 2, Code: "lunch", Label: "Lunch"}, {ID: 3, Code: "training", Label: "Training"}}, nil
}

func (a *accounts) WrapupCodes(ctx context.Context) ([]orchestrator.WrapupCode, error) {
	return []orchestrator.WrapupCode{{ID: 1, Code: "sale", Label: "Sale"}, {ID: 2, Code: "info", Label: "Information given"}, {ID: 3, Code: "auto", Label: "Timed out", Auto: true}}, nil
}

func (a *accounts) Teams(ctx context.Context) ([]orchestrator.Team, error) {
	return []orchestrator.Team{{ID: 1, Name: "Blue team"}, {ID: 2, Name: "Red team"}}, nil
}

func (a *accounts) Queues(ctx context.Context) ([]orchestrator.Queue, error) {
	return slices.Clone(queueList), nil
}
