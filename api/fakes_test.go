package api

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ringside/ringside/orchestrator"
)

// The real orchestrator is a Controller.
var _ Controller = (*orchestrator.Orchestrator)(nil)

func notFound(what string) error {
	return orchestrator.Errorf(orchestrator.CodeNotFound, "%s not found", what)
}

// fakeAccounts is an in-memory Accounts.
type fakeAccounts struct {
	mu         sync.Mutex
	users      map[int64]orchestrator.User
	sessions   map[string]fakeWebSession
	remembered map[int64]orchestrator.StationRequest
	exts       []orchestrator.Extension
	idle       []orchestrator.IdleCode
	wrapup     []orchestrator.WrapupCode
	queues     []orchestrator.Queue
	teams      []orchestrator.Team
	vars       []orchestrator.VariableDef
	audits     []orchestrator.AuditEntry
	nextID     int64 // ids the fake hands out on add
	err        error // returned by every call when set
}

type fakeWebSession struct {
	userID  int64
	expires time.Time
}

func hashPassword(pw string) string {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	if err != nil {
		panic(err)
	}
	return string(h)
}

// Test users; each one's password is "pw-" + the part before @.
var (
	ann  = orchestrator.User{ID: 1, Login: "ann@example.com", Name: "Ann Agent", Roles: []orchestrator.Role{orchestrator.RoleAgent}, TeamID: 7, PersonalExtensionID: 12}
	sue  = orchestrator.User{ID: 2, Login: "sue@example.com", Name: "Sue Both", Roles: []orchestrator.Role{orchestrator.RoleSupervisor, orchestrator.RoleAgent}, TeamID: 7}
	sam  = orchestrator.User{ID: 3, Login: "sam@example.com", Name: "Sam Supervisor", Roles: []orchestrator.Role{orchestrator.RoleSupervisor}}
	adam = orchestrator.User{ID: 4, Login: "adam@example.com", Name: "Adam Admin", Roles: []orchestrator.Role{orchestrator.RoleAdmin}}
)

func newFakeAccounts() *fakeAccounts {
	a := &fakeAccounts{
		users:      map[int64]orchestrator.User{},
		sessions:   map[string]fakeWebSession{},
		remembered: map[int64]orchestrator.StationRequest{},
		exts: []orchestrator.Extension{
			{ID: 11, Number: "2001", Kind: orchestrator.ExtensionPhysical},
			{ID: 12, Number: "2002", Kind: orchestrator.ExtensionPhysical},
			{ID: 13, Number: "9001", Kind: orchestrator.ExtensionVirtual, OwnerID: 2, Mobile: "+15550001"},
		},
		idle:   []orchestrator.IdleCode{{ID: 1, Code: "break", Label: "Break"}, {ID: 2, Code: "lunch", Label: "Lunch"}},
		wrapup: []orchestrator.WrapupCode{{ID: 1, Code: "sale", Label: "Sale"}, {ID: 2, Code: "auto", Label: "Timed out", Auto: true}},
		queues: []orchestrator.Queue{{ID: 3, Name: "billing", Recording: true}, {ID: 1, Name: "sales", Priority: 2}},
		teams:  []orchestrator.Team{{ID: 1, Name: "Team A"}, {ID: 2, Name: "Team B"}},
		vars:   []orchestrator.VariableDef{{ID: 1, Name: "account", Label: "Account", Type: orchestrator.VariableText, Popover: true, Order: 1}},
		nextID: 100,
	}
	for _, u := range []orchestrator.User{ann, sue, sam, adam} {
		u.PasswordHash = hashPassword("pw-" + u.Login[:len(u.Login)-len("@example.com")])
		a.users[u.ID] = u
	}
	return a
}

func (a *fakeAccounts) UserByLogin(ctx context.Context, login string) (orchestrator.User, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return orchestrator.User{}, a.err
	}
	for _, u := range a.users {
		if u.Login == login {
			return u, nil
		}
	}
	return orchestrator.User{}, notFound("user")
}

func (a *fakeAccounts) User(ctx context.Context, id int64) (orchestrator.User, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return orchestrator.User{}, a.err
	}
	u, ok := a.users[id]
	if !ok {
		return orchestrator.User{}, notFound("user")
	}
	return u, nil
}

func (a *fakeAccounts) CreateWebSession(ctx context.Context, token string, userID int64, expires time.Time) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sessions[token] = fakeWebSession{userID, expires}
	return nil
}

