package pbxsim

import (
	"slices"
	"strings"
	"time"
)

// Channel states, spelled as ARI spells them (ast_state2str).
const (
	stateDown    = "Down"
	stateRing    = "Ring" // an inbound channel that has not been answered
	stateRinging = "Ringing"
	stateUp      = "Up"
)

// Q.850 hang-up causes used by the simulation (include/asterisk/causes.h).
const (
	causeUnknown     = 0
	causeNormal      = 16
	causeBusy        = 17
	causeNoAnswer    = 19
	causeRejected    = 21
	causeCongestion  = 34
	causeFailure     = 38
	softHangupFlag   = 32 // AST_SOFTHANGUP_EXPLICIT: the "cause" an ARI hang-up request reports
	defaultDialSecs  = 30 // originate timeout when the request gives none
	maxEndedChannels = 200
)

type callerID struct {
	name, number string
}

// dialplanLoc is where a channel sits in the dialplan (its "dialplan" JSON).
type dialplanLoc struct {
	context, exten string
	priority       int
	app, appData   string
}

// channel is one simulated Asterisk channel. Every field is guarded by
// Sim.mu.
type channel struct {
	id       string
	name     string // tech/resource-%08x, as channel drivers name them
	endpoint string // the dial string it was created for (PJSIP/2001)
	tech     string
	resource string
	state    string
	caller   callerID
	vars     map[string]string
	dialplan dialplanLoc
	created  time.Time

	outbound bool   // originated through ARI (a dialled leg)
	app      string // the Stasis application it belongs to
	appArgs  []string
	inStasis bool
	// subscribed: the application subscribed to the channel explicitly,
	// as originating into it does (stasis_app_subscribe_channel in
	// ari_channels_handle_originate_with_id). The implicit subscription
	// of Stasis() ends with StasisEnd, so only a subscribed channel's
	// ChannelDestroyed reaches the application (PBX-NOTES: customer calls
	// and snoops end with StasisEnd).
	subscribed bool

	bridge *bridge
	role   string // the bridge role given by the last addChannel (announcer, participant...)
	// music: the class of the channel's own music on hold (POST
	// /channels/{id}/moh); "" when none plays, including when no class
	// was found (music.go).
	music string
	// mutedIn: nobody hears this channel; mutedOut: it hears nothing
	// (POST /channels/{id}/mute?direction=in|out|both).
	mutedIn, mutedOut bool

	// snoop makes this a snoop channel (snoop.go); snoopedBy lists the
	// live snoops on this channel.
	snoop     *snoopInfo
	snoopedBy []*channel

	behavior Behavior
	timers   []func() bool // stop functions of pending Clock timers

	gone  bool // destroyed
	cause int  // hang-up cause once gone
	ended time.Time
}

// bridge is one ARI bridge. Members are kept in the order they entered.
type bridge struct {
	id      string
	name    string
	typ     string   // mixing, holding
	apps    []string // applications subscribed to it: those whose channels entered it
	members []*channel
	// moh: an Announcer/ARI_MOH channel is in the bridge (POST
	// /bridges/{id}/moh), playing mohClass, or silence when mohClass is ""
	// because no class was found (music.go). In a mixing bridge it is a
	// "lonely" bridge channel like the recorder below: it leaves, and the
	// music stops, when the last real member leaves
	// (bridge_channel_dissolve_check in main/bridge_channel.c). In a
	// holding bridge it was measured to stay (PBX-NOTES: the announcer was
	// still there after the held caller was moved out), which is what
	// keeps a deleted holding bridge alive for a while (dying.go).
	moh        bool
	mohClass   string
	recordings []*recording // live recordings of this bridge (lonely Recorder channels)
	created    time.Time
	stopLinger func() bool // cancels the end of a dying bridge (dying.go)
}

func (b *bridge) remove(ch *channel) {
	for i, m := range b.members {
		if m == ch {
			b.members = append(b.members[:i], b.members[i+1:]...)
			return
		}
	}
}

func (b *bridge) subscribe(app string) {
	if app != "" && !slices.Contains(b.apps, app) {
		b.apps = append(b.apps, app)
	}
}

func (b *bridge) memberIDs() []string {
	ids := make([]string, 0, len(b.members))
	for _, m := range b.members {
		ids = append(ids, m.id)
	}
	return ids
}

// technology mimics how Asterisk re-picks the bridge technology as members
// come and go (PBX-NOTES: simple_bridge, native_rtp, softmix).
func (b *bridge) technology() string {
	if b.typ == "holding" {
		return "holding_bridge"
	}
	// The music and recorder channels are bridge members too: "the bridge
	// goes softmix while recording" (PBX-NOTES).
	switch {
	case len(b.members) > 2 || b.moh || len(b.recordings) > 0:
		return "softmix"
	case len(b.members) == 2 && b.members[0].tech == "PJSIP" && b.members[1].tech == "PJSIP":
		return "native_rtp"
	default:
		return "simple_bridge"
	}
}

// splitEndpoint splits "PJSIP/2001@trunk" into "PJSIP" and "2001@trunk".
func splitEndpoint(endpoint string) (tech, resource string, ok bool) {
	tech, resource, ok = strings.Cut(endpoint, "/")
	if !ok || tech == "" || resource == "" {
		return "", "", false
	}
	return tech, resource, true
}

// parseCallerID reads `"Name" <number>`, `<number>` or a bare number, the
// forms the originate callerId parameter accepts.
func parseCallerID(s string) callerID {
	s = strings.TrimSpace(s)
	if open := strings.LastIndex(s, "<"); open >= 0 && strings.HasSuffix(s, ">") {
		name := strings.Trim(strings.TrimSpace(s[:open]), `"`)
		return callerID{name: name, number: s[open+1 : len(s)-1]}
	}
	return callerID{number: s}
}

// causeText is ast_cause2str for the causes the simulation produces.
func causeText(cause int) string {
	switch cause {
	case causeNormal:
		return "Normal Clearing"
	case causeBusy:
		return "User busy"
	case 18:
		return "No user responding"
	case causeNoAnswer:
		return "User alerting, no answer"
	case causeRejected:
		return "Call Rejected"
	case 1:
		return "Unallocated (unassigned) number"
	case 26:
		return "Answered elsewhere"
	case 28:
		return "Invalid number format"
	case 31:
		return "Normal, unspecified"
	case causeCongestion:
		return "Circuit/channel congestion"
	case causeFailure:
		return "Network out of order"
	case 58:
		return "Bearer capability not available"
	case 127:
		return "Interworking, unspecified"
	default:
		return "Unknown"
	}
}

// hangupReasons maps the ARI hang-up reasons to causes
// (convert_reason_to_hangup_code in res/ari/resource_channels.c).
var hangupReasons = map[string]int{
	"normal":             causeNormal,
	"busy":               causeBusy,
	"congestion":         causeCongestion,
	"no_answer":          causeNoAnswer,
	"timeout":            18,
	"rejected":           causeRejected,
	"unallocated":        1,
	"normal_unspecified": 31,
	"number_incomplete":  28,
	"codec_mismatch":     58,
	"interworking":       127,
	"failure":            causeFailure,
	"answered_elsewhere": 26,
}

// dialStatusForCause is ast_hangup_cause_to_dial_status: the dial status
// reported when a ringing leg goes away by itself.
func dialStatusForCause(cause int) string {
	switch cause {
	case causeBusy:
		return "BUSY"
	case causeCongestion:
		return "CONGESTION"
	case 3, 20:
		return "CHANUNAVAIL"
	default:
		return "NOANSWER"
	}
}
