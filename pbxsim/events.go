package pbxsim

import (
	"encoding/json"
	"strings"
)

// ariTime is AST_ISO8601_FORMAT as ARI prints it, and the only layout the
// ari/v6 client parses.
const ariTime = "2006-01-02T15:04:05.000-0700"

type callerJSON struct {
	Name   string `json:"name"`
	Number string `json:"number"`
}

type dialplanJSON struct {
	Context  string `json:"context"`
	Exten    string `json:"exten"`
	Priority int    `json:"priority"`
	AppName  string `json:"app_name"`
	AppData  string `json:"app_data"`
}

// channelJSON is ast_channel_snapshot_to_json.
type channelJSON struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	State        string            `json:"state"`
	ProtocolID   string            `json:"protocol_id"`
	Caller       callerJSON        `json:"caller"`
	Connected    callerJSON        `json:"connected"`
	AccountCode  string            `json:"accountcode"`
	Dialplan     dialplanJSON      `json:"dialplan"`
	CreationTime string            `json:"creationtime"`
	Language     string            `json:"language"`
	ChannelVars  map[string]string `json:"channelvars,omitempty"`
}

// bridgeJSON is ast_bridge_snapshot_to_json.
type bridgeJSON struct {
	ID           string   `json:"id"`
	Technology   string   `json:"technology"`
	BridgeType   string   `json:"bridge_type"`
	BridgeClass  string   `json:"bridge_class"`
	Creator      string   `json:"creator"`
	Name         string   `json:"name"`
	Channels     []string `json:"channels"`
	CreationTime string   `json:"creationtime"`
	VideoMode    string   `json:"video_mode"`
}

func (s *Sim) channelJSON(ch *channel) channelJSON {
	return channelJSON{
		ID:          ch.id,
		Name:        ch.name,
		State:       ch.state,
		Caller:      callerJSON{Name: ch.caller.name, Number: ch.caller.number},
		Connected:   callerJSON{},
		AccountCode: "",
		Dialplan: dialplanJSON{
			Context: ch.dialplan.context, Exten: ch.dialplan.exten, Priority: ch.dialplan.priority,
			AppName: ch.dialplan.app, AppData: ch.dialplan.appData,
		},
		CreationTime: ch.created.Format(ariTime),
		Language:     "en",
		ChannelVars:  s.ariVars(ch.vars),
	}
}

// ariVars picks the variables ari.conf `channelvars` would expose.
func (s *Sim) ariVars(vars map[string]string) map[string]string {
	out := map[string]string{}
	if s.opts.ChannelVars == nil {
		for k, v := range vars {
			if strings.HasPrefix(k, "RINGSIDE_VAR_") {
				out[k] = v
			}
		}
	} else {
		for _, name := range s.opts.ChannelVars {
			if v, ok := vars[name]; ok {
				out[name] = v
			}
		}
	}
	if len(out) == 0 {
		return nil // Asterisk omits the key when nothing is listed
	}
	return out
}

func bridgeJSONOf(b *bridge) bridgeJSON {
	return bridgeJSON{
		ID:           b.id,
		Technology:   b.technology(),
		BridgeType:   b.typ,
		BridgeClass:  "stasis",
		Creator:      "Stasis",
		Name:         b.name,
		Channels:     b.memberIDs(),
		CreationTime: b.created.Format(ariTime),
		VideoMode:    "talker",
	}
}

// emitLocked sends one event to the WebSocket of each named application
// (deduplicated). It runs under s.mu, which is what keeps every call's
// events in model order; delivery itself is queued per connection.
func (s *Sim) emitLocked(apps []string, typ string, fields map[string]any) {
	seen := make(map[string]bool, len(apps))
	for _, app := range apps {
		if app == "" || seen[app] {
			continue
		}
		seen[app] = true
		conn := s.apps[app]
		if conn == nil {
			continue // no WebSocket: Asterisk drops the event
		}
		ev := make(map[string]any, len(fields)+4)
		for k, v := range fields {
			ev[k] = v
		}
		ev["type"] = typ
		ev["timestamp"] = s.clock.Now().Format(ariTime)
		ev["application"] = app
		ev["asterisk_id"] = s.opts.EntityID
		data, err := json.Marshal(ev)
		if err != nil {
			s.log.Error("encoding event", "type", typ, "err", err)
			continue
		}
		conn.send(data)
	}
}

// Channel-scoped event helpers.

// emitChannelLocked publishes a channel event to the channel's
// application, if the application follows the channel at that moment:
// while it is in Stasis, or for good when the application originated it
// (channel.subscribed). StasisEnd is emitted before inStasis is cleared.
func (s *Sim) emitChannelLocked(ch *channel, typ string, extra map[string]any) {
	if !ch.inStasis && !ch.subscribed {
		return
	}
	fields := map[string]any{"channel": s.channelJSON(ch)}
	for k, v := range extra {
		fields[k] = v
	}
	s.emitLocked([]string{ch.app}, typ, fields)
}

func (s *Sim) emitDialLocked(ch *channel, status string) {
	s.emitLocked([]string{ch.app}, "Dial", map[string]any{
		"dialstatus": status,
		"forward":    "",
		"dialstring": ch.resource,
		"peer":       s.channelJSON(ch),
	})
}

func (s *Sim) emitBridgeMoveLocked(typ string, b *bridge, ch *channel) {
	s.emitLocked(append([]string{ch.app}, b.apps...), typ, map[string]any{
		"bridge":  bridgeJSONOf(b),
		"channel": s.channelJSON(ch),
	})
}
