package ari

import (
	"testing"
)

// FuzzDecodeEvent feeds arbitrary frames to the decoder and translator: a
// malformed or hostile frame must never panic the link reader.
func FuzzDecodeEvent(f *testing.F) {
	seeds := []string{
		`{"type":"StasisStart",` + ts + `,"args":["queue=support"],"channel":` + chanJSON("c1", "Ring") + `}`,
		`{"type":"StasisStart",` + ts + `,"args":["dialed"],"channel":` + chanJSON("a1", "Up") + `}`,
		`{"type":"Dial",` + ts + `,"dialstatus":"RINGING","peer":` + chanJSON("a1", "Ringing") + `}`,
		`{"type":"ChannelStateChange",` + ts + `,"channel":` + chanJSON("a1", "Ringing") + `}`,
		`{"type":"ChannelDestroyed",` + ts + `,"cause":19,"cause_txt":"x","channel":` + chanJSON("a1", "Ringing") + `}`,
		`{"type":"ChannelEnteredBridge",` + ts + `,"bridge":{"id":"r","channels":["a1"]},"channel":` + chanJSON("a1", "Up") + `}`,
		`{"type":"ApplicationReplaced",` + ts + `}`,
		`{"type":"StasisStart","channel":{"id":"c","channelvars":{"RINGSIDE_VAR_a":"b"},"caller":null},"args":null}`,
		`{"type":"ChannelDestroyed","timestamp":"not a time","channel":{}}`,
		`{"type":"Dial","peer":{"id":"a1","creationtime":"2026-13-45T99:99:99.000+0000"}}`,
		`{"type":""}`, `[]`, `null`, `{"type":"Nope"}`, ``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr := newTranslator()
		tr.expectDial("a1")
		ev, err := decodeEvent(data)
		if err != nil {
			return
		}
		for _, me := range tr.translate(ev) {
			if me.Kind == "" {
				t.Fatalf("event without a kind from %q", data)
			}
		}
	})
}
