package orchestrator

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// DefaultDialRegion is the picker's default country (S4.1: default +1).
const DefaultDialRegion = "US"

// ParseDialNumber checks a dial number (a dial-number station, S4.1, or a
// remote agent's mobile, R4) and returns it in E.164 form. region is the
// ISO 3166 country of a national number ("GB" reads "07911 123456" as
// +447911123456); "" means DefaultDialRegion. E.164 ("+11234567890") and
// IDD ("011…" as dialled from North America, "00…" from most elsewhere) are
// accepted whatever the region. The error is an *Error (CodeInvalid) whose
// message is the bare reason; callers prefix the field ("station.number: ",
// "mobile: ").
//
// A number passes when its country calling code exists and its length is
// one that country uses (phonenumbers.IsPossibleNumberWithReason). It need
// not be IsValidNumber: that also checks number ranges against metadata
// that lags real allocations, and it refuses the requirement's own examples
// (+11234567890 has area code 123; +61123456789 is in no Australian range),
// so an agent with a newly issued mobile would be locked out by a library
// update. Validity only breaks ties between two readings of one input.
func ParseDialNumber(raw, region string) (string, error) {
	input := strings.TrimSpace(raw)
	if input == "" {
		return "", Errorf(CodeInvalid, "empty")
	}
	region = strings.ToUpper(strings.TrimSpace(region))
	if region == "" {
		region = DefaultDialRegion
	}
	if err := CheckDialRegion(region); err != nil {
		return "", err
	}
	digits, plus, ok := dialDigits(input)
	if !ok || digits == "" {
		// phonenumbers would turn letters into keypad digits (1-800-FLOWERS);
		// a station is typed by hand, so letters are a typo, not a vanity number.
		return "", Errorf(CodeInvalid, "%s: not a number (digits, an optional leading +, spaces and - . ( ) / only)", input)
	}
	if plus {
		return pickReading(input, region, []string{"+" + digits})
	}
	// IDD readings come first so that "011…" and "00…" work whatever the
	// region; the national reading still wins when the IDD one is impossible
	// (Leeds is 0113 … in the UK) or is merely possible where it is valid.
	var readings []string
	if rest, ok := strings.CutPrefix(digits, "011"); ok {
		readings = append(readings, "+"+rest)
	}
	if rest, ok := strings.CutPrefix(digits, "00"); ok {
		readings = append(readings, "+"+rest)
	}
	readings = append(readings, digits)
	return pickReading(input, region, readings)
}

// CheckDialRegion says whether region is a country the picker offers ("" is
// the default); the reason has no field prefix.
func CheckDialRegion(region string) error {
	region = strings.ToUpper(strings.TrimSpace(region))
	if region != "" && phonenumbers.GetCountryCodeForRegion(region) == 0 {
		return Errorf(CodeInvalid, "%q is not a known country (an ISO 3166 code such as US or GB)", region)
	}
	return nil
}

// dialDigits keeps the digits of s; plus says it began with "+". ok is false
// when s holds anything but digits and the usual separators.
func dialDigits(s string) (digits string, plus, ok bool) {
	rest, plus := strings.CutPrefix(s, "+")
	var b strings.Builder
	for _, r := range rest {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')' || r == '/' || r == '\t':
		default:
			return "", plus, false
		}
	}
	return b.String(), plus, true
}

// pickReading parses each reading with phonenumbers and returns the first
// valid one, else the first possible one, else the reason the first reading
// fails.
func pickReading(input, region string, readings []string) (string, error) {
	var possible string
	var firstErr error
	for _, r := range readings {
		n, err := phonenumbers.Parse(r, region)
		if err == nil {
			err = possibleError(input, region, n)
		} else {
			err = parseError(input, r, err)
		}
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		e164 := phonenumbers.Format(n, phonenumbers.E164)
		if phonenumbers.IsValidNumber(n) {
			return e164, nil
		}
		if possible == "" {
			possible = e164
		}
	}
	if possible != "" {
		return possible, nil
	}
	return "", firstErr
}

// possibleError says why n is no dialable number, or nil.
func possibleError(input, region string, n *phonenumbers.PhoneNumber) error {
	cc := int(n.GetCountryCode())
	country := countryLabel(cc, region)
	switch phonenumbers.IsPossibleNumberWithReason(n) {
	case phonenumbers.IS_POSSIBLE:
		return nil
	case phonenumbers.IS_POSSIBLE_LOCAL_ONLY:
		return Errorf(CodeInvalid, "%s: too short for %s: include the area code", input, country)
	case phonenumbers.INVALID_COUNTRY_CODE:
		return Errorf(CodeInvalid, "%s: +%d is not a country calling code", input, cc)
	case phonenumbers.TOO_SHORT:
		return Errorf(CodeInvalid, "%s: too short for %s", input, country)
	case phonenumbers.TOO_LONG:
		return Errorf(CodeInvalid, "%s: too long for %s", input, country)
	}
	return Errorf(CodeInvalid, "%s: no number in %s has that many digits", input, country)
}

