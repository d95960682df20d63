// Package events is Vitrine's in-process event broker: what the web
// workspace's live views (job progress, publish state icons) receive over
// Server-Sent Events. The job engine and the change fan-out publish; each
// open stream subscribes to one company and receives that company's events
// only.
//
// Publishers never wait: every subscription has a bounded buffer, and a
// subscriber that falls behind is dropped (its Lagged channel closes) and
// told to reload. Recent events of each company are kept, so a stream that
// reconnects with Last-Event-ID resumes without a gap when it can.
//
// Several nodes: each node's broker publishes its own events and, through
// a Relay (internal/cluster, PostgreSQL NOTIFY), hands them to the other
// nodes, whose brokers Inject them: a stream open on any node sees the
// jobs and publishes of every node.
package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Event types.
const (
	TypeJob    = "job"    // a job's status or counts changed (JobEvent)
	TypeAsset  = "asset"  // assets' publish state changed (AssetEvent)
	TypeReload = "reload" // the stream missed events: read the state again
)

// Event is one event of a company.
type Event struct {
	ID      string // "<epoch>-<seq>": a stream resumes after it (Last-Event-ID)
	Company int64
	Type    string
	Data    json.RawMessage
	At      time.Time // when it was published (latency measurements)

	seq uint64
}

// Config configures a broker.
type Config struct {
	// Buffer is how many events one subscription holds before it counts as
	// fallen behind and is dropped; 64.
	Buffer int
	// Replay is how many recent events of each company are kept for streams
	// that resume with Last-Event-ID; 256. 0 keeps none.
	Replay int
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config { return Config{Buffer: 64, Replay: 256} }

// Validate checks a configuration.
func (c Config) Validate() error {
	if c.Buffer < 1 || c.Replay < 0 {
		return errors.New("events: Buffer must be positive and Replay not negative")
	}
	return nil
}

// Broker fans events out to the subscriptions of their company. It is safe
// for concurrent use.
type Broker struct {
	cfg   Config
	epoch string // tells this process's event IDs from a previous one's

	mu     sync.Mutex
	seq    uint64
	subs   map[int64]map[*Subscription]struct{}
	recent map[int64]*ring
	closed bool
	jobs   jobGuard
	relay  Relay
}

// Relay carries a node's events to the other nodes. Relay is called with
// the broker's lock held, in publishing order: it must not block.
type Relay interface {
	Relay(company int64, typ string, data json.RawMessage)
}

// UseRelay sets the relay of this node's own events; call it before the
// broker is used.
func (b *Broker) UseRelay(r Relay) { b.relay = r }

// Inject publishes an event another node published (it is not relayed
// again). A job event passes the same guard as a local one, so a stream
// never shows a job running again after its end.
func (b *Broker) Inject(company int64, typ string, data json.RawMessage) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if typ == TypeJob {
		var j JobEvent
		if json.Unmarshal(data, &j) != nil || !b.jobs.admit(j.ID, j.Status) {
			return
		}
	}
	b.publish(company, typ, data)
}

// New returns a broker.
func New(cfg Config) (*Broker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Broker{cfg: cfg, epoch: strconv.FormatInt(time.Now().UnixNano(), 36),
		subs: map[int64]map[*Subscription]struct{}{}, recent: map[int64]*ring{}, jobs: newJobGuard(1024)}, nil
}

// Subscription is one subscriber's view of a company's events.
type Subscription struct {
	// C delivers the events, replayed ones first.
	C <-chan Event
	// Lagged is closed when the subscriber fell behind (its buffer was full)
	// or the broker closed: no more events come; tell the client to reload.
	Lagged <-chan struct{}
	// Missed is set when Subscribe could not replay everything after the
	// last event ID given: the client should reload before going on.
	Missed bool

	b       *Broker
	company int64
	ch      chan Event
	lagged  chan struct{}
	once    sync.Once
}

// Publish sends an event of type typ with data (encoded as JSON) to the
// company's subscribers. It never blocks on a subscriber.
func (b *Broker) Publish(company int64, typ string, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("event %s: %w", typ, err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.publishLocked(company, typ, raw)
	return nil
}

// ReloadAll tells every open stream to read the state again: events of
// other nodes may have been missed (the relay lost the database).
func (b *Broker) ReloadAll() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for company := range b.subs {
		b.publish(company, TypeReload, json.RawMessage(`{"reason":"missed"}`))
	}
}

