package pbxsim

import (
	"encoding/binary"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// recHarness is a harness on a ManualClock with its own recordings
// directory, so recordings are exact and instant.
func newRecHarness(t *testing.T) (*harness, *ManualClock, string) {
	t.Helper()
	clk := NewManualClock(time.Time{})
	dir := t.TempDir()
	return newHarness(t, Options{Clock: clk, RecordingsDir: dir}), clk, dir
}

// testWAV is a WAV file as read back by the tests, independently of the
// writer: the RIFF chunks are walked here again.
type testWAV struct {
	format, channels, bits int
	rate                   int
	samples                []int16
}

func (w testWAV) seconds() float64 { return float64(len(w.samples)) / float64(w.rate) }

// span returns the samples between two offsets in seconds.
func (w testWAV) span(from, to float64) []int16 {
	return w.samples[int(from*float64(w.rate)):int(to*float64(w.rate))]
}

func readTestWAV(t *testing.T, path string) testWAV {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		t.Fatalf("%s is not RIFF/WAVE", path)
	}
	if got := int(binary.LittleEndian.Uint32(data[4:])); got != len(data)-8 {
		t.Errorf("RIFF size %d, file holds %d", got, len(data)-8)
	}
	var w testWAV
	for off := 12; off+8 <= len(data); {
		id, size := string(data[off:off+4]), int(binary.LittleEndian.Uint32(data[off+4:]))
		body := data[off+8:]
		switch id {
		case "fmt ":
			w.format = int(binary.LittleEndian.Uint16(body[0:]))
			w.channels = int(binary.LittleEndian.Uint16(body[2:]))
			w.rate = int(binary.LittleEndian.Uint32(body[4:]))
			w.bits = int(binary.LittleEndian.Uint16(body[14:]))
		case "data":
			if size > len(body) {
				t.Fatalf("data chunk claims %d bytes, file has %d", size, len(body))
			}
			for i := 0; i+1 < size; i += 2 {
				w.samples = append(w.samples, int16(binary.LittleEndian.Uint16(body[i:])))
			}
			return w
		}
		off += 8 + size + size%2
	}
	t.Fatalf("%s has no data chunk", path)
	return w
}

func rms(s []int16) float64 {
	if len(s) == 0 {
		return 0
	}
	var sum float64
	for _, v := range s {
		sum += float64(v) * float64(v)
	}
	return math.Sqrt(sum / float64(len(s)))
}

// toneLevel is the amplitude of one frequency in s (Goertzel).
func toneLevel(s []int16, freq float64) float64 {
	k := 2 * math.Cos(2*math.Pi*freq/sampleRate)
	var s1, s2 float64
	for _, v := range s {
		s0 := float64(v) + k*s1 - s2
		s2, s1 = s1, s0
	}
	power := s1*s1 + s2*s2 - k*s1*s2
	return 2 * math.Sqrt(math.Max(power, 0)) / float64(len(s))
}

func allZero(s []int16) bool {
	for _, v := range s {
		if v != 0 {
			return false
		}
	}
	return true
}

// record starts a recording of "room" the way the ari adapter does.
func (h *harness) record(name string) map[string]any {
	h.t.Helper()
	return h.mustDo(201, "POST", "/bridges/room/record", map[string]any{
		"name": name, "format": "wav", "ifExists": "overwrite", "maxDurationSeconds": 0, "beep": false,
	}).(map[string]any)
}

func (h *harness) recordingFile(name string) string {
	h.t.Helper()
	path, ok := h.sim.RecordingFile(name)
	if !ok {
		h.t.Fatalf("no file for recording %s", name)
	}
	return path
}

