package orchestrator

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock fires timers only when the test advances it.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	c       *fakeClock
	at      time.Time
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{c: c, at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// Advance moves time and runs due timers in order of their deadline.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*fakeTimer
	rest := c.timers[:0]
	for _, t := range c.timers {
		if !t.stopped && !t.at.After(c.now) {
			t.stopped = true
			due = append(due, t)
		} else if !t.stopped {
			rest = append(rest, t)
		}
	}
	c.timers = rest
	c.mu.Unlock()
	sort.Slice(due, func(i, j int) bool { return due[i].at.Before(due[j].at) })
	for _, t := range due {
		t.f()
	}
}

// fakeMedia records every command and lets the test play the PBX's part.
type fakeMedia struct {
	mu       sync.Mutex
	calls    []string
	dialled  map[LegID]DialRequest
	rooms    map[RoomID][]LegID
	music    map[LegID]string // the music class each leg was last held on
	failDial map[string]error // by endpoint
	refuse   map[string]error // by verb: see refuseNext
	gates    map[string]chan struct{}
	events   chan MediaEvent
	// live is the fake PBX's own view of the legs (answered or not), for
	// Legs: commands and emitted events keep it, and a test changes it
	// alone to play events lost while the link was down (resync_test.go).
	live      map[LegID]bool
	legsErr   error // Legs fails with it while set
	legsCalls int
}

func newFakeMedia() *fakeMedia {
	return &fakeMedia{
		dialled: map[LegID]DialRequest{}, rooms: map[RoomID][]LegID{}, music: map[LegID]string{},
		failDial: map[string]error{}, refuse: map[string]error{}, gates: map[string]chan struct{}{}, events: make(chan MediaEvent), live: map[LegID]bool{},
	}
}

// record logs a command and returns the refusal the test set for its
// verb (refuse), so a test plays a PBX that says no.
func (m *fakeMedia) record(format string, args ...any) error {
	m.mu.Lock()
	c := fmt.Sprintf(format, args...)
	m.calls = append(m.calls, c)
	verb, _, _ := strings.Cut(c, " ")
	gate := m.gates[verb]
	m.mu.Unlock()
	if gate != nil {
		<-gate // a PBX still working on it
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.refuse[verb]
}

// underWay starts cmd in the background with the PBX's commands of verb
// held back, and returns once sent says the PBX has been asked; finish
// lets the PBX answer and returns cmd's result.
func (h *harness) underWay(verb string, sent func() bool, cmd func() error) (finish func() error) {
	h.t.Helper()
	release := h.media.stall(verb)
	h.t.Cleanup(release)
	done := make(chan error, 1)
	go func() { done <- cmd() }()
	h.eventually(verb+" sent to the PBX", sent)
	return func() error {
		release()
		return <-done
	}
}

// stall makes the commands with this verb wait until the returned function
// is called: the PBX is slow, and the test looks at the call meanwhile.
func (m *fakeMedia) stall(verb string) (release func()) {
	gate := make(chan struct{})
	m.mu.Lock()
	m.gates[verb] = gate
	m.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			m.mu.Lock()
			delete(m.gates, verb)
			m.mu.Unlock()
			close(gate)
		})
	}
}

// refuseNext makes every later command with this verb (hold, join,
// monitormode, pausemonitor, pauserec…) fail with err; nil accepts again.
func (m *fakeMedia) refuseNext(verb string, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.refuse[verb] = err
}

func (m *fakeMedia) Dial(_ context.Context, r DialRequest) error {
	m.record("dial %s %s", r.Leg, r.Endpoint)
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.failDial[r.Endpoint]; err != nil {
		return err
	}
	m.dialled[r.Leg] = r
	m.live[r.Leg] = false
	return nil
}
func (m *fakeMedia) Answer(_ context.Context, l LegID) error {
	m.record("answer %s", l)
	m.mu.Lock()
	m.live[l] = true
	m.mu.Unlock()
	return nil
}
func (m *fakeMedia) Hangup(_ context.Context, l LegID, c Cause) error {
	m.record("hangup %s %s", l, c)
	m.mu.Lock()
	delete(m.live, l)
	m.mu.Unlock()
	return nil
}
func (m *fakeMedia) NewRoom(_ context.Context, r RoomID) error {
	if err := m.record("room %s", r); err != nil {
		return err
	}
	m.mu.Lock()
	m.rooms[r] = nil
	m.mu.Unlock()
	return nil
}
func (m *fakeMedia) Join(_ context.Context, r RoomID, l LegID) error {
	if err := m.record("join %s %s", r, l); err != nil {
		return err
	}
	m.mu.Lock()
	m.rooms[r] = append(m.rooms[r], l)
	m.mu.Unlock()
	return nil
}
func (m *fakeMedia) Leave(_ context.Context, r RoomID, l LegID) error {
	return m.record("leave %s %s", r, l)
}
func (m *fakeMedia) CloseRoom(_ context.Context, r RoomID) error {
	m.record("closeroom %s", r)
	m.mu.Lock()
	delete(m.rooms, r)
	m.mu.Unlock()
	return nil
}
func (m *fakeMedia) Events() <-chan MediaEvent { return m.events }

