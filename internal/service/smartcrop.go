package service

import (
	"context"
	"fmt"
	"io"

	"github.com/vitrine/vitrine"
)

// SetFolderProfile sets (nil: clears) a folder's image profile. The images
// below the folder are queued in the same transaction and the crop worker
// recomputes their crops in the background: the request does not wait for
// a folder of many images.
func (s *Service) SetFolderProfile(ctx context.Context, p *vitrine.Principal, path string, prof *vitrine.ImageProfile) error {
	if err := s.store.SetFolderProfile(ctx, &p.Company, path, prof); err != nil {
		return err
	}
	s.wakeCrops()
	return nil
}

// wakeCrops tells the crop worker there is work, without waiting.
func (s *Service) wakeCrops() {
	select {
	case s.cropWake <- struct{}{}:
	default:
	}
}

// ComputeCrops computes the smart crops of an image's current version
// from its folder's effective profile, keeping the crops users adjusted
// (vitrine.KeepAdjusted), and drops those the profile no longer has. When
// a published image's crops moved, the change is announced so that the
// edges forget the old pixels. Anything but a live image has no crops.
func (s *Service) ComputeCrops(ctx context.Context, c *vitrine.Company, name string) ([]vitrine.SmartCrop, error) {
	a, saved, moved, err := s.applyProfile(ctx, c, name)
	if err == nil && moved {
		s.changes.Announce(ctx, c, edited(a))
	}
	return saved, err
}

// applyProfile is ComputeCrops without the announcement: an upload
// announces its own changes once the crops are saved.
func (s *Service) applyProfile(ctx context.Context, c *vitrine.Company, name string) (a *vitrine.Asset, saved []vitrine.SmartCrop, moved bool, err error) {
	if a, err = s.store.Asset(ctx, c.ID, name); err != nil {
		return nil, nil, false, err
	}
	if a.Type != vitrine.TypeImage || a.Trashed() || a.CurrentVersion == nil || s.crops == nil {
		return a, nil, false, nil
	}
	_, eff, err := s.store.FolderProfile(ctx, c, a.Folder)
	if err != nil {
		return a, nil, false, err
	}
	v := a.CurrentVersion
	before, err := s.store.Crops(ctx, v.ID)
	if err != nil || len(before) == 0 && len(eff.Profile.Crops) == 0 {
		return a, before, false, err
	}
	var computed []vitrine.SmartCrop
	if len(eff.Profile.Crops) > 0 {
		data, err := s.readVersion(ctx, v)
		if err != nil {
			return a, nil, false, err
		}
		if computed, err = s.crops(data, eff.Profile.Crops); err != nil {
			return a, nil, false, fmt.Errorf("smart crops of %s v%d: %w", name, v.Number, err)
		}
	}
	if saved, err = s.store.SaveCrops(ctx, v.ID, computed); err != nil {
		return a, nil, false, err
	}
	return a, saved, cropsMoved(before, saved), nil
}

// cropUploads computes the crops of the images an upload stored, before
// the upload's changes are announced. A failure costs the crops, not the
// upload: it is logged, and the crop URLs answer as unknown.
func (s *Service) cropUploads(ctx context.Context, c *vitrine.Company, ups []vitrine.UploadedAsset) {
	for _, u := range ups {
		if u.Skipped || u.Type != vitrine.TypeImage {
			continue
		}
		if _, _, _, err := s.applyProfile(ctx, c, u.Name); err != nil {
			s.log.WarnContext(ctx, "smart crops at upload", "asset", u.Name, "err", err)
		}
	}
}

// AdjustCrop sets the box of one crop of an image's current version, as a
// user placed it (vitrine.CheckCropBox); it is kept when the profile is
// applied again, until ResetCrop. A published image's renditions of it are
// purged (the change is announced as an edit of a published asset, PUB-6).
func (s *Service) AdjustCrop(ctx context.Context, p *vitrine.Principal, name, crop string, box vitrine.CropBox) (*vitrine.SmartCrop, error) {
	a, cur, err := s.crop(ctx, p, name, crop)
	if err != nil {
		return nil, err
	}
	def := vitrine.CropDef{Name: cur.Name, Width: cur.Width, Height: cur.Height}
	if err := vitrine.CheckCropBox(box, cur.SourceWidth, cur.SourceHeight, def); err != nil {
		return nil, err
	}
	cur.Box, cur.Adjusted = box, true
	out, err := s.store.SetCrop(ctx, a.CurrentVersion.ID, *cur)
	if err != nil {
		return nil, err
	}
	s.changes.Announce(ctx, &p.Company, edited(a))
	return out, nil
}

