package orchestrator

import (
	"context"
	"errors"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Commands that change what a call sounds like (hold, resume, consult,
// transfer, conference, recording pause, monitor modes) change the
// interaction only once the PBX has done it: a desktop that says "held"
// while the customer still hears the agent is a privacy failure. The loop
// checks the rules and starts the PBX work; the request waits for the
// PBX's verdict, which comes back into the loop, is applied there, and is
// the command's answer. Meanwhile the call's other commands are refused
// with what is under way (pbxBusy), so nothing is decided on a state the
// PBX has not reached.

// outcome carries one command's verdict from the loop to the request
// waiting for it.
type outcome struct {
	mu   sync.Mutex
	ch   chan error
	gone bool // nobody waits any more
}

func newOutcome() *outcome { return &outcome{ch: make(chan error, 1)} }

// report hands the verdict over; it reports whether the requester got it.
// A nil outcome (a change the controller made by itself, such as the
// privacy shield's resume) has nobody to tell.
func (w *outcome) report(err error) bool {
	if w == nil {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.gone {
		return false
	}
	select {
	case w.ch <- err:
		return true
	default:
		return false // reported already
	}
}

// wait returns the verdict, or stops waiting when ctx ends or the
// controller stops; the change then completes without its requester.
func (w *outcome) wait(ctx context.Context, o *Orchestrator) error {
	select {
	case err := <-w.ch:
		return err
	case <-ctx.Done():
	case <-o.done:
	}
	w.mu.Lock()
	w.gone = true
	w.mu.Unlock()
	select {
	case err := <-w.ch: // reported just before we gave up
		return err
	default:
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return ErrStopped
}

// doPBX runs f in the loop like do; when f accepts the command (returns
// nil) it has arranged for w to get the PBX's verdict, which doPBX waits
// for and returns.
func (o *Orchestrator) doPBX(ctx context.Context, f func(w *outcome) error) error {
	w := newOutcome()
	if err := o.do(ctx, func() error { return f(w) }); err != nil {
		return err
	}
	return w.wait(ctx, o)
}

// tell gives a failed change's message to whoever asked for it, or to user
// a as a notice when nobody waits for it any more (the request was
// cancelled, or the controller made the change by itself).
func (o *Orchestrator) tell(w *outcome, a *agent, err error) {
	if w.report(err) || err == nil || a == nil {
		return
	}
	o.notify(a, "error", ErrorMessage(err))
}

// pbxFailure is the user's account of a PBX command that failed: what
// could not be done, then why, in one sentence. It keeps the code of the
// PBX's error so the HTTP status says whether the call is gone (404), the
// PBX refused (409) or cannot be reached (503).
func pbxFailure(what string, err error) *Error {
	return Errorf(pbxCode(err), "%s: %s.", what, reasonOf(err))
}

// pbxCode is the code of a failed PBX command: its own, or unavailable
// when it has none (the PBX failed; nothing of ours is broken).
func pbxCode(err error) Code {
	if code := ErrorCode(err); code != CodeInternal {
		return code
	}
	return CodeUnavailable
}

// reasonOf shapes err's message to follow a colon inside a sentence: no
// final period, a small first letter unless the first word is an acronym
// ("ARI"). A failure with no message of its own is the phone system's.
func reasonOf(err error) string {
	var msg string
	var e *Error
	if errors.As(err, &e) {
		msg = e.Message
	} else {
		msg = "the phone system reported an error"
	}
	msg = strings.TrimRight(strings.TrimSpace(msg), ".")
	r, n := utf8.DecodeRuneInString(msg)
	if next, _ := utf8.DecodeRuneInString(msg[n:]); unicode.IsUpper(r) && !unicode.IsUpper(next) {
		msg = string(unicode.ToLower(r)) + msg[n:]
	}
	return msg
}
