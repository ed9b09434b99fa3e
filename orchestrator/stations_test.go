package orchestrator

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// R5, R6: each user sees their personal extension first, then their own
// virtual extension as "mobile <number>" (only when remote sign-in is
// allowed), then every other physical extension; nobody sees another
// user's virtual extension.
func TestStationList_R5_R6(t *testing.T) {
	exts := []Extension{
		{ID: 1, Number: "2001", Kind: ExtensionPhysical},
		{ID: 2, Number: "2002", Kind: ExtensionPhysical},
		{ID: 3, Number: "8001", Kind: ExtensionVirtual, OwnerID: 7, Mobile: "+15555550107"},
		{ID: 4, Number: "2003", Kind: ExtensionPhysical},
		{ID: 5, Number: "8002", Kind: ExtensionVirtual, OwnerID: 8, Mobile: "+447911123456"},
	}
	for _, c := range []struct {
		name string
		user User
		want []string
	}{
		{"personal and allowed virtual extension",
			User{ID: 7, AllowRemote: true, PersonalExtensionID: 2},
			[]string{"2002", "mobile +15555550107", "2001", "2003"}},
		{"virtual extension but remote sign-in not allowed",
			User{ID: 8, AllowRemote: false},
			[]string{"2001", "2002", "2003"}},
		{"neither",
			User{ID: 9},
			[]string{"2001", "2002", "2003"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, o := range StationList(c.user, exts) {
				got = append(got, o.Label)
				if o.Virtual != (o.Label != o.Number) {
					t.Errorf("%+v: virtual flag and label disagree", o)
				}
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
}

// S4.1, S7: a dial-number station is read in the picked country; one in use
// by another signed-in user is refused naming them, also when it is the
// same phone as their virtual extension's mobile, and the other way round.
func TestDialNumberStationConflicts_S4_1_S7(t *testing.T) {
	h := newHarness(t)
	h.store.mu.Lock()
	for id, mobile := range map[int64]string{1: "+1 (415) 555-0123", 3: "+447911123456"} {
		u := h.store.users[id]
		u.AllowRemote = true
		h.store.users[id] = u
		h.store.exts = append(h.store.exts, Extension{ID: 10 + id, Number: fmt.Sprintf("800%d", id), Kind: ExtensionVirtual, OwnerID: id, Mobile: mobile})
	}
	h.store.mu.Unlock()
	signIn := func(id int64, st StationRequest) (AgentView, error) {
		return h.o.SignIn(h.ctx, SignInRequest{UserID: id, Role: SignInAgent, Station: st})
	}

	v, err := signIn(1, StationRequest{Type: StationExtension, Number: "8001"})
	if err != nil {
		t.Fatal(err)
	}
	if want := (StationView{Type: StationExtension, Number: "8001", Virtual: true, Mobile: "+14155550123"}); v.Station != want {
		t.Fatalf("virtual station %+v, want %+v", v.Station, want)
	}
	h.wantState(1, StateVirtual)

	for _, c := range []struct {
		st   StationRequest
		code Code
		want string
	}{
		{StationRequest{Type: StationDialNumber, Number: "415-555-0123"}, CodeConflict,
			"dial number +14155550123 is in use by Agent 1 on their virtual extension 8001 (mobile +14155550123)"},
		{StationRequest{Type: StationDialNumber, Number: "0123", Country: "GB"}, CodeInvalid,
			"station.number: 0123: too short for United Kingdom (+44)"},
		{StationRequest{Type: StationDialNumber, Number: "0123", Country: "Narnia"}, CodeInvalid,
			`station.country: "NARNIA" is not a known country`},
	} {
		_, err := signIn(2, c.st)
		if ErrorCode(err) != c.code || !strings.HasPrefix(ErrorMessage(err), c.want) {
			t.Errorf("%+v: got %v, want %s %q", c.st, err, c.code, c.want)
		}
	}

	v, err = signIn(2, StationRequest{Type: StationDialNumber, Number: "07911 123456", Country: "GB"})
	if err != nil || v.Station.Number != "+447911123456" {
		t.Fatalf("GB national number: %+v, %v", v.Station, err)
	}
	_, err = signIn(3, StationRequest{Type: StationDialNumber, Number: "00447911123456"})
	if ErrorCode(err) != CodeConflict || ErrorMessage(err) != "dial number +447911123456 is in use by Agent 2" {
		t.Errorf("same dial number: %v", err)
	}
	_, err = signIn(3, StationRequest{Type: StationExtension, Number: "8003"})
	if want := "your virtual extension 8003 (mobile +447911123456) is in use by Agent 2 on dial number +447911123456"; ErrorCode(err) != CodeConflict || ErrorMessage(err) != want {
		t.Errorf("virtual extension whose mobile is in use: %v, want %q", err, want)
	}

	// R3: the virtual extension's offers go to the mobile through the trunk.
	h.call("cust-1", "support", nil)
	h.stationLeg("PJSIP/+14155550123@trunk")
}
