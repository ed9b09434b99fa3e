package mediatest

import (
	"testing"
)

// scenario is one row of the suite: a behaviour of the Media port, the
// rules it serves, and how it is shown.
type scenario struct {
	name  string
	rules string
	run   func(s *session)
}

// scenarios is the suite. Each runs on its own adapter and tidies up the
// legs and rooms it made, so a real PBX is left as it was found.
var scenarios = []scenario{
	{"dial answered", "A1 A4", dialAnswered},
	{"dial not answered", "A3", dialEnds(NoAnswer, "no_answer")},
	{"dial busy", "A3", dialEnds(Busy, "busy")},
	{"dial rejected", "A3", dialEnds(Reject, "rejected")},
	{"call enters with queue and variables", "P2 A11.1", incoming},
	{"customer hangs up their phone", "A7", customerHangsUp},
	{"controller hangs the customer up", "A7", controllerHangsUp},
	{"rooms: talk, leave, close", "P3", rooms},
	{"hold after the queue wait, resume, again", "A5", holdRepeated},
	{"music class: missing plays silence", "A5", musicClass},
	{"consult and swap", "A6.3", consultSwap},
	{"transfer after a consult", "A8.2", consultTransfer},
	{"conference", "A9", conference},
	{"monitor listen, whisper, barge, pause, stop", "M2 M3 M4 M7", monitorModes},
	{"monitor mode changes without a gap", "M4 M7", monitorNoGap},
	{"recording pause leaves the span out", "A10.2", recordingPause},
	{"link drop and resync", "P4", linkDrop},
}

// Run runs every scenario against lab, each as a subtest named after it
// and its rules.
func Run(t *testing.T, lab Lab) {
	for _, sc := range scenarios {
		t.Run(sc.name+" "+sc.rules, func(t *testing.T) {
			s := newSession(t, lab)
			defer s.close()
			sc.run(s)
		})
	}
}
