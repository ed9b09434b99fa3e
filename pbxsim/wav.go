package pbxsim

import (
	"encoding/binary"
	"errors"
	"io"
	"os"
)

// The file format of ARI's format=wav: RIFF/WAVE, PCM, 16-bit signed
// little-endian, mono, 8000 Hz (format_wav.c; PBX-NOTES: "wav = 8 kHz
// 16-bit mono").
const (
	sampleRate     = 8000
	bytesPerSample = 2
	wavHeaderSize  = 44
)

// wavFile is a WAV file being written. Its header is rewritten after every
// write, so the file on disk is a valid, playable WAV at any moment, as a
// recording that is still going can be downloaded.
type wavFile struct {
	f        *os.File
	sizeOff  int64 // offset of the data chunk's size field
	dataOff  int64 // offset of the first sample
	samples  int64 // samples in the data chunk
	writeErr error // the first write failure, reported once at close
}

// createWAV opens path for a recording. With appendTo set and an existing
// file in our format, new audio goes after the old (ifExists=append);
// otherwise the file is created or truncated.
func createWAV(path string, appendTo bool) (*wavFile, error) {
	if appendTo {
		if w, err := openWAVForAppend(path); err == nil {
			return w, nil
		}
		// Missing or not our PCM format: start a fresh file.
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	w := &wavFile{f: f, sizeOff: 40, dataOff: wavHeaderSize}
	if _, err := f.Write(wavHeader(0)); err != nil {
		_ = f.Close()
		return nil, err
	}
	return w, nil
}

func openWAVForAppend(path string) (*wavFile, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	info, err := parseWAV(f)
	if err != nil || info.rate != sampleRate || info.bits != 16 || info.channels != 1 || info.format != 1 {
		_ = f.Close()
		return nil, errors.New("pbxsim: not an 8 kHz 16-bit mono PCM WAV")
	}
	// Anything after the data chunk is dropped: new samples follow the old.
	end := info.dataOff + info.dataLen
	if err := f.Truncate(end); err != nil {
		_ = f.Close()
		return nil, err
	}
	return &wavFile{f: f, sizeOff: info.dataOff - 4, dataOff: info.dataOff, samples: info.dataLen / bytesPerSample}, nil
}

// write appends samples and brings the header up to date.
func (w *wavFile) write(pcm []int16) {
	if w.writeErr != nil || len(pcm) == 0 {
		return
	}
	buf := make([]byte, len(pcm)*bytesPerSample)
	for i, v := range pcm {
		binary.LittleEndian.PutUint16(buf[2*i:], uint16(v))
	}
	if _, err := w.f.WriteAt(buf, w.dataOff+w.samples*bytesPerSample); err != nil {
		w.writeErr = err
		return
	}
	w.samples += int64(len(pcm))
	w.writeErr = w.updateHeader()
}

func (w *wavFile) updateHeader() error {
	dataLen := uint32(w.samples * bytesPerSample)
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(w.dataOff-8)+dataLen)
	if _, err := w.f.WriteAt(b[:], 4); err != nil {
		return err
	}
	binary.LittleEndian.PutUint32(b[:], dataLen)
	_, err := w.f.WriteAt(b[:], w.sizeOff)
	return err
}

func (w *wavFile) close() error {
	return errors.Join(w.writeErr, w.f.Close())
}

// wavHeader is the canonical 44-byte header for dataLen bytes of samples.
func wavHeader(dataLen uint32) []byte {
	h := make([]byte, wavHeaderSize)
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], 36+dataLen)
	copy(h[8:], "WAVE")
	copy(h[12:], "fmt ")
	binary.LittleEndian.PutUint32(h[16:], 16) // fmt chunk size
	binary.LittleEndian.PutUint16(h[20:], 1)  // PCM
	binary.LittleEndian.PutUint16(h[22:], 1)  // mono
	binary.LittleEndian.PutUint32(h[24:], sampleRate)
	binary.LittleEndian.PutUint32(h[28:], sampleRate*bytesPerSample) // byte rate
	binary.LittleEndian.PutUint16(h[32:], bytesPerSample)            // block align
	binary.LittleEndian.PutUint16(h[34:], 16)                        // bits per sample
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], dataLen)
	return h
}

// wavInfo is what parseWAV found.
type wavInfo struct {
	format, channels, bits uint16
	rate                   uint32
	dataOff, dataLen       int64
}

// parseWAV walks the RIFF chunks of r up to the data chunk.
func parseWAV(r io.ReaderAt) (wavInfo, error) {
	var info wavInfo
	var hdr [12]byte
	if _, err := r.ReadAt(hdr[:], 0); err != nil {
		return info, err
	}
	if string(hdr[0:4]) != "RIFF" || string(hdr[8:12]) != "WAVE" {
		return info, errors.New("pbxsim: not a RIFF/WAVE file")
	}
	off := int64(12)
	sawFmt := false
	for {
		var ch [8]byte
		if _, err := r.ReadAt(ch[:], off); err != nil {
			return info, errors.New("pbxsim: WAV file has no data chunk")
		}
		size := int64(binary.LittleEndian.Uint32(ch[4:]))
		switch string(ch[0:4]) {
		case "fmt ":
			var f [16]byte
			if size < 16 {
				return info, errors.New("pbxsim: short fmt chunk")
			}
			if _, err := r.ReadAt(f[:], off+8); err != nil {
				return info, err
			}
			info.format = binary.LittleEndian.Uint16(f[0:])
			info.channels = binary.LittleEndian.Uint16(f[2:])
			info.rate = binary.LittleEndian.Uint32(f[4:])
			info.bits = binary.LittleEndian.Uint16(f[14:])
			sawFmt = true
		case "data":
			if !sawFmt {
				return info, errors.New("pbxsim: WAV data before fmt")
			}
			info.dataOff, info.dataLen = off+8, size
			return info, nil
		}
		off += 8 + size + size%2 // chunks are word-aligned
	}
}
