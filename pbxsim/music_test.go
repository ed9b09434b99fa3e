package pbxsim

import (
	"testing"
	"time"
)

func (h *harness) musicClass(id string) (string, bool) {
	h.t.Helper()
	return h.sim.MusicClass(id)
}

// PBX-NOTES, Hold: bridge MOH with a class that does not exist answers 204
// all the same and the held caller hears silence; no mohClass means
// "default". Options.MusicClasses lists the classes that exist (nil: just
// "default").
func TestBridgeMusicClasses(t *testing.T) {
	h := newHarness(t, Options{MusicClasses: []string{"default", "jazz"}})
	ev := h.connect("ringside")
	cust := h.bridgedPair(ev)
	h.mustDo(200, "POST", "/bridges/hold-c", map[string]any{"type": "holding"})
	h.mustDo(204, "POST", "/bridges/hold-c/addChannel", map[string]any{"channel": cust, "role": "participant"})
	ev.expect("ChannelLeftBridge:room", "ChannelEnteredBridge:hold-c")

	h.mustDo(204, "POST", "/bridges/hold-c/moh", map[string]any{"mohClass": "jazz"})
	if c, ok := h.musicClass(cust); !ok || c != "jazz" || !h.music(cust) || h.legState(cust) != LegHeld {
		t.Errorf("jazz: class %q %v, music %v, state %s", c, ok, h.music(cust), h.legState(cust))
	}
	h.mustDo(204, "POST", "/bridges/hold-c/moh", nil) // again, without a class: the announcer switches to default
	if c, ok := h.musicClass(cust); !ok || c != "default" {
		t.Errorf("no mohClass: class %q %v, want default", c, ok)
	}
	if _, ok := h.musicClass("agent"); ok {
		t.Error("the agent hears bridge music of another bridge")
	}

	// No class at all exists (an install without the sounds): 204, and
	// the caller sits in silence, still cut off from the agent.
	h2 := newHarness(t, Options{MusicClasses: []string{}})
	ev2 := h2.connect("ringside")
	cust2 := h2.bridgedPair(ev2)
	h2.mustDo(200, "POST", "/bridges/hold-c", map[string]any{"type": "holding"})
	h2.mustDo(204, "POST", "/bridges/hold-c/addChannel", map[string]any{"channel": cust2})
	ev2.expect("ChannelLeftBridge:room", "ChannelEnteredBridge:hold-c")
	h2.mustDo(204, "POST", "/bridges/hold-c/moh", map[string]any{"mohClass": "default"})
	ev2.quiet(50 * time.Millisecond)
	if c, ok := h2.musicClass(cust2); ok || h2.music(cust2) {
		t.Errorf("missing class: the caller hears music (%q)", c)
	}
	if hearsOrFail(t, h2.sim, "agent", cust2) || hearsOrFail(t, h2.sim, cust2, "agent") {
		t.Error("a caller in a silent holding bridge has an audio path to the agent")
	}
	// The announcer is in the bridge all the same: stopping it is no 409.
	h2.mustDo(204, "DELETE", "/bridges/hold-c/moh", nil)
}

// Asterisk tries the class asked for, then "default" (local_ast_moh_start
// in res/res_musiconhold.c), so a missing class plays the default music
// when there is one.
func TestMissingMusicClassFallsBackToDefault(t *testing.T) {
	h := newHarness(t, Options{}) // nil MusicClasses: only "default" exists
	ev := h.connect("ringside")
	cust := h.bridgedPair(ev)
	h.mustDo(200, "POST", "/bridges/hold-c", map[string]any{"type": "holding"})
	h.mustDo(204, "POST", "/bridges/hold-c/addChannel", map[string]any{"channel": cust})
	ev.expect("ChannelLeftBridge:room", "ChannelEnteredBridge:hold-c")
	h.mustDo(204, "POST", "/bridges/hold-c/moh", map[string]any{"mohClass": "jazz"})
	if c, ok := h.musicClass(cust); !ok || c != "default" {
		t.Errorf("class %q %v, want the default class", c, ok)
	}

	h2 := newHarness(t, Options{MusicClasses: []string{"jazz"}})
	ev2 := h2.connect("ringside")
	cust2 := h2.bridgedPair(ev2)
	h2.mustDo(200, "POST", "/bridges/hold-c", map[string]any{"type": "holding"})
	h2.mustDo(204, "POST", "/bridges/hold-c/addChannel", map[string]any{"channel": cust2})
	ev2.expect("ChannelLeftBridge:room", "ChannelEnteredBridge:hold-c")
	h2.mustDo(204, "POST", "/bridges/hold-c/moh", nil) // "default", which this install lacks
	if c, ok := h2.musicClass(cust2); ok || h2.music(cust2) || h2.legState(cust2) != LegUp {
		t.Errorf("no default class: class %q %v, state %s; want silence", c, ok, h2.legState(cust2))
	}
	h2.mustDo(204, "POST", "/bridges/hold-c/moh", map[string]any{"mohClass": "jazz"})
	if c, ok := h2.musicClass(cust2); !ok || c != "jazz" {
		t.Errorf("class %q %v, want jazz", c, ok)
	}
}

// Channel MOH with a class: the channel hears that class. When no class
// is found, ast_moh_start starts nothing and the channel goes on as
// before: in its bridge it still hears the others.
func TestChannelMusicClasses(t *testing.T) {
	h := newHarness(t, Options{MusicClasses: []string{"jazz"}})
	ev := h.connect("ringside")
	cust := h.bridgedPair(ev)

	h.mustDo(204, "POST", "/channels/"+cust+"/moh", map[string]any{"mohClass": "jazz"})
	if c, ok := h.musicClass(cust); !ok || c != "jazz" || hearsOrFail(t, h.sim, "agent", cust) {
		t.Errorf("jazz: class %q %v; the customer should hear only the music", c, ok)
	}
	h.mustDo(204, "DELETE", "/channels/"+cust+"/moh", nil)

	h.mustDo(204, "POST", "/channels/"+cust+"/moh", nil) // default: missing here
	if c, ok := h.musicClass(cust); ok || h.music(cust) || h.legState(cust) != LegUp {
		t.Errorf("missing class: class %q %v, state %s; want no music", c, ok, h.legState(cust))
	}
	if !hearsOrFail(t, h.sim, "agent", cust) || !hearsOrFail(t, h.sim, cust, "agent") {
		t.Error("a failed channel MOH cut the conversation")
	}
	h.mustDo(204, "DELETE", "/channels/"+cust+"/moh", nil)
	ev.quiet(50 * time.Millisecond)
	if _, ok := h.sim.MusicClass("nobody"); ok {
		t.Error("MusicClass of an unknown leg")
	}
}