// ResetCrop forgets a user's box: the crop is computed again.
func (s *Service) ResetCrop(ctx context.Context, p *vitrine.Principal, name, crop string) (*vitrine.SmartCrop, error) {
	a, cur, err := s.crop(ctx, p, name, crop)
	if err != nil {
		return nil, err
	}
	data, err := s.readVersion(ctx, a.CurrentVersion)
	if err != nil {
		return nil, err
	}
	found, err := s.crops(data, []vitrine.CropDef{{Name: cur.Name, Width: cur.Width, Height: cur.Height}})
	if err != nil {
		return nil, fmt.Errorf("smart crop %s of %s: %w", crop, name, err)
	}
	out, err := s.store.SetCrop(ctx, a.CurrentVersion.ID, found[0])
	if err != nil {
		return nil, err
	}
	if out.Box != cur.Box {
		s.changes.Announce(ctx, &p.Company, edited(a))
	}
	return out, nil
}

// Crops returns the smart crops of an image's current version.
func (s *Service) Crops(ctx context.Context, p *vitrine.Principal, name string) ([]vitrine.SmartCrop, error) {
	a, err := s.store.Asset(ctx, p.Company.ID, name)
	if err != nil {
		return nil, err
	}
	if a.CurrentVersion == nil || a.Type != vitrine.TypeImage {
		return []vitrine.SmartCrop{}, nil
	}
	return s.store.Crops(ctx, a.CurrentVersion.ID)
}

// crop returns an image and one crop of its current version, or ENOTFOUND.
func (s *Service) crop(ctx context.Context, p *vitrine.Principal, name, crop string) (*vitrine.Asset, *vitrine.SmartCrop, error) {
	if s.crops == nil {
		return nil, nil, vitrine.Errorf(vitrine.EUNAVAILABLE, "smart crops are not available on this server")
	}
	crops, err := s.Crops(ctx, p, name)
	if err != nil {
		return nil, nil, err
	}
	for i := range crops {
		if crops[i].Name == crop {
			a, err := s.store.Asset(ctx, p.Company.ID, name)
			return a, &crops[i], err
		}
	}
	return nil, nil, vitrine.Errorf(vitrine.ENOTFOUND, "asset %q has no crop %q", name, crop)
}

// edited is the change an edit of a's renditions makes: a republish of
// each destination it is live in, which purges it where the company
// invalidates on republish (CDN-2, the default).
func edited(a *vitrine.Asset) []vitrine.CatalogChange {
	var out []vitrine.CatalogChange
	for _, st := range []struct {
		s    *vitrine.CatalogState
		dest vitrine.Destination
	}{{a.Published.Delivery, vitrine.DestDelivery}, {a.Published.Preview, vitrine.DestPreview}} {
		if st.s != nil {
			out = append(out, vitrine.CatalogChange{Asset: a.Name, Context: st.s.Context, Destination: st.dest,
				Action: vitrine.HistRepublished, Version: st.s.Version})
		}
	}
	return out
}

// cropsMoved reports whether a version's crops differ in name, size or box.
func cropsMoved(before, after []vitrine.SmartCrop) bool {
	if len(before) != len(after) {
		return true
	}
	was := map[string]vitrine.SmartCrop{}
	for _, c := range before {
		was[c.Name] = c
	}
	for _, c := range after {
		b, ok := was[c.Name]
		if !ok || b.Box != c.Box || b.Width != c.Width || b.Height != c.Height {
			return true
		}
	}
	return false
}

// readVersion reads a stored version whole: libvips decodes from memory.
func (s *Service) readVersion(ctx context.Context, v *vitrine.Version) ([]byte, error) {
	b, err := s.blobs.Open(ctx, v.SHA256)
	if err != nil {
		return nil, fmt.Errorf("open v%d: %w", v.Number, err)
	}
	defer b.Close()
	data, err := io.ReadAll(b)
	if err != nil {
		return nil, fmt.Errorf("read v%d: %w", v.Number, err)
	}
	return data, nil
}
