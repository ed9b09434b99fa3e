package pbxsim

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Handler returns the ARI front-end: REST under /ari and the event
// WebSocket at /ari/events, behind Basic auth (or ?api_key=user:pass).
// Mount it at "/ari/" on another server, or let ListenARI serve it.
func (s *Sim) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routeAsterisk(mux)
	s.routeChannels(mux)
	s.routeSnoop(mux)
	s.routeBridges(mux)
	s.routeRecordings(mux)
	mux.HandleFunc("GET /ari/events", s.handleEvents)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, ariErr(http.StatusNotFound, "Resource not found"))
	})
	return s.linkGate(s.authenticate(mux))
}

// linkGate drops every request while the link is cut, as a dead network
// does: no status, the connection just closes.
func (s *Sim) linkGate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.isLinkDown() {
			next.ServeHTTP(w, r)
			return
		}
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		http.Error(w, "link down", http.StatusServiceUnavailable)
	})
}

// authenticate checks the ARI user like res_ari.c: Basic auth, or an
// api_key=user:password query parameter.
func (s *Sim) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok {
			user, pass, ok = strings.Cut(r.URL.Query().Get("api_key"), ":")
		}
		if !ok || !s.credentialsOK(user, pass) {
			w.Header().Set("WWW-Authenticate", `Basic realm="Asterisk REST Interface"`)
			writeError(w, ariErr(http.StatusUnauthorized, "Authentication required"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Sim) credentialsOK(user, pass string) bool {
	u := subtle.ConstantTimeCompare([]byte(user), []byte(s.opts.Username))
	p := subtle.ConstantTimeCompare([]byte(pass), []byte(s.opts.Password))
	return u&p == 1
}

func (s *Sim) routeAsterisk(mux *http.ServeMux) {
	mux.HandleFunc("GET /ari/asterisk/info", func(w http.ResponseWriter, r *http.Request) {
		started := s.started.Format(ariTime)
		writeJSON(w, http.StatusOK, map[string]any{
			"build": map[string]string{"os": "Linux", "kernel": "", "machine": "x86_64",
				"options": "", "date": "", "user": "pbxsim"},
			"system": map[string]string{"version": s.opts.Version, "entity_id": s.opts.EntityID},
			"config": map[string]any{"name": "", "default_language": "en",
				"setid": map[string]string{"user": "asterisk", "group": "asterisk"}},
			"status": map[string]string{"startup_time": started, "last_reload_time": started},
		})
	})
	mux.HandleFunc("GET /ari/asterisk/ping", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{
			"ping": "pong", "timestamp": s.clock.Now().Format(ariTime), "asterisk_id": s.opts.EntityID,
		})
	})
}

// params are a request's parameters. Asterisk reads them from the query
// string and from a JSON body alike ("other keys in the body object are
// interpreted as query parameters"), which is how ari/v6 sends them.
type params struct {
	values url.Values
	vars   map[string]string // the body's "variables" object
}

func readParams(r *http.Request) (params, *ariError) {
	p := params{values: r.URL.Query()}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return p, ariErr(http.StatusBadRequest, "Error reading request body")
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return p, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return p, ariErr(http.StatusBadRequest, "Error parsing request body")
	}
	for k, raw := range fields {
		if k == "variables" {
			if p.vars, err = parseVariables(raw); err != nil {
				return p, ariErr(http.StatusBadRequest, "Each value in 'variables' must be a string")
			}
			continue
		}
		if v, ok := scalarParam(raw); ok {
			p.values.Set(k, v)
		}
	}
	return p, nil
}

// parseVariables reads {"NAME":"value"} or {"NAME":{"value":"v"}}.
func parseVariables(raw json.RawMessage) (map[string]string, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, err
	}
	out := make(map[string]string, len(obj))
	for k, v := range obj {
		var str string
		if err := json.Unmarshal(v, &str); err == nil {
			out[k] = str
			continue
		}
		var wrapped struct {
			Value *string `json:"value"`
		}
		if err := json.Unmarshal(v, &wrapped); err != nil || wrapped.Value == nil {
			return nil, io.ErrUnexpectedEOF
		}
		out[k] = *wrapped.Value
	}
	return out, nil
}

// scalarParam turns a JSON body value into its query-string form.
func scalarParam(raw json.RawMessage) (string, bool) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", false
	}
	switch t := v.(type) {
	case string:
		return t, true
	case float64, bool:
		return strings.TrimSpace(string(raw)), true
	case []any:
		parts := make([]string, 0, len(t))
		for _, e := range t {
			if s, ok := e.(string); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ","), true
	}
	return "", false
}

func (p params) get(name string) string { return p.values.Get(name) }

// list reads a comma-separated list parameter (channel=a,b).
func (p params) list(name string) []string {
	var out []string
	for _, v := range p.values[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func (p params) integer(name string, def int) (int, *ariError) {
	v := p.get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, ariErr(http.StatusBadRequest, "Invalid value for %s", name)
	}
	return n, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *ariError) {
	writeJSON(w, e.status, map[string]string{"message": e.msg})
}

func writeNoContent(w http.ResponseWriter) { w.WriteHeader(http.StatusNoContent) }
