package store

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ringside/ringside/orchestrator"
)

// R4: allow remote sign-in, mobile number and virtual extension are saved
// together; saving links the virtual extension to the agent, and the
// extension always rings the agent's (one) mobile.
func TestSetRemoteAccessLinksVirtualExtension_R4(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	admin := must[orchestrator.User](t)(db.AddUser(ctx, orchestrator.User{Login: "root@example.com", Name: "Root",
		Roles: []orchestrator.Role{orchestrator.RoleAdmin}}, "password1"))
	ann := must[orchestrator.User](t)(db.AddUser(ctx, agentUser("ann@example.com"), "password1"))

	// Spaces and a national number are normalized to E.164.
	got := must[orchestrator.RemoteAccess](t)(db.SetRemoteAccess(ctx, admin.ID, ann.ID, orchestrator.RemoteAccess{
		AllowRemote: true, Mobile: " (555) 123-4567 ", VirtualExtension: " 8101 "}))
	want := orchestrator.RemoteAccess{AllowRemote: true, Mobile: "+15551234567", VirtualExtension: "8101"}
	if got != want {
		t.Fatalf("SetRemoteAccess = %+v, want %+v", got, want)
	}
	v := must[orchestrator.Extension](t)(db.ExtensionByNumber(ctx, "8101"))
	if v.Kind != orchestrator.ExtensionVirtual || v.OwnerID != ann.ID || v.Mobile != "+15551234567" {
		t.Fatalf("virtual extension = %+v", v)
	}
	if u := must[orchestrator.User](t)(db.User(ctx, ann.ID)); u.Remote() != want {
		t.Errorf("User().Remote() = %+v", u.Remote())
	}
	if us := must[[]orchestrator.User](t)(db.Users(ctx)); us[0].VirtualExtension != "8101" || us[1].VirtualExtension != "" {
		t.Errorf("Users virtual extensions = %q, %q", us[0].VirtualExtension, us[1].VirtualExtension)
	}
	// R6: the station list shows it as "mobile <number>".
	u := must[orchestrator.User](t)(db.User(ctx, ann.ID))
	list := orchestrator.StationList(u, must[[]orchestrator.Extension](t)(db.Extensions(ctx)))
	if len(list) == 0 || list[0].Label != "mobile +15551234567" {
		t.Errorf("station list = %+v", list)
	}

	// A new mobile: the virtual extension follows it.
	if err := db.RememberStation(ctx, ann.ID, orchestrator.StationRequest{Type: orchestrator.StationExtension, Number: "8101"}); err != nil {
		t.Fatal(err)
	}
	must[orchestrator.RemoteAccess](t)(db.SetRemoteAccess(ctx, admin.ID, ann.ID, orchestrator.RemoteAccess{
		AllowRemote: true, Mobile: "+442079460958", VirtualExtension: "8101"}))
	if v := must[orchestrator.Extension](t)(db.ExtensionByNumber(ctx, "8101")); v.Mobile != "+442079460958" {
		t.Errorf("virtual extension mobile after change = %q", v.Mobile)
	}

	// Renumbering keeps the same extension row and the remembered station.
	must[orchestrator.RemoteAccess](t)(db.SetRemoteAccess(ctx, admin.ID, ann.ID, orchestrator.RemoteAccess{
		AllowRemote: true, Mobile: "+442079460958", VirtualExtension: "8102"}))
	if r := must[orchestrator.Extension](t)(db.ExtensionByNumber(ctx, "8102")); r.ID != v.ID {
		t.Errorf("renumbered extension id %d, was %d", r.ID, v.ID)
	}
	if st := must[*orchestrator.StationRequest](t)(db.RememberedStation(ctx, ann.ID)); st == nil || st.Number != "8102" {
		t.Errorf("remembered station after renumber = %+v", st)
	}

	// Clearing removes it, and the remembered station with it.
	got = must[orchestrator.RemoteAccess](t)(db.SetRemoteAccess(ctx, admin.ID, ann.ID, orchestrator.RemoteAccess{Mobile: "+442079460958"}))
	if got != (orchestrator.RemoteAccess{Mobile: "+442079460958"}) {
		t.Errorf("after clearing = %+v", got)
	}
	if _, err := db.ExtensionByNumber(ctx, "8102"); orchestrator.ErrorCode(err) != orchestrator.CodeNotFound {
		t.Errorf("virtual extension survived clearing: %v", err)
	}
	if st := must[*orchestrator.StationRequest](t)(db.RememberedStation(ctx, ann.ID)); st != nil {
		t.Errorf("remembered station after removal = %+v", st)
	}

	// Every change is in the audit trail, with who made it.
	log := must[[]orchestrator.AuditEntry](t)(db.AuditLog(ctx, 0))
	if len(log) != 4 || log[0].Action != "admin.remote_access" || log[0].ActorID != admin.ID || log[0].TargetUserID != ann.ID {
		t.Errorf("audit = %+v", log)
	}
}

