package orchestrator

import "strings"

// NormalizeDialNumber checks a dial-number station (S4.1) and returns it in
// E.164 form. It accepts E.164 ("+4930123456"), IDD ("011…" from North
// America, "00…" elsewhere) and a ten-digit North American national number
// (the picker's default +1). Spaces, dashes, dots and parentheses are
// ignored; anything else is refused with the reason.
func NormalizeDialNumber(raw string) (string, error) {
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '.', '(', ')':
			return -1
		}
		return r
	}, strings.TrimSpace(raw))
	if s == "" {
		return "", Errorf(CodeInvalid, "station.number: enter a dial number")
	}
	plus := strings.HasPrefix(s, "+")
	digits := strings.TrimPrefix(s, "+")
	for _, r := range digits {
		if r < '0' || r > '9' {
			return "", Errorf(CodeInvalid, "station.number: %q may hold only digits after an optional +", raw)
		}
	}
	switch {
	case plus:
	case strings.HasPrefix(digits, "011"):
		digits = digits[3:]
	case strings.HasPrefix(digits, "00"):
		digits = digits[2:]
	case len(digits) == 10:
		digits = "1" + digits
	default:
		return "", Errorf(CodeInvalid, "station.number: %q is neither E.164 (+…), IDD (011… or 00…) nor a ten-digit +1 number", raw)
	}
	if strings.HasPrefix(digits, "0") {
		return "", Errorf(CodeInvalid, "station.number: %q: a country code never starts with 0", raw)
	}
	// E.164 allows at most 15 digits; fewer than 8 is no reachable number.
	if len(digits) < 8 || len(digits) > 15 {
		return "", Errorf(CodeInvalid, "station.number: %q must have 8 to 15 digits with its country code", raw)
	}
	return "+" + digits, nil
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
