package mediatest

import (
	"fmt"
	"math"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// A10.2: a recording paused for a while leaves the paused span out of the
// file: 2 s recorded, 2 s paused, 2 s recorded give about 4 s.
func recordingPause(s *session) {
	_, _, room := s.talking()
	rec := orchestrator.RecordingID(fmt.Sprintf("lab-%s-rec", s.tag))
	s.must(s.m.Record(s.ctx(), room, rec), "record")
	time.Sleep(2 * time.Second)
	s.must(s.m.PauseRecording(s.ctx(), rec), "pause")
	time.Sleep(2 * time.Second)
	s.must(s.m.ResumeRecording(s.ctx(), rec), "resume")
	time.Sleep(2 * time.Second)
	s.must(s.m.StopRecording(s.ctx(), rec), "stop")
	audio, err := ParseWAV(s.lab.RecordingFile(s.t, rec))
	if err != nil {
		s.t.Fatalf("the recording: %v", err)
	}
	secs := audio.Duration().Seconds()
	if math.Abs(secs-4) > 0.6 {
		s.t.Errorf("6 s with 2 s paused recorded %.2f s, want about 4", secs)
	}
}
