package main

import (
	"context"
	"time"

	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/tools/internal/benchutil"
)

// cpuTime is the CPU time (user and system) this process and, on
// PostgreSQL, the server processes serving the bench's database have used
// so far. On a machine shared with other work a run's wall time varies by
// a factor of two while its CPU time barely moves, so the bench prints both.
// The server's share is read from /proc, so it counts only a server on this
// machine, and only backends alive when it is read (the bench's pool keeps
// its connections through a publish).
type cpuTime struct{ client, server time.Duration }

func cpuNow(ctx context.Context, db *sqlstore.DB) cpuTime {
	var t cpuTime
	t.client = benchutil.SelfCPU()
	if db.Dialect() != sqlstore.Postgres {
		return t
	}
	t.server = benchutil.DatabaseCPU(ctx, db.SQL())
	return t
}

func (t cpuTime) sub(u cpuTime) cpuTime { return cpuTime{t.client - u.client, t.server - u.server} }

func (t cpuTime) total() time.Duration { return t.client + t.server }

func (t cpuTime) String() string {
	r := func(d time.Duration) string { return d.Round(10 * time.Millisecond).String() }
	if t.server == 0 {
		return "CPU " + r(t.client)
	}
	return "CPU " + r(t.total()) + " (client " + r(t.client) + ", server " + r(t.server) + ")"
}
