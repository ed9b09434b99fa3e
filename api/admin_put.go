package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
)

// peekFields reads the request's body, puts it back for decode, and
// returns the names of the top-level fields it carries (nil when it is not
// a JSON object: decode will say what is wrong).
func peekFields(r *http.Request, w http.ResponseWriter) (map[string]json.RawMessage, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return nil, decodeError(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var present map[string]json.RawMessage
	if json.Unmarshal(body, &present) != nil {
		return nil, nil
	}
	return present, nil
}

// requireFieldsOnPut refuses an admin PUT that left out a field of W. A
// PUT replaces the whole entity, and an omitted field would decode as its
// zero value: a client that sends only a queue's new ring time would
// silently switch its recording off and its priority to 0, and one that
// sends only a user's name would take away their team and queue skills.
// Fields tagged put:"optional" may be left out: the id (the path's is
// used) and fields with a safe default or that the server derives.
func requireFieldsOnPut[W any](present map[string]json.RawMessage) error {
	if present == nil { // decode took it, so the body was null
		return badRequest("the body must be a JSON object with every field of the update")
	}
	var missing []string
	for _, name := range requiredOnPut(reflect.TypeFor[W]()) {
		// null decodes as the zero value too: it is as good as left out.
		if raw, ok := present[name]; !ok || string(bytes.TrimSpace(raw)) == "null" {
			missing = append(missing, name+": missing (an update replaces every field; send its current value to keep it)")
		}
	}
	if len(missing) > 0 {
		return badRequest("%s", strings.Join(missing, "; "))
	}
	return nil
}

// requiredOnPut lists the JSON names of t's fields a PUT must carry.
func requiredOnPut(t reflect.Type) []string {
	if t.Kind() != reflect.Struct {
		return nil
	}
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
			names = append(names, requiredOnPut(f.Type)...)
			continue
		}
		if !f.IsExported() || f.Tag.Get("put") == "optional" {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || strings.Contains(opts, "omitempty") {
			continue
		}
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}
