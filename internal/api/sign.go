package api

import (
	"net/http"
	"time"
)

// signURL signs an image-serving URL with the company's newest signing key
// (company admins, who may see the keys).
func (s *Server) signURL(r *http.Request, c *call) (int, any, error) {
	var in struct {
		URL       string `json:"url"`
		ExpiresIn int64  `json:"expires_in_seconds"`
	}
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	signed, err := s.svc.SignURL(r.Context(), c.p, in.URL, time.Duration(in.ExpiresIn)*time.Second, time.Now())
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, map[string]string{"url": signed}, nil
}
