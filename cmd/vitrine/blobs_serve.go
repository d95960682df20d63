package main

import (
	"context"
	"net/url"
	"path/filepath"

	"github.com/vitrine/vitrine/internal/blob"
)

// openBlobs opens the blob store --blobs names: DATA/blobs by default. An
// S3 store spools uploads to DATA/spool, this node's own.
func openBlobs(ctx context.Context, cfg *serveConfig) (blob.Store, error) {
	if cfg.Blobs == "" {
		return blob.OpenLocal(filepath.Join(cfg.Data, "blobs"))
	}
	return blob.OpenURL(ctx, cfg.Blobs, filepath.Join(cfg.Data, "spool"))
}

// blobsLabel is the blob store for the log: the URL without its query.
func blobsLabel(cfg *serveConfig) string {
	if cfg.Blobs == "" {
		return "file://" + filepath.Join(cfg.Data, "blobs")
	}
	u, err := url.Parse(cfg.Blobs)
	if err != nil {
		return ""
	}
	u.RawQuery = ""
	return u.String()
}
