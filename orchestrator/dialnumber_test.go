package orchestrator

import "testing"

// S4.1: E.164, IDD and US national forms; bad input refused with a reason.
func TestNormalizeDialNumber_S4_1(t *testing.T) {
	ok := map[string]string{
		"+4930123456":       "+4930123456",
		"01161123456789":    "+61123456789",
		"0044 20 7946 0958": "+442079460958",
		"(415) 555-0100":    "+14155550100",
		"415.555.0100":      "+14155550100",
	}
	for in, want := range ok {
		got, err := NormalizeDialNumber(in)
		if err != nil || got != want {
			t.Errorf("%q → %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "abc", "+49-30x", "12345", "+1234567890123456", "0112", "+0123456789"} {
		if _, err := NormalizeDialNumber(bad); ErrorCode(err) != CodeInvalid {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}

func FuzzNormalizeDialNumber(f *testing.F) {
	for _, s := range []string{"+4930123456", "011 61 1234", "(415) 555-0100", "", "+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeDialNumber(s)
		if err == nil && (len(got) < 9 || got[0] != '+') {
			t.Fatalf("%q normalised to %q", s, got)
		}
	})
}

// R5, R6: personal extension first, own virtual extension as "mobile
// <number>", then the others; other users' virtual extensions hidden.
func TestStationList_R5_R6(t *testing.T) {
	exts := []Extension{
		{ID: 1, Number: "2001", Kind: ExtensionPhysical},
		{ID: 2, Number: "2002", Kind: ExtensionPhysical},
		{ID: 3, Number: "8001", Kind: ExtensionVirtual, OwnerID: 7, Mobile: "+15550007"},
		{ID: 4, Number: "8002", Kind: ExtensionVirtual, OwnerID: 8, Mobile: "+15550008"},
	}
	u := User{ID: 7, AllowRemote: true, PersonalExtensionID: 2}
	got := StationList(u, exts)
	want := []string{"2002", "mobile +15550007", "2001"}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i, w := range want {
		if got[i].Label != w {
			t.Fatalf("entry %d = %q, want %q (%+v)", i, got[i].Label, w, got)
		}
	}
	if other := StationList(User{ID: 9}, exts); len(other) != 2 {
		t.Fatalf("user without virtual extension sees %+v", other)
	}
}
