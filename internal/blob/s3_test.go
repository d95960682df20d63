package blob_test

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/google/go-cmp/cmp"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/blob/blobtest"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/testenv"
)

// s3Store opens a store on a fresh prefix of the server's bucket.
func s3Store(t *testing.T, srv *testenv.S3Server) *blob.S3 {
	t.Helper()
	s, err := blob.OpenS3(context.Background(), srv.Config(t, "blobs", "t/"+strings.ToLower(rand.Text()[:10])))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func startS3(t *testing.T) *testenv.S3Server {
	srv := testenv.StartS3(t)
	srv.Bucket(t, "blobs")
	return srv
}

// TestS3 runs the blob suite on a real S3 server (versitygw on loopback).
func TestS3(t *testing.T) {
	t.Parallel()
	srv := startS3(t)
	blobtest.Run(t, func(t *testing.T) blob.Store { return s3Store(t, srv) })
}

// TestS3VerifiesDigest: the server checks the SHA-256 the store sends, so
// a file whose bytes are not its digest's is refused, in one request and
// in parts, and leaves nothing behind.
func TestS3VerifiesDigest(t *testing.T) {
	t.Parallel()
	srv := startS3(t)
	s := s3Store(t, srv)
	ctx := context.Background()
	other := blobtest.Put(t, s, []byte("other bytes"))
	for _, n := range []int{100, 11 << 20} {
		f, err := os.CreateTemp(s.SpoolDir(), "t-*")
		if err != nil {
			t.Fatal(err)
		}
		f.Write(blobtest.Random(n, 7))
		f.Close()
		lie := strings.Repeat("ab", 32)
		if err := s.PutFile(ctx, lie, f.Name()); err == nil {
			t.Errorf("PutFile of %d bytes under a wrong digest succeeded", n)
		}
		if _, err := s.StatBlob(ctx, lie); vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
			t.Errorf("after a refused PutFile of %d bytes: StatBlob = %v, want not_found", n, err)
		}
	}
	if ds, _ := s.Digests(ctx); !cmp.Equal(ds, []string{other}) {
		t.Errorf("Digests = %v, want only the good blob", ds)
	}
	if n, err := s.AbortPartialUploads(ctx, time.Now().Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("a refused multipart upload was left behind: AbortPartialUploads = %d, %v", n, err)
	}
}

// TestS3AbortPartialUploads: a multipart upload a dead node left is
// aborted once older than the cutoff, and a recent one is left alone.
func TestS3AbortPartialUploads(t *testing.T) {
	t.Parallel()
	srv := startS3(t)
	cfg := srv.Config(t, "blobs", "partial")
	s, err := blob.OpenS3(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	key := "partial/ab/cd/abcd" + strings.Repeat("0", 60)
	c := srv.Client()
	if _, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: &cfg.Bucket, Key: &key}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.AbortPartialUploads(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
		t.Errorf("AbortPartialUploads(an hour ago) = %d, %v; want the recent upload kept", n, err)
	}
	if n, err := s.AbortPartialUploads(ctx, time.Now().Add(time.Hour)); err != nil || n != 1 {
		t.Errorf("AbortPartialUploads(in an hour) = %d, %v; want 1", n, err)
	}
	out, err := c.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: &cfg.Bucket})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Uploads) != 0 {
		t.Errorf("%d multipart uploads left", len(out.Uploads))
	}
}

func TestParseURL(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in      string
		dir     string
		s3      *blob.S3Config
		wantErr string
	}{
		{in: "file:///var/lib/vitrine/blobs", dir: "/var/lib/vitrine/blobs"},
		{in: "s3://media/vitrine/prod?endpoint=http://127.0.0.1:7070&region=eu-west-1&use_path_style=true&part_size=8MiB&concurrency=2",
			s3: &blob.S3Config{Bucket: "media", Prefix: "vitrine/prod", Endpoint: "http://127.0.0.1:7070", Region: "eu-west-1", UsePathStyle: true, PartSize: 8 << 20, Concurrency: 2}},
		{in: "s3://media", s3: &blob.S3Config{Bucket: "media", PartSize: 16 << 20, Concurrency: 4}},
		{in: "s3:///prefix", wantErr: "bucket"},
		{in: "s3://media?part_size=1MiB", wantErr: "minimum"},
		{in: "s3://media?endpoint=127.0.0.1:7070", wantErr: "endpoint"},
		{in: "s3://media?use_path_style=maybe", wantErr: "use_path_style"},
		{in: "s3://media?regoin=x", wantErr: "unknown parameter"},
		{in: "file://host/path", wantErr: "no host"},
		{in: "/var/blobs", wantErr: "want file:///path"},
	} {
		dir, s3c, err := blob.ParseURL(c.in)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("ParseURL(%q) = %v, want an error about %q", c.in, err, c.wantErr)
			}
			continue
		}
		if err != nil || dir != c.dir || !cmp.Equal(s3c, c.s3) {
			t.Errorf("ParseURL(%q) = %q, %+v, %v; want %q, %+v", c.in, dir, s3c, err, c.dir, c.s3)
		}
	}
}

// TestS3Guarded: the collector's path on S3, under a real database's blob
// locks: blobs stored before the cutoff and unreferenced go, a referenced
// one stays, and none is younger than a cutoff in the past.
func TestS3Guarded(t *testing.T) {
	t.Parallel()
	srv := startS3(t)
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "vitrine.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	g := blob.Guard(s3Store(t, srv), db)
	ctx := context.Background()
	var ds []string
	for i := range 3 {
		ds = append(ds, blobtest.Put(t, g, blobtest.Random(100+i, uint64(i))))
	}
	unref := func(ctx context.Context, in []string) ([]string, error) {
		var out []string
		for _, d := range in {
			if d != ds[1] {
				out = append(out, d)
			}
		}
		return out, nil
	}
	if gone, err := g.DeleteStale(ctx, ds, time.Now().Add(-time.Hour), unref); err != nil || len(gone) != 0 {
		t.Errorf("DeleteStale(cutoff an hour ago) = %+v, %v; want nothing (all stored just now)", gone, err)
	}
	gone, err := g.DeleteStale(ctx, ds, time.Now().Add(time.Hour), unref)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range gone {
		got = append(got, b.Digest)
	}
	if want := []string{ds[0], ds[2]}; !cmp.Equal(got, want) {
		t.Errorf("DeleteStale deleted %v, want %v", got, want)
	}
	if left, _ := g.Digests(ctx); !cmp.Equal(left, ds[1:2]) {
		t.Errorf("left %v, want the referenced blob", left)
	}
}
