package orchestrator

import (
	"errors"
	"fmt"
)

// Code classifies an application error. The HTTP layer maps each code to a
// status in one place; the CLI prints the message and exits non-zero.
type Code string

const (
	CodeInvalid      Code = "invalid"      // bad input: 400/422
	CodeUnauthorized Code = "unauthorized" // not signed in: 401
	CodeForbidden    Code = "forbidden"    // role or ownership: 403
	CodeNotFound     Code = "not_found"    // 404
	CodeConflict     Code = "conflict"     // a rule forbids it now: 409
	CodeUnavailable  Code = "unavailable"  // PBX link or database down: 503
	CodeInternal     Code = "internal"     // a bug or an unexpected failure: 500
)

// Error is the one application error type. Message is safe to show to the
// user; internal details belong in logs, not here.
type Error struct {
	Code    Code
	Message string
}

func (e *Error) Error() string { return e.Message }

// Errorf builds an *Error with a formatted, user-facing message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an *Error anywhere in err's chain, or
// CodeInternal for any other non-nil error.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the user-facing message of err: the *Error's message,
// or a generic text that reveals nothing internal.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
