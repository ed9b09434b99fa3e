package mediatest

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var testFreqs = []float64{440, 600, 800, 1000, 1200, 1400, 1700}

func sine(hz, amplitude float64, n, start int) []int16 {
	out := make([]int16, n)
	for i := range out {
		out[i] = int16(amplitude * 32767 * math.Sin(2*math.Pi*hz*float64(start+i)/SampleRate))
	}
	return out
}

func add(parts ...[]int16) []int16 {
	out := make([]int16, len(parts[0]))
	for _, p := range parts {
		for i := range out {
			out[i] += p[i]
		}
	}
	return out
}

func present(fs map[float64]bool) []float64 {
	var out []float64
	for _, f := range testFreqs {
		if fs[f] {
			out = append(out, f)
		}
	}
	return out
}

func TestDetectorFindsExactlyTheTonesPlayed(t *testing.T) {
	d := Detector{Freqs: testFreqs}
	noise := make([]int16, 800)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = int16(r.NormFloat64() * 2000)
	}
	cases := []struct {
		name    string
		samples []int16
		want    []float64
	}{
		{"one tone", sine(1000, 0.15, 800, 0), []float64{1000}},
		{"one quiet tone", sine(600, 0.01, 800, 0), []float64{600}},
		{"two tones mixed", add(sine(800, 0.15, 800, 0), sine(1200, 0.15, 800, 0)), []float64{800, 1200}},
		{"two tones, one much weaker", add(sine(800, 0.3, 800, 0), sine(1200, 0.08, 800, 0)), []float64{800, 1200}},
		{"four voices and music", add(sine(440, 0.2, 800, 0), sine(600, 0.1, 800, 0), sine(1000, 0.1, 800, 0),
			sine(1400, 0.1, 800, 0), sine(1700, 0.1, 800, 0)), []float64{440, 600, 1000, 1400, 1700}},
		{"silence", make([]int16, 800), nil},
		{"near silence", sine(1000, 0.001, 800, 0), nil},
		{"noise", noise, nil},
		{"tone in noise", add(noise, sine(1400, 0.1, 800, 0)), []float64{1400}},
		{"short window", sine(1700, 0.15, 160, 37), []float64{1700}},
		{"empty", nil, nil},
	}
	for _, c := range cases {
		if got := present(d.Present(c.samples)); !slices.Equal(got, c.want) {
			t.Errorf("%s: present %v, want %v (levels %v)", c.name, got, c.want, d.Levels(c.samples))
		}
	}
}

func TestPresenceAndLongestGap(t *testing.T) {
	d := Detector{Freqs: []float64{1000, 600}}
	// 1 s of 1000 Hz, with a 200 ms hole at 400 ms; 600 Hz only in the hole.
	s := sine(1000, 0.15, SampleRate, 0)
	copy(s[3200:4800], sine(600, 0.15, 1600, 3200))
	p, judged := d.Presence(s, nil, 20*time.Millisecond)
	if judged != 50 || math.Abs(p[1000]-0.8) > 0.03 || math.Abs(p[600]-0.2) > 0.03 {
		t.Errorf("presence %v in %d windows, want 1000: 0.8, 600: 0.2 in 50", p, judged)
	}
	start, length := d.LongestGap(s, nil, 1000, 20*time.Millisecond)
	if start != 400*time.Millisecond || length != 200*time.Millisecond {
		t.Errorf("gap at %v for %v, want at 400ms for 200ms", start, length)
	}
	if _, length := d.LongestGap(sine(1000, 0.15, SampleRate, 0), nil, 1000, 20*time.Millisecond); length != 0 {
		t.Errorf("gap of %v in a steady tone", length)
	}
}

