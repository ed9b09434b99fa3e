package pbxsim

import (
	"fmt"
	"strings"
	"time"
)

// Outcome is what a dialled endpoint eventually does.
type Outcome int

const (
	// Manual rings until the leg is answered, rejected or hung up through
	// the Sim API, or auto-answered when auto-answer is on.
	Manual Outcome = iota
	Answer
	// NoAnswer rings until the originate timeout, even with auto-answer on.
	NoAnswer
	Busy
	Reject
)

func (o Outcome) String() string {
	switch o {
	case Manual:
		return "manual"
	case Answer:
		return "answer"
	case NoAnswer:
		return "noanswer"
	case Busy:
		return "busy"
	case Reject:
		return "reject"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Behavior scripts a dialled endpoint.
type Behavior struct {
	Outcome Outcome
	// After is how long the endpoint rings before the outcome (Answer, Busy,
	// Reject).
	After time.Duration
	// HangupAfter, when positive, hangs the leg up that long after it
	// answered.
	HangupAfter time.Duration
}

// ParseBehavior reads the SIM dial-string grammar (see the package comment)
// from the resource part of a SIM/ endpoint. ok is false when the resource
// is not a script (a plain station such as "2001").
func ParseBehavior(resource string) (b Behavior, ok bool, err error) {
	if !looksScripted(resource) {
		return Behavior{}, false, nil
	}
	outcomeSet := false
	for _, clause := range strings.Split(resource, "+") {
		name, arg, hasArg := strings.Cut(clause, "-after-")
		var d time.Duration
		if hasArg {
			if d, err = time.ParseDuration(arg); err != nil || d < 0 {
				return Behavior{}, true, fmt.Errorf("pbxsim: bad duration in %q", clause)
			}
		}
		switch name {
		case "answer", "busy", "reject":
			b.Outcome = map[string]Outcome{"answer": Answer, "busy": Busy, "reject": Reject}[name]
			b.After = d
			outcomeSet = true
		case "noanswer":
			if hasArg {
				return Behavior{}, true, fmt.Errorf("pbxsim: %q takes no duration", clause)
			}
			b.Outcome, b.After, outcomeSet = NoAnswer, 0, true
		case "hangup":
			if !hasArg {
				return Behavior{}, true, fmt.Errorf("pbxsim: %q needs -after-<duration>", clause)
			}
			b.HangupAfter = d
		default:
			return Behavior{}, true, fmt.Errorf("pbxsim: unknown clause %q", clause)
		}
	}
	if !outcomeSet && b.HangupAfter > 0 {
		b.Outcome = Answer
	}
	return b, true, nil
}

// looksScripted tells a script from a plain station name: a script's first
// clause is one of the keywords.
func looksScripted(resource string) bool {
	first, _, _ := strings.Cut(resource, "+")
	name, _, _ := strings.Cut(first, "-after-")
	switch name {
	case "answer", "noanswer", "busy", "reject", "hangup":
		return true
	}
	return false
}