// R4: a refused save names the field and changes nothing.
func TestSetRemoteAccessRefusalsChangeNothing_R4(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ann := must[orchestrator.User](t)(db.AddUser(ctx, agentUser("ann@example.com"), "password1"))
	bob := must[orchestrator.User](t)(db.AddUser(ctx, mobileUser("bob@example.com", "+15559876543"), "password1"))
	must[orchestrator.Extension](t)(db.AddExtension(ctx, orchestrator.Extension{Number: "2001", DialString: "PJSIP/2001", Kind: "physical"}))
	must[orchestrator.RemoteAccess](t)(db.SetRemoteAccess(ctx, 0, bob.ID, orchestrator.RemoteAccess{AllowRemote: true, Mobile: "+15559876543", VirtualExtension: "8200"}))
	must[orchestrator.RemoteAccess](t)(db.SetRemoteAccess(ctx, 0, ann.ID, orchestrator.RemoteAccess{AllowRemote: true, Mobile: "+15551234567", VirtualExtension: "8100"}))

	snapshot := func() ([]orchestrator.User, []orchestrator.Extension) {
		return must[[]orchestrator.User](t)(db.Users(ctx)), must[[]orchestrator.Extension](t)(db.Extensions(ctx))
	}
	users, exts := snapshot()
	for _, c := range []struct {
		name string
		id   int64
		ra   orchestrator.RemoteAccess
		code orchestrator.Code
		msg  string
	}{
		{"bad mobile", ann.ID, orchestrator.RemoteAccess{AllowRemote: true, Mobile: "call me", VirtualExtension: "8100"}, orchestrator.CodeInvalid, "mobile: "},
		{"short mobile", ann.ID, orchestrator.RemoteAccess{AllowRemote: true, Mobile: "12", VirtualExtension: "8100"}, orchestrator.CodeInvalid, "mobile: 12"},
		{"remote without mobile", ann.ID, orchestrator.RemoteAccess{AllowRemote: true}, orchestrator.CodeInvalid, "mobile: required when remote sign-in is allowed"},
		{"virtual without mobile", ann.ID, orchestrator.RemoteAccess{VirtualExtension: "8100"}, orchestrator.CodeInvalid, "mobile: required for a virtual extension"},
		{"bad number", ann.ID, orchestrator.RemoteAccess{Mobile: "+15551234567", VirtualExtension: "81 00"}, orchestrator.CodeInvalid, "virtual_extension:"},
		{"physical number", ann.ID, orchestrator.RemoteAccess{Mobile: "+15551234567", VirtualExtension: "2001"}, orchestrator.CodeConflict, "virtual_extension: 2001 is a physical extension"},
		{"another user's", ann.ID, orchestrator.RemoteAccess{Mobile: "+15551234567", VirtualExtension: "8200"}, orchestrator.CodeConflict, `virtual_extension: 8200 is the virtual extension of "bob@example.com"`},
		{"unknown user", 999, orchestrator.RemoteAccess{Mobile: "+15551234567"}, orchestrator.CodeNotFound, "user 999 not found"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.SetRemoteAccess(ctx, 0, c.id, c.ra)
			wantCode(t, err, c.code, c.msg)
			if u, e := snapshot(); !reflect.DeepEqual(u, users) || !reflect.DeepEqual(e, exts) {
				t.Errorf("changed by a refused save:\n%+v\n%+v", u, e)
			}
		})
	}
}

// UpdateUser and AddUser save remote settings through the same step, so a
// user's mobile and their virtual extension's never part.
func TestUserSaveKeepsVirtualExtensionInStep_R4(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in := mobileUser("ann@example.com", "+1 555 123 4567")
	in.AllowRemote, in.VirtualExtension = true, "8101"
	ann := must[orchestrator.User](t)(db.AddUser(ctx, in, "password1"))
	if ann.Mobile != "+15551234567" || ann.VirtualExtension != "8101" {
		t.Fatalf("AddUser = %+v", ann)
	}
	if v := must[orchestrator.Extension](t)(db.ExtensionByNumber(ctx, "8101")); v.OwnerID != ann.ID || v.Mobile != "+15551234567" {
		t.Fatalf("virtual extension = %+v", v)
	}

	ann.Mobile = "+15550001111"
	ann = must[orchestrator.User](t)(db.UpdateUser(ctx, ann, ""))
	if v := must[orchestrator.Extension](t)(db.ExtensionByNumber(ctx, "8101")); v.Mobile != "+15550001111" {
		t.Errorf("virtual extension mobile after UpdateUser = %q", v.Mobile)
	}

	// The mobile cannot go while the virtual extension rings it.
	bad := ann
	bad.Mobile, bad.Name = "", "Renamed"
	_, err := db.UpdateUser(ctx, bad, "")
	wantCode(t, err, orchestrator.CodeInvalid, "mobile: required")
	if got := must[orchestrator.User](t)(db.User(ctx, ann.ID)); !reflect.DeepEqual(got, ann) {
		t.Errorf("changed by a refused update:\n%+v\nwas %+v", got, ann)
	}

	// An extension written directly rings the owner's mobile too.
	ext := must[orchestrator.Extension](t)(db.ExtensionByNumber(ctx, "8101"))
	ext.Number = "8109"
	if got := must[orchestrator.Extension](t)(db.UpdateExtension(ctx, ext)); got.Mobile != "+15550001111" {
		t.Errorf("UpdateExtension mobile = %q", got.Mobile)
	}
	if got := must[orchestrator.User](t)(db.User(ctx, ann.ID)); got.VirtualExtension != "8109" {
		t.Errorf("user's virtual extension after renumbering it directly = %q", got.VirtualExtension)
	}
}

