//go:build pbx

package ari

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/orchestrator/mediatest"
)

// asteriskLab is the conformance suite's Lab on a real Asterisk
// (docs/testing.md, "Asterisk lab"). Handsets are Local channels into the
// lab's dialplan context: the dialplan half rings, answers or refuses as
// its extension says, plays a tone of the party's own frequency and
// records what it hears into the lab directory, which this process reads.
// The adapter under test talks to Asterisk through a TCP proxy, so that
// DropLink can cut its link while the calls carry on.
type asteriskLab struct {
	cfg      asteriskLabConfig
	proxy    *mediatest.Proxy
	proxyURL string
	http     *http.Client
	run      string // five characters in every party's name: files of other runs never match

	mu      sync.Mutex
	n       int
	parties map[orchestrator.LegID]*labParty
	inUse   map[float64]bool // tones of parties whose test is still running
}

// labParty is one handset.
type labParty struct {
	name    string  // in its extension and its file names
	hz      float64 // its tone; 0 for a handset that never answers
	handset string  // ARI channel id of the handset half
}

// labTones are the parties' tones: well apart from each other and from
// the music's (mediatest.Detector wants 150 Hz), inside the telephone band.
var labTones = []float64{600, 800, 1000, 1200, 1400, 1700, 2000, 2300}

const (
	labToneAmplitude = 0.2 // a leg hearing three others cannot clip
	labMissingMusic  = "ringside-no-such-class"
)

// asteriskLabConfig is the lab's environment (docs/testing.md).
type asteriskLabConfig struct {
	url, user, password, app string
	context, inbound         string // the handsets' and the customer calls' contexts
	dir                      string // shared with Asterisk; "" makes a temporary one
	music                    string
	musicHz                  float64
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// labConfigFromEnv reads the lab's settings; without RINGSIDE_TEST_ARI_URL
// the test is skipped (a real PBX is opt-in).
func labConfigFromEnv(t *testing.T) asteriskLabConfig {
	t.Helper()
	c := asteriskLabConfig{
		url:      strings.TrimRight(os.Getenv("RINGSIDE_TEST_ARI_URL"), "/"),
		user:     envOr("RINGSIDE_TEST_ARI_USER", "ringside"),
		password: envOr("RINGSIDE_TEST_ARI_PASSWORD", "ringside"),
		app:      envOr("RINGSIDE_TEST_ARI_APP", "ringside"),
		context:  envOr("RINGSIDE_TEST_LAB_CONTEXT", "ringside-lab"),
		inbound:  envOr("RINGSIDE_TEST_LAB_INBOUND_CONTEXT", "ringside-lab-in"),
		dir:      os.Getenv("RINGSIDE_TEST_LAB_DIR"),
		music:    envOr("RINGSIDE_TEST_MUSIC_CLASS", "ringside-tone"),
	}
	if c.url == "" {
		t.Skip("set RINGSIDE_TEST_ARI_URL (e.g. http://127.0.0.1:8088/ari) and the other RINGSIDE_TEST_* variables of docs/testing.md to run against a real Asterisk")
	}
	hz, err := strconv.ParseFloat(envOr("RINGSIDE_TEST_MUSIC_HZ", "440"), 64)
	if err != nil || hz <= 0 {
		t.Fatalf("RINGSIDE_TEST_MUSIC_HZ=%q: want the music's tone frequency in Hz", os.Getenv("RINGSIDE_TEST_MUSIC_HZ"))
	}
	c.musicHz = hz
	return c
}

// newAsteriskLab checks that Asterisk answers, writes the tone files, tells
// the dialplan where the lab is (globals RINGSIDE_LAB_DIR and
// RINGSIDE_LAB_APP) and starts the proxy.
func newAsteriskLab(t *testing.T) *asteriskLab {
	t.Helper()
	cfg := labConfigFromEnv(t)
	l := &asteriskLab{
		cfg:     cfg,
		http:    &http.Client{Timeout: 10 * time.Second},
		run:     fmt.Sprintf("%05s", strconv.FormatInt(time.Now().UnixMilli()%(36*36*36*36*36), 36)),
		parties: map[orchestrator.LegID]*labParty{},
		inUse:   map[float64]bool{},
	}
	if status, body, err := l.rest(http.MethodGet, "/asterisk/info", nil, nil); err != nil || status != http.StatusOK {
		t.Fatalf("ARI at %s does not answer user %q (RINGSIDE_TEST_ARI_USER, RINGSIDE_TEST_ARI_PASSWORD): status %d, %v: %s", cfg.url, cfg.user, status, err, body)
	}
	l.prepareDir(t)
	for name, value := range map[string]string{"RINGSIDE_LAB_DIR": l.cfg.dir, "RINGSIDE_LAB_APP": cfg.app} {
		q := url.Values{"variable": {name}, "value": {value}}
		if status, body, err := l.rest(http.MethodPost, "/asterisk/variable", q, nil); err != nil || status != http.StatusNoContent {
			t.Fatalf("set global %s: status %d, %v: %s", name, status, err, body)
		}
	}
	l.checkDialplan(t)
	u, err := url.Parse(cfg.url)
	if err != nil || u.Host == "" {
		t.Fatalf("RINGSIDE_TEST_ARI_URL=%q is not a URL", cfg.url)
	}
	target := u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), map[bool]string{true: "443", false: "80"}[u.Scheme == "https"])
	}
	if l.proxy, err = mediatest.NewProxy(target); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.proxy.Close() })
	pu := *u
	pu.Host = l.proxy.Addr()
	l.proxyURL = pu.String()
	return l
}

