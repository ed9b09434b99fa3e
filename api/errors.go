package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ringside/ringside/orchestrator"
)

// errorBody is the one error shape of the API: {"error":{"code","message"}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// httpError is an error the API raises itself with an explicit status: a
// payload that cannot be decoded (400), a throttled login (429). Everything
// else is an *orchestrator.Error (or a plain error: internal) and gets its
// status from statusFor.
type httpError struct {
	Status  int
	Code    string
	Message string
}

func (e *httpError) Error() string { return e.Message }

// badRequest reports a request that cannot be read: malformed JSON, an
// unknown field, a value of the wrong type, an unparsable query parameter.
func badRequest(format string, args ...any) error {
	return &httpError{Status: http.StatusBadRequest, Code: string(orchestrator.CodeInvalid), Message: fmt.Sprintf(format, args...)}
}

// invalid reports a payload that was read but whose values are wrong (422).
func invalid(format string, args ...any) error {
	return orchestrator.Errorf(orchestrator.CodeInvalid, format, args...)
}

// statusFor maps an application error code to its HTTP status. This is the
// one place where codes become statuses (see DESIGN "API and desktop"):
// CodeInvalid is 422 because the orchestrator raises it for values that were
// read but are not acceptable; payloads that cannot be read at all are 400
// (badRequest).
func statusFor(code orchestrator.Code) int {
	switch code {
	case orchestrator.CodeInvalid:
		return http.StatusUnprocessableEntity
	case orchestrator.CodeUnauthorized:
		return http.StatusUnauthorized
	case orchestrator.CodeForbidden:
		return http.StatusForbidden
	case orchestrator.CodeNotFound:
		return http.StatusNotFound
	case orchestrator.CodeConflict:
		return http.StatusConflict
	case orchestrator.CodeUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// codeForStatus names the error code of a status that echo itself raised
// (no route, method not allowed, body too large).
func codeForStatus(status int) orchestrator.Code {
	switch {
	case status == http.StatusUnauthorized:
		return orchestrator.CodeUnauthorized
	case status == http.StatusForbidden:
		return orchestrator.CodeForbidden
	case status == http.StatusNotFound:
		return orchestrator.CodeNotFound
	case status == http.StatusConflict:
		return orchestrator.CodeConflict
	case status == http.StatusServiceUnavailable:
		return orchestrator.CodeUnavailable
	case status >= 400 && status < 500:
		return orchestrator.CodeInvalid
	default:
		return orchestrator.CodeInternal
	}
}

// errorHandler is echo's HTTPErrorHandler: every error a handler or
// middleware returns is written here, in the one error shape. Internal
// details are logged, never sent.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, detail := s.describe(err, c)
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	_ = c.JSON(status, errorBody{Error: detail})
}

func (s *Server) describe(err error, c echo.Context) (int, errorDetail) {
	var he *httpError
	var ee *echo.HTTPError
	var oe *orchestrator.Error
	switch {
	case errors.As(err, &he):
		return he.Status, errorDetail{Code: he.Code, Message: he.Message}
	case errors.As(err, &oe):
		status := statusFor(oe.Code)
		if oe.Code == orchestrator.CodeInternal || status == http.StatusInternalServerError {
			s.log.Error("request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
			return http.StatusInternalServerError, errorDetail{Code: string(orchestrator.CodeInternal), Message: "internal error"}
		}
		return status, errorDetail{Code: string(oe.Code), Message: oe.Message}
	case errors.As(err, &ee):
		code := codeForStatus(ee.Code)
		r := c.Request()
		var msg string
		switch ee.Code {
		case http.StatusNotFound:
			msg = "no such endpoint: " + r.Method + " " + r.URL.Path
		case http.StatusMethodNotAllowed:
			msg = "method " + r.Method + " is not allowed on " + r.URL.Path
		default:
			msg = http.StatusText(ee.Code)
			if m, ok := ee.Message.(string); ok && m != "" {
				msg = m
			}
			msg = strings.ToLower(msg[:1]) + msg[1:]
		}
		if code == orchestrator.CodeInternal {
			s.log.Error("request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
			msg = "internal error"
		}
		return ee.Code, errorDetail{Code: string(code), Message: msg}
	default:
		// context.Canceled, store failures, bugs: never shown.
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
		return http.StatusInternalServerError, errorDetail{Code: string(orchestrator.CodeInternal), Message: "internal error"}
	}
}

// maxBody bounds every JSON request body.
const maxBody = 64 << 10

// decode reads the request body as exactly one JSON value into v, strictly:
// unknown fields, wrong types, trailing data and oversize bodies are 400s
// whose message names the field.
func decode(c echo.Context, v any) error {
	r := c.Request()
	body := http.MaxBytesReader(c.Response(), r.Body, maxBody)
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return badRequest("request body: unexpected data after the JSON value")
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("request body: unexpected data after the JSON value")
	}
	return nil
}

// decodeError turns encoding/json's errors into messages that name the field.
func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, io.EOF):
		return badRequest("request body: a JSON object is required")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("request body: the JSON is cut short")
	case errors.As(err, &syn):
		return badRequest("request body: malformed JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badRequest("request body: expected a JSON %s, got %s", jsonKind(typ.Type.Kind().String()), typ.Value)
		}
		return badRequest("%s: expected %s, got %s", typ.Field, jsonKind(typ.Type.Kind().String()), typ.Value)
	case errors.As(err, &tooBig):
		return &httpError{Status: http.StatusRequestEntityTooLarge, Code: string(orchestrator.CodeInvalid), Message: fmt.Sprintf("request body: larger than %d bytes", tooBig.Limit)}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return badRequest("%s: unknown field", name)
	}
	return badRequest("request body: %s", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	}
	return goKind
}
