package pbxsim

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"
)

// Errors of the Go control API.
var (
	ErrNotFound = errors.New("pbxsim: no such leg")
	// ErrState: the leg is not in a state that allows the action (answering
	// a leg that is already up, rejecting an inbound call...).
	ErrState = errors.New("pbxsim: leg is not in a state that allows this")
	// ErrNoApp: no WebSocket is connected for the application, so the
	// dialplan's Stasis() fails, as on Asterisk.
	ErrNoApp  = errors.New("pbxsim: Stasis application not registered")
	ErrClosed = errors.New("pbxsim: closed")
)

// Options configures a Sim. The zero value works.
type Options struct {
	Username string // ARI user; default "ringside"
	Password string // ARI password; default "ringside"
	App      string // the application PlaceCall enters; default "ringside"
	EntityID string // asterisk_id / system.entity_id; default a fixed MAC
	Version  string // system.version

	// AutoAnswer answers default-behaviour legs after AutoAnswerDelay
	// (default 500 ms), like the demo's --auto-answer.
	AutoAnswer      bool
	AutoAnswerDelay time.Duration

	// MusicClasses are the music on hold classes musiconhold.conf loads.
	// Nil means just "default"; an empty slice means none (an install
	// without the sounds): every MOH then plays silence (music.go).
	MusicClasses []string

	// ChannelVars models ari.conf `channelvars`: the variable names that
	// appear in a channel's "channelvars". Nil means every RINGSIDE_VAR_*.
	ChannelVars []string

	// Clock drives every delay, timeout and timestamp of the Sim and the
	// length of recordings. Nil means the wall clock; tests use a
	// *ManualClock to make recordings exact and instant.
	Clock Clock

	// DyingBridgeLinger is how long a deleted holding bridge whose music
	// announcer is still in it keeps its id (dying.go), in the Clock's
	// time. Zero means 30 s; negative means no linger at all.
	DyingBridgeLinger time.Duration

	// SnoopStartDelay is how long after POST /channels/{id}/snoop the
	// snoop channel enters the application (StasisStart); an addChannel
	// of the snoop before that answers 422 and hangs it up (measured;
	// snoop_start.go). Wall time, whatever the Clock. Zero means 20 ms;
	// negative means at once, before the REST reply.
	SnoopStartDelay time.Duration

	// RecordingsDir is Asterisk's spool recording/ directory: where bridge
	// recordings are written as WAV files and where /recordings/stored
	// looks. Empty means a temporary directory made on first use and
	// removed by Close.
	RecordingsDir string

	Logger *slog.Logger
}

// Sim is a simulated Asterisk. All methods are safe for concurrent use.
type Sim struct {
	opts  Options
	log   *slog.Logger
	clock Clock

	mu         sync.Mutex
	channels   map[string]*channel // live channels: what ARI can see
	known      map[string]*channel // live and recently ended channels, for Legs and Hears
	order      []*channel          // known channels in creation order
	bridges    map[string]*bridge
	dying      map[string]*bridge    // deleted bridges whose id is still taken (dying.go)
	recordings map[string]*recording // live recordings by name
	recDir     string                // resolved recordings directory, once made
	recDirTemp bool                  // recDir is ours to remove
	apps       map[string]*wsConn    // the one WebSocket that gets each app's events
	conns      map[*wsConn]struct{}
	behaviors  map[string]Behavior
	autoAnswer bool
	linkDown   bool
	closed     bool
	seq        int
	customers  int
	started    time.Time

	srvMu     sync.Mutex
	servers   []*http.Server
	srvClosed bool
}

