package mediatest

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// wavSeconds is the length of a PCM WAV file's audio, from its fmt and
// data chunks.
func wavSeconds(b []byte) (float64, error) {
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return 0, errors.New("not a RIFF WAVE file")
	}
	var byteRate uint32
	for off := 12; off+8 <= len(b); {
		id, size := string(b[off:off+4]), int(binary.LittleEndian.Uint32(b[off+4:off+8]))
		body := off + 8
		switch id {
		case "fmt ":
			if size < 16 || body+16 > len(b) {
				return 0, errors.New("short fmt chunk")
			}
			byteRate = binary.LittleEndian.Uint32(b[body+8 : body+12])
		case "data":
			if byteRate == 0 {
				return 0, errors.New("data chunk before a usable fmt chunk")
			}
			n := min(size, len(b)-body) // a file still being written may claim more
			return float64(n) / float64(byteRate), nil
		}
		off = body + size + size%2
	}
	return 0, fmt.Errorf("no data chunk in %d bytes", len(b))
}
