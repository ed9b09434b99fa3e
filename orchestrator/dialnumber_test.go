package orchestrator

import (
	"strings"
	"testing"
)

// S4.1: national numbers in the picked country, E.164 and IDD whatever the
// country, all to E.164.
func TestParseDialNumber_S4_1(t *testing.T) {
	for _, c := range []struct{ raw, region, want string }{
		// The requirement's own examples: possible, though not valid ranges.
		{"+11234567890", "", "+11234567890"},
		{"01161123456789", "", "+61123456789"},
		{"01161123456789", "GB", "+61123456789"}, // IDD whatever the picker says
		{"01161123456789", "DE", "+61123456789"},
		{"0061 2 9876 5432", "US", "+61298765432"},
		{"+44 20 7946 0958", "JP", "+442079460958"},
		// North America: "" is +1.
		{"(415) 555-0100", "", "+14155550100"},
		{"415.555.0100", "US", "+14155550100"},
		{"1 415 555 0100", "US", "+14155550100"},
		{"604 555 0199", "CA", "+16045550199"},
		// United Kingdom with and without the trunk 0; Leeds' 0113 is not IDD 011.
		{"07911 123456", "GB", "+447911123456"},
		{"7911 123456", "GB", "+447911123456"},
		{"0113 496 0000", "gb", "+441134960000"},
		{"00 44 20 7946 0958", "GB", "+442079460958"},
		{"030 123456", "DE", "+4930123456"},
		{"01 23 45 67 89", "FR", "+33123456789"},
		{"6 12 34 56 78", "FR", "+33612345678"},
		{"0412 345 678", "AU", "+61412345678"},
		{"0011 61 2 9876 5432", "AU", "+61298765432"}, // Australia's own IDD
		{"98765 43210", "IN", "+919876543210"},
		{"(11) 91234-5678", "BR", "+5511912345678"},
		{"090-1234-5678", "JP", "+819012345678"},
		{"+4930123456", "", "+4930123456"},
	} {
		got, err := ParseDialNumber(c.raw, c.region)
		if err != nil || got != c.want {
			t.Errorf("ParseDialNumber(%q, %q) = %q, %v; want %q", c.raw, c.region, got, err, c.want)
		}
	}
}

// S4.1: refused numbers carry the reason, without a field prefix.
func TestParseDialNumberReasons_S4_1(t *testing.T) {
	for _, c := range []struct{ raw, region, want string }{
		{"", "", "empty"},
		{"   ", "GB", "empty"},
		{"abc", "", "abc: not a number"},
		{"1-800-FLOWERS", "US", "1-800-FLOWERS: not a number"},
		{"+49-30x", "", "+49-30x: not a number"},
		{"+", "", "+: not a number"},
		{"+99 123", "", "+99 123: +99 is not a country calling code"},
		{"+99123456", "", "+99123456: +991 is not a country calling code"},
		{"0123", "GB", "0123: too short for United Kingdom (+44)"},
		{"+44 20 7946 0958 1234", "", "too long for United Kingdom (+44)"},
		{"555 0100", "US", "555 0100: too short for United States (+1): include the area code"},
		{"12345", "", "12345: too short for United States (+1)"},
		{"604 555 01", "CA", "too short for Canada (+1)"},
		{"+1234567890123456", "", "too long for United States (+1)"},
		{"0112", "", "0112: "},
		{"2125550100", "XX", `"XX" is not a known country`},
	} {
		got, err := ParseDialNumber(c.raw, c.region)
		if ErrorCode(err) != CodeInvalid || !strings.Contains(ErrorMessage(err), c.want) {
			t.Errorf("ParseDialNumber(%q, %q) = %q, %v; want an invalid error containing %q", c.raw, c.region, got, err, c.want)
		}
		if err != nil && strings.HasPrefix(err.Error(), "station.") {
			t.Errorf("%q: reason %q carries a field prefix", c.raw, err)
		}
	}
}

// The picker offers the default +1 and well-known countries with their codes.
func TestDialCountries_S4_1(t *testing.T) {
	codes := map[string]int{}
	for _, c := range DialCountries() {
		codes[c.Region] = c.Code
	}
	for region, code := range map[string]int{"US": 1, "CA": 1, "GB": 44, "DE": 49, "FR": 33, "AU": 61, "IN": 91, "BR": 55, "JP": 81} {
		if codes[region] != code {
			t.Errorf("%s: code %d, want %d", region, codes[region], code)
		}
	}
	if codes[DefaultDialRegion] != 1 {
		t.Errorf("default region %s is not +1", DefaultDialRegion)
	}
}

func FuzzParseDialNumber(f *testing.F) {
	for _, s := range []string{"+4930123456", "011 61 1234", "(415) 555-0100", "", "+", "0044"} {
		f.Add(s, "")
		f.Add(s, "GB")
	}
	f.Fuzz(func(t *testing.T, s, region string) {
		got, err := ParseDialNumber(s, region)
		if err == nil && (len(got) < 3 || got[0] != '+' || strings.Trim(got[1:], "0123456789") != "") {
			t.Fatalf("%q in %q parsed to %q", s, region, got)
		}
		if err != nil && ErrorCode(err) != CodeInvalid {
			t.Fatalf("%q in %q: %v is not CodeInvalid", s, region, err)
		}
	})
}
