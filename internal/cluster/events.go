package cluster

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// eventPrefix names the channel of the live events (the workspace's job
// progress and publish states, internal/events), followed by the schema.
// A payload is "<node>\t<company>\t<type>\t<JSON>".
const eventPrefix = "vitrine_events:"

// maxPayload keeps a notification under PostgreSQL's 8,000-byte limit. A
// larger event goes as a "reload" event: the other nodes' streams then
// read the state again rather than miss it.
const maxPayload = 7900

// EventSink takes the events other nodes published: the node's broker.
// ReloadAll tells every open stream to read the state again, after the
// bus lost the database for a while and may have missed events.
type EventSink interface {
	Inject(company int64, typ string, data json.RawMessage)
	ReloadAll()
}

type outEvent struct {
	company int64
	typ     string
	data    json.RawMessage
}

// RelayEvents makes the bus carry live events between nodes: this node's
// (Relay) to the others, the others' into sink. Call it before Start.
func (b *Bus) RelayEvents(sink EventSink) {
	b.sink = sink
	b.out = make(chan outEvent, 1024)
}

// Relay queues one of this node's events for the other nodes
// (events.Relay). It never blocks: when the queue is full the event is
// dropped and logged (the other nodes' streams miss it; a page reload
// shows the state).
func (b *Bus) Relay(company int64, typ string, data json.RawMessage) {
	if b.stopped.Load() {
		return // the node is shutting down
	}
	select {
	case b.out <- outEvent{company, typ, data}:
	default:
		b.log.Warn("cluster: event queue full; an event does not reach the other nodes", "type", typ, "company", company)
	}
}

// send delivers the queued events in order until ctx ends.
func (b *Bus) send(ctx context.Context) {
	defer close(b.sent)
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-b.out:
			for _, payload := range b.payloads(ev) {
				sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				if _, err := b.db.ExecContext(sctx, `SELECT pg_notify($1, $2)`, b.eventChannel, payload); err != nil && ctx.Err() == nil {
					b.log.Warn("cluster: send an event to the other nodes", "type", ev.typ, "err", err)
				}
				cancel()
			}
		}
	}
}

// payloads makes the notifications of one event, each under maxPayload:
// an asset event too large for one is split into several (halving its
// list of assets); a job event has its message shortened; anything else
// that does not fit goes as "reload".
func (b *Bus) payloads(ev outEvent) []string {
	head := b.node + "\t" + strconv.FormatInt(ev.company, 10) + "\t"
	if len(head)+len(ev.typ)+1+len(ev.data) <= maxPayload {
		return []string{head + ev.typ + "\t" + string(ev.data)}
	}
	switch ev.typ {
	case "asset":
		var a struct {
			Assets []json.RawMessage `json:"assets"`
		}
		if json.Unmarshal(ev.data, &a) == nil && len(a.Assets) > 1 {
			half := len(a.Assets) / 2
			var out []string
			for _, part := range [][]json.RawMessage{a.Assets[:half], a.Assets[half:]} {
				data, _ := json.Marshal(map[string]any{"assets": part})
				out = append(out, b.payloads(outEvent{ev.company, ev.typ, data})...)
			}
			return out
		}
	case "job":
		var j map[string]any
		if json.Unmarshal(ev.data, &j) == nil {
			if m, ok := j["message"].(string); ok && len(m) > 1000 {
				j["message"] = m[:1000] + "…"
				if data, err := json.Marshal(j); err == nil && len(head)+len(ev.typ)+1+len(data) <= maxPayload {
					return []string{head + ev.typ + "\t" + string(data)}
				}
			}
		}
	}
	return []string{head + "reload\t" + `{"reason":"large"}`}
}

// inject hands another node's event to the sink.
func (b *Bus) inject(payload string) {
	parts := strings.SplitN(payload, "\t", 4)
	if len(parts) != 4 {
		b.log.Warn("cluster: a malformed event, ignored")
		return
	}
	if parts[0] == b.node {
		return
	}
	company, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		b.log.Warn("cluster: an event without a company, ignored")
		return
	}
	b.sink.Inject(company, parts[2], json.RawMessage(parts[3]))
}
