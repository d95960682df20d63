package ui

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/vitrine/vitrine/internal/events"
)

// liveEvents is the broker the workspace's pages follow, and how its
// streams are written.
type liveEvents struct {
	broker *events.Broker
	cfg    events.StreamConfig
}

// UseEvents gives the workspace the live event broker: main calls it once,
// before serving. Without it /c/{company}/events answers 503 and pages
// show what they loaded, as they do without script.
func (s *Server) UseEvents(b *events.Broker, cfg events.StreamConfig) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	s.live = liveEvents{broker: b, cfg: cfg}
	return nil
}

// eventStream is GET /c/{company}/events: the company's live events as
// Server-Sent Events (job progress, publish state), for the pages'
// EventSource. The session cookie authenticates it and inCompany has
// checked the membership: a member of one company never receives
// another's events. It is the API's GET /events, the same broker stream.
func (s *Server) eventStream(w http.ResponseWriter, r *http.Request) {
	if s.live.broker == nil {
		http.Error(w, "this server has no event stream", http.StatusServiceUnavailable)
		return
	}
	s.live.broker.Stream(w, r, viewOf(r).P.Company.ID, s.live.cfg)
}

// pubsFragment is GET /c/{company}/assets/{name}/pubs?slot=&back=: an
// asset's publish icons as Browse draws them. An open Browse page asks
// for them when the event stream says the asset's publish state changed
// elsewhere (a job, another user), and swaps them in.
func (s *Server) pubsFragment(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	a, err := s.store.Asset(r.Context(), v.P.Company.ID, r.PathValue("name"))
	if err != nil {
		http.Error(w, s.errorText(r, err), ErrorStatus(err))
		return
	}
	slot, _ := strconv.Atoi(r.URL.Query().Get("slot"))
	back := localBack(r.URL.Query().Get("back"), v)
	var b bytes.Buffer
	if err := s.pages["browse"].ExecuteTemplate(&b, "pubs", newAssetRow(v.P.Company.RootID, a, slot, back, "grid")); err != nil {
		s.log.ErrorContext(r.Context(), "render", "fragment", "pubs", "err", err)
		http.Error(w, "the icons could not be drawn", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b.Bytes())
}
