package pbxsim

import (
	"slices"
	"testing"
	"time"
)

// Timers fire in due order within one Advance, each seeing Now at its due
// time; a stopped timer never fires.
func TestManualClock(t *testing.T) {
	c := NewManualClock(time.Time{})
	start := c.Now()
	var fired []string
	at := map[string]time.Duration{}
	add := func(name string, d time.Duration) func() bool {
		return c.AfterFunc(d, func() {
			fired = append(fired, name)
			at[name] = c.Now().Sub(start)
		})
	}
	add("b", 2*time.Second)
	add("a", time.Second)
	stop := add("x", 1500*time.Millisecond)
	add("c", 5*time.Second)
	if !stop() || stop() {
		t.Error("stop should report true once, then false")
	}
	c.Advance(3 * time.Second)
	if !slices.Equal(fired, []string{"a", "b"}) || at["a"] != time.Second || at["b"] != 2*time.Second {
		t.Errorf("fired %v at %v", fired, at)
	}
	if c.Now().Sub(start) != 3*time.Second {
		t.Errorf("now = %v after advancing 3 s", c.Now().Sub(start))
	}
	c.Advance(2 * time.Second)
	if !slices.Equal(fired, []string{"a", "b", "c"}) {
		t.Errorf("fired %v", fired)
	}
}

// With a ManualClock the dial script waits for the clock, not the wall.
func TestManualClockDrivesDialTimers(t *testing.T) {
	clk := NewManualClock(time.Time{})
	h := newHarness(t, Options{Clock: clk})
	ev := h.connect("ringside")
	h.originate("leg-1", "SIM/answer-after-10s", 30)
	ev.expect("Dial:", "Dial:RINGING", "ChannelStateChange:Ringing")
	ev.quiet(50 * time.Millisecond)
	clk.Advance(10 * time.Second)
	ev.expect("ChannelStateChange:Up", "Dial:ANSWER", "StasisStart")
}
