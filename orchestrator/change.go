package orchestrator

// pbxBusy is a change to a call that the PBX is still making (outcome.go).
type pbxBusy struct {
	what string // "putting the customer on hold": why other commands wait
}

// callChange is one change to a call's audio: the PBX steps that make it,
// what it does to the interaction once the PBX has made it, and how a
// failure is undone.
//
// Exactly one of apply, fail and moot runs, in the loop, once the steps
// are over: apply when they all worked, fail when one did not, moot when
// the call moved on meanwhile (it ended, or an event started another
// change, which now owns the PBX's state). A change whose steps had side
// effects elsewhere (a monitor moved ahead of a transfer) undoes them in
// fail and moot alike.
type callChange struct {
	busy  string      // what the PBX is doing, for the commands that must wait
	steps []mediaStep // in order; the first failure stops them
	// apply sets the new state once every step worked; an error says the
	// change no longer fits the call (it moved on meanwhile).
	apply func() error
	// fail (optional) runs when step failed: it puts the PBX back the way
	// the interaction still shows it (the steps before failed did their
	// part) and returns what the agent is told, if not the default.
	fail func(failed int, err error) error
	// moot (optional) runs instead of apply or fail when the call moved on.
	moot func()
	// failure is the default message's start: "The customer could not be
	// put on hold".
	failure string
}

// change starts c on ix for agent a (nil: the call's agent, if any), whose
// request waits on w. Until the PBX is done the call's other commands are
// refused (action), so nothing is decided on a state the PBX has not
// reached; PBX events still apply, and one that ends the call or starts a
// change of its own makes this one moot.
func (o *Orchestrator) change(ix *interaction, a *agent, w *outcome, c callChange) {
	b := &pbxBusy{what: c.busy}
	ix.busy = b
	o.changed(ix)
	o.commandThen(&ix.media, ix.id, c.busy, func(failed int, err error) {
		if ix.busy != b {
			if c.moot != nil {
				c.moot()
			}
			o.tell(w, nil, Errorf(CodeConflict, "The call changed before the phone system was done."))
			return
		}
		ix.busy = nil
		var res error
		if err == nil {
			res = c.apply()
		} else {
			if c.fail != nil {
				res = c.fail(failed, err)
			}
			if res == nil {
				res = pbxFailure(c.failure, err)
			}
		}
		who := a
		if who == nil {
			who = ix.agent
		}
		if res != nil {
			var uid int64
			if who != nil {
				uid = who.user.ID
			}
			o.event(ix, "pbx_failed", uid, ErrorMessage(res))
		}
		o.changed(ix)
		o.tell(w, who, res)
	}, c.steps...)
}
