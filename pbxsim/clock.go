package pbxsim

import (
	"sort"
	"sync"
	"time"
)

// Clock is the Sim's notion of time: ring and answer delays, originate
// timeouts, event timestamps and, above all, how much audio a recording
// accrues. The default follows the wall clock, which the demo needs. Tests
// pass a *ManualClock instead, so that "record 10 s with a 4 s pause" takes
// no real time and gives exact results however loaded the machine is (a
// scaled wall clock would still turn scheduler jitter into audio).
type Clock interface {
	Now() time.Time
	// AfterFunc runs f in its own goroutine (or, for a ManualClock, in the
	// goroutine that advances the clock) once d has passed. stop cancels
	// it and reports whether it did so before f ran.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// wallClock is the real time.
type wallClock struct{}

func (wallClock) Now() time.Time { return time.Now() }

func (wallClock) AfterFunc(d time.Duration, f func()) func() bool {
	return time.AfterFunc(d, f).Stop
}

// ManualClock is a Clock that moves only when told to. Timers due within an
// Advance run in due order, in the caller's goroutine, each seeing Now at
// its due time. Do not call Advance from inside a timer.
type ManualClock struct {
	mu     sync.Mutex
	now    time.Time
	seq    int
	timers map[int]*manualTimer
}

type manualTimer struct {
	id  int
	due time.Time
	f   func()
}

// NewManualClock returns a clock standing at start (a fixed instant when
// start is zero, so runs are reproducible).
func NewManualClock(start time.Time) *ManualClock {
	if start.IsZero() {
		start = time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC)
	}
	return &ManualClock{now: start, timers: map[int]*manualTimer{}}
}

// Now returns the clock's current time.
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// AfterFunc registers f to run when the clock has advanced by d.
func (c *ManualClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seq++
	id := c.seq
	c.timers[id] = &manualTimer{id: id, due: c.now.Add(d), f: f}
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		_, pending := c.timers[id]
		delete(c.timers, id)
		return pending
	}
}

// Advance moves the clock forward by d, running every timer that falls due
// on the way.
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	end := c.now.Add(d)
	c.mu.Unlock()
	for {
		c.mu.Lock()
		next := c.nextDueLocked(end)
		if next == nil {
			c.now = end
			c.mu.Unlock()
			return
		}
		delete(c.timers, next.id)
		if next.due.After(c.now) {
			c.now = next.due
		}
		c.mu.Unlock()
		next.f()
	}
}

// nextDueLocked is the earliest timer due by end (ties in creation order).
func (c *ManualClock) nextDueLocked(end time.Time) *manualTimer {
	var due []*manualTimer
	for _, t := range c.timers {
		if !t.due.After(end) {
			due = append(due, t)
		}
	}
	if len(due) == 0 {
		return nil
	}
	sort.Slice(due, func(i, j int) bool {
		if !due[i].due.Equal(due[j].due) {
			return due[i].due.Before(due[j].due)
		}
		return due[i].id < due[j].id
	})
	return due[0]
}
