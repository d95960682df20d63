package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/media"
)

// posterRecipe is the recipe recorded on a video's poster thumbnail.
const posterRecipe = "poster=first frame not black or white"

// Ingest stores the spooled files of one upload request as one upload job
// (UP-1): posters are made of the videos, every file is put in the blob
// store, all are recorded in one transaction (nothing partial is ever
// visible, UP-7), the posters are stored as derived images, and the
// catalog changes are announced. The caller removes the spool files it
// still holds (PutFile moves the ones it stores).
func (s *Service) Ingest(ctx context.Context, p *vitrine.Principal, files []Spooled, opts vitrine.UploadOptions) (*vitrine.UploadResult, error) {
	if _, err := opts.Validate(); err != nil {
		return nil, err
	}
	posters := s.makePosters(ctx, files)
	nf := make([]vitrine.NewFile, len(files))
	for i, f := range files {
		nf[i] = f.File
	}
	var res *vitrine.UploadResult
	err := s.commit(ctx, files, func(ctx context.Context) (err error) {
		res, err = s.store.Ingest(ctx, p, nf, opts)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.storePosters(ctx, p, res.Assets, posters)
	s.cropUploads(ctx, &p.Company, res.Assets)
	// A replacement may republish (purged when the company says so, CDN-2)
	// or leave the catalog (always purged, CDN-4).
	var changes []vitrine.CatalogChange
	for _, a := range res.Assets {
		changes = append(changes, a.Changes...)
	}
	s.changes.Announce(ctx, &p.Company, changes)
	return res, nil
}

// IngestInto stores one spooled file of a running upload job (URL lists,
// drop folders) as Ingest does, posters included, and moves the job's
// cursor to cursor in the same transaction. A poster that cannot be made
// is a warning in the job's log.
func (s *Service) IngestInto(ctx context.Context, p *vitrine.Principal, jobID int64, sp *Spooled, opts vitrine.UploadOptions, cursor int64) ([]vitrine.UploadedAsset, error) {
	if _, err := opts.Validate(); err != nil {
		return nil, err
	}
	posters := s.makePosters(ctx, []Spooled{*sp})
	var ups []vitrine.UploadedAsset
	err := s.commit(ctx, []Spooled{*sp}, func(ctx context.Context) (err error) {
		ups, err = s.store.IngestInto(ctx, p, jobID, []vitrine.NewFile{sp.File}, opts, cursor)
		return err
	})
	// What was committed is announced whatever follows: the job's cursor
	// has moved past this file, so a retry would not announce it again.
	s.cropUploads(ctx, &p.Company, ups)
	for _, u := range ups {
		s.changes.Announce(ctx, &p.Company, u.Changes)
	}
	if err != nil {
		return ups, err
	}
	var lines []vitrine.JobLogEntry
	for _, i := range s.storePosters(ctx, p, ups, posters) {
		lines = append(lines, vitrine.JobLogEntry{Asset: ups[i].Name, Level: vitrine.LogWarning, Message: ups[i].Warning})
	}
	return ups, s.store.AppendJobLog(ctx, jobID, lines)
}

// commit puts the spooled files in the blob store and runs record, which
// puts them in the catalog. With a guarded store it does both under the
// digests' locks and deletes the blobs nothing refers to afterwards: those
// of skipped files and of a refused upload (a blob another asset refers to
// stays). Without, the blobs stay until the daily collection.
func (s *Service) commit(ctx context.Context, files []Spooled, record func(ctx context.Context) error) error {
	if bc, ok := s.blobs.(vitrine.BlobCommitter); ok {
		bf := make([]vitrine.BlobFile, len(files))
		for i, f := range files {
			bf[i] = vitrine.BlobFile{Digest: f.File.SHA256, Path: f.Path}
		}
		return storageError(bc.CommitFiles(ctx, bf, record, s.store.UnreferencedBlobs))
	}
	for _, f := range files {
		if err := s.blobs.PutFile(ctx, f.File.SHA256, f.Path); err != nil {
			return storageError(fmt.Errorf("store %s: %w", f.File.Filename, err))
		}
	}
	return record(ctx)
}

// StoreDerived stores bytes the server made from parent (a rendered
// recipe, a poster) as a derived image or, with ReplaceOriginal, as the
// parent's next version, and announces what went live.
func (s *Service) StoreDerived(ctx context.Context, p *vitrine.Principal, parent string, der vitrine.Derivation, body []byte) (*vitrine.DeriveResult, error) {
	name := der.Name
	if der.ReplaceOriginal {
		name = parent
	}
	nf, err := s.storeBytes(ctx, name, body)
	if err != nil {
		return nil, err
	}
	res, err := s.store.Derive(ctx, p, parent, der, nf)
	if err != nil {
		return nil, err
	}
	s.changes.Announce(ctx, &p.Company, res.Changes)
	return res, nil
}

// poster is a video's poster thumbnail, or why none could be made.
type poster struct {
	jpg []byte
	err error
}

// makePosters makes the posters of the videos among files, before they
// are stored (ffmpeg reads the spool files). A failure costs the poster,
// not the upload: storePosters turns it into the asset's warning.
func (s *Service) makePosters(ctx context.Context, files []Spooled) []poster {
	posters := make([]poster, len(files))
	if s.posters == nil {
		return posters
	}
	for i, f := range files {
		if f.File.Type != vitrine.TypeVideo {
			continue
		}
		jpg, err := s.posters.Extract(ctx, f.Path, f.File.Format)
		if err != nil {
			s.log.WarnContext(ctx, "no poster for video", "file", f.File.Filename, "err", err)
		}
		posters[i] = poster{jpg: jpg, err: err}
	}
	return posters
}

// storePosters records the posters of uploaded videos as derived images
// named <video>-poster, once the videos are in the catalog: published
// where the video is (PUB-3), deleted with it (UP-6). A failure costs the
// poster, not the upload, and shows as the asset's warning; the indexes
// of those assets are returned.
func (s *Service) storePosters(ctx context.Context, p *vitrine.Principal, assets []vitrine.UploadedAsset, posters []poster) (failed []int) {
	for i, pst := range posters {
		if pst.jpg == nil && pst.err == nil || i >= len(assets) || assets[i].Skipped {
			continue
		}
		u := &assets[i]
		err := pst.err
		if err == nil {
			_, err = s.StoreDerived(ctx, p, u.Name, vitrine.Derivation{Name: u.Name + "-poster", Recipe: posterRecipe}, pst.jpg)
		}
		if err != nil {
			s.log.WarnContext(ctx, "store poster", "asset", u.Name, "err", err)
			if u.Warning == "" {
				u.Warning = "no poster thumbnail: " + vitrine.ErrorMessage(err)
			}
			failed = append(failed, i)
		}
	}
	return failed
}

// storeBytes stores bytes the server made as an upload is stored:
// identified from its bytes, hashed, spooled and put in the blob store.
// name is the asset id the file is for.
func (s *Service) storeBytes(ctx context.Context, name string, body []byte) (vitrine.NewFile, error) {
	info, err := media.Probe(bytes.NewReader(body), int64(len(body)), "", media.DefaultLimits())
	if err != nil {
		return vitrine.NewFile{}, fmt.Errorf("identify rendition of %s: %w", name, err)
	}
	sum := sha256.Sum256(body)
	nf := vitrine.NewFile{Filename: name + "." + info.Ext, Type: info.Type, Format: info.Format, MIME: info.MIME, Ext: info.Ext,
		Width: info.Width, Height: info.Height, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(body))}
	tmp, err := os.CreateTemp(s.blobs.SpoolDir(), "derived-*")
	if err != nil {
		return nf, fmt.Errorf("spool: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op once committed (renamed)
	_, err = tmp.Write(body)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nf, fmt.Errorf("spool: %w", err)
	}
	if err := s.blobs.PutFile(ctx, nf.SHA256, tmp.Name()); err != nil {
		return nf, fmt.Errorf("store %s: %w", nf.Filename, err)
	}
	return nf, nil
}
