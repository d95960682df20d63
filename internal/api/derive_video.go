package api

import (
	"context"

	"github.com/vitrine/vitrine"
)

// posterRecipe is the recipe recorded on a video's poster thumbnail.
const posterRecipe = "poster=first frame not black or white"

// videoPosters runs on an upload's spooled files before anything is
// stored. A video that refers to data outside itself fails the whole
// request (nothing is stored), before any decoder sees it. For the others
// it makes a poster with ffmpeg when the server has it: posters[i] is the
// JPEG for files[i], nil when there is none. A video ffmpeg cannot decode
// is still accepted, without a poster, as Scene7 accepts it.
func (s *Server) videoPosters(ctx context.Context, files []spooled) ([][]byte, error) {
	// jobs.Spool has already refused videos with external references.
	posters := make([][]byte, len(files))
	if s.deps.posters == nil {
		return posters, nil
	}
	for i, f := range files {
		if f.File.Type != vitrine.TypeVideo {
			continue
		}
		jpg, err := s.deps.posters.Extract(ctx, f.Path, f.File.Format)
		if err != nil {
			s.log.WarnContext(ctx, "no poster for video", "file", f.File.Filename, "err", err)
			continue
		}
		posters[i] = jpg
	}
	return posters, nil
}

// storePosters records the posters of an upload's videos as derived images
// named <video>-poster, once the videos are in the catalog: published
// where the video is (PUB-3), deleted with it (UP-6). A failure costs the
// poster, not the upload, and shows as the asset's warning.
func (s *Server) storePosters(ctx context.Context, c *call, res *vitrine.UploadResult, posters [][]byte) {
	for i, jpg := range posters {
		if jpg == nil || i >= len(res.Assets) || res.Assets[i].Skipped {
			continue
		}
		u := &res.Assets[i]
		name := u.Name + "-poster"
		err := func() error {
			nf, err := s.storeFile(ctx, name, jpg)
			if err != nil {
				return err
			}
			d, err := s.db.Derive(ctx, c.p, u.Name, vitrine.Derivation{Name: name, Recipe: posterRecipe}, nf)
			if err != nil {
				return err
			}
			s.changed(ctx, &c.p.Company, d.Changes)
			return nil
		}()
		if err != nil {
			s.log.WarnContext(ctx, "store poster", "asset", u.Name, "err", err)
			if u.Warning == "" {
				u.Warning = "no poster thumbnail: " + vitrine.ErrorMessage(err)
			}
		}
	}
}
