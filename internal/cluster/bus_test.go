package cluster

import (
	"context"
	"database/sql"
	"log/slog"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/vitrine/vitrine/internal/testenv"
)

// cacheSpy is a node-local cache that reports what it was told to drop.
type cacheSpy chan string

func (c cacheSpy) Forget(rootID string) { c <- rootID }
func (c cacheSpy) ForgetAll()           { c <- "*" }

func (c cacheSpy) next(t *testing.T) string {
	t.Helper()
	select {
	case s := <-c:
		return s
	case <-time.After(30 * time.Second):
		t.Fatal("no cache drop within 30 s")
		return ""
	}
}

func startBus(t *testing.T, dsn string, c Cache) *Bus {
	t.Helper()
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	b, err := New(context.Background(), db, dsn, []Cache{c}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Stop)
	return b
}

// TestBus: a drop sent by one node reaches the other nodes, not itself; a
// node whose listener lost the database drops everything once back.
func TestBus(t *testing.T) {
	t.Parallel()
	dsn := testenv.PostgresDSN(t)
	spyA, spyB := make(cacheSpy, 10), make(cacheSpy, 10)
	a, b := startBus(t, dsn, spyA), startBus(t, dsn, spyB)

	a.Forget("acme")
	if got := spyB.next(t); got != "acme" {
		t.Errorf("node B dropped %q, want acme", got)
	}
	b.Forget("globex")
	if got := spyA.next(t); got != "globex" {
		t.Errorf("node A dropped %q, want globex (and never its own acme)", got)
	}

	// Another schema (another installation, or test) is not heard.
	other := startBus(t, testenv.PostgresDSN(t), make(cacheSpy, 10))
	other.Forget("acme")
	a.Forget("initech")
	if got := spyB.next(t); got != "initech" {
		t.Errorf("node B dropped %q, want initech only (not another schema's acme)", got)
	}

	// Cut B's listener: it reconnects, drops everything, and hears again.
	if _, err := a.db.Exec(`SELECT pg_terminate_backend($1)`, int64(b.pid.Load())); err != nil {
		t.Fatal(err)
	}
	if got := spyB.next(t); got != "*" {
		t.Errorf("node B after its listener came back dropped %q, want everything", got)
	}
	a.Forget("after")
	if got := spyB.next(t); got != "after" {
		t.Errorf("node B after reconnecting dropped %q, want after", got)
	}
}
