package api

import (
	"net/http"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/events"
)

// eventStream is GET /events: the company's live events as Server-Sent
// Events (job progress, publish state changes). The web workspace serves
// the same stream at /c/{company}/events with its session cookie; both
// are events.Broker.Stream. Each node streams only its own events (see
// internal/events).
func (s *Server) eventStream(r *http.Request, c *call) (int, any, error) {
	b := s.hooks.Events
	if b == nil {
		return 0, nil, vitrine.Errorf(vitrine.EUNAVAILABLE, "this server has no event stream")
	}
	b.Stream(c.w, r, c.p.Company.ID, events.StreamConfig{Heartbeat: s.cfg.Heartbeat, WriteTimeout: s.cfg.StreamWriteTimeout})
	return 0, nil, nil
}
