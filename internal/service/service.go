// Package service holds Vitrine's use cases: ingest (spool, type check,
// blob, catalog, posters, announce) and publish (now, planned, or at a
// time), and the one fan-out of catalog changes. The REST API, the job
// engine and the web workspace call these, never a copy of them; the rules
// they apply live in the root package, the SQL in internal/sqlstore.
package service

import (
	"context"
	"errors"
	"log/slog"

	"github.com/vitrine/vitrine"
)

// PosterMaker makes a poster image (JPEG) of a video file (internal/video).
type PosterMaker interface {
	Extract(ctx context.Context, path, format string) ([]byte, error)
}

// Scheduler makes a publication a one-time job at its time (SEL-5); the
// job engine (internal/jobs) is one.
type Scheduler interface {
	SchedulePublication(ctx context.Context, p *vitrine.Principal, pub vitrine.Publication) (*vitrine.JobRun, error)
}

// CropFinder computes the smart crops of an encoded image
// (imaging.SmartCrops).
type CropFinder func(src []byte, defs []vitrine.CropDef) ([]vitrine.SmartCrop, error)

// Deps are what the use cases work with. Posters may be nil (no video
// posters); Changes may be nil (nothing listens); Crops may be nil (image
// profiles then compute no crops).
type Deps struct {
	Store   vitrine.Store
	Blobs   vitrine.BlobStore
	Posters PosterMaker
	Crops   CropFinder
	Changes *Changes
	Log     *slog.Logger
}

// Service runs the use cases. It is safe for concurrent use.
type Service struct {
	store   vitrine.Store
	blobs   vitrine.BlobStore
	posters PosterMaker
	changes *Changes
	log     *slog.Logger
	sched   Scheduler
	crops   CropFinder
	// cropWake tells the crop worker that images were queued (buffered 1).
	cropWake chan struct{}
}

// New returns the use cases over d.
func New(d Deps) (*Service, error) {
	if d.Store == nil || d.Blobs == nil {
		return nil, errors.New("service: Store and Blobs are required")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Changes == nil {
		d.Changes = NewChanges(Subscribers{})
	}
	return &Service{store: d.Store, blobs: d.Blobs, posters: d.Posters, changes: d.Changes, log: d.Log,
		crops: d.Crops, cropWake: make(chan struct{}, 1)}, nil
}

// UseScheduler gives the use cases the job engine, which itself runs use
// cases: main calls it once, after building both and before serving.
// Without it, publications with a time answer unavailable.
func (s *Service) UseScheduler(sc Scheduler) { s.sched = sc }

// Store is the store the use cases write through; adapters read from it.
func (s *Service) Store() vitrine.Store { return s.store }

// Blobs is the blob store.
func (s *Service) Blobs() vitrine.BlobStore { return s.blobs }

// Changes is the fan-out of catalog and company changes.
func (s *Service) Changes() *Changes { return s.changes }
