package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/dustin/go-humanize"
	"github.com/vitrine/vitrine"

	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// migrateBlobs sends the source's blobs the target lacks, then reads back
// every one of them from the target and checks its SHA-256. A blob the
// target has at the same size is not sent again: blobs are content
// addressed, and the check that follows reads it anyway.
func migrateBlobs(ctx context.Context, c *migrateConfig, src *sqlstore.Source, from blob.Store, to blob.Store, rep *migrateReport, stderr io.Writer) error {
	have := map[string]int64{}
	var all []vitrine.BlobInfo
	if err := from.ListBlobs(ctx, func(b vitrine.BlobInfo) error { all = append(all, b); return nil }); err != nil {
		return fmt.Errorf("list the source's blobs: %w", err)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Digest < all[j].Digest })
	rep.blobs = len(all)
	if err := warnMissing(ctx, src, all, stderr); err != nil {
		return err
	}
	if err := to.ListBlobs(ctx, func(b vitrine.BlobInfo) error { have[b.Digest] = b.Size; return nil }); err != nil {
		return fmt.Errorf("list the target's blobs: %w", err)
	}
	var todo []vitrine.BlobInfo
	var bytes, total int64
	for _, b := range all {
		total += b.Size
		if size, ok := have[b.Digest]; !ok || size != b.Size {
			todo = append(todo, b)
			bytes += b.Size
		}
	}
	fmt.Fprintf(stderr, "sending %d of %d blobs (%s)\n", len(todo), len(all), humanize.IBytes(uint64(bytes)))
	bar := newProgress(stderr, bytes, len(todo))
	var sent atomic.Int64
	err := eachBlob(ctx, c.Parallel, todo, func(ctx context.Context, b vitrine.BlobInfo) error {
		n, err := blob.Copy(ctx, from, to, b.Digest)
		if err != nil {
			return err
		}
		sent.Add(n)
		bar.add(n, true)
		return nil
	})
	bar.finish()
	rep.sentBytes = sent.Load()
	if err != nil {
		return fmt.Errorf("send blobs: %w", err)
	}
	rep.sent = len(todo)
	fmt.Fprintf(stderr, "checking the SHA-256 of %d blobs in the target\n", len(all))
	bar = newProgress(stderr, total, len(all))
	var verified atomic.Int64
	err = eachBlob(ctx, c.Parallel, all, func(ctx context.Context, b vitrine.BlobInfo) error {
		n, err := blob.Verify(ctx, to, b.Digest)
		if err != nil {
			return err
		}
		if n != b.Size {
			return fmt.Errorf("blob %s: %d bytes in the target, %d in the source", b.Digest, n, b.Size)
		}
		verified.Add(n)
		bar.add(n, true)
		return nil
	})
	bar.finish()
	rep.verified = verified.Load()
	if err != nil {
		return fmt.Errorf("check the target's blobs: %w", err)
	}
	return nil
}

// warnMissing tells of blobs the source's versions refer to that its
// store does not hold: the copy cannot bring them, and delivery of those
// versions already fails at the source.
func warnMissing(ctx context.Context, src *sqlstore.Source, stored []vitrine.BlobInfo, stderr io.Writer) error {
	refs, err := src.ReferencedBlobs(ctx)
	if err != nil {
		return err
	}
	held := make(map[string]bool, len(stored))
	for _, b := range stored {
		held[b.Digest] = true
	}
	var missing []string
	for _, r := range refs {
		if !held[r.Digest] {
			missing = append(missing, r.Digest)
		}
	}
	for _, d := range missing[:min(10, len(missing))] {
		fmt.Fprintf(stderr, "warning: blob %s is referred to but missing from the source\n", d)
	}
	if len(missing) > 10 {
		fmt.Fprintf(stderr, "warning: and %d more missing blobs\n", len(missing)-10)
	}
	return nil
}

// eachBlob runs fn on the blobs, parallel at a time, stopping at the first
// error.
func eachBlob(ctx context.Context, parallel int, blobs []vitrine.BlobInfo, fn func(context.Context, vitrine.BlobInfo) error) error {
	g, gctx := errgroup.WithContext(ctx)
	next := make(chan vitrine.BlobInfo)
	for range parallel {
		g.Go(func() error {
			for b := range next {
				if err := fn(gctx, b); err != nil {
					return err
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		defer close(next)
		for _, b := range blobs {
			select {
			case next <- b:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	return g.Wait()
}
