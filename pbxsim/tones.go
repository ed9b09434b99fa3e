package pbxsim

import (
	"hash/fnv"
	"math"
)

// What a recording hears. The Sim has no real audio, so every live leg
// "speaks" a quiet sine tone of its own frequency and bridge music is one
// more tone; a recorder mixes the tones of what it hears (recorderHears).
// That makes recordings measurably non-silent exactly where the model says
// someone is heard, and a test can even tell whose voice is in a span.
const (
	toneAmplitude = 1500 // per source; quiet, and a handful cannot clip
	musicFreq     = 1900.0
)

// ToneFrequency is the frequency (Hz) of the tone a leg contributes to
// recordings: 300 to 1450 Hz in 50 Hz steps, chosen by the leg id.
func ToneFrequency(legID string) float64 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(legID))
	return 300 + float64(h.Sum32()%24)*50
}

// MusicFrequency is the frequency (Hz) of the tone that bridge music on
// hold contributes to recordings.
func MusicFrequency() float64 { return musicFreq }

// mix renders n samples of the given tones starting at absolute sample
// index start, so the phase runs on across separate writes.
func mix(freqs []float64, start int64, n int) []int16 {
	out := make([]int16, n)
	if len(freqs) == 0 {
		return out // digital silence
	}
	for i := range out {
		t := float64(start+int64(i)) / sampleRate
		var v float64
		for _, f := range freqs {
			v += toneAmplitude * math.Sin(2*math.Pi*f*t)
		}
		out[i] = int16(max(-32768, min(32767, math.Round(v))))
	}
	return out
}
