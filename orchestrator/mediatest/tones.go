package mediatest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"time"
)

// Audio helpers for labs on a real PBX: every handset plays a tone of its
// own frequency and records what it hears, so "who hears whom" becomes
// "which tones are in whose recording". These helpers write the tone files,
// read the recordings and find the tones; they know no PBX.

// SampleRate is the rate of the files ToneWAV writes: 8 kHz, the
// telephony rate (Asterisk's format=wav, FreeSWITCH's 8 kHz codecs).
const SampleRate = 8000

// ToneWAV returns a WAV file (8 kHz, 16-bit, mono PCM) holding a sine of hz
// for d, at amplitude (a fraction of full scale, 0 to 1). Several parties'
// tones are mixed by the PBX, so keep amplitude low enough that their sum
// cannot clip (clipping adds frequencies nobody played).
func ToneWAV(hz float64, d time.Duration, amplitude float64) []byte {
	n := int(d.Seconds() * SampleRate)
	amplitude = math.Max(0, math.Min(1, amplitude))
	pcm := make([]int16, n)
	for i := range pcm {
		pcm[i] = int16(math.Round(amplitude * 32767 * math.Sin(2*math.Pi*hz*float64(i)/SampleRate)))
	}
	return EncodeWAV(SampleRate, pcm)
}

// WriteToneWAV writes ToneWAV(hz, d, amplitude) to path, readable by a PBX
// running as another user.
func WriteToneWAV(path string, hz float64, d time.Duration, amplitude float64) error {
	return os.WriteFile(path, ToneWAV(hz, d, amplitude), 0o644)
}

// EncodeWAV returns samples as a canonical 44-byte-header WAV file.
func EncodeWAV(rate int, samples []int16) []byte {
	dataLen := uint32(2 * len(samples))
	b := make([]byte, 44+dataLen)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], 36+dataLen)
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16) // fmt chunk size
	binary.LittleEndian.PutUint16(b[20:], 1)  // PCM
	binary.LittleEndian.PutUint16(b[22:], 1)  // mono
	binary.LittleEndian.PutUint32(b[24:], uint32(rate))
	binary.LittleEndian.PutUint32(b[28:], uint32(2*rate)) // bytes per second
	binary.LittleEndian.PutUint16(b[32:], 2)              // bytes per frame
	binary.LittleEndian.PutUint16(b[34:], 16)             // bits per sample
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], dataLen)
	for i, v := range samples {
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(v))
	}
	return b
}

// Audio is mono 16-bit PCM.
type Audio struct {
	Rate    int
	Samples []int16
	// Complete is false when the data chunk's size field did not match
	// the file (a file the PBX is still writing: Asterisk writes the sizes
	// only when it closes it); Samples then holds what was there.
	Complete bool
}

// Duration is the length of the audio.
func (a Audio) Duration() time.Duration {
	if a.Rate <= 0 {
		return 0
	}
	return time.Duration(len(a.Samples)) * time.Second / time.Duration(a.Rate)
}

// Span returns the samples from from to to (offsets from the start),
// clipped to what there is.
func (a Audio) Span(from, to time.Duration) []int16 {
	i, j := a.index(from), a.index(to)
	if j < i {
		return nil
	}
	return a.Samples[i:j]
}

func (a Audio) index(d time.Duration) int {
	i := int(d.Seconds() * float64(a.Rate))
	return max(0, min(len(a.Samples), i))
}

// ReadWAV reads a WAV file with ParseWAV.
func ReadWAV(path string) (Audio, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Audio{}, err
	}
	a, err := ParseWAV(b)
	if err != nil {
		return Audio{}, fmt.Errorf("%s: %w", path, err)
	}
	return a, nil
}

// ParseWAV reads a RIFF/WAVE file of 16-bit mono PCM, the format of every
// recording the labs make. A data chunk that is shorter or longer than
// its size field says is read as far as the file goes and reported as
// not Complete, so a recording still being written can be judged.
func ParseWAV(b []byte) (Audio, error) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return Audio{}, errors.New("not a RIFF/WAVE file")
	}
	var a Audio
	sawFmt := false
	for off := 12; ; {
		if off+8 > len(b) {
			return Audio{}, errors.New("WAV file has no data chunk")
		}
		id, size := string(b[off:off+4]), int(binary.LittleEndian.Uint32(b[off+4:]))
		body := b[off+8:]
		switch id {
		case "fmt ":
			if size < 16 || len(body) < 16 {
				return Audio{}, fmt.Errorf("WAV fmt chunk too short (%d bytes)", size)
			}
			format, channels := binary.LittleEndian.Uint16(body[0:]), binary.LittleEndian.Uint16(body[2:])
			bits := binary.LittleEndian.Uint16(body[14:])
			if format != 1 || channels != 1 || bits != 16 {
				return Audio{}, fmt.Errorf("WAV is format %d, %d channels, %d bits; want PCM (1), mono, 16 bits", format, channels, bits)
			}
			a.Rate = int(binary.LittleEndian.Uint32(body[4:]))
			if a.Rate <= 0 {
				return Audio{}, errors.New("WAV sample rate is 0")
			}
			sawFmt = true
		case "data":
			if !sawFmt {
				return Audio{}, errors.New("WAV data chunk before its fmt chunk")
			}
			// A size of 0 or past the end: the sizes are not written yet.
			n := len(body)
			if a.Complete = size > 0 && size <= n; a.Complete {
				n = size // chunks may follow the data
			}
			a.Samples = make([]int16, n/2)
			for i := range a.Samples {
				a.Samples[i] = int16(binary.LittleEndian.Uint16(body[2*i:]))
			}
			return a, nil
		}
		if size > len(body) {
			return Audio{}, fmt.Errorf("WAV chunk %q runs past the end of the file", id)
		}
		off += 8 + size + size%2 // chunks are word-aligned
	}
}

