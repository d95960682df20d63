package service

import (
	"context"
	"sync/atomic"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/cdn"
)

// Forgetter drops what it remembers of a company (its settings, its
// catalog lookups) when anything of the company changed: delivery's caches.
type Forgetter interface {
	Forget(rootID string)
}

// Purger purges the edges after catalog changes and waits for their
// confirmations (internal/cdn).
type Purger interface {
	AfterChange(ctx context.Context, c *vitrine.Company, changes []vitrine.CatalogChange) *cdn.Report
}

// Subscriber is told of catalog changes once they are committed and
// purged (search data, webhooks, the workspace's live view).
type Subscriber interface {
	CatalogChanged(ctx context.Context, c *vitrine.Company, changes []vitrine.CatalogChange)
}

// Subscribers are the listeners of Changes, wired once in main.
type Subscribers struct {
	Caches []Forgetter  // told first, so an edge refetching during a purge finds the new state
	Edges  Purger       // nil: no edges
	Others []Subscriber // told last
}

// Changes is the one fan-out of changes: every use case and the job engine
// announce through it, each change once.
type Changes struct{ subs Subscribers }

// NewChanges returns a fan-out to subs.
func NewChanges(subs Subscribers) *Changes { return &Changes{subs: subs} }

type announcedKey struct{}

// Track returns a context in which Announce and Forget note that they ran,
// and the flag they set: a caller that drops caches after any change (the
// API after a write) skips it when the use case already did.
func Track(ctx context.Context) (context.Context, *atomic.Bool) {
	flag := new(atomic.Bool)
	return context.WithValue(ctx, announcedKey{}, flag), flag
}

func mark(ctx context.Context) {
	if f, ok := ctx.Value(announcedKey{}).(*atomic.Bool); ok {
		f.Store(true)
	}
}

// Forget tells the caches that something of company c changed (settings,
// folders, presets).
func (ch *Changes) Forget(ctx context.Context, c *vitrine.Company) {
	mark(ctx)
	for _, f := range ch.subs.Caches {
		f.Forget(c.RootID)
	}
}

// Announce tells every subscriber of catalog changes, in order: the
// caches, the edges (waiting for their confirmations), the others. It
// returns the edges' report, nil when nothing was purged.
func (ch *Changes) Announce(ctx context.Context, c *vitrine.Company, changes []vitrine.CatalogChange) *cdn.Report {
	if len(changes) == 0 {
		return nil
	}
	ch.Forget(ctx, c)
	var rep *cdn.Report
	if ch.subs.Edges != nil {
		rep = ch.subs.Edges.AfterChange(ctx, c, changes)
	}
	for _, s := range ch.subs.Others {
		s.CatalogChanged(ctx, c, changes)
	}
	return rep
}
