package service

import (
	"context"
	"fmt"

	"github.com/vitrine/vitrine"
)

// RestoreVersion makes an old version of an image its newest version: the
// old version's stored bytes become the next version through the derive
// use case (as a derived image that replaces the original, PUB-6), so a
// published asset goes live at it at once and the edges are purged. The
// old versions stay. Only images can be restored this way: Derive takes
// images only.
func (s *Service) RestoreVersion(ctx context.Context, p *vitrine.Principal, name string, number int) (*vitrine.DeriveResult, error) {
	a, err := s.store.Asset(ctx, p.Company.ID, name)
	if err != nil {
		return nil, err
	}
	if a.Type != vitrine.TypeImage {
		return nil, vitrine.Errorf(vitrine.EINVALID, "only an image's versions can be restored; upload the old %s file again instead", a.Type)
	}
	if a.Version == number {
		return nil, vitrine.Errorf(vitrine.EINVALID, "version %d is already the current version of %q", number, name)
	}
	vs, err := s.store.Versions(ctx, p.Company.ID, name)
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if v.Number != number {
			continue
		}
		nf := vitrine.NewFile{Filename: v.Filename, Type: a.Type, Format: v.Format, MIME: v.MIME, Ext: a.Ext,
			Width: v.Width, Height: v.Height, SHA256: v.SHA256, Size: v.Size}
		der := vitrine.Derivation{ReplaceOriginal: true, Recipe: fmt.Sprintf("restore=version %d", number)}
		res, err := s.store.Derive(ctx, p, name, der, nf)
		if err != nil {
			return nil, err
		}
		s.changes.Announce(ctx, &p.Company, res.Changes)
		return res, nil
	}
	return nil, vitrine.Errorf(vitrine.ENOTFOUND, "%q has no version %d", name, number)
}