// Detector tells which of a set of tones are present in a window of
// samples. A tone is present when it holds at least MinShare of the
// window's energy and is louder than MinAmplitude. The share makes the
// verdict independent of the level (a PBX may attenuate) and survives the
// mixing of several tones (each holds its part of the energy) and music;
// the amplitude floor keeps near-silence, whose tiny energy any frequency
// can dominate, from counting as a tone.
type Detector struct {
	Rate  int       // samples per second; 0 means SampleRate
	Freqs []float64 // the frequencies to look for (Hz), ≥ 150 Hz apart
	// MinShare is the share of the window's energy a tone must hold;
	// 0 means 0.04 (a tone among five equal ones holds 0.2, white noise
	// about 2/N of a window of N samples at any one frequency).
	MinShare float64
	// MinAmplitude is the peak amplitude (full scale 32767) below which a
	// tone is absent; 0 means 100, about -50 dBFS.
	MinAmplitude float64
}

// Level is how strongly one frequency is in a window.
type Level struct {
	Share     float64 // of the window's energy, 0 to 1
	Amplitude float64 // estimated peak amplitude of the tone
}

// Levels measures each of d.Freqs in samples with the Goertzel algorithm
// (one DFT term per frequency, evaluated at the exact frequency, so the
// frequencies need not fall on DFT bins).
func (d Detector) Levels(samples []int16) map[float64]Level {
	out := make(map[float64]Level, len(d.Freqs))
	n := float64(len(samples))
	var energy float64
	for _, s := range samples {
		energy += float64(s) * float64(s)
	}
	for _, f := range d.Freqs {
		if n == 0 || energy == 0 {
			out[f] = Level{}
			continue
		}
		p := goertzel(samples, f, float64(d.rate()))
		// A sine of amplitude A gives |X|² = (A·N/2)² and energy A²·N/2.
		out[f] = Level{
			Share:     math.Min(1, 2*p/(n*energy)),
			Amplitude: 2 * math.Sqrt(p) / n,
		}
	}
	return out
}

// Present returns the frequencies of d.Freqs present in samples.
func (d Detector) Present(samples []int16) map[float64]bool {
	minShare, minAmp := d.MinShare, d.MinAmplitude
	if minShare <= 0 {
		minShare = 0.04
	}
	if minAmp <= 0 {
		minAmp = 100
	}
	out := map[float64]bool{}
	for f, l := range d.Levels(samples) {
		if l.Share >= minShare && l.Amplitude >= minAmp {
			out[f] = true
		}
	}
	return out
}

// Presence cuts samples into windows of length window and returns, for
// each frequency, the share of the judged windows in which it is present,
// and how many windows it judged. covered marks the samples a recording
// holds (nil: all of them): a recorder can skip time (Asterisk's
// MixMonitor writes nothing while its channel passes no frames), and a
// window less than half covered is not judged.
func (d Detector) Presence(samples []int16, covered []bool, window time.Duration) (share map[float64]float64, judged int) {
	share = make(map[float64]float64, len(d.Freqs))
	for _, w := range d.windows(samples, covered, window) {
		if w == nil {
			continue
		}
		judged++
		for f := range d.Present(w) {
			share[f]++
		}
	}
	for f := range share {
		share[f] /= float64(judged)
	}
	return share, judged
}

// LongestGap returns the longest run of windows of length window in which
// hz is absent: where it starts (from the start of samples) and how long
// hz was missing in it; 0, 0 when hz is in every window. Windows less than
// half covered (see Presence) neither count towards a gap nor end one.
func (d Detector) LongestGap(samples []int16, covered []bool, hz float64, window time.Duration) (start, length time.Duration) {
	one := Detector{Rate: d.Rate, Freqs: []float64{hz}, MinShare: d.MinShare, MinAmplitude: d.MinAmplitude}
	run, runStart := 0, 0
	best, bestStart := 0, 0
	for i, w := range d.windows(samples, covered, window) {
		switch {
		case w == nil:
			continue
		case one.Present(w)[hz]:
			run = 0
			continue
		case run == 0:
			runStart = i
		}
		if run++; run > best {
			best, bestStart = run, runStart
		}
	}
	return time.Duration(bestStart) * window, time.Duration(best) * window
}

// windows cuts samples into whole windows (a shorter tail is dropped); a
// window less than half covered is nil.
func (d Detector) windows(samples []int16, covered []bool, window time.Duration) [][]int16 {
	n := int(window.Seconds() * float64(d.rate()))
	if n <= 0 {
		return nil
	}
	var out [][]int16
	for i := 0; i+n <= len(samples); i += n {
		have := n
		if covered != nil {
			have = 0
			for _, c := range covered[i:min(i+n, len(covered))] {
				if c {
					have++
				}
			}
		}
		if 2*have < n {
			out = append(out, nil)
			continue
		}
		out = append(out, samples[i:i+n])
	}
	return out
}

func (d Detector) rate() int {
	if d.Rate > 0 {
		return d.Rate
	}
	return SampleRate
}

// goertzel returns |X(f)|², the power of the DFT term at frequency f.
func goertzel(samples []int16, f, rate float64) float64 {
	w := 2 * math.Pi * f / rate
	coeff := 2 * math.Cos(w)
	var s1, s2 float64
	for _, x := range samples {
		s0 := float64(x) + coeff*s1 - s2
		s2, s1 = s1, s0
	}
	return s1*s1 + s2*s2 - coeff*s1*s2
}