// parseError turns a phonenumbers parse failure of reading into a reason.
func parseError(input, reading string, err error) error {
	switch err {
	case phonenumbers.ErrInvalidCountryCode:
		return Errorf(CodeInvalid, "%s: %s is not a country calling code", input, unknownCallingCode(input, reading))
	case phonenumbers.ErrTooShortNSN, phonenumbers.ErrTooShortAfterIDD:
		return Errorf(CodeInvalid, "%s: too short", input)
	case phonenumbers.ErrNumTooLong:
		return Errorf(CodeInvalid, "%s: too long", input)
	}
	return Errorf(CodeInvalid, "%s: not a number", input)
}

// unknownCallingCode names the calling code the user meant in an
// international reading ("+99" for "+99 123"): the group they typed after
// the +, or else the shortest prefix that begins no calling code at all.
func unknownCallingCode(input, reading string) string {
	if after, ok := strings.CutPrefix(input, "+"); ok {
		if i := strings.IndexAny(after, " -.(/"); i > 0 && i <= 3 {
			return "+" + after[:i]
		}
	}
	digits := strings.TrimPrefix(reading, "+")
	for l := 1; l <= 3 && l <= len(digits); l++ {
		if !callingCodePrefix(digits[:l]) {
			return "+" + digits[:l]
		}
	}
	return "+" + digits[:min(3, len(digits))]
}

// callingCodePrefix says whether p begins some country calling code.
func callingCodePrefix(p string) bool {
	for cc := range phonenumbers.GetSupportedCallingCodes() {
		if strings.HasPrefix(strconv.Itoa(cc), p) {
			return true
		}
	}
	return false
}

// countryLabel names calling code cc for a reason: "United Kingdom (+44)".
// The picked region names it when it shares the code (Canada, not the
// United States, for +1 picked as CA); non-geographic codes are just "+800".
func countryLabel(cc int, picked string) string {
	r := picked
	if phonenumbers.GetCountryCodeForRegion(r) != cc {
		r = phonenumbers.GetRegionCodeForCountryCode(cc)
	}
	if name := regionName(r); name != "" {
		return fmt.Sprintf("%s (+%d)", name, cc)
	}
	return fmt.Sprintf("+%d", cc)
}

// regionName is the English name of an ISO 3166 region, or "".
func regionName(region string) string {
	reg, err := language.ParseRegion(region)
	if err != nil || !reg.IsCountry() {
		return ""
	}
	return display.English.Regions().Name(reg)
}

// DialCountry is one entry of the dial-number country picker (S4.1).
type DialCountry struct {
	Region string `json:"region"` // ISO 3166, e.g. "GB"
	Code   int    `json:"code"`   // calling code, e.g. 44
}

// DialCountries lists every region phonenumbers can parse national numbers
// for, sorted by region code; the browser names them in the user's language.
func DialCountries() []DialCountry {
	regions := phonenumbers.GetSupportedRegions()
	out := make([]DialCountry, 0, len(regions))
	for r := range regions {
		if cc := phonenumbers.GetCountryCodeForRegion(r); cc != 0 {
			out = append(out, DialCountry{Region: r, Code: cc})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Region < out[j].Region })
	return out
}

// NormalizeConsultNumber applies A6.2 to a consult or transfer dial number:
// every character but digits and the specials + # * : is stripped, and what
// is left must hold 3 to 18 digits. US numbers (2125550100, 12125550100),
// E.164 (+442079460958) and IDD (011442079460958) all pass as dialled.
func NormalizeConsultNumber(raw string) (string, error) {
	var b strings.Builder
	digits := 0
	for _, r := range raw {
		switch {
		case r >= '0' && r <= '9':
			digits++
			b.WriteRune(r)
		case r == '+' || r == '#' || r == '*' || r == ':':
			b.WriteRune(r)
		}
	}
	out := b.String()
	if digits < 3 || digits > 18 {
		return "", Errorf(CodeInvalid, "target.number: %q must have 3 to 18 digits (it has %d)", raw, digits)
	}
	if strings.Contains(out[1:], "+") {
		return "", Errorf(CodeInvalid, "target.number: %q: + may only lead the number", raw)
	}
	return out, nil
}