func (m *fakeMedia) has(prefix string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.calls {
		if strings.HasPrefix(c, prefix) {
			return true
		}
	}
	return false
}

// legFor returns the leg dialled to endpoint most recently.
func (m *fakeMedia) legFor(endpoint string) (LegID, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := len(m.calls) - 1; i >= 0; i-- {
		f := strings.Fields(m.calls[i])
		if len(f) == 3 && f[0] == "dial" && f[2] == endpoint {
			return LegID(f[1]), true
		}
	}
	return "", false
}

// fakeStore keeps everything in memory.
type fakeStore struct {
	mu           sync.Mutex
	users        map[int64]User
	queues       []Queue
	exts         []Extension
	idle         []IdleCode
	wrapup       []WrapupCode
	defs         []VariableDef
	sessions     []AgentSessionRecord
	states       []StateChange
	interactions map[string]InteractionRecord
	ixEvents     []InteractionEvent
	audit        []AuditEntry
	writeErr     error // returned by RecordState while set: a database that cannot be written
}

func newFakeStore() *fakeStore {
	return &fakeStore{users: map[int64]User{}, interactions: map[string]InteractionRecord{}}
}

func (s *fakeStore) User(_ context.Context, id int64) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return User{}, Errorf(CodeNotFound, "user %d not found", id)
	}
	return u, nil
}
func (s *fakeStore) Team(_ context.Context, id int64) (Team, error) {
	if id < 1 || id > 2 {
		return Team{}, Errorf(CodeNotFound, "team %d not found", id)
	}
	return Team{ID: id, Name: fmt.Sprintf("Team %d", id)}, nil
}
func (s *fakeStore) Queue(_ context.Context, id int64) (Queue, error) {
	for _, q := range s.queues {
		if q.ID == id {
			return q, nil
		}
	}
	return Queue{}, Errorf(CodeNotFound, "queue %d not found", id)
}
func (s *fakeStore) QueueByName(_ context.Context, name string) (Queue, error) {
	for _, q := range s.queues {
		if q.Name == name {
			return q, nil
		}
	}
	return Queue{}, Errorf(CodeNotFound, "queue %q not found", name)
}
func (s *fakeStore) Queues(context.Context) ([]Queue, error) { return s.queues, nil }
func (s *fakeStore) ExtensionByNumber(_ context.Context, n string) (Extension, error) {
	for _, e := range s.exts {
		if e.Number == n {
			return e, nil
		}
	}
	return Extension{}, Errorf(CodeNotFound, "extension %q not found", n)
}
func (s *fakeStore) IdleCodes(context.Context) ([]IdleCode, error)       { return s.idle, nil }
func (s *fakeStore) WrapupCodes(context.Context) ([]WrapupCode, error)   { return s.wrapup, nil }
func (s *fakeStore) VariableDefs(context.Context) ([]VariableDef, error) { return s.defs, nil }
func (s *fakeStore) StartAgentSession(_ context.Context, r AgentSessionRecord) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.ID = int64(len(s.sessions) + 1)
	s.sessions = append(s.sessions, r)
	return r.ID, nil
}
func (s *fakeStore) EndAgentSession(_ context.Context, id int64, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[id-1].EndedAt = at
	return nil
}
func (s *fakeStore) RecordState(_ context.Context, c StateChange) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.writeErr != nil {
		return s.writeErr
	}
	s.states = append(s.states, c)
	return nil
}
func (s *fakeStore) SaveInteraction(_ context.Context, r InteractionRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.interactions[r.ID] = r
	return nil
}
func (s *fakeStore) AppendInteractionEvent(_ context.Context, e InteractionEvent) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ixEvents = append(s.ixEvents, e)
	return nil
}
func (s *fakeStore) Audit(_ context.Context, e AuditEntry) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.audit = append(s.audit, e)
	return nil
}

