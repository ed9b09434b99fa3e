package pbxsim

import "testing"

// PBX-NOTES, Monitoring (measured on 23.4.1): mute direction=in on a snoop
// silences only what the supervisor hears; in barge the customer and the
// agent still hear the supervisor. Muting the supervisor's own leg "in"
// stops their voice everywhere, whispers included.
func TestPausedBargeStillWhispers(t *testing.T) {
	h, ev, cust := callWithSupervisor(t)
	snoopInto(h, ev, "barge", "both")
	call := map[[2]string]bool{{cust, "agent"}: true, {"agent", cust}: true}
	barge := map[[2]string]bool{
		{cust, "agent"}: true, {"agent", cust}: true,
		{cust, "sup"}: true, {"agent", "sup"}: true,
		{"sup", cust}: true, {"sup", "agent"}: true,
	}
	hearing(t, h.sim, cust, barge)

	// Pause: the supervisor hears nothing, the call still hears them.
	h.mustDo(204, "POST", "/channels/barge/mute?direction=in", nil)
	hearing(t, h.sim, cust, map[[2]string]bool{
		{cust, "agent"}: true, {"agent", cust}: true,
		{"sup", cust}: true, {"sup", "agent"}: true,
	})

	// Out both ways: the supervisor's own leg muted in as well.
	h.mustDo(204, "POST", "/channels/sup/mute?direction=in", nil)
	hearing(t, h.sim, cust, call)

	// Resume listening only: still nobody hears the supervisor.
	h.mustDo(204, "DELETE", "/channels/barge/mute?direction=in", nil)
	hearing(t, h.sim, cust, map[[2]string]bool{
		{cust, "agent"}: true, {"agent", cust}: true,
		{cust, "sup"}: true, {"agent", "sup"}: true,
	})
}

// Coach (whisper=out) paused: the agent alone still hears the supervisor.
func TestPausedCoachStillWhispersToTheAgent(t *testing.T) {
	h, ev, cust := callWithSupervisor(t)
	snoopInto(h, ev, "coach", "out")
	h.mustDo(204, "POST", "/channels/coach/mute?direction=in", nil)
	hearing(t, h.sim, cust, map[[2]string]bool{
		{cust, "agent"}: true, {"agent", cust}: true,
		{"sup", "agent"}: true,
	})
}

// Not measured, from the source: muting the spied channel "in" drops its
// voice frames in a framehook before the whisper audiohook mixes into them
// (__ast_read in main/channel.c), so a whisper=in snoop no longer reaches
// the customer either. (The model already did this: a guard, like the
// tests above, which also passed before they were written down.)
func TestWhisperInStopsWithTheSpiedChannelsMute(t *testing.T) {
	h, ev, cust := callWithSupervisor(t)
	snoopInto(h, ev, "to-cust", "in")
	if !hearsOrFail(t, h.sim, "sup", cust) {
		t.Fatal("whisper=in: the customer does not hear the supervisor")
	}
	h.mustDo(204, "POST", "/channels/agent/mute?direction=in", nil)
	hearing(t, h.sim, cust, map[[2]string]bool{
		{cust, "agent"}: true, {cust, "sup"}: true,
	})
}