// checkDialplan rings a never-answering handset for a moment: without the
// lab's context Asterisk still accepts the originate (200) but the Local
// channel is gone at once, and every dial of the suite would fail with a
// cause that does not say why.
func (l *asteriskLab) checkDialplan(t *testing.T) {
	t.Helper()
	id := "lab-" + l.run + "-check"
	q := url.Values{
		"endpoint":  {fmt.Sprintf("Local/noanswer-%scheck-0@%s/n", l.run, l.cfg.context)},
		"app":       {l.cfg.app + "-lab-check"}, // never answers, so never enters it
		"channelId": {id},
		"timeout":   {"5"},
	}
	if status, body, err := l.rest(http.MethodPost, "/channels", q, nil); err != nil || status != http.StatusOK {
		t.Fatalf("ring a lab handset: status %d, %v: %s", status, err, body)
	}
	time.Sleep(300 * time.Millisecond)
	status, _, err := l.rest(http.MethodGet, "/channels/"+id, nil, nil)
	_, _, _ = l.rest(http.MethodDelete, "/channels/"+id, nil, nil)
	if err != nil || status != http.StatusOK {
		t.Fatalf("a lab handset in context %q did not ring (status %d, %v): is the lab dialplan of docs/testing.md loaded (RINGSIDE_TEST_LAB_CONTEXT)?", l.cfg.context, status, err)
	}
}

// prepareDir makes sure the lab directory exists and holds a 1 s tone file
// per party tone (the dialplan loops it, one recording per loop).
func (l *asteriskLab) prepareDir(t *testing.T) {
	t.Helper()
	if l.cfg.dir == "" {
		dir, err := os.MkdirTemp("", "ringside-lab-")
		if err != nil {
			t.Fatal(err)
		}
		// Asterisk may run as another user: it writes the recordings here.
		if err := os.Chmod(dir, 0o777); err != nil {
			t.Fatal(err)
		}
		l.cfg.dir = dir
		t.Cleanup(func() {
			if t.Failed() {
				t.Logf("the handsets' recordings are kept in %s", dir)
				return
			}
			_ = os.RemoveAll(dir)
		})
	} else {
		t.Cleanup(func() { l.removeRunFiles(t) })
	}
	for _, hz := range labTones {
		path := filepath.Join(l.cfg.dir, fmt.Sprintf("tone-%d.wav", int(hz)))
		if err := mediatest.WriteToneWAV(path, hz, time.Second, labToneAmplitude); err != nil {
			t.Fatalf("RINGSIDE_TEST_LAB_DIR: %v", err)
		}
	}
}

