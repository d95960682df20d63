package service

import (
	"context"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/cdn"
	"github.com/vitrine/vitrine/internal/imaging"
)

// The asset life cycle (UP-5, UP-6, SEL-8) and sets (PUB-5): each use case
// writes through the store and announces what changed in the catalog, so
// the API and the workspace purge the same way.

// EditAsset changes an asset's title and keywords and/or moves or renames
// it (SEL-8: a move keeps the publish state and never leaves the old URL
// live).
func (s *Service) EditAsset(ctx context.Context, p *vitrine.Principal, name string, m vitrine.MetadataPatch, folder, newName string) (*vitrine.Asset, error) {
	a, changes, err := s.store.EditAsset(ctx, p, name, m, folder, newName)
	if err != nil {
		return nil, err
	}
	s.changes.Announce(ctx, &p.Company, changes)
	return a, nil
}

// Move moves and/or renames an asset (SEL-8).
func (s *Service) Move(ctx context.Context, p *vitrine.Principal, name, folder, newName string) (*vitrine.Asset, error) {
	a, changes, err := s.store.Move(ctx, p, name, folder, newName)
	if err != nil {
		return nil, err
	}
	s.changes.Announce(ctx, &p.Company, changes)
	return a, nil
}

// Copy copies an asset; the copy is unpublished (SEL-8).
func (s *Service) Copy(ctx context.Context, p *vitrine.Principal, name, folder, newName string) (*vitrine.Asset, error) {
	return s.store.Copy(ctx, p, name, folder, newName)
}

// Trash moves an asset (and its derived images) to the Trash (UP-6): it
// leaves the catalog at once and the edges are purged before this returns
// (CDN-4). The report says which edges confirmed.
func (s *Service) Trash(ctx context.Context, p *vitrine.Principal, name string) (*cdn.Report, error) {
	changes, err := s.store.Trash(ctx, p, name)
	if err != nil {
		return nil, err
	}
	return s.changes.Announce(ctx, &p.Company, changes), nil
}

// Restore puts an asset back from the Trash; with instant publish on, its
// marked destinations go live again.
func (s *Service) Restore(ctx context.Context, p *vitrine.Principal, name string) (*vitrine.Asset, error) {
	a, changes, err := s.store.Restore(ctx, p, name)
	if err != nil {
		return nil, err
	}
	if len(changes) > 0 {
		s.changes.Announce(ctx, &p.Company, changes)
	} else {
		s.changes.Forget(ctx, &p.Company)
	}
	return a, nil
}

// SaveSet creates (create) or replaces a set and applies Publish after
// save (PUB-5).
func (s *Service) SaveSet(ctx context.Context, p *vitrine.Principal, spec vitrine.SetSpec, create bool) (*vitrine.SetResult, error) {
	res, err := s.store.SaveSet(ctx, p, spec, create)
	if err != nil {
		return nil, err
	}
	s.changes.Announce(ctx, &p.Company, res.Changes)
	return res, nil
}

// UpdateSettings changes a company's settings (admins, AUTH-1) and tells
// the caches: everything a rendition depends on is in its cache key.
func (s *Service) UpdateSettings(ctx context.Context, p *vitrine.Principal, patch []byte) (*vitrine.Settings, error) {
	if err := vitrine.CanAdminister(p); err != nil {
		return nil, err
	}
	// Presets are parsed before they are saved, as every URL naming them
	// would be (the store checks the rest; a patch it refuses is refused
	// here the same way).
	if merged, err := p.Company.Settings.Merge(patch); err == nil {
		if err := imaging.CheckPresets(merged.Presets); err != nil {
			return nil, err
		}
	}
	st, err := s.store.UpdateSettings(ctx, p.Company.ID, patch)
	if err != nil {
		return nil, err
	}
	s.changes.Forget(ctx, &p.Company)
	return st, nil
}
