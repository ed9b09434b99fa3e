package pbxsim

import (
	"testing"
	"time"
)

func TestParseBehavior(t *testing.T) {
	cases := []struct {
		in     string
		want   Behavior
		script bool
		bad    bool
	}{
		{in: "2001"},
		{in: "answer-desk"}, // a station that happens to start with a keyword
		{in: "answer", want: Behavior{Outcome: Answer}, script: true},
		{in: "answer-after-500ms", want: Behavior{Outcome: Answer, After: 500 * time.Millisecond}, script: true},
		{in: "noanswer", want: Behavior{Outcome: NoAnswer}, script: true},
		{in: "busy", want: Behavior{Outcome: Busy}, script: true},
		{in: "busy-after-1s", want: Behavior{Outcome: Busy, After: time.Second}, script: true},
		{in: "reject-after-2s", want: Behavior{Outcome: Reject, After: 2 * time.Second}, script: true},
		{in: "hangup-after-3s", want: Behavior{Outcome: Answer, HangupAfter: 3 * time.Second}, script: true},
		{in: "answer-after-1s+hangup-after-5s", want: Behavior{Outcome: Answer, After: time.Second, HangupAfter: 5 * time.Second}, script: true},
		{in: "answer-after-soon", script: true, bad: true},
		{in: "noanswer-after-1s", script: true, bad: true},
		{in: "hangup", script: true, bad: true},
		{in: "answer+dance", script: true, bad: true},
	}
	for _, c := range cases {
		got, script, err := ParseBehavior(c.in)
		if script != c.script || (err != nil) != c.bad || (!c.bad && got != c.want) {
			t.Errorf("ParseBehavior(%q) = %+v, %v, %v; want %+v, %v, bad=%v", c.in, got, script, err, c.want, c.script, c.bad)
		}
	}
}

// A malformed SIM script is refused at originate time rather than ignored.
func TestMalformedScriptIsRefused(t *testing.T) {
	h := newHarness(t, Options{})
	h.connect("ringside")
	h.mustDo(400, "POST", "/channels", map[string]any{"endpoint": "SIM/answer-after-soon", "app": "ringside"})
}