// New returns a running Sim.
func New(opts Options) *Sim {
	if opts.Username == "" {
		opts.Username = "ringside"
	}
	if opts.Password == "" {
		opts.Password = "ringside"
	}
	if opts.App == "" {
		opts.App = "ringside"
	}
	if opts.EntityID == "" {
		opts.EntityID = "52:54:00:5e:00:01"
	}
	if opts.Version == "" {
		opts.Version = "22.0.0-pbxsim"
	}
	if opts.AutoAnswerDelay <= 0 {
		opts.AutoAnswerDelay = 500 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Clock == nil {
		opts.Clock = wallClock{}
	}
	if opts.SnoopStartDelay == 0 {
		opts.SnoopStartDelay = defaultSnoopStartDelay
	}
	if opts.DyingBridgeLinger == 0 {
		opts.DyingBridgeLinger = defaultDyingBridgeLinger
	}
	return &Sim{
		opts:       opts,
		log:        opts.Logger.With("component", "pbxsim"),
		clock:      opts.Clock,
		channels:   map[string]*channel{},
		known:      map[string]*channel{},
		bridges:    map[string]*bridge{},
		dying:      map[string]*bridge{},
		recordings: map[string]*recording{},
		apps:       map[string]*wsConn{},
		conns:      map[*wsConn]struct{}{},
		behaviors:  map[string]Behavior{},
		autoAnswer: opts.AutoAnswer,
		started:    opts.Clock.Now(),
	}
}

// Close hangs nothing up but stops every timer, finishes live recordings
// (their files stay complete and valid), closes every WebSocket and stops
// the servers started by ListenARI. A temporary recordings directory made
// by the Sim is removed.
func (s *Sim) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	for _, ch := range s.channels {
		ch.stopTimers()
	}
	s.stopLingersLocked()
	s.closeRecordingsLocked()
	conns := s.detachAllLocked()
	tempDir := ""
	if s.recDirTemp {
		tempDir = s.recDir
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.close()
	}

	s.srvMu.Lock()
	servers := s.servers
	s.servers, s.srvClosed = nil, true
	s.srvMu.Unlock()
	var err error
	for _, srv := range servers {
		err = errors.Join(err, srv.Close())
	}
	if tempDir != "" {
		err = errors.Join(err, os.RemoveAll(tempDir))
	}
	return err
}

// SetAutoAnswer turns auto-answer on or off for legs dialled from now on.
func (s *Sim) SetAutoAnswer(on bool) {
	s.mu.Lock()
	s.autoAnswer = on
	s.mu.Unlock()
}

// SetBehavior scripts every later dial to exactly this dial string
// (e.g. "PJSIP/2001"). It wins over the SIM grammar and the default.
func (s *Sim) SetBehavior(endpoint string, b Behavior) {
	s.mu.Lock()
	s.behaviors[endpoint] = b
	s.mu.Unlock()
}

// newChannelLocked creates and registers a channel.
func (s *Sim) newChannelLocked(id, endpoint, tech, resource string) *channel {
	s.seq++
	if id == "" {
		id = fmt.Sprintf("%d.%d", s.started.Unix(), s.seq)
	}
	ch := &channel{
		id:       id,
		name:     fmt.Sprintf("%s/%s-%08x", tech, resource, s.seq),
		endpoint: endpoint,
		tech:     tech,
		resource: resource,
		state:    stateDown,
		vars:     map[string]string{},
		created:  s.clock.Now(),
	}
	s.channels[id] = ch
	s.known[id] = ch
	s.order = append(s.order, ch)
	return ch
}

// after runs f under the lock after d, unless the Sim closed or the channel
// is gone by then. Timers are stopped when the channel goes.
func (s *Sim) after(ch *channel, d time.Duration, f func()) {
	stop := s.clock.AfterFunc(d, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.closed || ch.gone {
			return
		}
		f()
	})
	ch.timers = append(ch.timers, stop)
}

func (ch *channel) stopTimers() {
	for _, stop := range ch.timers {
		stop()
	}
	ch.timers = nil
}

// trimEndedLocked forgets the oldest ended channels beyond the retention
// limit, so a long demo does not grow without bound.
func (s *Sim) trimEndedLocked() {
	ended := 0
	for _, ch := range s.order {
		if ch.gone {
			ended++
		}
	}
	if ended <= maxEndedChannels {
		return
	}
	kept := s.order[:0]
	for _, ch := range s.order {
		if ch.gone && ended > maxEndedChannels {
			ended--
			if s.known[ch.id] == ch {
				delete(s.known, ch.id)
			}
			continue
		}
		kept = append(kept, ch)
	}
	for i := len(kept); i < len(s.order); i++ {
		s.order[i] = nil
	}
	s.order = kept
}
