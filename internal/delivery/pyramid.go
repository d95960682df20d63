package delivery

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/imaging"
)

// pyramidQueue is how many originals may wait for their pyramid; more are
// dropped and asked for again by their next render.
const pyramidQueue = 256

// pyramidSweepEvery is how often the pyramids of originals no longer in
// the blob store are deleted.
const pyramidSweepEvery = 6 * time.Hour

// pyramids keeps the pyramids (imaging.BuildPyramid) of large originals in
// a directory, one file per original digest. It is a derived cache: a
// missing pyramid is rebuilt, renders fall back to the original meanwhile,
// so it is neither backed up nor copied by migrate. One goroutine builds
// them, one at a time, at a lowered CPU priority, holding one of the
// handler's read slots while it decodes the original; it also deletes
// the pyramids whose original the blob collection deleted.
type pyramids struct {
	dir   string
	blobs vitrine.BlobStore
	reads chan struct{}                  // the handler's read slots
	built func(digest string, err error) // Config.OnPyramid; nil: none
	log   *slog.Logger

	queue  chan string
	mu     sync.Mutex
	queued map[string]bool
	known  sync.Map // digests whose pyramid was seen built (readyMemo); sweep forgets those it deletes

	quit chan struct{}
	done chan struct{}
}

func newPyramids(dir string, blobs vitrine.BlobStore, reads chan struct{}, built func(string, error), log *slog.Logger) (*pyramids, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("delivery: pyramids: %w", err)
	}
	p := &pyramids{dir: dir, blobs: blobs, reads: reads, built: built, log: log.With("component", "pyramids"),
		queue: make(chan string, pyramidQueue), queued: map[string]bool{},
		quit: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	return p, nil
}

func (p *pyramids) path(digest string) string {
	return filepath.Join(p.dir, digest[:2], digest+".tif")
}

// ready reports whether the pyramid of an original is built.
func (p *pyramids) ready(digest string) bool {
	_, err := os.Stat(p.path(digest))
	return err == nil
}

// readyMemo is ready for the X-Pyramid header of every reply, hits
// included: a pyramid once built stays until the sweep deletes it with its
// original, so it is looked for on disk only until it is found (a stat per
// hit was 12% of the origin's CPU on hits). Renders still ask ready.
func (p *pyramids) readyMemo(digest string) bool {
	if _, ok := p.known.Load(digest); ok {
		return true
	}
	if !p.ready(digest) {
		return false
	}
	p.known.Store(digest, struct{}{})
	return true
}

// want queues the build of an original's pyramid unless it is built or
// queued; it never blocks.
func (p *pyramids) want(digest string) {
	if len(digest) < 2 || p.ready(digest) {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.queued[digest] {
		return
	}
	select {
	case p.queue <- digest:
		p.queued[digest] = true
	default: // full: the next render asks again
	}
}

// close stops the builder once the build in progress is done.
func (p *pyramids) close() {
	select {
	case <-p.quit:
	default:
		close(p.quit)
	}
	<-p.done
}

func (p *pyramids) loop() {
	defer close(p.done)
	// libvips runs the build on this thread, which yields to renders; it
	// stays locked, so it ends with the goroutine instead of going back to
	// the runtime with its lowered priority.
	runtime.LockOSThread()
	lowerPriority()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-p.quit:
			cancel()
		case <-ctx.Done():
		}
	}()
	sweep := time.NewTicker(pyramidSweepEvery)
	defer sweep.Stop()
	if err := p.sweep(ctx); err != nil && ctx.Err() == nil {
		p.log.Warn("sweep", "err", err)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-sweep.C:
			if err := p.sweep(ctx); err != nil && ctx.Err() == nil {
				p.log.Warn("sweep", "err", err)
			}
		case d := <-p.queue:
			err := p.build(ctx, d)
			if err != nil && ctx.Err() == nil {
				p.log.Warn("build", "digest", d, "err", err)
			}
			p.mu.Lock()
			delete(p.queued, d)
			p.mu.Unlock()
			if p.built != nil {
				p.built(d, err)
			}
		}
	}
}

// build maps (or reads) the original, holding a read slot, and has
// libvips write its pyramid to a temporary file renamed into place: a
// reader sees all or nothing.
func (p *pyramids) build(ctx context.Context, digest string) error {
	if p.ready(digest) {
		return nil
	}
	select {
	case p.reads <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-p.reads }()
	b, err := p.blobs.Open(ctx, digest)
	if err != nil {
		return err
	}
	src, release, err := blobBytes(b)
	b.Close() // a mapping outlives the descriptor
	if err != nil {
		return err
	}
	defer release()
	dst := p.path(digest)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(dst), ".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	f.Close()
	err = imaging.BuildPyramid(src, tmp)
	if err == nil {
		err = os.Rename(tmp, dst)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// sweep deletes the pyramids whose original is no longer in the blob
// store (the daily maintenance deleted it with the last version that
// referred to it), and temporary files a crash left.
func (p *pyramids) sweep(ctx context.Context) error {
	return filepath.WalkDir(p.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		name := d.Name()
		if strings.HasPrefix(name, ".tmp-") {
			if info, err := d.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
				os.Remove(path)
			}
			return nil
		}
		digest, ok := strings.CutSuffix(name, ".tif")
		if !ok {
			return nil
		}
		b, err := p.blobs.Open(ctx, digest)
		if err == nil {
			b.Close()
			return nil
		}
		if vitrine.ErrorCode(err) == vitrine.ENOTFOUND || errors.Is(err, fs.ErrNotExist) {
			p.known.Delete(digest)
			return os.Remove(path)
		}
		return err
	})
}

// renderVersion renders a stored version: from its pyramid when the
// original wants one and it is built, else from the original, asking for
// the pyramid so that later renders find it.
func (h *Handler) renderVersion(ctx context.Context, e *vitrine.CatalogEntry, layers map[string]*vitrine.CatalogEntry, plan *imaging.Plan) (*imaging.Output, error) {
	v := e.Version
	if len(layers) > 0 {
		// A composite reads its originals: its layers are placed on the
		// original's geometry.
		data, err := h.readVersion(ctx, e)
		if err != nil {
			return nil, err
		}
		layerData, err := h.readLayers(ctx, layers)
		if err != nil {
			return nil, err
		}
		return h.renderer.RenderComposite(ctx, data, layerData, plan)
	}
	if h.pyramids != nil && vitrine.WantsPyramid(v.Format, v.Width, v.Height) {
		if h.pyramids.ready(v.SHA256) {
			return h.renderer.RenderPyramid(ctx, h.pyramids.path(v.SHA256), plan)
		}
		h.pyramids.want(v.SHA256)
	}
	data, err := h.readVersion(ctx, e)
	if err != nil {
		return nil, err
	}
	return h.renderer.Render(ctx, data, plan)
}

// pyramidState is the X-Pyramid header of an image reply: "ready" when
// renders of the version read its pyramid, "building" when it wants one
// not built yet, "" when it wants none. Benchmarks wait for "ready".
func (h *Handler) pyramidState(e *vitrine.CatalogEntry) string {
	v := e.Version
	switch {
	case h.pyramids == nil || !vitrine.WantsPyramid(v.Format, v.Width, v.Height):
		return ""
	case h.pyramids.readyMemo(v.SHA256):
		return "ready"
	}
	return "building"
}

// SweepPyramids deletes the pyramids whose original is gone from the blob
// store; the builder runs it at start and every pyramidSweepEvery.
func (h *Handler) SweepPyramids(ctx context.Context) error {
	if h.pyramids == nil {
		return nil
	}
	return h.pyramids.sweep(ctx)
}
