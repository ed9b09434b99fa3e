package orchestrator

import "context"

// RemoteAccessChanged tells the orchestrator that an administrator saved a
// user's remote settings (R4). A signed-in agent on their virtual extension
// follows a new mobile or a renumbered extension from the next call on —
// the administrator fixing a wrong mobile expects the next call to ring the
// right phone, not the one after the agent's next sign-in. Remote access
// turned off does not cut a working agent off mid-shift: they are told,
// and it applies when they sign out.
func (o *Orchestrator) RemoteAccessChanged(ctx context.Context, userID int64) error {
	return o.do(ctx, func() error { return o.remoteAccessChanged(ctx, userID) })
}

func (o *Orchestrator) remoteAccessChanged(ctx context.Context, userID int64) error {
	a := o.st.agents[userID]
	if a == nil || !a.station.Virtual {
		return nil
	}
	u, err := o.store.User(ctx, userID)
	if err != nil {
		return err
	}
	if !u.AllowRemote || u.VirtualExtension == "" {
		o.notify(a, "error", "An administrator turned off your remote sign-in. Calls still ring your mobile until you sign out; sign in on another station then.")
		return nil
	}
	mobile, err := ParseDialNumber(u.Mobile, "")
	if err != nil {
		// The store normalizes what it saves, so this is data written
		// around it; keep ringing the number that works.
		o.log.Warn("remote settings saved with a mobile that cannot be dialled; keeping the previous one", "user", userID, "err", err)
		return nil
	}
	if mobile == a.station.Mobile && u.VirtualExtension == a.station.Number {
		return nil
	}
	// A renumbered extension is followed whatever happens to the mobile:
	// the old number no longer exists in the database.
	a.station.Number, a.user.VirtualExtension = u.VirtualExtension, u.VirtualExtension
	if mobile != a.station.Mobile {
		dial := o.trunkDialString(mobile)
		if other := o.dialStringUser(a, dial); other != nil {
			o.publishAgent(a)
			o.notify(a, "error", "Your new mobile "+mobile+" is in use by "+other.user.Name+"; calls still ring "+a.station.Mobile+".")
			return nil
		}
		a.user.Mobile, a.station.Mobile, a.dialString = u.Mobile, mobile, dial
		o.notify(a, "info", "Calls now ring your mobile "+mobile+".")
	}
	o.publishAgent(a)
	return nil
}

// dialStringUser is another signed-in user whose station the PBX reaches
// with dial, if any (S7).
func (o *Orchestrator) dialStringUser(self *agent, dial string) *agent {
	for _, b := range o.st.agents {
		if b != self && b.dialString == dial {
			return b
		}
	}
	return nil
}
