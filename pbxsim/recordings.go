package pbxsim

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Bridge recordings (POST /bridges/{id}/record), modelled on
// res/ari/resource_bridges.c, res/res_stasis_recording.c and
// __ast_play_and_record in main/app.c:
//
//   - Asterisk puts a lonely Recorder channel into the bridge; it hears what
//     a member would hear and writes it to <spool>/recording/<name>.<format>.
//   - Paused spans are not written at all; muted spans are written as
//     silence (PBX-NOTES: 20 s with 5 s paused → a 15 s file).
//   - The duration reported in RecordingFinished is the whole seconds of
//     audio in the file (ast_tellstream / 8000).
//   - The recording ends on stop, on cancel (the file is deleted), at
//     maxDurationSeconds of unpaused time, and when the recorder leaves
//     the bridge: the bridge is destroyed or its last real member leaves.
//
// Audio accrues with the Sim's Clock: before anything changes what the
// recorder hears, the span since the last change is written under the old
// state (flushRecordingLocked), and a periodic flush keeps the file on
// disk current while nothing changes.

// recordingFlushEvery bounds how much audio waits in memory and how stale
// the file on disk can be while a recording runs.
const recordingFlushEvery = time.Second

// recording is one live recording. Fields are guarded by Sim.mu.
type recording struct {
	name   string
	format string
	target string // target_uri: "bridge:<id>"
	bridge *bridge
	paused bool
	muted  bool
	path   string
	wav    *wavFile
	maxDur time.Duration // 0: no limit

	accrued time.Duration // unpaused time since the start (muted time included)
	written int64         // samples written for accrued (this session only)
	last    time.Time     // Clock time up to which audio is accounted for

	stopTick, stopMax func() bool
}

func (rec *recording) state() string {
	if rec.paused {
		return "paused"
	}
	return "recording"
}

// recordReq is POST /bridges/{id}/record as the simulation understands it.
type recordReq struct {
	name, format, ifExists, terminateOn string
	maxDuration, maxSilence             int
}

func readRecordReq(p params) recordReq {
	return recordReq{
		name: p.get("name"), format: p.get("format"),
		ifExists: p.get("ifExists"), terminateOn: p.get("terminateOn"),
		maxDuration: atoi(p.get("maxDurationSeconds")),
		maxSilence:  atoi(p.get("maxSilenceSeconds")),
	}
}

// atoi is C's atoi, as the generated ARI handlers parse integers: junk is 0.
func atoi(s string) int {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || end == 0 && (s[end] == '-' || s[end] == '+')) {
		end++
	}
	n, _ := strconv.Atoi(s[:end])
	return n
}

// startRecordingLocked checks a record request in Asterisk's order and
// starts the recording. The recording is running when it returns.
func (s *Sim) startRecordingLocked(b *bridge, req recordReq) (*recording, *ariError) {
	switch {
	case req.format == "":
		// Real Asterisk (master) dereferences the missing format and
		// crashes (ast_get_format_for_file_ext(NULL); PBX-NOTES, reproduced
		// twice). A crash cannot usefully be simulated; refuse instead.
		return nil, ariErr(http.StatusBadRequest, "pbxsim: format is required (Asterisk crashes without it)")
	case !knownFormat(req.format):
		return nil, ariErr(http.StatusUnprocessableEntity, "specified format is unknown on this system")
	case req.format != "wav":
		return nil, ariErr(http.StatusUnprocessableEntity, "pbxsim: only format wav (8 kHz 16-bit PCM) is simulated")
	}
	switch strings.ToLower(req.terminateOn) {
	case "", "none", "any", "#", "*":
	default:
		return nil, ariErr(http.StatusBadRequest, "terminateOn invalid")
	}
	ifExists := strings.ToLower(req.ifExists)
	switch ifExists {
	case "":
		ifExists = "fail"
	case "fail", "overwrite", "append":
	default:
		return nil, ariErr(http.StatusBadRequest, "ifExists invalid")
	}
	if req.name == "" || req.maxDuration < 0 || req.maxSilence < 0 {
		return nil, ariErr(http.StatusInternalServerError, "Error parsing request")
	}
	base, err := s.recordingsDirLocked()
	if err != nil {
		s.log.Error("recordings directory", "err", err)
		return nil, ariErr(http.StatusInternalServerError, "Internal Server Error")
	}
	path, aerr := recordingPath(base, req.name)
	if aerr != nil {
		return nil, aerr
	}
	exists := ifExists == "fail" && storedFileExists(path)
	if exists || s.recordings[req.name] != nil {
		return nil, ariErr(http.StatusConflict, "Recording '%s' already exists and can not be overwritten", req.name)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		s.log.Error("recording directory", "err", err)
		return nil, ariErr(http.StatusInternalServerError, "Internal Server Error")
	}
	wav, err := createWAV(path+".wav", ifExists == "append")
	if err != nil {
		s.log.Error("recording file", "err", err)
		return nil, ariErr(http.StatusInternalServerError, "Internal Server Error")
	}

	rec := &recording{
		name: req.name, format: req.format, target: "bridge:" + b.id, bridge: b,
		path: path + ".wav", wav: wav, maxDur: time.Duration(req.maxDuration) * time.Second,
		last: s.clock.Now(),
	}
	s.audioChangingLocked(b) // other recorders: the bridge goes softmix
	s.recordings[rec.name] = rec
	b.recordings = append(b.recordings, rec)
	s.armRecordingLocked(rec)
	s.emitRecordingLocked(rec, "RecordingStarted", rec.state(), false)
	return rec, nil
}

