package orchestrator

import (
	"strings"
	"testing"
)

// R4 with a signed-in remote agent: a new mobile saved by an admin rings
// from the next call on, the agent is told, and a mobile in use by someone
// else or remote access turned off leaves the working number alone.
func TestRemoteAccessChangedFollowsNewMobile_R4(t *testing.T) {
	h := newHarness(t)
	setRemote := func(id int64, allow bool, mobile, vext string) {
		h.store.mu.Lock()
		defer h.store.mu.Unlock()
		u := h.store.users[id]
		u.AllowRemote, u.Mobile, u.VirtualExtension = allow, mobile, vext
		h.store.users[id] = u
		for i, e := range h.store.exts {
			if e.OwnerID == id && e.Kind == ExtensionVirtual {
				h.store.exts[i].Mobile, h.store.exts[i].Number = mobile, vext
				return
			}
		}
		h.store.exts = append(h.store.exts, Extension{ID: 100 + id, Number: vext, Kind: ExtensionVirtual, OwnerID: id, Mobile: mobile})
	}
	setRemote(1, true, "+14155550123", "8001")
	// A dial-number agent, to collide with.
	if _, err := h.o.SignIn(h.ctx, SignInRequest{UserID: 2, Role: SignInAgent, Station: StationRequest{Type: StationDialNumber, Number: "+447911123456"}}); err != nil {
		t.Fatal(err)
	}
	v, err := h.o.SignIn(h.ctx, SignInRequest{UserID: 1, Role: SignInAgent, Station: StationRequest{Type: StationExtension, Number: "8001"}})
	if err != nil {
		t.Fatal(err)
	}
	if v.Station.Mobile != "+14155550123" {
		t.Fatalf("signed in on %+v", v.Station)
	}
	sub, _ := h.o.Subscribe(h.ctx, 1)
	defer sub.Close()
	notices := func() []string {
		h.sync()
		var out []string
		for len(sub.Events) > 0 {
			if ev := <-sub.Events; ev.Notice != nil {
				out = append(out, ev.Notice.Text)
			}
		}
		return out
	}

	// Another user's number: refused with a message, the old mobile kept;
	// the extension renumbered in the same save is followed all the same.
	setRemote(1, true, "+447911123456", "8002")
	h.ok(h.o.RemoteAccessChanged(h.ctx, 1), "mobile in use")
	if n := notices(); len(n) != 1 || !strings.Contains(n[0], "in use by Agent 2") {
		t.Fatalf("notices %q, want the conflict named", n)
	}
	if st := h.agent(1).Station; st.Mobile != "+14155550123" || st.Number != "8002" {
		t.Fatalf("station after a conflicting mobile and a renumber: %+v", st)
	}

	// A new mobile and number: the agent's station shows them and the next
	// call rings the new mobile.
	setRemote(1, true, "+1 415 555 0199", "8011")
	h.ok(h.o.RemoteAccessChanged(h.ctx, 1), "new mobile")
	if n := notices(); len(n) != 1 || !strings.Contains(n[0], "+14155550199") {
		t.Fatalf("notices %q, want the new mobile", n)
	}
	if st := h.agent(1).Station; st.Mobile != "+14155550199" || st.Number != "8011" || !st.Virtual {
		t.Fatalf("station after the change: %+v", st)
	}
	h.wantState(1, StateVirtual)
	h.call("cust-1", "support", nil)
	h.stationLeg("PJSIP/+14155550199@trunk")

	// Remote access off: told, but the session keeps ringing the mobile.
	setRemote(1, false, "+14155550199", "8011")
	h.ok(h.o.RemoteAccessChanged(h.ctx, 1), "access off")
	if n := notices(); len(n) != 1 || !strings.Contains(n[0], "turned off your remote sign-in") {
		t.Fatalf("notices %q, want the access-off message", n)
	}
	if got := h.agent(1).Station.Mobile; got != "+14155550199" {
		t.Fatalf("mobile after access off: %s", got)
	}

	// Users not on a virtual extension are not touched.
	h.ok(h.o.RemoteAccessChanged(h.ctx, 2), "dial-number agent")
	h.ok(h.o.RemoteAccessChanged(h.ctx, 3), "not signed in")
}
