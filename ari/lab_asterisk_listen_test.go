//go:build pbx

package ari

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/orchestrator/mediatest"
)

// How the Asterisk lab listens. Each answered handset records what it
// hears into one file per second, heard-<party>-<start>.wav, where start
// is the wall time (ms since the epoch) at which the dialplan started that
// recording. A file is closed, so complete on disk, at the end of its
// second (Asterisk buffers 32 KiB, two seconds, of an open recording),
// and its name places its samples in wall time without drift.
//
// The recordings do not cover all the time: about 20 ms are lost between
// two files, and when the application moves a handset's leg between
// bridges the handset's half of the Local channel stalls for 100 to 250 ms
// (its 1 s loop takes up to 1.25 s, its recording is that much shorter).
// Those spans are not judged (mediatest.Detector's covered samples).
const (
	// listenSettle passes before the window Listen judges: Asterisk
	// applies a bridge change or starts music within about 100 ms.
	listenSettle = 400 * time.Millisecond
	listenSpan   = time.Second
	// listenWindow is the unit of judgement: a tone is heard when it is
	// present in at least half of the judged windows of the span.
	listenWindow = 100 * time.Millisecond
	// gapWindow and maxGap judge Continuous: a tone absent from 20 ms
	// windows for longer than 150 ms is a break a listener notices.
	gapWindow = 20 * time.Millisecond
	maxGap    = 150 * time.Millisecond
	// continuousAfter is how long after the action Continuous listens on.
	continuousAfter = 700 * time.Millisecond
	// minCoverage is the share of a span the recordings must cover for a
	// verdict (stalls above leave 75 % at worst).
	minCoverage = 0.6
)

// Listen judges, from the recordings of the second that starts 400 ms from
// now, which of the legs hear which, and who hears the music.
func (l *asteriskLab) Listen(t *testing.T, legs ...orchestrator.LegID) mediatest.Heard {
	t.Helper()
	from := time.Now().Add(listenSettle)
	to := from.Add(listenSpan)
	det := l.detector()
	heard := mediatest.NewHeard()
	for _, leg := range legs {
		p := l.party(t, leg)
		if p.hz == 0 {
			t.Fatalf("Listen: %s never answers", leg)
		}
		samples, covered := l.heard(t, leg, from, to)
		share, _ := det.Presence(samples, covered, listenWindow)
		var report []string
		judge := func(hz float64, who string) bool {
			s := share[hz]
			if s > 0.2 && s < 0.8 {
				report = append(report, fmt.Sprintf("%s %.0f%% (unsteady)", who, 100*s))
			} else if s >= 0.5 {
				report = append(report, who)
			}
			return s >= 0.5
		}
		if judge(l.cfg.musicHz, "music") {
			heard.SetMusic(leg)
		}
		for _, other := range legs {
			if other != leg && judge(l.party(t, other).hz, string(other)) {
				heard.Set(other, leg)
			}
		}
		if len(report) == 0 {
			report = []string{"nothing"}
		}
		if c := coverage(covered); c < 0.9 {
			report = append(report, fmt.Sprintf("(%.0f%% of the second recorded)", 100*c))
		}
		t.Logf("lab: %s hears %s", leg, strings.Join(report, ", "))
	}
	return heard
}

// Continuous runs action and looks, in what to heard from the action's
// start until 700 ms after its end (a change the PBX applies late shows
// there), for the longest span without from's tone.
func (l *asteriskLab) Continuous(t *testing.T, from, to orchestrator.LegID, action func()) (bool, string) {
	t.Helper()
	hz := l.party(t, from).hz
	start := time.Now()
	action()
	took := time.Since(start)
	samples, covered := l.heard(t, to, start, start.Add(took+continuousAfter))
	det := mediatest.Detector{Freqs: []float64{hz}}
	at, gap := det.LongestGap(samples, covered, hz, gapWindow)
	t.Logf("lab: longest gap of %s in what %s heard: %v at %v (the action took %v; %.0f%% recorded)",
		from, to, gap, at, took.Round(time.Millisecond), 100*coverage(covered))
	if gap > maxGap {
		return false, fmt.Sprintf("%s heard nothing of %s for %v, from %v after the action started (it took %v)",
			to, from, gap, at, took.Round(time.Millisecond))
	}
	return true, ""
}

func (l *asteriskLab) detector() mediatest.Detector {
	return mediatest.Detector{Freqs: append([]float64{l.cfg.musicHz}, labTones...)}
}