// Migration 0003: where a virtual extension and its owner disagreed on the
// mobile (set separately before R4's single source), the extension's — the
// one that rang — becomes the user's.
func TestMigrationCopiesVirtualMobileToUser_R4(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ann := must[orchestrator.User](t)(db.AddUser(ctx, agentUser("ann@example.com"), "password1"))
	bob := must[orchestrator.User](t)(db.AddUser(ctx, mobileUser("bob@example.com", "+15550002222"), "password1"))
	// The old shape, written past the store's rules.
	for _, q := range []string{
		`INSERT INTO extensions (number, kind, owner_id, mobile) VALUES ('8101', 'virtual', ?, '+15550001111')`,
		`INSERT INTO extensions (number, kind, owner_id, mobile) VALUES ('8102', 'virtual', ?, '+15550003333')`,
	} {
		id := ann.ID
		if strings.Contains(q, "8102") {
			id = bob.ID
		}
		if _, err := db.w.ExecContext(ctx, q, id); err != nil {
			t.Fatal(err)
		}
	}
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.version == 3 {
			if _, err := db.w.ExecContext(ctx, m.sql); err != nil {
				t.Fatal(err)
			}
		}
	}
	for id, want := range map[int64]string{ann.ID: "+15550001111", bob.ID: "+15550003333"} {
		if u := must[orchestrator.User](t)(db.User(ctx, id)); u.Mobile != want {
			t.Errorf("%s mobile = %q, want %q", u.Login, u.Mobile, want)
		}
	}
}

// R4, P5: renumbering the virtual extension of an agent signed in on it
// moves their open sign-in along, so a controller restart finds the agent's
// station again rather than ending the sign-in on a number that is gone.
func TestRenumberVirtualExtensionMovesOpenSession_R4_P5(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ann := must[orchestrator.User](t)(db.AddUser(ctx, agentUser("ann@example.com"), "password1"))
	must[orchestrator.RemoteAccess](t)(db.SetRemoteAccess(ctx, 0, ann.ID, orchestrator.RemoteAccess{
		AllowRemote: true, Mobile: "+15551234567", VirtualExtension: "8101"}))
	at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	closed := must[int64](t)(db.StartAgentSession(ctx, orchestrator.AgentSessionRecord{UserID: ann.ID, Role: orchestrator.SignInAgent,
		StationType: orchestrator.StationExtension, StationNumber: "8101", StartedAt: at, EndedAt: at.Add(time.Hour)}))
	open := must[int64](t)(db.StartAgentSession(ctx, orchestrator.AgentSessionRecord{UserID: ann.ID, Role: orchestrator.SignInAgent,
		StationType: orchestrator.StationExtension, StationNumber: "8101", StartedAt: at.Add(2 * time.Hour)}))

	must[orchestrator.RemoteAccess](t)(db.SetRemoteAccess(ctx, 0, ann.ID, orchestrator.RemoteAccess{
		AllowRemote: true, Mobile: "+15551234567", VirtualExtension: "8102"}))
	sessions := must[[]orchestrator.AgentSessionRecord](t)(db.OpenAgentSessions(ctx))
	if len(sessions) != 1 || sessions[0].ID != open || sessions[0].StationNumber != "8102" {
		t.Fatalf("open sessions after renumbering = %+v, want session %d on 8102", sessions, open)
	}
	var past string
	if err := db.r.QueryRowContext(ctx, `SELECT station_number FROM agent_sessions WHERE id = ?`, closed).Scan(&past); err != nil {
		t.Fatal(err)
	}
	if past != "8101" {
		t.Errorf("an ended sign-in was rewritten: station %q, want 8101 (history stays as it was)", past)
	}
}
