// Package ari implements the orchestrator's Media port on Asterisk ARI.
//
// REST commands go through github.com/CyCoreSystems/ari/v6's native client;
// events are read from the ARI WebSocket by the adapter itself (see
// link.go for why) and decoded with ari/v6's decoder. The adapter is thin:
// it keeps no call state beyond what classifying events and cleaning up
// holding bridges need.
//
// # Commands
//
// Ids are the orchestrator's: DialRequest.Leg becomes the originate
// channelId and a RoomID the bridge id, so every event can be matched to an
// intent recorded before the request (Asterisk may send a leg's events
// before the originate returns).
//
//	Dial       POST /channels app=<Application> appArgs=dialed channelId timeout callerId variables
//	Answer     POST /channels/{leg}/answer
//	Hangup     DELETE /channels/{leg}?reason=normal|busy|no_answer|rejected|congestion
//	NewRoom    POST /bridges/{room} type=mixing
//	Join       POST /bridges/{room}/addChannel channel={leg}  (moves it from any other bridge)
//	Leave      POST /bridges/{room}/removeChannel channel={leg}
//	CloseRoom  DELETE /bridges/{room}
//	Hold       POST /bridges/hold-{app}-{run}-{n} type=holding name={leg},
//	           POST /bridges/hold-{app}-{run}-{n}/moh mohClass={music},
//	           POST /bridges/hold-{app}-{run}-{n}/addChannel channel={leg} role=participant
//	           (a new bridge id every time; Join moves the leg back; see
//	           hold.go for the holding bridge's life)
//	Record     POST /bridges/{room}/record name={rec} format=wav ifExists=overwrite
//	PauseRecording / ResumeRecording  POST / DELETE /recordings/live/{rec}/pause
//	StopRecording                     POST /recordings/live/{rec}/stop
//	Legs       GET /channels, read directly (see legs.go): the channels the
//	           adapter knows or that sit in Stasis for the application,
//	           snoops left out; Answered = state Up and in Stasis
//	Monitor …  snoop channels and a monitor bridge (monitor.go), a snoop
//	           bridged only after its StasisStart; pause mutes the snoop and
//	           the supervisor's leg (direction=in), so they are out both ways;
//	           MoveMonitor snoops the new target in the current mode before
//	           hanging up the old snoop (monitor_move.go), so the supervisor's
//	           leg stays
//
// Failures are *Error values naming the leg, room and recording; they
// unwrap to an *orchestrator.Error with code not_found, conflict or
// unavailable where that applies (IsNotFound tests the first). Bad input
// (an empty leg, a recording name outside the port's alphabet) is refused
// with code invalid before anything is sent.
//
// # Events
//
//   - StasisStart of a channel the adapter did not dial → MediaIncoming:
//     Queue from the queue=NAME argument (dialplan
//     Stasis(ringside,queue=NAME)), Caller from the caller number,
//     Variables from the channel's RINGSIDE_VAR_* channelvars with the
//     prefix stripped. Asterisk includes a variable only when ari.conf
//     lists it in channelvars.
//   - Dial RINGING or ChannelStateChange Ringing of a dialled leg →
//     MediaRinging, once.
//   - StasisStart of a dialled leg (state Up) → MediaAnswered, once. It is
//     not reported at ChannelStateChange Up or Dial ANSWER, which come
//     first: until StasisStart the leg is not under the application's
//     control and joining it to a room fails (422).
//   - StasisEnd of a leg in the application → MediaHungUp: a call that
//     entered from the dialplan gets no ChannelDestroyed at all (measured
//     on 23.4.1), and a leg out of Stasis is out of the controller's
//     hands. The cause is the far end's, from ChannelHangupRequest (a
//     soft request, i.e. an ARI hang-up, carries a flag instead: then the
//     cause our Hangup asked for), normal when none is known.
//   - ChannelDestroyed of a leg not reported at StasisEnd (a dialled leg
//     that never answered) → MediaHungUp with a Cause from the cause code
//     and the leg's last dial status: BUSY → busy (Asterisk then reports
//     cause 0), CONGESTION/CHANUNAVAIL → failed, 16 → normal, 17 → busy,
//     19 → no_answer, 21 → rejected, 0 after an answer → normal, anything
//     else → failed.
//   - A lost WebSocket, or a first connection that fails (Asterisk not up
//     yet: Start still succeeds and keeps trying) → MediaLinkDown; every
//     successful connection (including the first) → MediaLinkUp. Events while the link was down
//     are lost, as on Asterisk: the orchestrator catches up after a
//     MediaLinkUp by asking Legs which legs are still there (P4), and the
//     adapter sweeps the holding and monitor bridges left behind, by those
//     legs or by a previous controller (sweep.go).
//   - Recording events (RecordingStarted, RecordingFinished) are not
//     reported: the port has no event for them yet.
//
// Events reach Events in the order Asterisk sent them, through an
// unbounded-enough queue, so a slow orchestrator never stalls the reader.
package ari
