package app

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"testing"
	"time"
)

// client is one signed-in user talking to the demo's REST API.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

// signIn logs login in and starts an agent session on extension ext.
func signIn(t *testing.T, d *Demo, login, ext string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: d.URL, http: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
	c.must("POST", "/api/v1/auth/login", map[string]any{"login": login, "password": DemoPassword}, http.StatusOK)
	c.must("POST", "/api/v1/session", map[string]any{"role": "agent", "station": map[string]any{"type": "extension", "number": ext}}, http.StatusCreated)
	return c
}

// call sends a request and returns the status and the decoded error message
// (or body).
func (c *client) call(method, path string, body any) (int, map[string]any) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", c.base)
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func (c *client) must(method, path string, body any, status int) map[string]any {
	c.t.Helper()
	got, out := c.call(method, path, body)
	if got != status {
		c.t.Fatalf("%s %s: %d %v, want %d", method, path, got, out, status)
	}
	return out
}

// conflict wants a 409 whose message is not empty, and returns it.
func (c *client) conflict(method, path string, body any) string {
	c.t.Helper()
	got, out := c.call(method, path, body)
	e, _ := out["error"].(map[string]any)
	msg, _ := e["message"].(string)
	if got != http.StatusConflict || e["code"] != "conflict" || msg == "" {
		c.t.Fatalf("%s %s: %d %v, want 409 conflict with a reason", method, path, got, out)
	}
	return msg
}
