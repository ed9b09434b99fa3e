package pbxsim

import (
	"net/http"
	"net/url"
	"os"
)

// The ARI recording resources: POST /bridges/{id}/record and /recordings
// (res/ari/resource_bridges.c, resource_recordings.c). Like every path
// parameter, {name} is one path segment: a name holding "/" can be
// recorded (into a sub-directory) but not reached here afterwards, which
// is what ari/v6, which does not escape names, gets from Asterisk too.

func (s *Sim) routeRecordings(mux *http.ServeMux) {
	mux.HandleFunc("POST /ari/bridges/{id}/record", s.recordBridge)
	mux.HandleFunc("GET /ari/recordings/live/{name}", s.getLiveRecording)
	mux.HandleFunc("DELETE /ari/recordings/live/{name}", s.liveOperation(func(rec *recording) { s.finishRecordingLocked(rec, true) }))
	mux.HandleFunc("POST /ari/recordings/live/{name}/stop", s.liveOperation(func(rec *recording) { s.finishRecordingLocked(rec, false) }))
	mux.HandleFunc("POST /ari/recordings/live/{name}/pause", s.liveOperation(func(rec *recording) { s.pauseRecordingLocked(rec, true) }))
	mux.HandleFunc("DELETE /ari/recordings/live/{name}/pause", s.liveOperation(func(rec *recording) { s.pauseRecordingLocked(rec, false) }))
	mux.HandleFunc("POST /ari/recordings/live/{name}/mute", s.liveOperation(func(rec *recording) { s.muteRecordingLocked(rec, true) }))
	mux.HandleFunc("DELETE /ari/recordings/live/{name}/mute", s.liveOperation(func(rec *recording) { s.muteRecordingLocked(rec, false) }))
	mux.HandleFunc("GET /ari/recordings/stored", s.listStored)
	mux.HandleFunc("GET /ari/recordings/stored/{name}", s.getStored)
	mux.HandleFunc("DELETE /ari/recordings/stored/{name}", s.deleteStored)
	mux.HandleFunc("GET /ari/recordings/stored/{name}/file", s.getStoredFile)
}

// recordBridge is POST /bridges/{id}/record → 201 with the LiveRecording
// (state "queued": the recorder starts asynchronously on Asterisk, and
// RecordingStarted may reach the WebSocket before this reply).
func (s *Sim) recordBridge(w http.ResponseWriter, r *http.Request) {
	p, perr := readParams(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.bridges[r.PathValue("id")]
	if b == nil {
		writeError(w, ariErr(http.StatusNotFound, "Bridge not found"))
		return
	}
	rec, aerr := s.startRecordingLocked(b, readRecordReq(p))
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	w.Header().Set("Location", "/recordings/live/"+url.PathEscape(rec.name))
	writeJSON(w, http.StatusCreated, liveRecordingJSON(rec, "queued", false))
}

func (s *Sim) getLiveRecording(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.recordings[r.PathValue("name")]
	if rec == nil {
		writeError(w, ariErr(http.StatusNotFound, "Recording not found"))
		return
	}
	writeJSON(w, http.StatusOK, liveRecordingJSON(rec, rec.state(), false))
}

// liveOperation is control_recording: 404 for a name that is not live,
// otherwise the operation and 204. (Its 409 "Recording not in session"
// needs the queued state, which the Sim passes through at once.)
func (s *Sim) liveOperation(op func(*recording)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		rec := s.recordings[r.PathValue("name")]
		if rec == nil {
			writeError(w, ariErr(http.StatusNotFound, "Recording not found"))
			return
		}
		op(rec)
		writeNoContent(w)
	}
}

func (s *Sim) listStored(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	list, err := s.listStoredLocked()
	s.mu.Unlock()
	if err != nil {
		s.log.Error("listing recordings", "err", err)
		writeError(w, ariErr(http.StatusInternalServerError, "Allocation failed"))
		return
	}
	if list == nil {
		list = []storedRecording{}
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Sim) getStored(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	st, ok := s.findStoredLocked(r.PathValue("name"))
	s.mu.Unlock()
	if !ok {
		writeError(w, ariErr(http.StatusNotFound, "Recording not found"))
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func (s *Sim) deleteStored(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.findStoredLocked(r.PathValue("name"))
	if !ok {
		writeError(w, ariErr(http.StatusNotFound, "Recording not found"))
		return
	}
	if err := os.Remove(st.path); err != nil {
		writeError(w, ariErr(http.StatusInternalServerError, "Delete failed"))
		return
	}
	writeNoContent(w)
}

// getStoredFile is GET /recordings/stored/{name}/file: the file itself,
// typed "audio/<extension>" as Asterisk types it. A recording still
// running is flushed first, so the download is current.
func (s *Sim) getStoredFile(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	s.mu.Lock()
	if rec := s.recordings[name]; rec != nil {
		s.flushRecordingLocked(rec)
	}
	st, ok := s.findStoredLocked(name)
	var data []byte
	var err error
	if ok {
		data, err = os.ReadFile(st.path)
	}
	s.mu.Unlock()
	switch {
	case !ok:
		writeError(w, ariErr(http.StatusNotFound, "Recording not found"))
	case err != nil:
		writeError(w, ariErr(http.StatusForbidden, "Recording could not be opened"))
	default:
		w.Header().Set("Content-Type", "audio/"+st.Format)
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(data)
	}
}