// removeRunFiles deletes this run's recordings from a shared lab
// directory, unless the test failed (they show what the handsets heard).
func (l *asteriskLab) removeRunFiles(t *testing.T) {
	if t.Failed() {
		t.Logf("the handsets' recordings are kept in %s (heard-%sp*.wav)", l.cfg.dir, l.run)
		return
	}
	files, _ := filepath.Glob(filepath.Join(l.cfg.dir, "heard-"+l.run+"p*.wav"))
	for _, f := range files {
		_ = os.Remove(f)
	}
}

// Connect starts an adapter on the lab's Asterisk, through the proxy.
func (l *asteriskLab) Connect(t *testing.T) mediatest.Adapter {
	t.Helper()
	return l.connect(t)
}

func (l *asteriskLab) connect(t *testing.T) *Adapter {
	t.Helper()
	a, err := New(Options{
		URL: l.proxyURL, Username: l.cfg.user, Password: l.cfg.password, Application: l.cfg.app,
		Logger: quietLog(), ConnectTimeout: 3 * time.Second, MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return a
}

// newParty names a handset, whose channel id handset makes of the party's
// name, and reserves a tone for it until t ends; then the handset is hung
// up, if it is still there, and the tone is free again.
func (l *asteriskLab) newParty(t *testing.T, audible bool, handset func(name string) (orchestrator.LegID, string)) *labParty {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
	p := &labParty{name: fmt.Sprintf("%sp%d", l.run, l.n)}
	if audible {
		for _, hz := range labTones {
			if !l.inUse[hz] && math.Abs(hz-l.cfg.musicHz) >= 150 {
				p.hz = hz
				break
			}
		}
		if p.hz == 0 {
			t.Fatalf("the lab has only %d tones and they are all in use", len(labTones))
		}
		l.inUse[p.hz] = true
	}
	leg, id := handset(p.name)
	p.handset = id
	l.parties[leg] = p
	t.Cleanup(func() {
		_, _, _ = l.rest(http.MethodDelete, "/channels/"+url.PathEscape(p.handset), nil, nil)
		l.mu.Lock()
		delete(l.inUse, p.hz)
		l.mu.Unlock()
	})
	return p
}

func (l *asteriskLab) party(t *testing.T, leg orchestrator.LegID) *labParty {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.parties[leg]
	if p == nil {
		t.Fatalf("leg %s is no handset of the lab (Station or Call)", leg)
	}
	return p
}

// Station returns Local/<behaviour>-<party>-<hz>@<context>/n. The adapter
// originates it as leg (channelId leg, no otherChannelId), so Asterisk
// names the dialplan half, the handset, "<leg>;2".
func (l *asteriskLab) Station(t *testing.T, leg orchestrator.LegID, b mediatest.Behavior) string {
	t.Helper()
	switch b {
	case mediatest.Answer, mediatest.NoAnswer, mediatest.Busy, mediatest.Reject:
	default:
		t.Fatalf("no handset behaves %q", b)
	}
	p := l.newParty(t, b == mediatest.Answer, func(string) (orchestrator.LegID, string) {
		return leg, string(leg) + ";2"
	})
	return fmt.Sprintf("Local/%s-%s-%d@%s/n", b, p.name, int(p.hz), l.cfg.context)
}

var (
	labQueueName = regexp.MustCompile(`^[A-Za-z0-9_.][A-Za-z0-9_.-]*$`)
	labVarName   = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
)

// Call originates a Local channel whose ";2" half (<id>-in, the customer
// leg) runs the inbound context, q<caller>-<queue>, into Stasis, and
// whose first half (<id>-h, the handset) runs the handset dialplan once
// the application answered. The variables are set on the handset half;
// Asterisk copies them to the other half of a Local channel.
func (l *asteriskLab) Call(t *testing.T, queue string, vars map[string]string) (orchestrator.LegID, string) {
	t.Helper()
	if !labQueueName.MatchString(queue) {
		t.Fatalf("queue %q cannot be an extension and a Stasis argument", queue)
	}
	body := map[string]map[string]string{"variables": {}}
	for k, v := range vars {
		if !labVarName.MatchString(k) {
			t.Fatalf("call variable %q is no channel variable name", k)
		}
		body["variables"][varPrefix+k] = v
	}
	var id string
	p := l.newParty(t, true, func(name string) (orchestrator.LegID, string) {
		id = "lab-" + name
		return orchestrator.LegID(id + "-in"), id + "-h"
	})
	leg := orchestrator.LegID(id + "-in")
	caller := fmt.Sprintf("4930%06d", time.Now().UnixMicro()%1_000_000)
	q := url.Values{
		"endpoint":       {fmt.Sprintf("Local/q%s-%s@%s/n", caller, queue, l.cfg.inbound)},
		"context":        {l.cfg.context},
		"extension":      {fmt.Sprintf("caller-%s-%d", p.name, int(p.hz))},
		"priority":       {"1"},
		"channelId":      {id + "-h"},
		"otherChannelId": {id + "-in"},
		"timeout":        {"120"}, // the application answers; a queue may wait
	}
	if status, resp, err := l.rest(http.MethodPost, "/channels", q, body); err != nil || status != http.StatusOK {
		t.Fatalf("place a customer call: status %d, %v: %s", status, err, resp)
	}
	return leg, caller
}

// HangUpHandset hangs up the handset half; Asterisk then ends the leg
// from the far side.
func (l *asteriskLab) HangUpHandset(t *testing.T, leg orchestrator.LegID) {
	t.Helper()
	p := l.party(t, leg)
	if status, body, err := l.rest(http.MethodDelete, "/channels/"+url.PathEscape(p.handset), nil, nil); err != nil || status != http.StatusNoContent {
		t.Fatalf("hang up the handset of %s: status %d, %v: %s", leg, status, err, body)
	}
}

// RecordingFile downloads a stored recording (ari/v6 has no method for
// GET /recordings/stored/{name}/file). A recording that was just stopped
// may take a moment to be stored.
func (l *asteriskLab) RecordingFile(t *testing.T, rec orchestrator.RecordingID) []byte {
	t.Helper()
	deadline := time.Now().Add(l.Patience())
	for {
		status, body, err := l.rest(http.MethodGet, "/recordings/stored/"+url.PathEscape(string(rec))+"/file", nil, nil)
		if err == nil && status == http.StatusOK {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("recording %s: status %d, %v: %.200s", rec, status, err, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (l *asteriskLab) Music() (have, missing string) { return l.cfg.music, labMissingMusic }

func (l *asteriskLab) DropLink(*testing.T)    { l.proxy.Drop() }
func (l *asteriskLab) RestoreLink(*testing.T) { l.proxy.Restore() }

// Patience: events come within a few hundred milliseconds; a dial that
// rings out or a reconnection takes longer.
func (l *asteriskLab) Patience() time.Duration { return 5 * time.Second }

// rest sends one ARI request straight to Asterisk (not through the
// proxy: the lab works while the adapter's link is cut).
func (l *asteriskLab) rest(method, path string, q url.Values, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	u := l.cfg.url + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return 0, nil, err
	}
	req.SetBasicAuth(l.cfg.user, l.cfg.password)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := l.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// TestAsteriskConformance runs the Media conformance suite on the real
// Asterisk of the environment.
func TestAsteriskConformance(t *testing.T) {
	mediatest.Run(t, newAsteriskLab(t))
}