func (a *fakeAccounts) WebSession(ctx context.Context, token string) (int64, time.Time, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return 0, time.Time{}, a.err
	}
	s, ok := a.sessions[token]
	if !ok {
		return 0, time.Time{}, notFound("session")
	}
	return s.userID, s.expires, nil
}

func (a *fakeAccounts) DeleteWebSession(ctx context.Context, token string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.sessions[token]; !ok {
		return notFound("session")
	}
	delete(a.sessions, token)
	return nil
}

func (a *fakeAccounts) RememberStation(ctx context.Context, userID int64, st orchestrator.StationRequest) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.remembered[userID] = st
	return nil
}

func (a *fakeAccounts) RememberedStation(ctx context.Context, userID int64) (*orchestrator.StationRequest, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	st, ok := a.remembered[userID]
	if !ok {
		return nil, notFound("remembered station")
	}
	return &st, nil
}

func (a *fakeAccounts) Extensions(ctx context.Context) ([]orchestrator.Extension, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.exts), nil
}

func (a *fakeAccounts) IdleCodes(ctx context.Context) ([]orchestrator.IdleCode, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.idle), nil
}

func (a *fakeAccounts) WrapupCodes(ctx context.Context) ([]orchestrator.WrapupCode, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.wrapup), nil
}

func (a *fakeAccounts) Teams(ctx context.Context) ([]orchestrator.Team, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.teams), nil
}

func (a *fakeAccounts) Queues(ctx context.Context) ([]orchestrator.Queue, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.err != nil {
		return nil, a.err
	}
	return slices.Clone(a.queues), nil
}

func (a *fakeAccounts) sessionCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.sessions)
}

// fakeController records commands and answers from its fields.
type fakeController struct {
	mu     sync.Mutex
	agents map[int64]*orchestrator.AgentView
	err    error // returned by every command when set
	calls  []string
	seq    uint64
	// targets is what TargetAgents answers, whatever the purpose.
	targets []orchestrator.TargetAgentView
	subs    map[*orchestrator.Subscription]chan orchestrator.Event
	// all marks supervisors' subscriptions (SubscribeAll): they also get
	// every agent's EventAgent.
	all map[*orchestrator.Subscription]bool
}

func newFakeController() *fakeController {
	return &fakeController{agents: map[int64]*orchestrator.AgentView{}, subs: map[*orchestrator.Subscription]chan orchestrator.Event{}, all: map[*orchestrator.Subscription]bool{}}
}

func (f *fakeController) record(format string) {
	f.calls = append(f.calls, format)
}

func (f *fakeController) SignIn(ctx context.Context, req orchestrator.SignInRequest) (orchestrator.AgentView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("SignIn " + req.Role + " " + string(req.Station.Type) + " " + req.Station.Number)
	if f.err != nil {
		return orchestrator.AgentView{}, f.err
	}
	v := orchestrator.AgentView{UserID: req.UserID, Role: req.Role, State: orchestrator.StateAvailable, Since: time.Now(),
		Station: orchestrator.StationView{Type: req.Station.Type, Number: req.Station.Number}, Queues: []string{"sales"}}
	f.agents[req.UserID] = &v
	return v, nil
}

func (f *fakeController) RemoteAccessChanged(ctx context.Context, userID int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("RemoteAccessChanged")
	return nil
}

func (f *fakeController) SignOut(ctx context.Context, userID int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("SignOut")
	if f.err != nil {
		return f.err
	}
	delete(f.agents, userID)
	return nil
}

func (f *fakeController) SetState(ctx context.Context, userID int64, state orchestrator.AgentState, reasonCode string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("SetState " + string(state) + " " + reasonCode)
	return f.err
}

func (f *fakeController) EndInteraction(ctx context.Context, userID int64, interactionID string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("EndInteraction " + interactionID)
	return f.err
}

func (f *fakeController) Wrapup(ctx context.Context, userID int64, interactionID, code string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record("Wrapup " + interactionID + " " + code)
	return f.err
}

// command records a call-handling command and answers f.err.
func (f *fakeController) command(format string, args ...any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.record(fmt.Sprintf(format, args...))
	return f.err
}

func (f *fakeController) Hold(ctx context.Context, userID int64, ixID string) error {
	return f.command("Hold %d %s", userID, ixID)
}

func (f *fakeController) Resume(ctx context.Context, userID int64, ixID string) error {
	return f.command("Resume %d %s", userID, ixID)
}

func (f *fakeController) ResumeConsulted(ctx context.Context, userID int64, ixID string) error {
	return f.command("ResumeConsulted %d %s", userID, ixID)
}

