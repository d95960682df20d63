package blob

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/dustin/go-humanize"

	"github.com/vitrine/vitrine"
)

// ParseURL reads a blob store URL (serve --blobs):
//
//	file:///var/lib/vitrine/blobs
//	s3://bucket/prefix?endpoint=http://127.0.0.1:7070&region=eu-west-1&use_path_style=true
//
// An S3 URL may also set part_size (bytes or with a unit, 16MiB) and
// concurrency. It returns the local directory for file URLs, or the S3
// configuration (its SpoolDir left for the caller).
func ParseURL(raw string) (dir string, s3cfg *S3Config, err error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", nil, fmt.Errorf("blob URL: %w", err)
	}
	switch u.Scheme {
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return "", nil, fmt.Errorf("blob URL %q: a file URL has no host (file:///path)", raw)
		}
		if u.Path == "" {
			return "", nil, fmt.Errorf("blob URL %q: no directory", raw)
		}
		return filepath.FromSlash(u.Path), nil, nil
	case "s3":
		c := DefaultS3Config(u.Host)
		c.Prefix = strings.Trim(u.Path, "/")
		q := u.Query()
		for k := range q {
			switch k {
			case "endpoint", "region", "use_path_style", "part_size", "concurrency":
			default:
				return "", nil, fmt.Errorf("blob URL: unknown parameter %q (endpoint, region, use_path_style, part_size, concurrency)", k)
			}
		}
		c.Endpoint, c.Region = q.Get("endpoint"), q.Get("region")
		if v := q.Get("use_path_style"); v != "" {
			if c.UsePathStyle, err = strconv.ParseBool(v); err != nil {
				return "", nil, fmt.Errorf("blob URL: use_path_style=%q: want true or false", v)
			}
		}
		if v := q.Get("part_size"); v != "" {
			n, err := humanize.ParseBytes(v)
			if err != nil {
				return "", nil, fmt.Errorf("blob URL: part_size=%q: %w", v, err)
			}
			c.PartSize = int64(n)
		}
		if v := q.Get("concurrency"); v != "" {
			if c.Concurrency, err = strconv.Atoi(v); err != nil {
				return "", nil, fmt.Errorf("blob URL: concurrency=%q: want a number", v)
			}
		}
		if c.Endpoint != "" {
			if e, err := url.Parse(c.Endpoint); err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
				return "", nil, fmt.Errorf("blob URL: endpoint=%q: want http://host:port or https://host", c.Endpoint)
			}
		}
		c.SpoolDir = "-" // checked by the caller's Validate once set
		if err := c.Validate(); err != nil {
			return "", nil, fmt.Errorf("blob URL %q: %w", raw, err)
		}
		c.SpoolDir = ""
		return "", &c, nil
	}
	return "", nil, fmt.Errorf("blob URL %q: want file:///path or s3://bucket/prefix", raw)
}

// OpenURL opens the store a URL names; an S3 store spools to spoolDir.
func OpenURL(ctx context.Context, raw, spoolDir string) (Store, error) {
	dir, c, err := ParseURL(raw)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return OpenLocal(dir)
	}
	c.SpoolDir = spoolDir
	return OpenS3(ctx, *c)
}

// ListURL lists the blobs of the store a URL names without opening it for
// writing: its spool, which a running server is using, stays as it is
// (vitrine backup).
func ListURL(ctx context.Context, raw string, fn func(vitrine.BlobInfo) error) error {
	dir, c, err := ParseURL(raw)
	if err != nil {
		return err
	}
	if c == nil {
		return (&Local{dir: dir}).ListBlobs(ctx, fn)
	}
	s, err := connectS3(ctx, *c)
	if err != nil {
		return err
	}
	return s.ListBlobs(ctx, fn)
}
