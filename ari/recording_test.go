package ari

import (
	"encoding/binary"
	"math"
	"os"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
	"github.com/ringside/ringside/pbxsim"
)

// wavFacts is what the tests read from a WAV file's RIFF header.
type wavFacts struct {
	format, channels, bits, rate int
	dataBytes                    int
}

func (w wavFacts) seconds() float64 {
	return float64(w.dataBytes) / float64(w.rate*w.channels*w.bits/8)
}

// readWAV parses the RIFF/WAVE chunks itself rather than trusting pbxsim's
// writer.
func readWAV(t *testing.T, path string) wavFacts {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		t.Fatalf("%s is not a RIFF/WAVE file", path)
	}
	var w wavFacts
	for off := 12; off+8 <= len(data); {
		size := int(binary.LittleEndian.Uint32(data[off+4:]))
		body := data[off+8:]
		switch string(data[off : off+4]) {
		case "fmt ":
			w.format = int(binary.LittleEndian.Uint16(body[0:]))
			w.channels = int(binary.LittleEndian.Uint16(body[2:]))
			w.rate = int(binary.LittleEndian.Uint32(body[4:]))
			w.bits = int(binary.LittleEndian.Uint16(body[14:]))
		case "data":
			if size > len(body) {
				t.Fatalf("data chunk of %d bytes in a file with %d", size, len(body))
			}
			w.dataBytes = size
			return w
		}
		off += 8 + size + size%2
	}
	t.Fatalf("%s has no data chunk", path)
	return w
}

// recordingRig is a call (customer and agent in room "call") on a Sim
// whose clock only moves when the test says so.
func recordingRig(t *testing.T) (*rig, *pbxsim.ManualClock, orchestrator.LegID) {
	t.Helper()
	clk := pbxsim.NewManualClock(time.Time{})
	r := newRigWith(t, pbxsim.Options{Clock: clk, RecordingsDir: t.TempDir()})
	cust := r.customer()
	r.agent("agent-1")
	ctx := r.ctx()
	r.must(r.a.NewRoom(ctx, "call"))
	r.must(r.a.Join(ctx, "call", cust))
	r.must(r.a.Join(ctx, "call", "agent-1"))
	return r, clk, cust
}

// A10.2: record 10 s with a 4 s pause → a 6 s 8 kHz 16-bit mono WAV.
func TestRecordingPauseLeavesSpanOut(t *testing.T) {
	r, clk, _ := recordingRig(t)
	ctx := r.ctx()
	r.must(r.a.Record(ctx, "call", "ix-1-rec"))
	clk.Advance(3 * time.Second)
	r.must(r.a.PauseRecording(ctx, "ix-1-rec"))
	r.must(r.a.PauseRecording(ctx, "ix-1-rec")) // a second pause changes nothing
	clk.Advance(4 * time.Second)
	r.must(r.a.ResumeRecording(ctx, "ix-1-rec"))
	clk.Advance(3 * time.Second)
	r.must(r.a.StopRecording(ctx, "ix-1-rec"))

	path, ok := r.sim.RecordingFile("ix-1-rec")
	if !ok {
		t.Fatal("no recording file")
	}
	w := readWAV(t, path)
	if w.format != 1 || w.rate != 8000 || w.bits != 16 || w.channels != 1 {
		t.Errorf("format %d, %d Hz, %d bit, %d channels; want PCM, 8000 Hz, 16 bit, mono", w.format, w.rate, w.bits, w.channels)
	}
	if s := w.seconds(); math.Abs(s-6) > 0.2 {
		t.Errorf("the file holds %.2f s, want 6 ± 0.2 (10 s recorded, 4 s paused)", s)
	}
	r.quiet(100 * time.Millisecond) // recordings are no media events (yet)
}

// Names outside the port's alphabet are refused before anything reaches
// Asterisk; Asterisk's refusals map to orchestrator codes.
func TestRecordingErrors(t *testing.T) {
	r, _, _ := recordingRig(t)
	ctx := r.ctx()
	for _, bad := range []orchestrator.RecordingID{"", "a/b", "../x", "..", "a b", "rec.wav"} {
		if err := r.a.Record(ctx, "call", bad); orchestrator.ErrorCode(err) != orchestrator.CodeInvalid {
			t.Errorf("Record(%q): %v, want invalid", bad, err)
		}
		if err := r.a.StopRecording(ctx, bad); orchestrator.ErrorCode(err) != orchestrator.CodeInvalid {
			t.Errorf("StopRecording(%q): %v, want invalid", bad, err)
		}
	}
	if list, err := os.ReadDir(r.sim.RecordingsDir()); err != nil || len(list) != 0 {
		t.Errorf("refused names left files: %v %v", list, err)
	}

	r.must(r.a.Record(ctx, "call", "rec-1"))
	cases := []struct {
		name string
		err  error
		code orchestrator.Code
	}{
		{"record an unknown room", r.a.Record(ctx, "nope", "rec-2"), orchestrator.CodeNotFound},
		{"record a name that is live", r.a.Record(ctx, "call", "rec-1"), orchestrator.CodeConflict},
		{"pause an unknown recording", r.a.PauseRecording(ctx, "rec-9"), orchestrator.CodeNotFound},
		{"resume an unknown recording", r.a.ResumeRecording(ctx, "rec-9"), orchestrator.CodeNotFound},
		{"resume a running recording", r.a.ResumeRecording(ctx, "rec-1"), ""},
		{"stop", r.a.StopRecording(ctx, "rec-1"), ""},
		{"stop again", r.a.StopRecording(ctx, "rec-1"), orchestrator.CodeNotFound},
	}
	for _, c := range cases {
		if got := orchestrator.ErrorCode(c.err); got != c.code {
			t.Errorf("%s: %v (code %q), want %q", c.name, c.err, got, c.code)
		}
	}
	if err := r.a.PauseRecording(ctx, "rec-9"); err.Error() != "ari: pause recording recording rec-9: 404 Not Found" || !IsNotFound(err) {
		t.Errorf("error text %q", err)
	}

	// The same name again replaces the old file (ifExists=overwrite).
	r.must(r.a.Record(ctx, "call", "rec-1"))
	r.must(r.a.StopRecording(ctx, "rec-1"))
}

// Asterisk ends a bridge recording when the room empties (the recorder is
// a lonely bridge channel): here both legs move to a consult room, and the
// recording is gone by the time it would be paused.
func TestRecordingEndsWhenRoomEmpties(t *testing.T) {
	r, clk, cust := recordingRig(t)
	ctx := r.ctx()
	r.must(r.a.Record(ctx, "call", "rec-1"))
	clk.Advance(2 * time.Second)
	r.must(r.a.Hold(ctx, cust, "default"))
	r.must(r.a.PauseRecording(ctx, "rec-1")) // agent 1 is still in the room
	r.must(r.a.NewRoom(ctx, "consult"))
	r.must(r.a.Join(ctx, "consult", "agent-1"))
	if err := r.a.ResumeRecording(ctx, "rec-1"); orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
		t.Errorf("resume after the room emptied: %v, want not_found", err)
	}
	path, ok := r.sim.RecordingFile("rec-1")
	if !ok {
		t.Fatal("no file")
	}
	if s := readWAV(t, path).seconds(); s != 2 {
		t.Errorf("file holds %.2f s, want the 2 s before the pause", s)
	}
}
