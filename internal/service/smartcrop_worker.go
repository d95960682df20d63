package service

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/vitrine/vitrine"
)

// CropWorker recomputes the smart crops of the images queued when a
// folder's image profile changed (vitrine.CropStore.SetFolderProfile).
// The queue is in the database, so a restart finishes the work. main owns
// it: Start, then Stop on shutdown; tests call RunOnce.
type CropWorker struct {
	svc   *Service
	log   *slog.Logger
	batch int
	poll  time.Duration

	mu     sync.Mutex
	cancel context.CancelFunc
	done   chan struct{}
}

// CropWorker returns the worker of the service's crop queue.
func (s *Service) CropWorker() *CropWorker {
	return &CropWorker{svc: s, log: s.log.With("component", "crops"), batch: 20, poll: 30 * time.Second}
}

// Start runs the worker until ctx ends or Stop: it works through the
// queue, then waits for a profile change (or polls, for other nodes'
// changes).
func (w *CropWorker) Start(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done != nil {
		return
	}
	ctx, w.cancel = context.WithCancel(ctx)
	w.done = make(chan struct{})
	go w.loop(ctx, w.done)
}

// Stop ends the worker and waits for it; the crop in progress finishes.
func (w *CropWorker) Stop() {
	w.mu.Lock()
	cancel, done := w.cancel, w.done
	w.cancel, w.done = nil, nil
	w.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

func (w *CropWorker) loop(ctx context.Context, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(w.poll)
	defer t.Stop()
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.log.WarnContext(ctx, "crop queue", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-w.svc.cropWake:
		case <-t.C:
		}
	}
}

// RunOnce recomputes the crops of up to one batch of queued images and
// returns how many it took off the queue. An image whose crops cannot be
// computed is logged and taken off all the same: retrying would fail
// again.
func (w *CropWorker) RunOnce(ctx context.Context) (int, error) {
	tasks, err := w.svc.store.QueuedCrops(ctx, w.batch)
	if err != nil {
		return 0, err
	}
	companies := map[int64]*vitrine.Company{}
	for i, t := range tasks {
		if err := ctx.Err(); err != nil {
			return i, err
		}
		c, ok := companies[t.CompanyID]
		if !ok {
			if c, err = w.svc.store.CompanyByID(ctx, t.CompanyID); err != nil {
				return i, fmt.Errorf("company %d: %w", t.CompanyID, err)
			}
			companies[t.CompanyID] = c
		}
		if _, err := w.svc.ComputeCrops(ctx, c, t.Name); err != nil && vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			if ctx.Err() != nil {
				return i, ctx.Err()
			}
			w.log.WarnContext(ctx, "smart crops", "company", c.RootID, "asset", t.Name, "err", err)
		}
		if err := w.svc.store.DoneCrops(ctx, t); err != nil {
			return i, err
		}
	}
	return len(tasks), nil
}
