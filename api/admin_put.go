package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
)

// requireFlagsOnPut refuses an admin PUT that leaves out a true/false field
// of W. A PUT replaces the whole entity, and an omitted flag would decode
// as false: a client that sends only a queue's new ring time would
// silently switch its recording off. Other fields are safe to leave to the
// store's validation (a missing name or ring time is refused there, and
// read-only fields are ignored). The body is put back for decode.
func requireFlagsOnPut[W any](r *http.Request, w http.ResponseWriter) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		return decodeError(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	var present map[string]json.RawMessage
	if json.Unmarshal(body, &present) != nil {
		return nil // not an object: decode says what is wrong
	}
	t := reflect.TypeFor[W]()
	if t.Kind() != reflect.Struct {
		return nil
	}
	var missing []string
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Type.Kind() != reflect.Bool || !f.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || strings.Contains(opts, "omitempty") {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, ok := present[name]; !ok {
			missing = append(missing, name+": missing (an update replaces every field; send true or false)")
		}
	}
	if len(missing) > 0 {
		return badRequest("%s", strings.Join(missing, "; "))
	}
	return nil
}
