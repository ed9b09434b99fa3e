package pbxsim

import (
	"net/http"
	"time"
)

// A snoop enters the application a little after POST /channels/{id}/snoop
// has answered. On Asterisk the snoop channel runs Stasis() in a thread of
// its own (snoop_stasis_thread in res/res_stasis_snoop.c), and until it
// has, the application has no control on it: PBX-NOTES measured an
// addChannel sent right after the snoop request answered 422 (3 of 27 on
// 23.4.1), with the snoop hung up within a millisecond. Clients must wait
// for the snoop's StasisStart. The sim makes that race certain: the snoop
// enters after Options.SnoopStartDelay of wall time, and an addChannel
// before that is refused and costs the snoop.

// defaultSnoopStartDelay is long enough that a client that does not wait
// for StasisStart always loses the race, and short enough not to slow a
// client that does.
const defaultSnoopStartDelay = 20 * time.Millisecond

// startSnoopLocked schedules the new snoop's entry into its application.
// The delay is real time, not the Sim's Clock: it stands for a thread
// being scheduled, and a test driving a ManualClock must not have to
// advance it for snoops to work. A negative delay enters at once, before
// the REST reply (the sim's former behaviour).
func (s *Sim) startSnoopLocked(ch *channel) {
	if s.opts.SnoopStartDelay < 0 {
		s.snoopEntersLocked(ch)
		return
	}
	t := time.AfterFunc(s.opts.SnoopStartDelay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.closed || ch.gone {
			return
		}
		s.snoopEntersLocked(ch)
	})
	ch.timers = append(ch.timers, t.Stop)
}

// snoopEntersLocked runs Stasis() on the snoop. Without a WebSocket for
// the application Stasis() fails and the snoop thread hangs the channel
// up; the application never followed it, so nobody is told.
func (s *Sim) snoopEntersLocked(ch *channel) {
	if !s.enterStasisLocked(ch) {
		s.destroyLocked(ch, causeNormal)
	}
}

// dropStartingSnoopsLocked hangs up the snoops among ids that have not
// entered the application yet, after an addChannel was refused because of
// them (measured). They never had a StasisStart, so no event tells of
// their end: no StasisEnd, and the application is not subscribed to them
// (emitChannelLocked).
func (s *Sim) dropStartingSnoopsLocked(ids []string) {
	for _, id := range ids {
		ch := s.channels[id]
		if ch == nil || ch.snoop == nil || ch.inStasis {
			continue
		}
		s.log.Info("snoop added to a bridge before its StasisStart: hung up, as measured on Asterisk", "snoop", id)
		s.farHangupLocked(ch, causeNormal)
	}
}

// refusedForStasis reports whether a bridge membership refusal is the
// "not in Stasis" one.
func refusedForStasis(aerr *ariError) bool {
	return aerr != nil && aerr.status == http.StatusUnprocessableEntity && aerr.msg == msgNotInStasis
}
