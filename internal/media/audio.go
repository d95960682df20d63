package media

import (
	"bytes"
	"errors"
	"io"
)

// isID3 checks an ID3v2 tag header: "ID3", a major version of 2 to 4, a
// revision below 0xFF and a 28-bit "syncsafe" size (high bits clear), so a
// text file that starts with "ID3" is not taken for audio.
func isID3(h []byte) bool {
	return len(h) >= 10 && bytes.HasPrefix(h, []byte("ID3")) &&
		h[3] >= 2 && h[3] <= 4 && h[4] != 0xFF &&
		(h[6]|h[7]|h[8]|h[9])&0x80 == 0
}

// probeID3 types a file that starts with an ID3v2 tag. Such a tag is
// almost always followed by MP3 frames, but FLAC files may carry one too.
func probeID3(s *source, _ Limits) (Info, error) {
	h := s.head
	end := 10 + (int64(h[6])<<21 | int64(h[7])<<14 | int64(h[8])<<7 | int64(h[9]))
	if h[5]&0x10 != 0 { // footer present
		end += 10
	}
	if b, err := s.at(end, 4); err == nil && string(b) == "fLaC" {
		return Info{}, notAllowed("audio/flac")
	}
	return mp3Info, nil
}

// isMP3Frame reports an MPEG audio Layer III frame header at the start of
// h. AAC (ADTS) shares the sync word but has layer bits 00.
func isMP3Frame(h []byte) bool {
	_, ok := mp3FrameLen(h)
	return ok
}

// probeMP3Frames confirms an MP3 without ID3 tag by a second frame header
// where the first frame says it ends: two bytes of sync are too weak alone.
func probeMP3Frames(s *source, _ Limits) (Info, error) {
	n, _ := mp3FrameLen(s.head)
	if int64(n) >= s.size {
		return mp3Info, nil // a single frame: short, but valid
	}
	b, err := s.at(int64(n), 4)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return mp3Info, nil // a few bytes of trailing junk
	} else if err != nil {
		return Info{}, err
	}
	if _, ok := mp3FrameLen(b); !ok {
		return Info{}, notRecognized()
	}
	return mp3Info, nil
}

// Layer III bitrates in kbit/s by index, and sample rates in Hz, per MPEG
// version (ISO/IEC 11172-3 and 13818-3).
var (
	mp3Bitrates1  = [15]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}
	mp3Bitrates2  = [15]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}
	mp3SampleRate = [4][3]int{ // by version bits: 2.5, reserved, 2, 1
		{11025, 12000, 8000}, {}, {22050, 24000, 16000}, {44100, 48000, 32000},
	}
)

// mp3FrameLen validates a Layer III frame header and returns the frame's
// length in bytes.
func mp3FrameLen(h []byte) (int, bool) {
	if len(h) < 4 || h[0] != 0xFF || h[1]&0xE0 != 0xE0 {
		return 0, false
	}
	version, layer := h[1]>>3&3, h[1]>>1&3
	bitrate, rate, pad := h[2]>>4, h[2]>>2&3, int(h[2]>>1&1)
	if version == 1 || layer != 1 || bitrate == 0 || bitrate == 15 || rate == 3 || h[3]&3 == 2 {
		return 0, false
	}
	sr := mp3SampleRate[version][rate]
	if version == 3 {
		return 144*mp3Bitrates1[bitrate]*1000/sr + pad, true
	}
	return 72*mp3Bitrates2[bitrate]*1000/sr + pad, true
}
