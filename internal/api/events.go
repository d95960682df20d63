package api

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/events"
)

// eventStream is GET /events: the company's live events as Server-Sent
// Events (job progress, publish state changes), for the workspace's pages.
// It is an ordinary route: the principal comes from the same call as every
// other handler's, so a session cookie works here once the workspace adds
// it. Each node streams only its own events (see internal/events).
//
// A client that stops reading is dropped: its subscription overflows or a
// write times out, it gets a "reload" event when one can still be written,
// and the stream ends. A client that reconnects with Last-Event-ID gets
// what it missed when the broker still has it, or a "reload" event first.
func (s *Server) eventStream(r *http.Request, c *call) (int, any, error) {
	b := s.hooks.Events
	if b == nil {
		return 0, nil, vitrine.Errorf(vitrine.EUNAVAILABLE, "this server has no event stream")
	}
	last := r.Header.Get("Last-Event-ID")
	if last == "" {
		last = r.URL.Query().Get("last_event_id") // EventSource cannot set headers on its first request
	}
	sub := b.Subscribe(c.p.Company.ID, last)
	defer sub.Close()

	w := c.w
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	st := &stream{rc: http.NewResponseController(w), bw: bufio.NewWriter(w), timeout: s.cfg.StreamWriteTimeout}
	// retry: how long EventSource waits before reconnecting.
	fmt.Fprint(st.bw, "retry: 2000\n: connected\n\n")
	if sub.Missed {
		st.event("", events.TypeReload, []byte(`{"reason":"missed"}`))
	}
	if err := st.flush(); err != nil {
		return 0, nil, nil
	}
	beat := time.NewTicker(s.cfg.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case ev := <-sub.C:
			st.event(ev.ID, ev.Type, ev.Data)
			// Write what else is waiting in one flush.
			for more := true; more; {
				select {
				case ev = <-sub.C:
					st.event(ev.ID, ev.Type, ev.Data)
				default:
					more = false
				}
			}
		case <-sub.Lagged:
			st.event("", events.TypeReload, []byte(`{"reason":"behind"}`))
			_ = st.flush()
			return 0, nil, nil
		case <-beat.C:
			st.arm()
			fmt.Fprint(st.bw, ": ping\n\n")
		case <-r.Context().Done():
			return 0, nil, nil
		}
		if err := st.flush(); err != nil {
			return 0, nil, nil // the client is gone or stalled; the deferred Close drops it
		}
	}
}

// stream writes Server-Sent Events, each flush bounded by a deadline.
type stream struct {
	rc      *http.ResponseController
	bw      *bufio.Writer
	timeout time.Duration
}

// arm sets the deadline of the writes to come: a large event goes to
// the connection before the flush.
func (st *stream) arm() {
	_ = st.rc.SetWriteDeadline(time.Now().Add(st.timeout))
}

// event writes one event; data is one line of JSON, written as it is.
func (st *stream) event(id, typ string, data []byte) {
	st.arm()
	if id != "" {
		st.bw.WriteString("id: ")
		st.bw.WriteString(id)
		st.bw.WriteByte('\n')
	}
	st.bw.WriteString("event: ")
	st.bw.WriteString(typ)
	st.bw.WriteString("\ndata: ")
	st.bw.Write(data)
	st.bw.WriteString("\n\n")
}

func (st *stream) flush() error {
	if err := st.rc.SetWriteDeadline(time.Now().Add(st.timeout)); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return err
	}
	if err := st.bw.Flush(); err != nil {
		return err
	}
	return st.rc.Flush()
}
