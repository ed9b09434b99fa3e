package webui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ringside/ringside/api"
	"github.com/ringside/ringside/orchestrator"
)

// desk is a tiny stand-in for the orchestrator and the simulated PBX
// together, enough to click through the desktop in a real browser: a
// customer call offers itself to the one signed-in agent, the handset
// answers or rejects it, End and Wrap-up move it on.
type desk struct {
	mu     sync.Mutex
	seq    uint64
	agents map[int64]*orchestrator.AgentView
	subs   map[*orchestrator.Subscription]chan orchestrator.Event
	legs   []api.SimLeg
	nextID int
	// holdConnecting keeps a new offer in "connecting" (for a screenshot).
	holdConnecting bool
	wrapupTime     time.Duration
}

func newDesk() *desk {
	return &desk{agents: map[int64]*orchestrator.AgentView{}, subs: map[*orchestrator.Subscription]chan orchestrator.Event{}}
}

// publishLocked sends the agent's new view to their subscribers.
func (d *desk) publishLocked(uid int64, notice *orchestrator.Notice) {
	d.seq++
	ev := orchestrator.Event{Seq: d.seq, Type: orchestrator.EventAgent, UserID: uid}
	if notice != nil {
		ev.Type, ev.Notice = orchestrator.EventNotice, notice
	} else if v := d.agents[uid]; v != nil {
		c := *v
		ev.Agent = &c
	}
	for sub, ch := range d.subs {
		if sub.UserID == uid {
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
	if req.Station.Type == orchestrator.StationDialNumber && !strings.HasPrefix(req.Station.Number, "+") {
		return orchestrator.AgentView{}, orchestrator.Errorf(orchestrator.CodeInvalid, "station.number: %q is not a valid international number", req.Station.Number)
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
	return *a, nil
}

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

func (d *desk) EndInteraction(ctx context.Context, userID int64, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	a := d.agents[userID]
	if a == nil || a.Interaction == nil || a.Interaction.ID != id || a.Interaction.State != orchestrator.InteractionConnected {
		return orchestrator.Errorf(orchestrator.CodeConflict, "no connected call to end")
	}
	d.toWrapupLocked(a)
	return nil
}

func (d *desk) toWrapupLocked(a *orchestrator.AgentView) {
	ix := *a.Interaction
	ix.State, ix.EndedAt = orchestrator.InteractionWrapup, time.Now()
	if d.wrapupTime > 0 {
		ix.WrapupDeadline = time.Now().Add(d.wrapupTime)
	}
	a.Interaction = &ix
	for i := range d.legs {
		if d.legs[i].Room == ix.ID {
			d.legs[i].State = "down"
		}
	}
	d.setStateLocked(a, orchestrator.StateWrapup, "")
	d.publishLocked(a.UserID, nil)
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

func (d *desk) Agent(ctx context.Context, userID int64) (*orchestrator.AgentView, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if a := d.agents[userID]; a != nil {
		c := *a
		return &c, nil
	}
	return nil, nil
}

func (d *desk) Subscribe(ctx context.Context, userID int64) (*orchestrator.Subscription, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	ch := make(chan orchestrator.Event, 64)
	var snap *orchestrator.AgentView
	if a := d.agents[userID]; a != nil {
		c := *a
		snap = &c
	}
	var sub *orchestrator.Subscription
	sub = orchestrator.NewSubscription(userID, snap, d.seq, ch, func() { d.unsubscribe(sub) })
	d.subs[sub] = ch
	return sub, nil
}

// unsubscribe forgets a closed subscription.
func (d *desk) unsubscribe(sub *orchestrator.Subscription) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.subs, sub)
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
	if queue != "sales" && queue != "support" {
		return "", orchestrator.Errorf(orchestrator.CodeNotFound, "queue %s does not exist", queue)
	}
	d.nextID++
	ixID := fmt.Sprintf("ix-%d", d.nextID)
	cust := api.SimLeg{ID: fmt.Sprintf("cust-%d", d.nextID), Endpoint: "customer/" + caller, State: "up", Room: ixID, Caller: caller}
	d.legs = append(d.legs, cust)
	var target *orchestrator.AgentView
	for _, a := range d.agents {
		if a.State == orchestrator.StateAvailable {
			target = a
		}
	}
	if target == nil {
		return cust.ID, nil
	}
	ix := &orchestrator.InteractionView{ID: ixID, Queue: queue, Caller: caller, State: orchestrator.InteractionConnecting,
		ArrivedAt: time.Now(), OfferedAt: time.Now(),
		Variables: []orchestrator.VariableView{
			{Name: "account", Label: "Account", Value: vars["account"], Popover: true},
			{Name: "tier", Label: "Tier", Value: vars["tier"], Popover: true},
			{Name: "pin", Label: "PIN", Value: "*****", Secure: true, Popover: true}, // never rendered in the popover
		}}
	target.Interaction = ix
	d.setStateLocked(target, orchestrator.StateRinging, "")
	d.publishLocked(target.UserID, nil)
	if !d.holdConnecting {
		d.ringLocked(target)
	}
	return cust.ID, nil
}

// ringLocked moves a connecting offer to ringing: the station's leg rings.
func (d *desk) ringLocked(a *orchestrator.AgentView) {
	ix := *a.Interaction
	ix.State = orchestrator.InteractionRinging
	a.Interaction = &ix
	d.legs = append(d.legs, api.SimLeg{ID: "agent-" + ix.ID, Endpoint: "PJSIP/" + a.Station.Number, State: "ringing", Room: ix.ID, Caller: ix.Caller})
	d.publishLocked(a.UserID, nil)
}

// ring releases a held "connecting" offer.
func (d *desk) ring() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, a := range d.agents {
		if a.Interaction != nil && a.Interaction.State == orchestrator.InteractionConnecting {
			d.ringLocked(a)
		}
	}
}

func (d *desk) Legs() []api.SimLeg {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]api.SimLeg(nil), d.legs...)
}

func (d *desk) legLocked(id string) (*api.SimLeg, *orchestrator.AgentView, error) {
	for i := range d.legs {
		if d.legs[i].ID == id {
			for _, a := range d.agents {
				if a.Interaction != nil && a.Interaction.ID == d.legs[i].Room {
					return &d.legs[i], a, nil
				}
			}
			return &d.legs[i], nil, nil
		}
	}
	return nil, nil, orchestrator.Errorf(orchestrator.CodeNotFound, "no leg %s", id)
}

func (d *desk) Answer(id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	leg, a, err := d.legLocked(id)
	if err != nil {
		return err
	}
	if leg.State != "ringing" {
		return orchestrator.Errorf(orchestrator.CodeConflict, "leg %s is not ringing", id)
	}
	leg.State = "up"
	if a != nil {
		ix := *a.Interaction
		ix.State, ix.AnsweredAt = orchestrator.InteractionConnected, time.Now().Add(-65*time.Second) // a running timer shows at once
		a.Interaction = &ix
		d.setStateLocked(a, orchestrator.StateEngaged, "")
		d.publishLocked(a.UserID, nil)
	}
	return nil
}

func (d *desk) Reject(id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	leg, a, err := d.legLocked(id)
	if err != nil {
		return err
	}
	leg.State = "down"
	if a != nil {
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
	leg, a, err := d.legLocked(id)
	if err != nil {
		return err
	}
	leg.State = "down"
	if a != nil && a.Interaction.State == orchestrator.InteractionConnected {
		d.toWrapupLocked(a)
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