// PBX-NOTES / A10.2: a paused span is absent from the file. 10 s with a
// 4 s pause → a 6 s, 8 kHz 16-bit mono WAV whose every second holds audio;
// RecordingFinished reports 6 s.
func TestRecordingPauseIsAbsent(t *testing.T) {
	h, clk, dir := newRecHarness(t)
	ev := h.connect("ringside")
	cust := h.bridgedPair(ev)

	reply := h.record("call-1")
	if reply["state"] != "queued" || reply["name"] != "call-1" || reply["format"] != "wav" || reply["target_uri"] != "bridge:room" {
		t.Errorf("201 body %v", reply)
	}
	started := ev.expect("RecordingStarted")[0]["recording"].(map[string]any)
	if started["state"] != "recording" || started["duration"] != nil {
		t.Errorf("RecordingStarted %v", started)
	}
	if tech := h.mustDo(200, "GET", "/bridges/room", nil).(map[string]any)["technology"]; tech != "softmix" {
		t.Errorf("technology while recording %v, want softmix (PBX-NOTES)", tech)
	}

	clk.Advance(3 * time.Second)
	h.mustDo(204, "POST", "/recordings/live/call-1/pause", nil)
	h.mustDo(204, "POST", "/recordings/live/call-1/pause", nil) // pausing again is a no-op
	if live := h.mustDo(200, "GET", "/recordings/live/call-1", nil).(map[string]any); live["state"] != "paused" {
		t.Errorf("live state %v, want paused", live["state"])
	}
	clk.Advance(4 * time.Second)
	h.mustDo(204, "DELETE", "/recordings/live/call-1/pause", nil)
	clk.Advance(3 * time.Second)
	h.mustDo(204, "POST", "/recordings/live/call-1/stop", nil)

	fin := ev.expect("RecordingFinished")[0]["recording"].(map[string]any)
	if fin["state"] != "done" || fin["duration"] != float64(6) {
		t.Errorf("RecordingFinished %v, want done with duration 6", fin)
	}
	ev.quiet(50 * time.Millisecond) // pause/resume emit nothing (PBX-NOTES)
	h.mustDo(404, "GET", "/recordings/live/call-1", nil)

	path := h.recordingFile("call-1")
	if path != filepath.Join(dir, "call-1.wav") {
		t.Errorf("file at %s, want in the recordings directory", path)
	}
	w := readTestWAV(t, path)
	if w.format != 1 || w.rate != 8000 || w.bits != 16 || w.channels != 1 {
		t.Fatalf("format %d, %d Hz, %d bit, %d channels; want PCM 8000 16 1", w.format, w.rate, w.bits, w.channels)
	}
	if math.Abs(w.seconds()-6) > 0.2 {
		t.Errorf("file holds %.2f s, want 6 (10 s minus the 4 s pause)", w.seconds())
	}
	for sec := 0.0; sec+1 <= w.seconds(); sec++ {
		span := w.span(sec, sec+1)
		if rms(span) < 500 {
			t.Errorf("second %v is silent (rms %.0f)", sec, rms(span))
		}
		for _, leg := range []string{cust, "agent"} {
			if toneLevel(span, ToneFrequency(leg)) < 1000 {
				t.Errorf("second %v lacks %s's voice", sec, leg)
			}
		}
	}
}

// A muted span stays in the file as digital silence (PBX-NOTES).
func TestRecordingMuteIsSilence(t *testing.T) {
	h, clk, _ := newRecHarness(t)
	ev := h.connect("ringside")
	h.bridgedPair(ev)
	h.record("muted")
	ev.expect("RecordingStarted")
	clk.Advance(2 * time.Second)
	h.mustDo(204, "POST", "/recordings/live/muted/mute", nil)
	clk.Advance(2 * time.Second)
	h.mustDo(204, "DELETE", "/recordings/live/muted/mute", nil)
	clk.Advance(2 * time.Second)
	h.mustDo(204, "POST", "/recordings/live/muted/stop", nil)
	if fin := ev.expect("RecordingFinished")[0]["recording"].(map[string]any); fin["duration"] != float64(6) {
		t.Errorf("duration %v, want 6 (a mute keeps the span)", fin["duration"])
	}
	w := readTestWAV(t, h.recordingFile("muted"))
	if math.Abs(w.seconds()-6) > 0.2 {
		t.Fatalf("file holds %.2f s, want 6", w.seconds())
	}
	if !allZero(w.span(2, 4)) {
		t.Error("the muted span is not digital silence")
	}
	if rms(w.span(0, 2)) < 500 || rms(w.span(4, 6)) < 500 {
		t.Error("unmuted spans are silent")
	}
}

