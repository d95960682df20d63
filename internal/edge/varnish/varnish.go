// Package varnish drives a Varnish cache that runs deploy/varnish/vitrine.vcl
// (Varnish 7 with the xkey vmod): the same purges as Vitrine's own edges,
// behind edge.Purgeable (CDN-5).
package varnish

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vitrine/vitrine/internal/edge"
)

// keysPerRequest and bytesPerRequest bound the surrogate keys sent in one
// xkey-purge header, well inside Varnish's default 8 KB header limit (an
// encoded key of a long unicode id can take hundreds of bytes).
const (
	keysPerRequest  = 50
	bytesPerRequest = 4000
)

// Client purges one or more Varnish servers. Varnish must accept purges
// from this host: see the purgers ACL in the VCL.
type Client struct {
	// URLs are the Varnish servers' base URLs, e.g. http://127.0.0.1:6081.
	URLs []string
	// HTTP sends the requests. Nil means a client with Timeout.
	HTTP *http.Client
	// Timeout bounds each request when HTTP is nil. Default 5 s.
	Timeout time.Duration
}

var _ edge.Purgeable = (*Client)(nil)

// Purge sends req to every server concurrently: keys as PURGE with an
// xkey-purge header, URLs as PURGE of the URL, All as BAN. Purged counts
// what xkey reported; Varnish does not count URL purges or bans.
func (c *Client) Purge(ctx context.Context, req edge.PurgeRequest) edge.PurgeReport {
	rep := edge.PurgeReport{ID: req.ID, Results: make([]edge.EdgeResult, len(c.URLs))}
	if err := req.Validate(); err != nil {
		for i, u := range c.URLs {
			rep.Results[i] = edge.EdgeResult{Edge: u, Error: err.Error()}
		}
		return rep
	}
	client := c.HTTP
	if client == nil {
		t := c.Timeout
		if t <= 0 {
			t = 5 * time.Second
		}
		client = &http.Client{Timeout: t}
	}
	var wg sync.WaitGroup
	for i, u := range c.URLs {
		wg.Go(func() { rep.Results[i] = purgeOne(ctx, client, strings.TrimRight(u, "/"), req) })
	}
	wg.Wait()
	return rep
}

// purgeOne applies req to one server, stopping at the first failure.
func purgeOne(ctx context.Context, client *http.Client, base string, req edge.PurgeRequest) edge.EdgeResult {
	start := time.Now()
	res := edge.EdgeResult{Edge: base, Attempts: 1}
	purged, err := apply(ctx, client, base, req)
	res.Latency = time.Since(start)
	if err != nil {
		res.Error = err.Error()
		return res
	}
	res.OK, res.Purged = true, purged
	return res
}

func apply(ctx context.Context, client *http.Client, base string, req edge.PurgeRequest) (int, error) {
	if req.All {
		if _, err := send(ctx, client, "BAN", base+"/", ""); err != nil {
			return 0, err
		}
	}
	purged := 0
	for keys := req.Keys; len(keys) > 0; {
		n, size := 1, len(keys[0])
		for n < len(keys) && n < keysPerRequest && size+1+len(keys[n]) <= bytesPerRequest {
			size += 1 + len(keys[n])
			n++
		}
		batch := keys[:n]
		keys = keys[n:]
		n, err := send(ctx, client, "PURGE", base+"/", strings.Join(batch, " "))
		if err != nil {
			return purged, err
		}
		purged += n
	}
	for _, raw := range req.URLs {
		u, err := url.Parse(raw)
		if err != nil {
			return purged, err
		}
		// Only the path and query: the VCL hashes on nothing else.
		if _, err := send(ctx, client, "PURGE", base+u.RequestURI(), ""); err != nil {
			return purged, err
		}
	}
	return purged, nil
}

// send makes one purge request and returns the X-Purged count, if any.
func send(ctx context.Context, client *http.Client, method, target, keys string) (int, error) {
	r, err := http.NewRequestWithContext(ctx, method, target, nil)
	if err != nil {
		return 0, err
	}
	if keys != "" {
		r.Header.Set("xkey-purge", keys)
	}
	resp, err := client.Do(r)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("varnish answered %s to %s %s", resp.Status, method, r.URL.RequestURI())
	}
	n, _ := strconv.Atoi(resp.Header.Get("X-Purged"))
	return n, nil
}