func (f *fakeController) Consult(ctx context.Context, userID int64, ixID string, t orchestrator.Target) error {
	return f.command("Consult %d %s %s:%d:%s", userID, ixID, t.Type, t.ID, t.Number)
}

func (f *fakeController) EndConsult(ctx context.Context, userID int64, ixID string) error {
	return f.command("EndConsult %d %s", userID, ixID)
}

func (f *fakeController) ExitConsult(ctx context.Context, userID int64, ixID string) error {
	return f.command("ExitConsult %d %s", userID, ixID)
}

func (f *fakeController) Transfer(ctx context.Context, userID int64, ixID string, t orchestrator.Target, mode orchestrator.TransferMode) error {
	return f.command("Transfer %d %s %s %s:%d:%s", userID, ixID, mode, t.Type, t.ID, t.Number)
}

func (f *fakeController) Conference(ctx context.Context, userID int64, ixID string) error {
	return f.command("Conference %d %s", userID, ixID)
}

func (f *fakeController) PauseRecording(ctx context.Context, userID int64, ixID string) error {
	return f.command("PauseRecording %d %s", userID, ixID)
}

func (f *fakeController) ResumeRecording(ctx context.Context, userID int64, ixID string) error {
	return f.command("ResumeRecording %d %s", userID, ixID)
}

func (f *fakeController) SetVariable(ctx context.Context, userID int64, ixID, name, value string, version int) (orchestrator.VariableView, error) {
	if err := f.command("SetVariable %d %s %s=%q v%d", userID, ixID, name, value, version); err != nil {
		return orchestrator.VariableView{}, err
	}
	return orchestrator.VariableView{Name: name, Label: "Label of " + name, Value: value, Editable: true, Version: version + 1}, nil
}

// revealed is the value RevealVariable hands out.
const revealed = "4242-secret"

func (f *fakeController) RevealVariable(ctx context.Context, userID int64, ixID, name string) (string, error) {
	if err := f.command("RevealVariable %d %s %s", userID, ixID, name); err != nil {
		return "", err
	}
	return revealed, nil
}

func (f *fakeController) TargetAgents(ctx context.Context, userID int64, purpose string) ([]orchestrator.TargetAgentView, error) {
	if err := f.command("TargetAgents %d %s", userID, purpose); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]orchestrator.TargetAgentView(nil), f.targets...), nil
}

func (f *fakeController) Agent(ctx context.Context, userID int64) (*orchestrator.AgentView, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if v := f.agents[userID]; v != nil {
		c := *v
		return &c, nil
	}
	return nil, nil
}

func (f *fakeController) Subscribe(ctx context.Context, userID int64) (*orchestrator.Subscription, error) {
	return f.subscribe(userID, false)
}

func (f *fakeController) SubscribeAll(ctx context.Context, userID int64) (*orchestrator.Subscription, error) {
	return f.subscribe(userID, true)
}

func (f *fakeController) subscribe(userID int64, all bool) (*orchestrator.Subscription, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	ch := make(chan orchestrator.Event, 16)
	var snap *orchestrator.AgentView
	if a := f.agents[userID]; a != nil {
		c := *a
		snap = &c
	}
	var sub *orchestrator.Subscription
	sub = orchestrator.NewSubscription(userID, snap, f.seq, ch, func() { f.unsubscribe(sub) })
	f.subs[sub] = ch
	if all {
		f.all[sub] = true
		sub.Agents = f.agentListLocked()
	}
	return sub, nil
}

// unsubscribe forgets a closed subscription.
func (f *fakeController) unsubscribe(sub *orchestrator.Subscription) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.subs, sub)
	delete(f.all, sub)
}

// publish sends ev to every subscriber of its user.
func (f *fakeController) publish(ev orchestrator.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq++
	ev.Seq = f.seq
	for sub, ch := range f.subs {
		if sub.UserID == ev.UserID || f.all[sub] && ev.Type == orchestrator.EventAgent {
			ch <- ev
		}
	}
}

// closeStreams closes every subscription's channel, as the orchestrator
// does for a desktop that fell behind.
func (f *fakeController) closeStreams() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for sub, ch := range f.subs {
		close(ch)
		delete(f.subs, sub)
	}
}

func (f *fakeController) setAgent(v *orchestrator.AgentView) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.agents[v.UserID] = v
}

func (f *fakeController) setSeq(seq uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seq = seq
}

func (f *fakeController) subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

func (f *fakeController) lastCall() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		return ""
	}
	return f.calls[len(f.calls)-1]
}