// The recorder hears what a bridge member hears: while the customer sits
// in a holding bridge only the agent is recorded; a member muted "in" is
// not recorded.
func TestRecordingFollowsTheAudioModel(t *testing.T) {
	h, clk, _ := newRecHarness(t)
	ev := h.connect("ringside")
	cust := h.bridgedPair(ev)
	h.record("model")
	ev.expect("RecordingStarted")
	clk.Advance(time.Second)
	h.mustDo(200, "POST", "/bridges/hold-c", map[string]any{"type": "holding"})
	h.mustDo(204, "POST", "/bridges/hold-c/moh", nil)
	h.mustDo(204, "POST", "/bridges/hold-c/addChannel", map[string]any{"channel": cust, "role": "participant"})
	ev.expect("ChannelLeftBridge:room", "ChannelEnteredBridge:hold-c")
	clk.Advance(time.Second)
	h.mustDo(204, "POST", "/bridges/room/addChannel", map[string]any{"channel": cust})
	ev.expect("ChannelLeftBridge:hold-c", "ChannelEnteredBridge:room")
	h.mustDo(204, "POST", "/channels/agent/mute", map[string]any{"direction": "in"})
	clk.Advance(time.Second)
	h.mustDo(204, "POST", "/recordings/live/model/stop", nil)

	w := readTestWAV(t, h.recordingFile("model"))
	custF, agentF := ToneFrequency(cust), ToneFrequency("agent")
	type want struct{ cust, agent bool }
	for i, exp := range []want{{true, true}, {false, true}, {true, false}} {
		span := w.span(float64(i), float64(i+1))
		if got := toneLevel(span, custF) > 1000; got != exp.cust {
			t.Errorf("second %d: customer recorded %v, want %v", i, got, exp.cust)
		}
		if got := toneLevel(span, agentF) > 1000; got != exp.agent {
			t.Errorf("second %d: agent recorded %v, want %v", i, got, exp.agent)
		}
		if toneLevel(span, MusicFrequency()) > 1000 {
			t.Errorf("second %d: the room's recording holds the other bridge's music", i)
		}
	}
}

// POST /bridges/{id}/record refusals, in Asterisk's order and wording.
func TestRecordingErrors(t *testing.T) {
	h, _, dir := newRecHarness(t)
	ev := h.connect("ringside")
	h.bridgedPair(ev)
	if err := os.WriteFile(filepath.Join(dir, "old.wav"), wavHeader(0), 0o644); err != nil {
		t.Fatal(err)
	}
	h.record("busy")
	ev.expect("RecordingStarted")

	rec := func(body map[string]any) map[string]any {
		out := map[string]any{"name": "x", "format": "wav"}
		for k, v := range body {
			out[k] = v
		}
		return out
	}
	cases := []struct {
		path    string
		body    map[string]any
		status  int
		message string
	}{
		{"/bridges/nope/record", rec(nil), 404, "Bridge not found"},
		// Real Asterisk segfaults here (PBX-NOTES); the Sim refuses.
		{"/bridges/room/record", map[string]any{"name": "x"}, 400, "pbxsim: format is required (Asterisk crashes without it)"},
		{"/bridges/room/record", rec(map[string]any{"format": "mp5"}), 422, "specified format is unknown on this system"},
		{"/bridges/room/record", rec(map[string]any{"format": "gsm"}), 422, "pbxsim: only format wav (8 kHz 16-bit PCM) is simulated"},
		{"/bridges/room/record", rec(map[string]any{"terminateOn": "x"}), 400, "terminateOn invalid"},
		{"/bridges/room/record", rec(map[string]any{"ifExists": "sometimes"}), 400, "ifExists invalid"},
		{"/bridges/room/record", rec(map[string]any{"name": ""}), 500, "Error parsing request"},
		{"/bridges/room/record", rec(map[string]any{"maxDurationSeconds": -1}), 500, "Error parsing request"},
		// PBX-NOTES: ".." → 500 (an existing directory outside the spool);
		// a missing one is EPERM → 400.
		{"/bridges/room/record", rec(map[string]any{"name": "../x"}), 500, "Internal Server Error"},
		{"/bridges/room/record", rec(map[string]any{"name": "../nowhere-at-all/x"}), 400, "Recording name invalid"},
		{"/bridges/room/record", rec(map[string]any{"name": "old"}), 409, "Recording 'old' already exists and can not be overwritten"},
		// PBX-NOTES: a live name in use → 409 even with overwrite.
		{"/bridges/room/record", rec(map[string]any{"name": "busy", "ifExists": "overwrite"}), 409, "Recording 'busy' already exists and can not be overwritten"},
		{"/recordings/live/nope", nil, 404, "Recording not found"},
		{"/recordings/live/nope/stop", nil, 404, "Recording not found"},
		{"/recordings/live/nope/pause", nil, 404, "Recording not found"},
		{"/recordings/live/nope/mute", nil, 404, "Recording not found"},
	}
	for _, c := range cases {
		method := "POST"
		if c.path == "/recordings/live/nope" {
			method = "GET"
		}
		status, body := h.do(method, c.path, c.body)
		msg, _ := body.(map[string]any)["message"].(string)
		if status != c.status || msg != c.message {
			t.Errorf("%s %s %v: %d %q, want %d %q", method, c.path, c.body, status, msg, c.status, c.message)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "x.wav")); err == nil {
		t.Error("a recording was written outside the recordings directory")
	}

	// A name with "/" records into a sub-directory, as on Asterisk, but
	// the live resource cannot be reached by path afterwards: keep "/" out
	// of names (PBX-NOTES).
	h.mustDo(201, "POST", "/bridges/room/record", rec(map[string]any{"name": "sub/x"}))
	ev.expect("RecordingStarted")
	if status, body := h.do("POST", "/recordings/live/sub/x/stop", nil); status != 404 || body.(map[string]any)["message"] != "Resource not found" {
		t.Errorf("stop of a name with a slash: %d %v", status, body)
	}
	if _, err := os.Stat(filepath.Join(dir, "sub", "x.wav")); err != nil {
		t.Errorf("sub-directory recording: %v", err)
	}
}

