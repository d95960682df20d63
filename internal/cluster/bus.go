// Package cluster keeps several serve nodes that share one PostgreSQL
// database in step. What a node caches of a company (its settings,
// presets, signing keys, catalog lookups) is dropped on every node when any
// node changes it: the changing node sends a PostgreSQL NOTIFY, and every
// node LISTENs on a connection of its own and drops its caches for that
// company. A node whose listening connection broke drops everything once it
// is back, since it may have missed notifications; its lookups' short TTL
// bounds staleness meanwhile.
//
// The bus also carries the live events (job progress, publish states) of
// each node to the others (events.go), so that a workspace stream open on
// any node sees the work of all.
//
// SQLite has no second node, so the bus is only started on PostgreSQL.
package cluster

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
)

// channelPrefix names the PostgreSQL notification channel of cache drops,
// followed by the schema: notifications are per database, and installations
// (or tests) in other schemas of the same database must not hear each
// other. A notification's payload is "<node>\t<company root id>".
const channelPrefix = "vitrine_forget:"

// Cache is a node-local cache the bus drops: delivery's lookups.
type Cache interface {
	Forget(rootID string)
	ForgetAll()
}

// Bus sends and receives cache drops. Forget makes it a service.Forgetter
// (the fan-out of changes tells it after the local caches).
type Bus struct {
	db      *sql.DB // sends, through the node's pool
	dsn     string  // listens, on a connection of its own
	channel string
	node    string // this node: it skips its own notifications
	local   []Cache
	log     *slog.Logger

	// Live events between nodes (events.go), when RelayEvents was called.
	eventChannel string
	sink         EventSink
	out          chan outEvent
	sent         chan struct{} // closed when the sender has ended
	stopped      atomic.Bool   // Relay drops events once Stop began

	pid    atomic.Uint32 // the listener's backend (tests cut it)
	cancel context.CancelFunc
	done   chan struct{}
}

// New returns a bus for the database at dsn (db is the node's pool on it)
// that drops local when another node changes a company.
func New(ctx context.Context, db *sql.DB, dsn string, local []Cache, log *slog.Logger) (*Bus, error) {
	id := make([]byte, 8)
	if _, err := rand.Read(id); err != nil {
		return nil, fmt.Errorf("cluster: node id: %w", err)
	}
	var schema string
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return nil, fmt.Errorf("cluster: the database's schema: %w", err)
	}
	return &Bus{db: db, dsn: dsn, channel: channelPrefix + schema, eventChannel: eventPrefix + schema, node: hex.EncodeToString(id),
		local: local, log: log}, nil
}

// Forget tells the other nodes that company rootID changed. It waits for
// the database to take the notification (PostgreSQL delivers it to every
// listening node at once), and logs a failure: the other nodes' lookups
// then expire with their TTL.
func (b *Bus) Forget(rootID string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := b.db.ExecContext(ctx, `SELECT pg_notify($1, $2)`, b.channel, b.node+"\t"+rootID); err != nil {
		b.log.Warn("cluster: tell the other nodes", "company", rootID, "err", err)
	}
}

// Start listens, and returns once it does, so that a node serves only when
// it hears the others. The listener runs until Stop.
func (b *Bus) Start(ctx context.Context) error {
	conn, err := b.listen(ctx)
	if err != nil {
		return err
	}
	ctx, b.cancel = context.WithCancel(ctx)
	b.done = make(chan struct{})
	go b.run(ctx, conn)
	if b.sink != nil {
		b.sent = make(chan struct{})
		go b.send(ctx)
	}
	return nil
}

// Stop ends the listener and waits for it.
func (b *Bus) Stop() {
	b.stopped.Store(true)
	if b.cancel != nil {
		b.cancel()
		<-b.done
		if b.sent != nil {
			<-b.sent
		}
	}
}

func (b *Bus) listen(ctx context.Context) (*pgx.Conn, error) {
	conn, err := pgx.Connect(ctx, b.dsn)
	if err != nil {
		return nil, fmt.Errorf("cluster: connect the listener: %w", err)
	}
	channels := []string{b.channel}
	if b.sink != nil {
		channels = append(channels, b.eventChannel)
	}
	for _, ch := range channels {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			conn.Close(context.Background())
			return nil, fmt.Errorf("cluster: listen: %w", err)
		}
	}
	b.pid.Store(conn.PgConn().PID())
	return conn, nil
}

// run receives notifications until ctx ends, reconnecting (with a growing
// pause) when the connection breaks, and dropping every cache then.
func (b *Bus) run(ctx context.Context, conn *pgx.Conn) {
	defer close(b.done)
	pause := 100 * time.Millisecond
	for {
		err := b.receive(ctx, conn)
		conn.Close(context.Background())
		if ctx.Err() != nil {
			return
		}
		b.log.Warn("cluster: the listener lost the database; reconnecting", "err", err)
		for {
			t := time.NewTimer(pause)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
			pause = min(2*pause, 10*time.Second)
			if conn, err = b.listen(ctx); err == nil {
				break
			}
			b.log.Warn("cluster: reconnect the listener", "err", err)
		}
		pause = 100 * time.Millisecond
		for _, c := range b.local {
			c.ForgetAll() // what changed while we were away is unknown
		}
		if b.sink != nil {
			b.sink.ReloadAll() // and which events of other nodes were missed
		}
	}
}

func (b *Bus) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Channel == b.eventChannel {
			b.inject(n.Payload)
			continue
		}
		node, rootID, ok := strings.Cut(n.Payload, "\t")
		if !ok {
			b.log.Warn("cluster: a notification without a node, ignored", "payload", n.Payload)
			continue
		}
		if node == b.node {
			continue
		}
		for _, c := range b.local {
			c.Forget(rootID)
		}
	}
}
