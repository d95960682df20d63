package events

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// StreamConfig configures one Server-Sent Events stream.
type StreamConfig struct {
	// Heartbeat is how often an idle stream sends a comment, so that
	// proxies keep it open and a dead client is noticed; 15s.
	Heartbeat time.Duration
	// WriteTimeout bounds one write: a client that stops reading is
	// dropped after it; 10s.
	WriteTimeout time.Duration
}

// DefaultStreamConfig returns the defaults.
func DefaultStreamConfig() StreamConfig {
	return StreamConfig{Heartbeat: 15 * time.Second, WriteTimeout: 10 * time.Second}
}

// Validate checks a configuration.
func (c StreamConfig) Validate() error {
	if c.Heartbeat <= 0 || c.WriteTimeout <= 0 {
		return errors.New("events: Heartbeat and WriteTimeout must be positive")
	}
	return nil
}

// LastID is the event ID a reconnecting client last received: the
// Last-Event-ID header, or the last_event_id query parameter (EventSource
// cannot set headers on its first request).
func LastID(r *http.Request) string {
	if id := r.Header.Get("Last-Event-ID"); id != "" {
		return id
	}
	return r.URL.Query().Get("last_event_id")
}

// Stream serves company's events on w as Server-Sent Events until the
// client goes away, falls behind, or the broker closes. The caller has
// checked that the request may see the company's events: the REST API
// (a bearer token) and the web workspace (the session cookie) both call
// it, so the two streams are the same.
//
// A client that stops reading is dropped: its subscription overflows or a
// write times out, it gets a "reload" event when one can still be
// written, and the stream ends. A client that reconnects with
// Last-Event-ID gets what it missed when the broker still has it, or a
// "reload" event first.
func (b *Broker) Stream(w http.ResponseWriter, r *http.Request, company int64, cfg StreamConfig) {
	sub := b.Subscribe(company, LastID(r))
	defer sub.Close()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	w.WriteHeader(http.StatusOK)
	st := &stream{rc: http.NewResponseController(w), bw: bufio.NewWriter(w), timeout: cfg.WriteTimeout}
	// retry: how long EventSource waits before reconnecting.
	fmt.Fprint(st.bw, "retry: 2000\n: connected\n\n")
	if sub.Missed {
		st.event("", TypeReload, []byte(`{"reason":"missed"}`))
	}
	if err := st.flush(); err != nil {
		return
	}
	beat := time.NewTicker(cfg.Heartbeat)
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
			st.event("", TypeReload, []byte(`{"reason":"behind"}`))
			_ = st.flush()
			return
		case <-beat.C:
			st.arm()
			fmt.Fprint(st.bw, ": ping\n\n")
		case <-r.Context().Done():
			return
		}
		if err := st.flush(); err != nil {
			return // the client is gone or stalled; the deferred Close drops it
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
