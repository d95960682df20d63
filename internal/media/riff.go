package media

// probeRIFF dispatches on the form type of a RIFF container.
func probeRIFF(s *source, lim Limits) (Info, error) {
	b, err := s.at(0, 12)
	if err != nil {
		return Info{}, truncated("RIFF", err)
	}
	switch string(b[8:12]) {
	case "WEBP":
		return probeWebP(s, lim)
	case "WAVE":
		return wavInfo, nil
	case "AVI ":
		return Info{}, notAllowed("video/x-msvideo")
	}
	return Info{}, notRecognized()
}