// publishLocked publishes one of this node's events, and relays it.
func (b *Broker) publishLocked(company int64, typ string, raw json.RawMessage) {
	if b.closed {
		return
	}
	b.publish(company, typ, raw)
	if b.relay != nil {
		b.relay.Relay(company, typ, raw)
	}
}

// publish sends an event to the company's subscribers and keeps it for
// replay.
func (b *Broker) publish(company int64, typ string, raw json.RawMessage) {
	if b.closed {
		return
	}
	b.seq++
	ev := Event{ID: b.epoch + "-" + strconv.FormatUint(b.seq, 10), Company: company, Type: typ, Data: raw, At: time.Now(), seq: b.seq}
	if b.cfg.Replay > 0 {
		r := b.recent[company]
		if r == nil {
			r = &ring{buf: make([]Event, b.cfg.Replay)}
			b.recent[company] = r
		}
		r.add(ev)
	}
	for s := range b.subs[company] {
		select {
		case s.ch <- ev:
		default: // fallen behind: drop it rather than wait
			b.dropLocked(s)
		}
	}
}

// Subscribe subscribes to a company's events. lastID is the ID of the
// last event the client received (Last-Event-ID), or "": the events kept
// since then are replayed first; when some are no longer kept, Missed is
// set. Close the subscription when done.
func (b *Broker) Subscribe(company int64, lastID string) *Subscription {
	s := &Subscription{b: b, company: company, ch: make(chan Event, b.cfg.Buffer), lagged: make(chan struct{})}
	s.C, s.Lagged = s.ch, s.lagged
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		close(s.lagged)
		return s
	}
	if lastID != "" {
		replay, ok := b.since(company, lastID)
		if !ok || len(replay) > b.cfg.Buffer {
			s.Missed = true
		} else {
			for _, ev := range replay {
				s.ch <- ev
			}
		}
	}
	if b.subs[company] == nil {
		b.subs[company] = map[*Subscription]struct{}{}
	}
	b.subs[company][s] = struct{}{}
	return s
}

// since returns the company's kept events after lastID, and false when
// events after it may have been dropped from the ring (or lastID is from
// another process).
func (b *Broker) since(company int64, lastID string) ([]Event, bool) {
	epoch, n, ok := strings.Cut(lastID, "-")
	seq, err := strconv.ParseUint(n, 10, 64)
	if !ok || err != nil || epoch != b.epoch || seq > b.seq {
		return nil, false
	}
	r := b.recent[company]
	if r == nil {
		return nil, true // nothing of this company was ever published
	}
	if seq < r.evicted {
		return nil, false
	}
	return r.after(seq), true
}

// Close ends the subscription; it is safe to call more than once.
func (s *Subscription) Close() {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.dropLocked(s)
}

func (b *Broker) dropLocked(s *Subscription) {
	s.once.Do(func() {
		close(s.lagged)
		delete(b.subs[s.company], s)
		if len(b.subs[s.company]) == 0 {
			delete(b.subs, s.company)
		}
	})
}

// Subscribers returns how many subscriptions are open (metrics, tests).
func (b *Broker) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, m := range b.subs {
		n += len(m)
	}
	return n
}

// Close ends every subscription (their Lagged channels close) and makes
// Publish a no-op: call it when the server shuts down, so that open streams
// end and the HTTP server's Shutdown need not wait for them.
func (b *Broker) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for _, m := range b.subs {
		for s := range m {
			b.dropLocked(s)
		}
	}
}

// ring keeps a company's last events.
type ring struct {
	buf     []Event
	next    int    // where the next event goes
	n       int    // how many are kept
	evicted uint64 // the sequence number of the newest event dropped, 0: none
}

func (r *ring) add(ev Event) {
	if r.n == len(r.buf) {
		r.evicted = r.buf[r.next].seq
	} else {
		r.n++
	}
	r.buf[r.next] = ev
	r.next = (r.next + 1) % len(r.buf)
}

// after returns the kept events with a sequence number above seq, oldest first.
func (r *ring) after(seq uint64) []Event {
	var out []Event
	start := (r.next - r.n + len(r.buf)) % len(r.buf)
	for i := range r.n {
		if ev := r.buf[(start+i)%len(r.buf)]; ev.seq > seq {
			out = append(out, ev)
		}
	}
	return out
}
