package api

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/imaging"
)

// deps are optional components of the API. Without them the routes that
// need them answer "unavailable" (derive).
type deps struct {
	renderer *imaging.Renderer
}

// Option configures a Server beyond its required dependencies.
type Option func(*Server)

// WithRenderer lets the API render derived images (POST /assets/{name}/derive).
func WithRenderer(r *imaging.Renderer) Option { return func(s *Server) { s.deps.renderer = r } }

// assetDetail is an asset with its relations: parent and recipe, Built &
// Derivatives, and the sets holding it.
type assetDetail struct {
	*vitrine.Asset
	*vitrine.Relations
}

// assetDetail answers GET /assets/{name}: getAsset's answer with the
// asset's relations added.
func (s *Server) assetDetail(r *http.Request, c *call) (int, any, error) {
	status, body, err := s.getAsset(r, c)
	a, ok := body.(*vitrine.Asset)
	if err != nil || !ok {
		return status, body, err
	}
	rel, err := s.db.Relations(r.Context(), c.p.Company.ID, a.Name)
	if err != nil {
		return 0, nil, err
	}
	return status, assetDetail{a, rel}, nil
}

// deriveAsset renders a derived image of an image (POST
// /assets/{name}/derive): the recipe runs through the image pipeline at the
// source's full size, in the source's format family, and the result is
// stored like an upload, as a new asset linked to its parent or as a new
// version of the parent (replace_original).
func (s *Server) deriveAsset(r *http.Request, c *call) (int, any, error) {
	var in vitrine.Derivation
	if err := s.decode(r, &in); err != nil {
		return 0, nil, err
	}
	if err := in.Validate(); err != nil {
		return 0, nil, err
	}
	if s.deps.renderer == nil {
		return 0, nil, vitrine.Errorf(vitrine.EUNAVAILABLE, "this server runs without the image renderer; it cannot derive images")
	}
	ctx := r.Context()
	parent, err := s.db.Asset(ctx, c.p.Company.ID, r.PathValue("name"))
	switch {
	case err != nil:
		return 0, nil, err
	case parent.Type != vitrine.TypeImage || parent.CurrentVersion == nil:
		return 0, nil, vitrine.Errorf(vitrine.EINVALID, "asset %q is a %s; only images can be derived", parent.Name, parent.Type)
	case parent.Trashed():
		return 0, nil, vitrine.Errorf(vitrine.ECONFLICT, "asset %q is in the Trash; restore it first", parent.Name)
	}
	body, err := s.renderRecipe(ctx, parent.CurrentVersion, in.Recipe)
	if err != nil {
		return 0, nil, err
	}
	res, err := s.svc.StoreDerived(ctx, c.p, parent.Name, in, body)
	if err != nil {
		return 0, nil, err
	}
	rel, err := s.db.Relations(ctx, c.p.Company.ID, res.Asset.Name)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, assetDetail{res.Asset, rel}, nil
}

// keepFormat is the output format a recipe gets unless it names one: the
// source's family, with its transparency.
var keepFormat = map[string]string{
	"jpeg": "jpeg", "png": "png-alpha", "gif": "png-alpha", "webp": "webp-alpha", "tiff": "tif", "avif": "avif-alpha",
}

// renderRecipe runs a recipe on a stored image. The recipe is parsed with
// no presets; the reply is allowed up to the source's own size (rotated
// either way), so a recipe without wid/hei keeps every pixel, and the
// pipeline's hard limit (imaging.HardMaxPixels, 25 megapixels) still holds.
func (s *Server) renderRecipe(ctx context.Context, v *vitrine.Version, recipe string) ([]byte, error) {
	prefix := "qlt=95&"
	if f, ok := keepFormat[v.Format]; ok {
		prefix += "fmt=" + f + "&"
	}
	req, err := imaging.Parse(prefix+recipe, nil)
	if err != nil {
		return nil, err
	}
	if kind, _ := req.Req(); kind != imaging.ReqImg {
		return nil, vitrine.Errorf(vitrine.EINVALID, "a recipe makes an image; req=%s has no place in it", kind)
	}
	side := max(v.Width, v.Height, 1)
	plan, err := imaging.NewPlan(req, imaging.Source{Width: v.Width, Height: v.Height},
		imaging.Settings{MaxPix: [2]int{side, side}, DefaultPix: [2]int{side, side}, JpegQuality: 95})
	if err != nil {
		return nil, err
	}
	b, err := s.blobs.Open(ctx, v.SHA256)
	if err != nil {
		return nil, fmt.Errorf("open source: %w", err)
	}
	defer b.Close()
	src := make([]byte, b.Size())
	if _, err := io.ReadFull(b, src); err != nil {
		return nil, fmt.Errorf("read source: %w", err)
	}
	out, err := s.deps.renderer.Render(ctx, src, plan)
	if err != nil {
		return nil, err
	}
	return out.Body, nil
}