func (s *fakeStore) OpenAgentSessions(context.Context) ([]AgentSessionRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []AgentSessionRecord
	for _, r := range s.sessions {
		if r.EndedAt.IsZero() {
			out = append(out, r)
		}
	}
	return out, nil
}
func (s *fakeStore) LastSessionState(_ context.Context, userID, sessionID int64) (StateChange, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.states) - 1; i >= 0; i-- {
		if c := s.states[i]; c.UserID == userID && c.SessionID == sessionID {
			return c, nil
		}
	}
	return StateChange{}, Errorf(CodeNotFound, "no state for session %d", sessionID)
}
func (s *fakeStore) OpenInteractions(context.Context) ([]InteractionRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []InteractionRecord
	for _, r := range s.interactions {
		if r.State != InteractionDone {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].ArrivedAt.Before(out[j].ArrivedAt) || out[i].ArrivedAt.Equal(out[j].ArrivedAt) && out[i].ID < out[j].ID
	})
	return out, nil
}
func (s *fakeStore) InteractionEvents(_ context.Context, id string) ([]InteractionEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []InteractionEvent
	for _, e := range s.ixEvents {
		if e.InteractionID == id {
			out = append(out, e)
		}
	}
	return out, nil
}

// statesOf returns the stored state history of one user.
func (s *fakeStore) statesOf(userID int64) []AgentState {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []AgentState
	for _, c := range s.states {
		if c.UserID == userID {
			out = append(out, c.State)
		}
	}
	return out
}

// harness runs an orchestrator on fakes.
type harness struct {
	t     *testing.T
	o     *Orchestrator
	media *fakeMedia
	store *fakeStore
	clock *fakeClock
	ctx   context.Context
	stop  func()
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, media: newFakeMedia(), store: newFakeStore(), clock: newFakeClock(), ctx: context.Background()}
	h.store.queues = []Queue{
		{ID: 1, Name: "support", RingTime: 15 * time.Second, WrapupTime: 30 * time.Second},
		{ID: 2, Name: "sales", RingTime: 10 * time.Second, Priority: 1},
	}
	h.store.idle = []IdleCode{{ID: 1, Code: "break", Label: "Break"}, {ID: 2, Code: "lunch", Label: "Lunch"}}
	h.store.wrapup = []WrapupCode{{ID: 1, Code: "resolved", Label: "Resolved"}, {ID: 2, Code: "timeout", Label: "Timed out", Auto: true}}
	h.store.defs = []VariableDef{
		{ID: 1, Name: "account", Label: "Account", Order: 1, Popover: true},
		{ID: 2, Name: "card_last4", Label: "Card", Order: 2, Secure: true},
		{ID: 3, Name: "notes", Label: "Notes", Order: 3, Editable: true},
	}
	for i := int64(1); i <= 3; i++ {
		h.store.users[i] = User{ID: i, Login: fmt.Sprintf("agent%d@demo.local", i), Name: fmt.Sprintf("Agent %d", i),
			Roles: []Role{RoleAgent}, Queues: []int64{1, 2}}
		h.store.exts = append(h.store.exts, Extension{ID: i, Number: fmt.Sprintf("200%d", i), DialString: fmt.Sprintf("PJSIP/200%d", i), Kind: ExtensionPhysical})
	}
	h.run()
	return h
}

// run starts an orchestrator on the harness's fakes; stop ends it (a
// controller restart, recover_test.go, runs a second one on the same store).
func (h *harness) run() {
	o, err := New(Config{Media: h.media, Store: h.store, Clock: h.clock, DialNumberTemplate: "PJSIP/{number}@trunk"})
	if err != nil {
		h.t.Fatal(err)
	}
	h.o = o
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = o.Run(ctx); close(done) }()
	var once sync.Once
	h.stop = func() { once.Do(func() { cancel(); <-done }) }
	h.t.Cleanup(h.stop)
}

