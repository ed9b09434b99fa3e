// Package esl will implement the orchestrator's Media port on FreeSWITCH's
// Event Socket (github.com/percipia/eslgo), as PBX-NOTES.md records it:
// inbound connection, plain events ordered by Event-Sequence, bgapi with
// client-chosen Job-UUIDs, uuid_bridge / conferences for rooms, eavesdrop
// for monitoring and uuid_record for recordings. Until then `ringside serve`
// refuses pbx: freeswitch with a clear message.
package esl
