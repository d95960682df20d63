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
type EventSink interface {
	Inject(company int64, typ string, data json.RawMessage)
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
			payload := b.node + "\t" + strconv.FormatInt(ev.company, 10) + "\t" + ev.typ + "\t" + string(ev.data)
			if len(payload) > maxPayload {
				payload = b.node + "\t" + strconv.FormatInt(ev.company, 10) + "\treload\t" + `{"reason":"large"}`
			}
			sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			if _, err := b.db.ExecContext(sctx, `SELECT pg_notify($1, $2)`, b.eventChannel, payload); err != nil && ctx.Err() == nil {
				b.log.Warn("cluster: send an event to the other nodes", "type", ev.typ, "err", err)
			}
			cancel()
		}
	}
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
