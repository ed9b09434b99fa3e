package pbxsim

import (
	"testing"
)

// GET /channels, which the controller's resync after a lost link reads
// (P4): every live channel of every application, as Asterisk's channel
// cache holds them (ast_ari_channels_list), in the Channel model's shape.
// A channel in Stasis shows dialplan app_name "Stasis" with app_data
// "<app>,<args>" (pbx_exec from ari_originate_dial, or the dialplan's
// Stasis()); a hung-up channel is gone from the list.
func TestListChannelsForResync_P4(t *testing.T) {
	h := newHarness(t, Options{})
	if list := h.mustDo(200, "GET", "/channels", nil).([]any); len(list) != 0 {
		t.Fatalf("channels before any call: %v (want an empty array)", list)
	}
	ev := h.connect("ringside")
	cust, err := h.sim.PlaceCall("support", "5551234", nil)
	if err != nil {
		t.Fatal(err)
	}
	ev.expect("StasisStart")
	h.answeredLeg(ev, "agent-1")
	h.originate("agent-2", "PJSIP/2002", 30) // rings
	h.originate("gone-1", "SIM/busy", 30)
	h.mustDo(200, "POST", "/channels", map[string]any{"endpoint": "PJSIP/9999", "app": "other", "channelId": "foreign-1"})

	got := map[string]map[string]any{}
	for _, c := range h.mustDo(200, "GET", "/channels", nil).([]any) {
		ch := c.(map[string]any)
		got[ch["id"].(string)] = ch
	}
	if len(got) != 4 || got["gone-1"] != nil {
		t.Fatalf("listed %d channels %v; want the customer, agent-1, agent-2 and foreign-1", len(got), listedIDs(got))
	}
	for _, want := range []struct{ id, state, app, data string }{
		{cust, "Ring", "Stasis", "ringside,queue=support"},
		{"agent-1", "Up", "Stasis", "ringside,dialed"},
	} {
		ch := got[want.id]
		dp, _ := ch["dialplan"].(map[string]any)
		if ch["state"] != want.state || dp["app_name"] != want.app || dp["app_data"] != want.data {
			t.Errorf("%s: state %v dialplan %v; want %s in %s(%s)", want.id, ch["state"], dp, want.state, want.app, want.data)
		}
		for _, k := range []string{"name", "caller", "connected", "creationtime", "language"} {
			if _, ok := ch[k]; !ok {
				t.Errorf("%s: no %q in %v", want.id, k, ch)
			}
		}
	}
	for _, id := range []string{"agent-2", "foreign-1"} {
		ch := got[id]
		dp, _ := ch["dialplan"].(map[string]any)
		if ch["state"] != "Ringing" || dp["app_name"] == "Stasis" {
			t.Errorf("%s: state %v dialplan %v; a ringing originate is not in Stasis yet", id, ch["state"], dp)
		}
	}
}

func listedIDs(m map[string]map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