// GET /recordings/stored, /stored/{name}, /stored/{name}/file and DELETE.
func TestStoredRecordings(t *testing.T) {
	h, clk, _ := newRecHarness(t)
	ev := h.connect("ringside")
	h.bridgedPair(ev)
	if list := h.mustDo(200, "GET", "/recordings/stored", nil).([]any); len(list) != 0 {
		t.Errorf("stored before recording: %v", list)
	}
	h.record("b-call")
	h.mustDo(204, "POST", "/bridges/room/removeChannel", map[string]any{"channel": "agent"})
	ev.expect("RecordingStarted", "ChannelLeftBridge:room")
	clk.Advance(2 * time.Second)
	h.mustDo(204, "POST", "/recordings/live/b-call/stop", nil)
	h.record("a-call")
	clk.Advance(time.Second)
	h.mustDo(204, "POST", "/recordings/live/a-call/stop", nil)
	ev.expect("RecordingFinished", "RecordingStarted", "RecordingFinished")

	list := h.mustDo(200, "GET", "/recordings/stored", nil).([]any)
	if len(list) != 2 || list[0].(map[string]any)["name"] != "a-call" || list[1].(map[string]any)["format"] != "wav" {
		t.Errorf("stored list %v, want a-call and b-call, sorted, wav", list)
	}
	if one := h.mustDo(200, "GET", "/recordings/stored/b-call", nil).(map[string]any); one["name"] != "b-call" || one["format"] != "wav" {
		t.Errorf("stored recording %v", one)
	}
	h.mustDo(404, "GET", "/recordings/stored/nope", nil)

	req, _ := http.NewRequest("GET", h.url+"/recordings/stored/b-call/file", nil)
	req.SetBasicAuth("ringside", "ringside")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	onDisk, _ := os.ReadFile(h.recordingFile("b-call"))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "audio/wav" || string(body) != string(onDisk) {
		t.Errorf("download: %d %q, %d bytes (disk %d)", resp.StatusCode, resp.Header.Get("Content-Type"), len(body), len(onDisk))
	}
	if got := len(body) - wavHeaderSize; got != 2*8000*2 {
		t.Errorf("downloaded %d bytes of audio, want 2 s", got)
	}

	h.mustDo(204, "DELETE", "/recordings/stored/b-call", nil)
	h.mustDo(404, "GET", "/recordings/stored/b-call/file", nil)
}

// The recorder is a lonely bridge channel: the recording finishes when
// the last member leaves the bridge, or when the bridge is destroyed
// (before BridgeDestroyed).
func TestRecordingEndsWithItsBridge(t *testing.T) {
	h, clk, _ := newRecHarness(t)
	ev := h.connect("ringside")
	cust := h.bridgedPair(ev)
	h.record("r1")
	ev.expect("RecordingStarted")
	clk.Advance(time.Second)
	h.mustDo(204, "POST", "/bridges/room/removeChannel", map[string]any{"channel": "agent"})
	ev.expect("ChannelLeftBridge:room")
	ev.quiet(50 * time.Millisecond) // one member left: still recording
	h.mustDo(204, "POST", "/bridges/room/removeChannel", map[string]any{"channel": cust})
	ev.expect("ChannelLeftBridge:room", "RecordingFinished")
	h.mustDo(404, "POST", "/recordings/live/r1/stop", nil)

	h.mustDo(204, "POST", "/bridges/room/addChannel", map[string]any{"channel": cust})
	ev.expect("ChannelEnteredBridge:room")
	h.record("r2")
	ev.expect("RecordingStarted")
	h.mustDo(204, "DELETE", "/bridges/room", nil)
	ev.expect("ChannelLeftBridge:room", "RecordingFinished", "BridgeDestroyed:room")
}

