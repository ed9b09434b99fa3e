package pbxsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// harness is a Sim served on loopback with a raw HTTP client, so tests see
// exactly the bytes an ARI client would.
type harness struct {
	t   *testing.T
	sim *Sim
	url string // http://127.0.0.1:port/ari
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	sim := New(opts)
	url, err := sim.ListenARI("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	return &harness{t: t, sim: sim, url: url}
}

// do sends an ARI request with the default credentials and decodes a JSON
// reply into a generic value.
func (h *harness) do(method, path string, body any) (int, any) {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, h.url+path, rd)
	req.SetBasicAuth("ringside", "ringside")
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	var out any
	data, _ := io.ReadAll(resp.Body)
	if len(bytes.TrimSpace(data)) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			h.t.Fatalf("%s %s: reply is not JSON: %q", method, path, data)
		}
	}
	return resp.StatusCode, out
}

// mustDo is do that insists on a status.
func (h *harness) mustDo(want int, method, path string, body any) any {
	h.t.Helper()
	got, out := h.do(method, path, body)
	if got != want {
		h.t.Fatalf("%s %s: status %d, want %d (%v)", method, path, got, want, out)
	}
	return out
}

// originate dials an endpoint into the "ringside" app with a chosen id.
func (h *harness) originate(id, endpoint string, timeout int) {
	h.t.Helper()
	h.mustDo(200, "POST", "/channels", map[string]any{
		"endpoint": endpoint, "app": "ringside", "appArgs": "dialed", "channelId": id, "timeout": timeout,
	})
}

// events is a raw event WebSocket.
type events struct {
	t    *testing.T
	conn *websocket.Conn
	ch   chan map[string]any
	done chan error
}

func (h *harness) connect(app string) *events {
	h.t.Helper()
	e, err := h.dial(app)
	if err != nil {
		h.t.Fatalf("event websocket: %v", err)
	}
	return e
}

func (h *harness) dial(app string) (*events, error) {
	wsURL := "ws" + strings.TrimPrefix(h.url, "http") + "/events?app=" + app
	hdr := http.Header{}
	hdr.Set("Authorization", "Basic cmluZ3NpZGU6cmluZ3NpZGU=") // ringside:ringside
	conn, _, err := websocket.DefaultDialer.Dial(wsURL, hdr)
	if err != nil {
		return nil, err
	}
	e := &events{t: h.t, conn: conn, ch: make(chan map[string]any, 1000), done: make(chan error, 1)}
	go func() {
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				e.done <- err
				return
			}
			var ev map[string]any
			if err := json.Unmarshal(data, &ev); err != nil {
				e.done <- err
				return
			}
			e.ch <- ev
		}
	}()
	h.t.Cleanup(func() { _ = conn.Close() })
	return e, nil
}

// next waits for the next event.
func (e *events) next() map[string]any {
	e.t.Helper()
	select {
	case ev := <-e.ch:
		return ev
	case err := <-e.done:
		e.t.Fatalf("event websocket closed: %v", err)
	case <-time.After(3 * time.Second):
		e.t.Fatal("no event within 3s")
	}
	return nil
}

// expect reads len(want) events and checks their summaries in order.
func (e *events) expect(want ...string) []map[string]any {
	e.t.Helper()
	var got []map[string]any
	var sums []string
	for range want {
		ev := e.next()
		got = append(got, ev)
		sums = append(sums, summary(ev))
	}
	if strings.Join(sums, " ") != strings.Join(want, " ") {
		e.t.Fatalf("events:\n got  %v\n want %v", sums, want)
	}
	return got
}

// quiet checks that no event arrives for a while.
func (e *events) quiet(d time.Duration) {
	e.t.Helper()
	select {
	case ev := <-e.ch:
		e.t.Fatalf("unexpected event %s", summary(ev))
	case <-time.After(d):
	}
}

// summary names an event with the detail tests care about:
// Dial:<dialstatus>, ChannelStateChange:<state>, ChannelDestroyed:<cause>,
// ChannelHangupRequest:<cause>, bridge events with the bridge id.
func summary(ev map[string]any) string {
	typ, _ := ev["type"].(string)
	switch typ {
	case "Dial":
		return fmt.Sprintf("Dial:%v", ev["dialstatus"])
	case "ChannelStateChange":
		return "ChannelStateChange:" + field(ev, "channel", "state")
	case "ChannelDestroyed", "ChannelHangupRequest":
		return fmt.Sprintf("%s:%v", typ, ev["cause"])
	case "ChannelEnteredBridge", "ChannelLeftBridge", "BridgeDestroyed":
		return typ + ":" + field(ev, "bridge", "id")
	}
	return typ
}

func field(ev map[string]any, obj, key string) string {
	m, _ := ev[obj].(map[string]any)
	s, _ := m[key].(string)
	return s
}

// answeredLeg dials id to an answering endpoint and consumes its events up
// to StasisStart.
func (h *harness) answeredLeg(ev *events, id string) {
	h.t.Helper()
	h.originate(id, "SIM/answer", 30)
	ev.expect("Dial:", "Dial:RINGING", "ChannelStateChange:Ringing", "ChannelStateChange:Up", "Dial:ANSWER", "StasisStart")
}

// answeredCustomer places a customer call and answers it from the app.
func (h *harness) answeredCustomer(ev *events) string {
	h.t.Helper()
	id, err := h.sim.PlaceCall("support", "5551234", nil)
	if err != nil {
		h.t.Fatal(err)
	}
	ev.expect("StasisStart")
	h.mustDo(204, "POST", "/channels/"+id+"/answer", nil)
	ev.expect("ChannelStateChange:Up")
	return id
}

func hearsOrFail(t *testing.T, s *Sim, from, to string) bool {
	t.Helper()
	ok, err := s.Hears(from, to)
	if err != nil {
		t.Fatalf("Hears(%s, %s): %v", from, to, err)
	}
	return ok
}
