package pbxsim

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Stored recordings: the files in the recordings directory, as
// res/stasis_recording/stored.c sees them. A stored recording's name is
// its path under the directory without the extension; its format is the
// extension. Only files whose extension Asterisk knows count.

// fileFormats are the file extensions ast_get_format_for_file_ext knows in
// a stock build (the format_* modules).
var fileFormats = map[string]bool{
	"wav": true, "WAV": true, "wav49": true, "gsm": true,
	"ulaw": true, "ul": true, "mu": true, "pcm": true,
	"alaw": true, "al": true, "alw": true,
	"sln": true, "raw": true, "sln12": true, "sln16": true, "sln24": true, "sln32": true,
	"sln44": true, "sln48": true, "sln96": true, "sln192": true,
	"g722": true, "g723": true, "g723sf": true, "g726-16": true, "g726-24": true,
	"g726-32": true, "g726-40": true, "g729": true, "ilbc": true, "vox": true,
	"siren7": true, "siren14": true, "h263": true, "h264": true, "ogg": true,
}

func knownFormat(ext string) bool { return fileFormats[ext] }

// storedRecording is one file found in the recordings directory.
type storedRecording struct {
	Name   string `json:"name"`
	Format string `json:"format"`
	path   string
}

// recordingsDirLocked returns the recordings directory, making it on
// first use (a temporary one unless Options.RecordingsDir names it).
// Symbolic links are resolved so containment checks compare like with like.
func (s *Sim) recordingsDirLocked() (string, error) {
	if s.recDir != "" {
		return s.recDir, nil
	}
	dir, temp := s.opts.RecordingsDir, false
	if dir == "" {
		d, err := os.MkdirTemp("", "pbxsim-recordings-")
		if err != nil {
			return "", err
		}
		dir, temp = d, true
	} else if err := os.MkdirAll(dir, 0o777); err != nil {
		return "", err
	}
	abs, err := filepath.Abs(dir)
	if err == nil {
		abs, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		return "", err
	}
	s.recDir, s.recDirTemp = abs, temp
	return abs, nil
}

// storedFileExists is ast_fileexists(base, NULL, NULL): a file named base
// with any known extension.
func storedFileExists(base string) bool {
	entries, err := os.ReadDir(filepath.Dir(base))
	if err != nil {
		return false
	}
	want := filepath.Base(base)
	for _, e := range entries {
		name, ext, ok := cutExt(e.Name())
		if ok && name == want && knownFormat(ext) && !e.IsDir() {
			return true
		}
	}
	return false
}

// cutExt splits "a.b.wav" into "a.b" and "wav".
func cutExt(file string) (name, ext string, ok bool) {
	i := strings.LastIndexByte(file, '.')
	if i < 0 {
		return file, "", false
	}
	return file[:i], file[i+1:], true
}

// listStoredLocked walks the recordings directory, sorted by name.
func (s *Sim) listStoredLocked() ([]storedRecording, error) {
	if s.recDir == "" && s.opts.RecordingsDir == "" {
		return nil, nil // nothing was ever recorded
	}
	base, err := s.recordingsDirLocked()
	if err != nil {
		return nil, err
	}
	var out []storedRecording
	err = filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		name, ext, ok := cutExt(d.Name())
		if !ok || !knownFormat(ext) {
			return nil
		}
		rel, err := filepath.Rel(base, filepath.Join(filepath.Dir(path), name))
		if err != nil {
			return err
		}
		out = append(out, storedRecording{Name: filepath.ToSlash(rel), Format: ext, path: path})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// findStoredLocked is stasis_app_stored_recording_find_by_name: a name
// whose directory lies outside the recordings directory finds nothing.
func (s *Sim) findStoredLocked(name string) (storedRecording, bool) {
	if name == "" || (s.recDir == "" && s.opts.RecordingsDir == "") {
		return storedRecording{}, false
	}
	base, err := s.recordingsDirLocked()
	if err != nil {
		return storedRecording{}, false
	}
	full := filepath.Join(base, name)
	if rel, err := filepath.Rel(base, filepath.Dir(full)); err != nil || rel == ".." || strings.HasPrefix(rel, "../") {
		return storedRecording{}, false
	}
	entries, err := os.ReadDir(filepath.Dir(full))
	if err != nil {
		return storedRecording{}, false
	}
	want := filepath.Base(full)
	for _, e := range entries {
		file, ext, ok := cutExt(e.Name())
		if ok && file == want && knownFormat(ext) && !e.IsDir() {
			rel, _ := filepath.Rel(base, full)
			return storedRecording{Name: filepath.ToSlash(rel), Format: ext, path: filepath.Join(filepath.Dir(full), e.Name())}, true
		}
	}
	return storedRecording{}, false
}

// RecordingsDir returns the directory recordings are written to, making
// it if needed ("" if it cannot be made).
func (s *Sim) RecordingsDir() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	dir, err := s.recordingsDirLocked()
	if err != nil {
		return ""
	}
	return dir
}

// RecordingFile returns the path of the stored recording name (as given
// to POST /bridges/{id}/record), once its file exists. While the recording
// runs the file is already a valid WAV holding the audio up to the last
// flush (at most a second old).
func (s *Sim) RecordingFile(name string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.recordings[name]; rec != nil {
		s.flushRecordingLocked(rec)
	}
	st, ok := s.findStoredLocked(name)
	return st.path, ok
}
