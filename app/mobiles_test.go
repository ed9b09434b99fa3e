package app

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/ringside/ringside/orchestrator"
)

type usersOnly []orchestrator.User

func (u usersOnly) Users(context.Context) ([]orchestrator.User, error) { return u, nil }

// R4: mobiles saved before phonenumbers validation, without a country
// code, are named at start so an administrator can fix them; E.164 ones
// and users without a mobile are not.
func TestWarnStoredMobiles_R4(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	warnStoredMobiles(context.Background(), usersOnly{
		{Login: "ok@x", Mobile: "+447911123456"},
		{Login: "none@x"},
		{Login: "old@x", Mobile: "07911123456", AllowRemote: true},
		{Login: "bare@x", Mobile: "4155550100"},
	}, log)
	out := buf.String()
	for _, want := range []string{"user=old@x", "user=bare@x"} {
		if !strings.Contains(out, want) {
			t.Errorf("no warning for %s:\n%s", want, out)
		}
	}
	for _, not := range []string{"ok@x", "none@x", "07911123456"} {
		if strings.Contains(out, not) {
			t.Errorf("log mentions %s:\n%s", not, out)
		}
	}
}
