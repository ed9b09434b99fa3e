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
// One core model, guarded by one mutex, holds channels, mixing bridges, music
// on hold and the Stasis application subscriptions. Every change emits its
// ARI events while the lock is held, so the events of one call always leave
// in the order Asterisk produces them:
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
//   - hang-up: ChannelHangupRequest, ChannelLeftBridge (if bridged),
//     StasisEnd, ChannelDestroyed (cause 16 for reason=normal).
//
// Events may reach the WebSocket before the REST reply that caused them, as
// on Asterisk. Music on hold, ring indication and app-side answers of an
// already answered channel emit no events. Empty bridges are never destroyed
// automatically.
//
// Audio paths are modelled as a who-hears-whom relation (Sim.Hears): members
// of one mixing bridge hear each other; a channel playing music on hold
// hears only the music, and outside a bridge nobody hears it (inside a
// bridge the others still hear it, as measured); a holding bridge passes no
// audio; a channel that is not answered or has hung up hears nothing.
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
// # Not simulated
//
// Dialplan execution (originate to context/extension, /continue), Local
// channel pairs, /channels/create + /dial, snoop, recordings, playback,
// DTMF, mute and hold are not simulated yet; unknown routes answer 404
// {"message":"Resource not found"} like Asterisk.
package pbxsim
