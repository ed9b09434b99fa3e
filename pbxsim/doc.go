// Package pbxsim is a simulated Asterisk that speaks ARI on the wire.
//
// It exists because CI cannot run a real PBX: the ari adapter (and through
// it the whole controller) talks to a Sim over real HTTP and WebSocket with
// the unmodified github.com/CyCoreSystems/ari/v6 client, exactly as it would
// talk to Asterisk. The behaviour copied here is the one measured on real
// Asterisk and recorded in PBX-NOTES.md; where the notes are silent the
// Asterisk source (res/ari/resource_*.c, main/dial.c, res/stasis) decided.
//
// # Model
//
// One core model, guarded by one mutex, holds channels, bridges (mixing and
// holding), music on hold, mute, live recordings and the Stasis
// application subscriptions. Every change emits its ARI events while the
// lock is held, so the events of one call always leave in the order
// Asterisk produces them:
//
//   - answering originate: Dial "" (dial begins), Dial RINGING,
//     ChannelStateChange Ringing, ChannelStateChange Up, Dial ANSWER,
//     StasisStart;
//   - no answer within the originate timeout: ChannelDestroyed cause 19
//     after the ringing events, and no NOANSWER Dial event;
//   - busy: Dial BUSY, then ChannelDestroyed cause 0;
//   - declined (Sim.Reject, SIM/reject): ChannelHangupRequest cause 21,
//     Dial NOANSWER (main/dial.c maps every other remote hang-up to it),
//     ChannelDestroyed cause 21;
//   - hang-up of a leg the application originated: ChannelHangupRequest,
//     ChannelLeftBridge (if bridged), StasisEnd, ChannelDestroyed (cause
//     16 for reason=normal);
//   - hang-up of a channel that entered from the dialplan (PlaceCall) or
//     of a snoop, from either side: ChannelHangupRequest (with the cause),
//     ChannelLeftBridge (if bridged), StasisEnd and no ChannelDestroyed:
//     Stasis() subscribes the application only until StasisEnd, while
//     originating subscribes it for the channel's life (measured);
//   - bridge recording: RecordingStarted, later RecordingFinished (with
//     the duration in whole seconds).
//
// Events may reach the WebSocket before the REST reply that caused them, as
// on Asterisk. Music on hold (channel or bridge), mute, ring indication,
// recording pause/mute and app-side answers of an already answered channel
// emit no events. Empty bridges are never destroyed automatically, but the
// recorder channels Asterisk puts into a bridge, and the music announcer
// of a mixing bridge, are "lonely": when the last real member leaves, the
// recordings finish and a mixing bridge's music stops
// (main/bridge_channel.c). A holding bridge's music announcer stays after
// the last caller left (measured), and a holding bridge deleted while it
// is there dies slowly: DELETE answers 204 and the bridge vanishes from
// GET /bridges and answers 404 to everything, but its id stays taken (POST
// /bridges/{id} → 409) until BridgeDestroyed comes Options.DyingBridgeLinger
// later (default 30 s of the Clock; see dying.go). Any other deleted bridge
// frees its id at once.
//
// Audio paths are modelled as a who-hears-whom relation (Sim.Hears, the
// rules are in audio.go): members of one mixing bridge hear each other
// (and bridge music, mixed in); a channel playing music on hold hears only
// the music, and outside a bridge nobody hears it (inside a bridge the
// others still hear it, as measured); a holding bridge passes no audio
// between participants, who hear only its music (POST /bridges/{id}/moh;
// without it, silence: ARI participants get idle mode "none") or a member
// added with role=announcer; mute direction=in silences a channel for
// everyone, direction=out silences everything for it; a channel that is
// not answered or has hung up hears nothing. Sim.Legs reports a leg "held"
// when it has channel music or sits in a holding bridge with music.
//
// Music plays in a class: the request's mohClass, "default" when it names
// none. Options.MusicClasses lists the classes that exist (nil: only
// "default"). As in local_ast_moh_start, a missing class falls back to
// "default" and, when that is missing too, the request still answers 204
// but nothing plays (Asterisk logs the class "not found"): a bridge's
// announcer plays silence, so a held caller hears nothing and stays cut
// off, and a channel's own MOH does not start at all, so the channel goes
// on hearing its bridge. Sim.HearsMusic and recordings count only audible
// music; Sim.MusicClass tells which class a leg hears (music.go).
//
// # Recordings
//
// POST /bridges/{id}/record writes a real WAV file (RIFF, PCM 16-bit mono
// 8000 Hz, format "wav") into Options.RecordingsDir (by default a
// temporary directory removed by Close; see Sim.RecordingsDir and
// Sim.RecordingFile). The recorder hears what a bridge member hears, and
// every live leg speaks a quiet tone of its own (ToneFrequency; bridge music
// is MusicFrequency), so a span in which someone is heard holds measurable
// audio, a muted span (/recordings/live/{name}/mute) holds digital silence
// and a paused span (/pause) is absent. Audio accrues with Options.Clock:
// the wall clock by default (the demo), or a *ManualClock with which a test
// "records 10 s with a 4 s pause" in no time and gets exact lengths. The
// refusals follow Asterisk (see recordings.go), except that a missing
// format is a 400 where Asterisk master crashes, and only format wav is
// written (other known formats are refused with 422). /recordings/stored,
// /stored/{name}, /stored/{name}/file and DELETE work on the directory's
// files.
//
// # Endpoint behaviour
//
// What a dialled endpoint does is decided, in order, by a Behavior set with
// Sim.SetBehavior for that exact dial string, by the dial string itself when
// its technology is SIM, and otherwise by the default: ring until the test
// or demo answers, rejects or hangs up the leg through the Sim API (or until
// auto-answer picks it up after Options.AutoAnswerDelay), bounded by the
// originate timeout (30 s when the request gives none, as on Asterisk).
//
// The SIM dial-string grammar is one or more clauses joined by "+":
//
//	answer               answer at once
//	answer-after-<d>     ring for d, then answer       SIM/answer-after-500ms
//	noanswer             ring until the originate timeout (ignores auto-answer)
//	busy, busy-after-<d> answer busy (at once, or after ringing for d)
//	reject, reject-after-<d>
//	                     decline the call (cause 21)
//	hangup-after-<d>     once answered, hang up after d (answers at once
//	                     unless another clause says otherwise)
//
// where <d> is a Go duration ("500ms", "3s"). Example:
// SIM/answer-after-1s+hangup-after-5s. Any other SIM resource (SIM/2001)
// gets the default behaviour, so simulated stations can simply be SIM/<ext>.
//
// # Customer calls and channel variables
//
// Sim.PlaceCall creates an inbound channel (PJSIP/customer-N, state Ring)
// that enters the application as if the dialplan ran
// Stasis(<app>,queue=<queue>) after Set(RINGSIDE_VAR_<k>=<v>) for each
// variable. Real Asterisk puts a channel variable into the channel's
// "channelvars" only when ari.conf lists its name in `channelvars`, so the
// administrator must list every RINGSIDE_VAR_* the dialplan sets there;
// Options.ChannelVars models that list (by default every RINGSIDE_VAR_*
// variable is included, as if the administrator listed them all).
//
// # The link
//
// Sim.DropLink cuts the control link the way a network failure or an
// Asterisk restart does: the event WebSockets are closed and every new
// request (REST or WebSocket) is dropped without an answer until
// Sim.RestoreLink. Calls carry on meanwhile; their events are lost, and a
// channel that answers into an application without a WebSocket is hung up,
// as on Asterisk. Only one WebSocket per application receives events: a new
// one replaces the old, which gets ApplicationReplaced.
//
// After the link is back a controller catches up with GET /channels, which
// lists every live channel of every application (ast_ari_channels_list
// reads the whole channel cache), an empty array when there is none. A
// channel in Stasis shows dialplan app_name "Stasis" and app_data
// "<app>,<args>": pbx_exec of Stasis from ari_originate_dial for an
// originated leg once it answers, the dialplan's Stasis() for a customer
// call. This is taken from the source, not measured.
//
// # Snoop
//
// POST /channels/{id}/snoop (and /snoop/{snoopId}) makes a Snoop channel
// that enters the application (StasisStart with appArgs) only
// Options.SnoopStartDelay after the reply (20 ms of wall time by default,
// whatever the Clock). Until then the application has no control on it,
// as on Asterisk where the snoop runs Stasis() in its own thread: an
// addChannel of it answers 422 "Channel not in Stasis application" and
// hangs the snoop up without any event (measured: clients must wait for
// the snoop's StasisStart), and /mute and the other channel controls
// answer 409 (find_control). Its
// audio is part of Sim.Hears: with spy=both, whoever shares a mixing
// bridge with the snoop hears both sides of the spied channel; whisper=out
// carries what the snoop hears to the spied channel only, in to the spied
// channel's partners only, both to both; a snoop never relays its own
// whisper (no echo). Mute direction=in on the snoop silences only what it
// spies, i.e. what the supervisor hears: its whisper goes on, so a paused
// barge or coach is still heard by the call (measured: 92–100 %), and
// only muting the supervisor's own leg "in" (or the snoop "out") stops
// that. A snoop
// that hangs up sends ChannelHangupRequest, ChannelLeftBridge (if bridged)
// and StasisEnd but no ChannelDestroyed (measured); snoops end with the
// spied channel. See snoop.go.
//
// # Not simulated
//
// Dialplan execution (originate to context/extension, /continue), Local
// channel pairs, /channels/create + /dial, channel recordings,
// playback, DTMF, /channels/{id}/hold, addChannel's mute and absorbDTMF,
// recording beep, terminateOn and maxSilenceSeconds (accepted, no effect)
// and the recordings "copy" route are not simulated yet; unknown routes
// answer 404 {"message":"Resource not found"} like Asterisk.
package pbxsim
