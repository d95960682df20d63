package service

import (
	"context"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/imaging"
)

// MaxSignedURLLife bounds a signed URL's expiry.
const MaxSignedURLLife = 10 * 365 * 24 * time.Hour

// SignURL signs an image-serving URL of p's company with its newest URL
// signing key (the first: a rotation puts the new key first), valid for
// ttl (0: without expiry), and returns it: the URL as given with exp= and
// sig= added. The signature covers the path and the request's canonical
// modifiers (imaging.Sign), so the URL may be written in any spelling
// Image Serving accepts. Only those who may see the keys may sign.
func (s *Service) SignURL(ctx context.Context, p *vitrine.Principal, raw string, ttl time.Duration, now time.Time) (string, error) {
	if !vitrine.CanSeeSigningKeys(p) {
		return "", vitrine.Errorf(vitrine.EFORBIDDEN, "signing URLs needs the company admin role")
	}
	if ttl < 0 || ttl > MaxSignedURLLife {
		return "", vitrine.Errorf(vitrine.EINVALID, "a signed URL lives from 1 second to 10 years, or without expiry (0)")
	}
	keys := p.Company.Settings.URLSigningKeys
	if len(keys) == 0 || keys[0] == "" {
		return "", vitrine.Errorf(vitrine.ECONFLICT, "the company has no URL signing key: add one in its settings (url_signing_keys)")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", vitrine.Errorf(vitrine.EINVALID, "not a URL: %v", err)
	}
	if path.Clean(u.Path) != u.Path {
		// The router serves the cleaned path, which the signature would not cover.
		return "", vitrine.Errorf(vitrine.EINVALID, "%q is not a clean path (no ., .. or //): sign the path as it is served", u.Path)
	}
	if !companyPath(u.Path, p.Company.RootID) {
		root := p.Company.RootID
		return "", vitrine.Errorf(vitrine.EINVALID, "%q is not an image-serving path of company %s (/is/image/%s/… or /is/content/%s/…)", u.Path, root, root, root)
	}
	req, err := imaging.Parse(u.RawQuery, p.Company.Settings.Presets)
	if err != nil {
		return "", err
	}
	if sig, exp := req.Signature(); sig != "" || exp != 0 {
		return "", vitrine.Errorf(vitrine.EINVALID, "the URL carries sig= or exp= already: give it without them (the expiry is expires_in_seconds)")
	}
	var exp time.Time
	if ttl > 0 {
		exp = now.Add(ttl)
	}
	u.RawQuery = imaging.SignQuery([]byte(keys[0]), u.Path, u.RawQuery, req, exp)
	return u.String(), nil
}

// companyPath reports whether p is under /is/image/ROOT or /is/content/ROOT
// (the company's own path: an imageSet= request names no id).
func companyPath(p, root string) bool {
	for _, pre := range []string{"/is/image/", "/is/content/"} {
		if p == pre+root || strings.HasPrefix(p, pre+root+"/") {
			return true
		}
	}
	return false
}