// DELETE /recordings/live/{name} cancels: the file is deleted.
// maxDurationSeconds stops the recording after that much unpaused time.
func TestRecordingCancelAndMaxDuration(t *testing.T) {
	h, clk, dir := newRecHarness(t)
	ev := h.connect("ringside")
	h.bridgedPair(ev)
	h.record("gone")
	ev.expect("RecordingStarted")
	clk.Advance(time.Second)
	h.mustDo(204, "DELETE", "/recordings/live/gone", nil)
	ev.expect("RecordingFinished")
	if _, err := os.Stat(filepath.Join(dir, "gone.wav")); !os.IsNotExist(err) {
		t.Errorf("cancelled recording's file: %v", err)
	}

	h.mustDo(201, "POST", "/bridges/room/record", map[string]any{"name": "short", "format": "wav", "maxDurationSeconds": 2})
	ev.expect("RecordingStarted")
	clk.Advance(time.Second)
	h.mustDo(204, "POST", "/recordings/live/short/pause", nil)
	clk.Advance(5 * time.Second) // paused time does not count
	ev.quiet(50 * time.Millisecond)
	h.mustDo(204, "DELETE", "/recordings/live/short/pause", nil)
	clk.Advance(5 * time.Second)
	if fin := ev.expect("RecordingFinished")[0]["recording"].(map[string]any); fin["duration"] != float64(2) {
		t.Errorf("duration %v, want the 2 s maximum", fin["duration"])
	}
	if w := readTestWAV(t, h.recordingFile("short")); w.seconds() != 2 {
		t.Errorf("file holds %.3f s, want 2", w.seconds())
	}
}

// ifExists=append adds to the old file; overwrite replaces it.
func TestRecordingAppendAndOverwrite(t *testing.T) {
	h, clk, _ := newRecHarness(t)
	ev := h.connect("ringside")
	h.bridgedPair(ev)
	for i, mode := range []string{"overwrite", "append", "append", "overwrite"} {
		h.mustDo(201, "POST", "/bridges/room/record", map[string]any{"name": "again", "format": "wav", "ifExists": mode})
		clk.Advance(time.Duration(i+1) * time.Second)
		h.mustDo(204, "POST", "/recordings/live/again/stop", nil)
		ev.expect("RecordingStarted", "RecordingFinished")
		want := []float64{1, 3, 6, 4}[i]
		if w := readTestWAV(t, h.recordingFile("again")); w.seconds() != want {
			t.Errorf("after %s: %.2f s, want %v", mode, w.seconds(), want)
		}
	}
}

// A running recording's file is valid and current (flushed on demand).
func TestRecordingFileWhileLive(t *testing.T) {
	h, clk, _ := newRecHarness(t)
	ev := h.connect("ringside")
	h.bridgedPair(ev)
	h.record("live")
	ev.expect("RecordingStarted")
	clk.Advance(1500 * time.Millisecond)
	if w := readTestWAV(t, h.recordingFile("live")); w.seconds() != 1.5 {
		t.Errorf("live file holds %.3f s, want 1.5", w.seconds())
	}
}

// Close completes live recordings; a temporary directory made by the Sim
// goes with it.
func TestCloseFinishesRecordings(t *testing.T) {
	clk := NewManualClock(time.Time{})
	h := newHarness(t, Options{Clock: clk})
	ev := h.connect("ringside")
	h.bridgedPair(ev)
	h.record("open")
	clk.Advance(time.Second)
	dir := h.sim.RecordingsDir()
	w := readTestWAV(t, h.recordingFile("open"))
	if w.seconds() != 1 {
		t.Errorf("%.2f s before close", w.seconds())
	}
	if err := h.sim.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("temporary recordings directory left behind: %v", err)
	}
}