// A recorder that skipped time leaves spans no recording covers: they are
// not judged, so they neither make a tone absent nor a break.
func TestUncoveredSpansAreNotJudged(t *testing.T) {
	d := Detector{Freqs: []float64{1000}}
	s := sine(1000, 0.15, SampleRate, 0)
	covered := make([]bool, len(s))
	for i := range covered {
		covered[i] = i < 2000 || i >= 4000 // 250 ms not recorded
	}
	clear(s[2000:4000])
	p, judged := d.Presence(s, covered, 100*time.Millisecond)
	if p[1000] != 1 || judged < 7 || judged > 8 {
		t.Errorf("presence %v in %d windows, want always, in 7 or 8 of 10", p, judged)
	}
	if _, length := d.LongestGap(s, covered, 1000, 20*time.Millisecond); length > 20*time.Millisecond {
		t.Errorf("an unrecorded span counted as a gap of %v", length)
	}
	// Absent on both sides of the unrecorded span: one gap, of the
	// absent windows alone.
	clear(s[1200:5200])
	start, length := d.LongestGap(s, covered, 1000, 20*time.Millisecond)
	if start != 160*time.Millisecond || length != 240*time.Millisecond {
		t.Errorf("gap at %v for %v, want at 160ms for 240ms (100 + 140 around the hole)", start, length)
	}
}

func TestToneWAVRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tone.wav")
	if err := WriteToneWAV(path, 1200, 1500*time.Millisecond, 0.2); err != nil {
		t.Fatal(err)
	}
	a, err := ReadWAV(path)
	if err != nil {
		t.Fatal(err)
	}
	if a.Rate != SampleRate || a.Duration() != 1500*time.Millisecond || !a.Complete {
		t.Fatalf("read rate %d, %v, complete %v", a.Rate, a.Duration(), a.Complete)
	}
	d := Detector{Freqs: testFreqs}
	if got := present(d.Present(a.Span(time.Second, 1100*time.Millisecond))); !slices.Equal(got, []float64{1200}) {
		t.Errorf("tone file holds %v", got)
	}
	if l := d.Levels(a.Samples)[1200]; math.Abs(l.Amplitude-0.2*32767) > 100 {
		t.Errorf("amplitude %v, want about %v", l.Amplitude, 0.2*32767)
	}
}

func TestParseWAVFileStillBeingWritten(t *testing.T) {
	// Asterisk writes the header's sizes when it closes the file: until
	// then they are 0, and the samples run on to the end of the file.
	b := EncodeWAV(SampleRate, sine(800, 0.1, 400, 0))
	binary.LittleEndian.PutUint32(b[4:], 36)
	binary.LittleEndian.PutUint32(b[40:], 0)
	a, err := ParseWAV(b)
	if err != nil || a.Complete || len(a.Samples) != 400 {
		t.Fatalf("got %d samples, complete %v, err %v", len(a.Samples), a.Complete, err)
	}
	// A chunk after the data is not audio.
	b = append(EncodeWAV(SampleRate, sine(800, 0.1, 400, 0)), "LIST\x04\x00\x00\x00abcd"...)
	if a, err := ParseWAV(b); err != nil || !a.Complete || len(a.Samples) != 400 {
		t.Fatalf("with a trailing chunk: %d samples, complete %v, err %v", len(a.Samples), a.Complete, err)
	}
}

func TestParseWAVErrors(t *testing.T) {
	good := EncodeWAV(SampleRate, sine(800, 0.1, 10, 0))
	stereo := append([]byte(nil), good...)
	binary.LittleEndian.PutUint16(stereo[22:], 2)
	alaw := append([]byte(nil), good...)
	binary.LittleEndian.PutUint16(alaw[20:], 6)
	noData := append([]byte(nil), good[:36]...)
	dataFirst := append(append([]byte("RIFF\x00\x00\x00\x00WAVE"), good[36:]...), good[12:36]...)
	longFmt := append([]byte(nil), good[:44]...)
	binary.LittleEndian.PutUint32(longFmt[16:], 1000)
	cases := map[string]struct {
		b    []byte
		want string
	}{
		"empty":           {nil, "not a RIFF/WAVE"},
		"not riff":        {[]byte("OggS0000000000000000"), "not a RIFF/WAVE"},
		"stereo":          {stereo, "2 channels"},
		"a-law":           {alaw, "format 6"},
		"no data":         {noData, "no data chunk"},
		"data before fmt": {dataFirst, "before its fmt"},
		"fmt past end":    {longFmt, "runs past the end"},
	}
	for name, c := range cases {
		if _, err := ParseWAV(c.b); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", name, err, c.want)
		}
	}
}