// heard returns what leg's handset heard from from to to, and which of
// those samples its recordings cover, once the recordings of that span are
// complete on disk.
func (l *asteriskLab) heard(t *testing.T, leg orchestrator.LegID, from, to time.Time) ([]int16, []bool) {
	t.Helper()
	p := l.party(t, leg)
	time.Sleep(time.Until(to))
	deadline := to.Add(l.Patience())
	for {
		samples, covered, done, err := l.stitch(p, from, to)
		if err != nil {
			t.Fatalf("what %s heard: %v", leg, err)
		}
		if done && coverage(covered) >= minCoverage {
			return samples, covered
		}
		if time.Now().After(deadline) {
			t.Fatalf("what %s heard from %s to %s is %.0f%% recorded (all written: %v) in %s/heard-%s-*.wav (%s): does its handset run the lab dialplan, and can Asterisk write there?",
				leg, from.Format("15:04:05.000"), to.Format("15:04:05.000"), 100*coverage(covered), done, l.cfg.dir, p.name, l.describe(p, from, to))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stitch places the samples of p's recordings that overlap from..to by
// their start times and marks the samples they cover. done: every file
// that overlaps the span is closed, and a recording reaches its end or
// began after it, so nothing more of the span is to come.
func (l *asteriskLab) stitch(p *labParty, from, to time.Time) (samples []int16, covered []bool, done bool, err error) {
	n := int(to.Sub(from).Seconds() * mediatest.SampleRate)
	samples, covered = make([]int16, n), make([]bool, n)
	closed, reached := true, false
	for _, rec := range l.recordings(p) {
		if rec.start.Before(from.Add(-3 * time.Second)) {
			continue // a file holds about a second
		}
		if !rec.start.Before(to) {
			reached = true
			continue
		}
		b, err := os.ReadFile(rec.path)
		if err != nil {
			return nil, nil, false, err
		}
		if len(b) <= 44 {
			closed = false // only its header is on disk yet
			continue
		}
		a, err := mediatest.ParseWAV(b)
		if err != nil {
			return nil, nil, false, fmt.Errorf("%s: %w", rec.path, err)
		}
		if end := rec.start.Add(a.Duration()); !end.Before(to) {
			reached = true
		} else if end.Before(from) {
			continue
		}
		closed = closed && a.Complete
		off := int(rec.start.Sub(from).Seconds() * mediatest.SampleRate)
		for i, s := range a.Samples {
			if j := off + i; j >= 0 && j < n {
				samples[j], covered[j] = s, true
			}
		}
	}
	return samples, covered, closed && reached, nil
}

func coverage(covered []bool) float64 {
	n := 0
	for _, c := range covered {
		if c {
			n++
		}
	}
	return float64(n) / float64(max(1, len(covered)))
}

type labRecording struct {
	path  string
	start time.Time
}

// recordings lists p's files, oldest first.
func (l *asteriskLab) recordings(p *labParty) []labRecording {
	prefix := "heard-" + p.name + "-"
	entries, _ := os.ReadDir(l.cfg.dir)
	var out []labRecording
	for _, e := range entries {
		name := e.Name()
		ms, ok := strings.CutPrefix(name, prefix)
		if !ok || !strings.HasSuffix(ms, ".wav") {
			continue
		}
		v, err := strconv.ParseInt(strings.TrimSuffix(ms, ".wav"), 10, 64)
		if err != nil {
			continue
		}
		out = append(out, labRecording{path: filepath.Join(l.cfg.dir, name), start: time.UnixMilli(v)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start.Before(out[j].start) })
	return out
}

// describe lists p's recordings near from..to, for a failure message.
func (l *asteriskLab) describe(p *labParty, from, to time.Time) string {
	var out []string
	for _, rec := range l.recordings(p) {
		if rec.start.Before(from.Add(-2*time.Second)) || rec.start.After(to.Add(2*time.Second)) {
			continue
		}
		d := "unreadable"
		if a, err := mediatest.ReadWAV(rec.path); err == nil {
			d = fmt.Sprintf("%v, complete %v", a.Duration(), a.Complete)
		}
		out = append(out, fmt.Sprintf("%s: %s", rec.start.Format("15:04:05.000"), d))
	}
	if len(out) == 0 {
		return "no files near that time"
	}
	return strings.Join(out, "; ")
}
