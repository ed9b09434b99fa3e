package app

import (
	"context"
	"log/slog"
	"strings"

	"github.com/ringside/ringside/orchestrator"
)

// userLister is the part of the store warnStoredMobiles reads.
type userLister interface {
	Users(ctx context.Context) ([]orchestrator.User, error)
}

// warnStoredMobiles names, at start, the users whose stored mobile is not
// in E.164. Before R4 moved to phonenumbers a mobile could be saved as any
// 3–18 digits; such a number is now read as a +1 national number, which is
// a different phone for anyone outside North America. The administrator
// is told once, by login, so they can re-save it with its country code.
func warnStoredMobiles(ctx context.Context, db userLister, log *slog.Logger) {
	users, err := db.Users(ctx)
	if err != nil {
		log.Warn("could not check users' mobile numbers", "err", err)
		return
	}
	for _, u := range users {
		if u.Mobile == "" {
			continue
		}
		e164, err := orchestrator.ParseDialNumber(u.Mobile, "")
		if err != nil || !strings.HasPrefix(u.Mobile, "+") || e164 != u.Mobile {
			log.Warn("a user's mobile is not stored in E.164 (+ and country code); re-save it in Administration or with `ringside admin users update --mobile`",
				"user", u.Login, "remote_sign_in", u.AllowRemote)
		}
	}
}
