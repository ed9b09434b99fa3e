package api

import (
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// Teams and queues on the admin pages (P6). Durations travel as whole
// seconds under the store's field names, so its messages ("ring_time:
// must be at least 1s") name the field the client sent.

type teamWire struct {
	ID   int64  `json:"id" put:"optional"`
	Name string `json:"name"`
}

func teamsResource(acc Accounts) adminResource[orchestrator.Team, teamWire] {
	return adminResource[orchestrator.Team, teamWire]{
		kind: "team", what: "team", plural: "teams", listKey: "teams",
		list: acc.Teams, add: acc.AddTeam, update: acc.UpdateTeam, remove: acc.RemoveTeam,
		id:     func(t orchestrator.Team) int64 { return t.ID },
		label:  func(t orchestrator.Team) string { return "team " + t.Name },
		toWire: func(t orchestrator.Team) teamWire { return teamWire(t) },
		fromWire: func(id int64, w teamWire) orchestrator.Team {
			return orchestrator.Team{ID: id, Name: w.Name}
		},
	}
}

type queueWire struct {
	ID                  int64  `json:"id" put:"optional"`
	Name                string `json:"name"`
	Priority            int    `json:"priority"`
	RingTime            int64  `json:"ring_time"`   // seconds
	WrapupTime          int64  `json:"wrapup_time"` // seconds; 0: until a code is chosen
	Recording           bool   `json:"recording"`
	PrivacyShield       int64  `json:"privacy_shield"` // seconds a recording pause lasts (A10.3)
	AllowEndWrapupEarly bool   `json:"allow_end_wrapup_early"`
	// MusicClass is the music on hold its callers hear (A5): a PBX class
	// name, "" for the configured default. Required on PUT like the rest:
	// left out, it would silently fall back to the default.
	MusicClass string `json:"music_class"`
}

func queuesResource(acc Accounts) adminResource[orchestrator.Queue, queueWire] {
	return adminResource[orchestrator.Queue, queueWire]{
		kind: "queue", what: "queue", plural: "queues", listKey: "queues",
		list: acc.Queues, add: acc.AddQueue, update: acc.UpdateQueue, remove: acc.RemoveQueue,
		id:    func(q orchestrator.Queue) int64 { return q.ID },
		label: func(q orchestrator.Queue) string { return "queue " + q.Name },
		toWire: func(q orchestrator.Queue) queueWire {
			return queueWire{ID: q.ID, Name: q.Name, Priority: q.Priority, RingTime: int64(q.RingTime / time.Second),
				WrapupTime: int64(q.WrapupTime / time.Second), Recording: q.Recording,
				PrivacyShield: int64(q.PrivacyShield / time.Second), AllowEndWrapupEarly: q.AllowEndWrapupEarly,
				MusicClass: q.MusicClass}
		},
		fromWire: func(id int64, w queueWire) orchestrator.Queue {
			return orchestrator.Queue{ID: id, Name: w.Name, Priority: w.Priority, RingTime: secondsOf(w.RingTime),
				WrapupTime: secondsOf(w.WrapupTime), Recording: w.Recording, PrivacyShield: secondsOf(w.PrivacyShield),
				AllowEndWrapupEarly: w.AllowEndWrapupEarly, MusicClass: w.MusicClass}
		},
	}
}

// secondsOf turns wire seconds into a duration, saturating so that a huge
// number is refused by the store's bounds rather than wrapping around.
func secondsOf(n int64) time.Duration {
	const limit = int64(1<<63-1) / int64(time.Second)
	switch {
	case n > limit:
		n = limit
	case n < -limit:
		n = -limit
	}
	return time.Duration(n) * time.Second
}