// recordingPath resolves name inside the recordings directory as
// stasis_app_control_record and ast_safe_mkdir do. Names may hold
// sub-directories; a name that climbs out of the directory fails with 500
// when the directory it names exists (ast_safe_mkdir returns EPERM without
// setting errno) and with 400 when it does not (PBX-NOTES: ".." → 500).
func recordingPath(base, name string) (string, *ariError) {
	path := filepath.Join(base, name)
	dir := filepath.Dir(path)
	if rel, err := filepath.Rel(base, dir); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		if _, err := os.Stat(dir); err == nil {
			return "", ariErr(http.StatusInternalServerError, "Internal Server Error")
		}
		return "", ariErr(http.StatusBadRequest, "Recording name invalid")
	}
	return path, nil
}

// armRecordingLocked starts the timers of a running (unpaused) recording:
// the periodic flush and the maxDurationSeconds limit.
func (s *Sim) armRecordingLocked(rec *recording) {
	s.disarmRecordingLocked(rec)
	var tick func()
	tick = func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.closed || s.recordings[rec.name] != rec || rec.paused {
			return
		}
		s.flushRecordingLocked(rec)
		rec.stopTick = s.clock.AfterFunc(recordingFlushEvery, tick)
	}
	rec.stopTick = s.clock.AfterFunc(recordingFlushEvery, tick)
	if rec.maxDur > 0 {
		rec.stopMax = s.clock.AfterFunc(rec.maxDur-rec.accrued, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.closed || s.recordings[rec.name] != rec {
				return
			}
			s.finishRecordingLocked(rec, false) // "Took too long, cutting it short"
		})
	}
}

func (s *Sim) disarmRecordingLocked(rec *recording) {
	for _, stop := range []func() bool{rec.stopTick, rec.stopMax} {
		if stop != nil {
			stop()
		}
	}
	rec.stopTick, rec.stopMax = nil, nil
}

// flushRecordingLocked writes the audio of the span since the last flush,
// as the recorder heard it in the current state.
func (s *Sim) flushRecordingLocked(rec *recording) {
	now := s.clock.Now()
	d := now.Sub(rec.last)
	rec.last = now
	if d <= 0 || rec.paused {
		return // a paused span is absent from the file
	}
	rec.accrued += d
	if rec.maxDur > 0 && rec.accrued > rec.maxDur {
		rec.accrued = rec.maxDur // a late timer must not overshoot the limit
	}
	target := int64(rec.accrued/time.Second)*sampleRate + int64(rec.accrued%time.Second)*sampleRate/int64(time.Second)
	var freqs []float64
	if !rec.muted && rec.bridge != nil {
		for _, m := range recorderHears(rec.bridge) {
			freqs = append(freqs, ToneFrequency(m.id))
		}
		if rec.bridge.music() != "" {
			freqs = append(freqs, musicFreq)
		}
	}
	for rec.written < target {
		n := int(min(target-rec.written, sampleRate))
		rec.wav.write(mix(freqs, rec.wav.samples, n))
		rec.written += int64(n)
	}
}

// pauseRecordingLocked and muteRecordingLocked change what is written from
// now on; both are idempotent, as the operations table of
// res_stasis_recording.c makes them.
func (s *Sim) pauseRecordingLocked(rec *recording, on bool) {
	if rec.paused == on {
		return
	}
	s.flushRecordingLocked(rec)
	rec.paused = on
	if on {
		s.disarmRecordingLocked(rec)
	} else {
		s.armRecordingLocked(rec)
	}
}

func (s *Sim) muteRecordingLocked(rec *recording, on bool) {
	s.flushRecordingLocked(rec)
	rec.muted = on
}

// finishRecordingLocked ends a recording: the file is completed (or
// deleted, for a cancel) and RecordingFinished is published. After a
// cancel Asterisk's record thread still sets the state to "done" before
// publishing (record_file in res_stasis_recording.c), so the event says
// "done" either way.
func (s *Sim) finishRecordingLocked(rec *recording, cancel bool) {
	if s.recordings[rec.name] != rec {
		return
	}
	s.flushRecordingLocked(rec)
	s.disarmRecordingLocked(rec)
	delete(s.recordings, rec.name)
	if b := rec.bridge; b != nil {
		for i, r := range b.recordings {
			if r == rec {
				b.recordings = append(b.recordings[:i], b.recordings[i+1:]...)
				break
			}
		}
	}
	if err := rec.wav.close(); err != nil {
		s.log.Error("writing recording", "name", rec.name, "err", err)
	}
	if cancel {
		if err := os.Remove(rec.path); err != nil && !os.IsNotExist(err) {
			s.log.Error("deleting cancelled recording", "name", rec.name, "err", err)
		}
	}
	s.emitRecordingLocked(rec, "RecordingFinished", "done", true)
	rec.bridge = nil
}

// closeRecordingsLocked finishes every live recording when the Sim closes,
// so their files are complete.
func (s *Sim) closeRecordingsLocked() {
	for _, rec := range s.recordings {
		s.finishRecordingLocked(rec, false)
	}
}

// liveRecordingJSON is stasis_app_recording_to_json. The duration appears
// only once the recording is over.
func liveRecordingJSON(rec *recording, state string, done bool) map[string]any {
	out := map[string]any{
		"name": rec.name, "format": rec.format, "state": state, "target_uri": rec.target,
	}
	if done {
		out["duration"] = rec.wav.samples / sampleRate
	}
	return out
}

// emitRecordingLocked publishes a recording event to the applications
// subscribed to the recorded bridge (Asterisk forwards the Recorder
// channel's topic to the bridge's).
func (s *Sim) emitRecordingLocked(rec *recording, typ, state string, done bool) {
	if rec.bridge == nil {
		return
	}
	s.emitLocked(rec.bridge.apps, typ, map[string]any{"recording": liveRecordingJSON(rec, state, done)})
}
