package api

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
)

type harness struct {
	t      *testing.T
	srv    *httptest.Server
	ctl    *fakeController
	acc    *fakeAccounts
	sim    *fakeSim
	client *http.Client
}

func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// newHarness serves a Server over fakes; mod adjusts its Options.
func newHarness(t *testing.T, mod ...func(*Options)) *harness {
	t.Helper()
	h := &harness{t: t, ctl: newFakeController(), acc: newFakeAccounts()}
	opts := Options{Controller: h.ctl, Accounts: h.acc, Logger: quietLogger()}
	for _, m := range mod {
		m(&opts)
	}
	if s, ok := opts.Sim.(*fakeSim); ok {
		h.sim = s
	}
	h.srv = httptest.NewServer(New(opts).Handler())
	t.Cleanup(h.srv.Close)
	jar, _ := cookiejar.New(nil)
	h.client = &http.Client{Jar: jar}
	return h
}

// response is an answer with its body read.
type response struct {
	*http.Response
	body []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
}

// apiError decodes the error shape, failing the test if the body is not it.
func (r response) apiError(t *testing.T) errorDetail {
	t.Helper()
	var b map[string]json.RawMessage
	r.json(t, &b)
	if len(b) != 1 || b["error"] == nil {
		t.Fatalf("body %s: want exactly {\"error\":{…}}", r.body)
	}
	var d struct {
		Code    *string `json:"code"`
		Message *string `json:"message"`
	}
	if err := json.Unmarshal(b["error"], &d); err != nil || d.Code == nil || d.Message == nil || *d.Message == "" {
		t.Fatalf("body %s: want error.code and error.message", r.body)
	}
	return errorDetail{Code: *d.Code, Message: *d.Message}
}

// do sends a request. body is a string (sent as is) or a value (as JSON).
// State-changing requests carry the server's own Origin unless hdr sets
// "Origin" (to "" to send none).
func (h *harness) do(method, path string, body any, hdr ...string) response {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if method != http.MethodGet && method != http.MethodHead {
		req.Header.Set("Origin", h.srv.URL)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := h.client.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp, b}
}

// login signs u in; its password follows the fakes' rule.
func (h *harness) login(u string) response {
	h.t.Helper()
	r := h.do("POST", "/api/v1/auth/login", map[string]string{"login": u + "@example.com", "password": "pw-" + u})
	if r.StatusCode != http.StatusOK {
		h.t.Fatalf("login %s: %d %s", u, r.StatusCode, r.body)
	}
	return r
}

func (h *harness) want(r response, status int) {
	h.t.Helper()
	if r.StatusCode != status {
		h.t.Fatalf("%s %s: status %d, want %d; body %s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.body)
	}
}

// wantError checks status and the error shape and returns the detail.
func (h *harness) wantError(r response, status int, code string) errorDetail {
	h.t.Helper()
	h.want(r, status)
	d := r.apiError(h.t)
	if d.Code != code {
		h.t.Fatalf("%s %s: error code %q, want %q (%s)", r.Request.Method, r.Request.URL.Path, d.Code, code, r.body)
	}
	return d
}