// sync waits until the loop has applied everything sent so far, and the
// per-call PBX command queues have drained.
func (h *harness) sync() {
	h.t.Helper()
	for i := 0; i < 3; i++ {
		if err := h.o.Sync(h.ctx); err != nil {
			h.t.Fatal(err)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func (h *harness) emit(ev MediaEvent) {
	h.media.observe(ev)
	h.media.events <- ev
	h.sync()
}

func (h *harness) signIn(userID int64, ext string) {
	h.t.Helper()
	_, err := h.o.SignIn(h.ctx, SignInRequest{UserID: userID, Role: SignInAgent, Station: StationRequest{Type: StationExtension, Number: ext}})
	if err != nil {
		h.t.Fatalf("sign in %d on %s: %v", userID, ext, err)
	}
}

func (h *harness) agent(userID int64) AgentView {
	h.t.Helper()
	v, err := h.o.Agent(h.ctx, userID)
	if err != nil || v == nil {
		h.t.Fatalf("agent %d: %v %v", userID, v, err)
	}
	return *v
}

func (h *harness) wantState(userID int64, want AgentState) {
	h.t.Helper()
	if got := h.agent(userID).State; got != want {
		h.t.Fatalf("agent %d state = %s, want %s", userID, got, want)
	}
}

// call brings a customer call into queue and returns its leg.
func (h *harness) call(leg, queue string, vars map[string]string) LegID {
	h.emit(MediaEvent{Kind: MediaIncoming, Leg: LegID(leg), Queue: queue, Caller: "+15550100", Variables: vars})
	return LegID(leg)
}

// stationLeg waits for the leg dialled to the endpoint.
func (h *harness) stationLeg(endpoint string) LegID {
	h.t.Helper()
	for i := 0; i < 200; i++ {
		if l, ok := h.media.legFor(endpoint); ok {
			return l
		}
		time.Sleep(time.Millisecond)
	}
	h.t.Fatalf("nothing dialled %s", endpoint)
	return ""
}

func (m *fakeMedia) Hold(_ context.Context, l LegID, music string) error {
	if err := m.record("hold %s", l); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.music[l] = music
	return nil
}
func (m *fakeMedia) Record(_ context.Context, r RoomID, rec RecordingID) error {
	return m.record("record %s %s", r, rec)
}
func (m *fakeMedia) PauseRecording(_ context.Context, rec RecordingID) error {
	return m.record("pauserec %s", rec)
}
func (m *fakeMedia) ResumeRecording(_ context.Context, rec RecordingID) error {
	return m.record("resumerec %s", rec)
}
func (m *fakeMedia) StopRecording(_ context.Context, rec RecordingID) error {
	m.record("stoprec %s", rec)
	return nil
}

// count returns how many recorded commands are exactly cmd.
func (m *fakeMedia) count(cmd string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for _, c := range m.calls {
		if c == cmd {
			n++
		}
	}
	return n
}

func (m *fakeMedia) Monitor(_ context.Context, id MonitorID, sup, target LegID, mode MonitorMode) error {
	return m.record("monitor %s %s %s %s", id, sup, target, mode)
}
func (m *fakeMedia) SetMonitorMode(_ context.Context, id MonitorID, mode MonitorMode) error {
	return m.record("monitormode %s %s", id, mode)
}
func (m *fakeMedia) PauseMonitor(_ context.Context, id MonitorID) error {
	return m.record("pausemonitor %s", id)
}
func (m *fakeMedia) ResumeMonitor(_ context.Context, id MonitorID) error {
	return m.record("resumemonitor %s", id)
}
func (m *fakeMedia) StopMonitor(_ context.Context, id MonitorID) error {
	m.record("stopmonitor %s", id)
	return nil
}
func (m *fakeMedia) MoveMonitor(_ context.Context, id MonitorID, target LegID) error {
	return m.record("movemonitor %s %s", id, target)
}

// Legs reports the fake PBX's live legs, sorted.
func (m *fakeMedia) Legs(context.Context) ([]LegStatus, error) {
	m.record("legs")
	m.mu.Lock()
	defer m.mu.Unlock()
	m.legsCalls++
	if m.legsErr != nil {
		return nil, m.legsErr
	}
	out := make([]LegStatus, 0, len(m.live))
	for l, answered := range m.live {
		out = append(out, LegStatus{Leg: l, Answered: answered})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Leg < out[j].Leg })
	return out, nil
}

// observe keeps the fake PBX's legs in step with the events a test emits.
func (m *fakeMedia) observe(ev MediaEvent) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch ev.Kind {
	case MediaIncoming:
		m.live[ev.Leg] = false
	case MediaAnswered:
		m.live[ev.Leg] = true
	case MediaHungUp:
		delete(m.live, ev.Leg)
	}
}