func (f *fakeController) setErr(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

// fakeSim is a Simulator with one ringing leg.
type fakeSim struct {
	mu      sync.Mutex
	legs    []SimLeg
	actions []string
}

func (s *fakeSim) PlaceCall(queue, caller string, vars map[string]string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if queue == "nope" {
		return "", orchestrator.Errorf(orchestrator.CodeNotFound, "queue nope does not exist")
	}
	id := "leg-" + caller
	s.legs = append(s.legs, SimLeg{ID: id, Endpoint: "customer/" + caller, State: "up", Caller: caller})
	return id, nil
}

func (s *fakeSim) Legs() []SimLeg {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SimLeg(nil), s.legs...)
}

func (s *fakeSim) act(what, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.legs {
		if l.ID == id {
			s.actions = append(s.actions, what+" "+id)
			return nil
		}
	}
	return orchestrator.Errorf(orchestrator.CodeNotFound, "no leg %s", id)
}

func (s *fakeSim) Answer(id string) error { return s.act("answer", id) }
func (s *fakeSim) Reject(id string) error { return s.act("reject", id) }
func (s *fakeSim) Hangup(id string) error { return s.act("hangup", id) }
func (s *fakeSim) Hears(from, to string) (bool, error) {
	return from != to, nil
}
func (s *fakeSim) DropLink()    { s.mu.Lock(); s.actions = append(s.actions, "drop"); s.mu.Unlock() }
func (s *fakeSim) RestoreLink() { s.mu.Lock(); s.actions = append(s.actions, "restore"); s.mu.Unlock() }

// agentListLocked is every fake agent, by user id.
func (f *fakeController) agentListLocked() []orchestrator.AgentView {
	out := []orchestrator.AgentView{}
	for _, v := range f.agents {
		out = append(out, *v)
	}
	slices.SortFunc(out, func(a, b orchestrator.AgentView) int { return cmp.Compare(a.UserID, b.UserID) })
	return out
}

func (f *fakeController) SupervisorAgents(ctx context.Context, supervisorID int64, flt orchestrator.AgentFilter) ([]orchestrator.AgentView, error) {
	if err := f.command("SupervisorAgents %d team=%d state=%s role=%s q=%s", supervisorID, flt.TeamID, flt.State, flt.Role, flt.Query); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.agentListLocked(), nil
}

func (f *fakeController) LogAgentIntoQueue(ctx context.Context, supervisorID, agentID, queueID int64) error {
	return f.command("LogAgentIntoQueue %d %d %d", supervisorID, agentID, queueID)
}

func (f *fakeController) LogAgentOutOfQueue(ctx context.Context, supervisorID, agentID, queueID int64) error {
	return f.command("LogAgentOutOfQueue %d %d %d", supervisorID, agentID, queueID)
}

func (f *fakeController) SetAgentState(ctx context.Context, supervisorID, agentID int64, state orchestrator.AgentState, reasonCode string) error {
	return f.command("SetAgentState %d %d %s %s", supervisorID, agentID, state, reasonCode)
}

func (f *fakeController) SignAgentOut(ctx context.Context, supervisorID, agentID int64) error {
	return f.command("SignAgentOut %d %d", supervisorID, agentID)
}

func (f *fakeController) EndAgentWrapup(ctx context.Context, supervisorID, agentID int64) error {
	return f.command("EndAgentWrapup %d %d", supervisorID, agentID)
}

func (f *fakeController) StartMonitor(ctx context.Context, supervisorID, agentID int64, mode orchestrator.MonitorMode) (orchestrator.MonitorView, error) {
	if err := f.command("StartMonitor %d %d %s", supervisorID, agentID, mode); err != nil {
		return orchestrator.MonitorView{}, err
	}
	return orchestrator.MonitorView{ID: "mon-1", AgentID: agentID, AgentName: "Ann Agent", State: orchestrator.MonitorConnecting, Mode: mode,
		Actions: map[string]orchestrator.ActionView{}}, nil
}

func (f *fakeController) ChangeMonitor(ctx context.Context, supervisorID int64, id orchestrator.MonitorID, action string) error {
	return f.command("ChangeMonitor %d %s %s", supervisorID, id, action)
}

func (f *fakeController) StopMonitor(ctx context.Context, supervisorID int64, id orchestrator.MonitorID) error {
	return f.command("StopMonitor %d %s", supervisorID, id)
}

func (f *fakeController) QueueStats(ctx context.Context) ([]orchestrator.QueueStats, error) {
	if err := f.command("QueueStats"); err != nil {
		return nil, err
	}
	return []orchestrator.QueueStats{{ID: 1, Name: "sales", Waiting: 2, LongestWaitSecs: 40, Available: 1, SignedIn: 3}}, nil
}
