package blob

// The S3 backend uses the AWS SDK for Go v2 S3 client directly rather than
// gocloud.dev/blob: content addressing needs the server to verify the
// SHA-256 we already know (ChecksumSHA256 on PutObject and on every part),
// the collector needs stale multipart uploads listed and aborted, and
// ranged reads need an explicit Range; gocloud's portable API hides all
// three behind As() escapes into this same SDK.

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"golang.org/x/sync/errgroup"

	"github.com/vitrine/vitrine"
)

// S3Config configures an S3 blob store.
type S3Config struct {
	// Bucket holds the blobs, under Prefix (no leading or trailing slash).
	Bucket string
	Prefix string
	// Endpoint is the S3 service's URL for S3-compatible servers (empty:
	// AWS); Region its region; UsePathStyle puts the bucket in the path.
	Endpoint     string
	Region       string
	UsePathStyle bool
	// AccessKey and SecretKey, when set, are the credentials; empty, they
	// come from the AWS environment variables and profile chain.
	AccessKey string
	SecretKey string
	// SpoolDir is a local directory where uploads are spooled before
	// PutFile streams them to the bucket. It is this node's own: Open
	// clears it.
	SpoolDir string
	// PartSize is the multipart threshold and part size; 16 MiB. S3 wants
	// at least 5 MiB per part but the last.
	PartSize int64
	// Concurrency is how many parts of one upload are in flight; 4.
	Concurrency int
}

// DefaultS3Config returns the defaults with the given bucket.
func DefaultS3Config(bucket string) S3Config {
	return S3Config{Bucket: bucket, PartSize: 16 << 20, Concurrency: 4}
}

// Validate checks an S3 configuration.
func (c S3Config) Validate() error {
	switch {
	case c.Bucket == "":
		return errors.New("blob: s3: a bucket is required")
	case c.SpoolDir == "":
		return errors.New("blob: s3: a local spool directory is required")
	case c.PartSize < 5<<20:
		return fmt.Errorf("blob: s3: part size %d is under S3's minimum of 5 MiB", c.PartSize)
	case c.Concurrency < 1:
		return errors.New("blob: s3: concurrency must be positive")
	case strings.HasPrefix(c.Prefix, "/") || strings.HasSuffix(c.Prefix, "/"):
		return fmt.Errorf("blob: s3: prefix %q must not start or end with a slash", c.Prefix)
	}
	return nil
}

// S3 is a blob store in an S3 bucket. Blobs live at PREFIX/ab/cd/<digest>,
// so a retried or repeated upload of the same bytes writes the same key:
// there is never a second object for one content.
type S3 struct {
	cfg    S3Config
	client *s3.Client
}

var _ Store = (*S3)(nil)

// OpenS3 connects to the bucket with credentials from the usual AWS
// environment variables and profile chain, checks that the bucket is
// there, and clears the local spool of files left by a crash.
func OpenS3(ctx context.Context, cfg S3Config) (*S3, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s, err := connectS3(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := os.RemoveAll(cfg.SpoolDir); err != nil {
		return nil, fmt.Errorf("clear spool: %w", err)
	}
	if err := os.MkdirAll(cfg.SpoolDir, 0o750); err != nil {
		return nil, fmt.Errorf("create spool: %w", err)
	}
	return s, nil
}

// connectS3 makes the client and checks the bucket; it does not touch the
// spool.
func connectS3(ctx context.Context, cfg S3Config) (*S3, error) {
	var opts []func(*config.LoadOptions) error
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.AccessKey != "" {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("blob: s3: load AWS configuration: %w", err)
	}
	if awsCfg.Region == "" {
		awsCfg.Region = "us-east-1"
	}
	client := s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		o.UsePathStyle = cfg.UsePathStyle
		// A ranged GET has no whole-object checksum to validate; the SDK
		// would log that on every read.
		o.DisableLogOutputChecksumValidationSkipped = true
	})
	s := &S3{cfg: cfg, client: client}
	if _, err := client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &cfg.Bucket}); err != nil {
		return nil, fmt.Errorf("blob: s3: bucket %q: %w", cfg.Bucket, err)
	}
	return s, nil
}

// SpoolDir is the local spool.
func (s *S3) SpoolDir() string { return s.cfg.SpoolDir }

func (s *S3) key(digest string) (string, error) {
	if !digestPattern.MatchString(digest) {
		return "", vitrine.Errorf(vitrine.EINVALID, "bad blob digest %q", digest)
	}
	return path.Join(s.cfg.Prefix, digest[:2], digest[2:4], digest), nil
}

// digestOf returns the digest a key stores, or "" for a key that is not a
// blob's.
func (s *S3) digestOf(key string) string {
	d := path.Base(key)
	if k, err := s.key(d); err != nil || k != key {
		return ""
	}
	return d
}

// PutFile streams the file to the bucket: one PutObject below PartSize, a
// multipart upload above it. The server verifies the SHA-256 of the object
// (or of every part), so a blob whose bytes do not match its digest is
// never stored. The object's LastModified is the time it was stored, which
// the collector's grace period counts from. The file is removed in every
// case.
func (s *S3) PutFile(ctx context.Context, digest, p string) error {
	defer os.Remove(p)
	key, err := s.key(digest)
	if err != nil {
		return err
	}
	sum, _ := hex.DecodeString(digest)
	f, err := os.Open(p)
	if err != nil {
		return fmt.Errorf("open spooled blob: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("stat spooled blob: %w", err)
	}
	if st.Size() <= s.cfg.PartSize {
		_, err := s.client.PutObject(ctx, &s3.PutObjectInput{
			Bucket: &s.cfg.Bucket, Key: &key, Body: f, ContentLength: aws.Int64(st.Size()),
			ChecksumSHA256: aws.String(base64.StdEncoding.EncodeToString(sum)),
		})
		if err != nil {
			return fmt.Errorf("store blob %s: %w", digest, err)
		}
		return nil
	}
	return s.putMultipart(ctx, key, sum, f, st.Size())
}

// putMultipart uploads f in parts, Concurrency at a time, each with its
// SHA-256 for the server to verify; it hashes the parts in order on the way
// and completes the upload only if they make the digest. On any failure it
// aborts the upload; an upload cut short by a crash is aborted by the
// collector (AbortPartialUploads).
func (s *S3) putMultipart(ctx context.Context, key string, sum []byte, f *os.File, size int64) (err error) {
	up, err := s.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket: &s.cfg.Bucket, Key: &key, ChecksumAlgorithm: types.ChecksumAlgorithmSha256,
	})
	if err != nil {
		return fmt.Errorf("start multipart upload: %w", err)
	}
	defer func() {
		if err != nil {
			actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
			defer cancel()
			s.client.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{Bucket: &s.cfg.Bucket, Key: &key, UploadId: up.UploadId})
		}
	}()
	n := int((size + s.cfg.PartSize - 1) / s.cfg.PartSize)
	parts := make([]types.CompletedPart, n)
	whole := sha256.New()
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(s.cfg.Concurrency)
	for i := range n {
		off := int64(i) * s.cfg.PartSize
		sec := io.NewSectionReader(f, off, min(s.cfg.PartSize, size-off))
		ph := sha256.New()
		if _, err := io.Copy(io.MultiWriter(ph, whole), sec); err != nil {
			g.Wait()
			return fmt.Errorf("hash part %d: %w", i+1, err)
		}
		partSum := base64.StdEncoding.EncodeToString(ph.Sum(nil))
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			num := int32(i + 1)
			out, err := s.client.UploadPart(gctx, &s3.UploadPartInput{
				Bucket: &s.cfg.Bucket, Key: &key, UploadId: up.UploadId, PartNumber: &num,
				Body: io.NewSectionReader(f, off, sec.Size()), ContentLength: aws.Int64(sec.Size()),
				ChecksumSHA256: &partSum,
			})
			if err != nil {
				return fmt.Errorf("upload part %d of %d: %w", num, n, err)
			}
			parts[i] = types.CompletedPart{ETag: out.ETag, PartNumber: &num, ChecksumSHA256: &partSum}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	if got := whole.Sum(nil); string(got) != string(sum) {
		return fmt.Errorf("store blob %x: the spooled file's SHA-256 is %x", sum, got)
	}
	_, err = s.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: &s.cfg.Bucket, Key: &key, UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	})
	if err != nil {
		return fmt.Errorf("complete multipart upload: %w", err)
	}
	return nil
}

// Open returns the blob, read with ranged GETs on demand.
func (s *S3) Open(ctx context.Context, digest string) (vitrine.Blob, error) {
	info, err := s.StatBlob(ctx, digest)
	if err != nil {
		return nil, err
	}
	key, _ := s.key(digest)
	return &s3Blob{ctx: ctx, s: s, key: key, info: info}, nil
}

// StatBlob describes one stored blob; ENOTFOUND when there is none.
func (s *S3) StatBlob(ctx context.Context, digest string) (vitrine.BlobInfo, error) {
	key, err := s.key(digest)
	if err != nil {
		return vitrine.BlobInfo{}, err
	}
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &s.cfg.Bucket, Key: &key})
	if isNotFound(err) {
		return vitrine.BlobInfo{}, vitrine.Errorf(vitrine.ENOTFOUND, "blob %s not found", digest)
	} else if err != nil {
		return vitrine.BlobInfo{}, fmt.Errorf("stat blob: %w", err)
	}
	return vitrine.BlobInfo{Digest: digest, Size: aws.ToInt64(out.ContentLength), ModTime: aws.ToTime(out.LastModified)}, nil
}

// Delete removes a blob; S3 answers a delete of a missing key with success.
func (s *S3) Delete(ctx context.Context, digest string) error {
	key, err := s.key(digest)
	if err != nil {
		return err
	}
	if _, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &s.cfg.Bucket, Key: &key}); err != nil && !isNotFound(err) {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}

// Digests lists stored digests.
func (s *S3) Digests(ctx context.Context) ([]string, error) {
	var out []string
	err := s.ListBlobs(ctx, func(b vitrine.BlobInfo) error {
		out = append(out, b.Digest)
		return nil
	})
	return out, err
}

// ListBlobs calls fn for every blob under the prefix, with its size and
// LastModified, a page of 1000 keys at a time.
func (s *S3) ListBlobs(ctx context.Context, fn func(vitrine.BlobInfo) error) error {
	in := &s3.ListObjectsV2Input{Bucket: &s.cfg.Bucket}
	if s.cfg.Prefix != "" {
		in.Prefix = aws.String(s.cfg.Prefix + "/")
	}
	pages := s3.NewListObjectsV2Paginator(s.client, in)
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list blobs: %w", err)
		}
		for _, o := range page.Contents {
			d := s.digestOf(aws.ToString(o.Key))
			if d == "" {
				continue
			}
			if err := fn(vitrine.BlobInfo{Digest: d, Size: aws.ToInt64(o.Size), ModTime: aws.ToTime(o.LastModified)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// AbortPartialUploads aborts the multipart uploads under the prefix that
// started before cutoff: those of a node that died while storing a blob.
// S3 keeps their parts, and bills them, until they are aborted.
func (s *S3) AbortPartialUploads(ctx context.Context, cutoff time.Time) (int, error) {
	in := &s3.ListMultipartUploadsInput{Bucket: &s.cfg.Bucket}
	if s.cfg.Prefix != "" {
		in.Prefix = aws.String(s.cfg.Prefix + "/")
	}
	aborted := 0
	for {
		page, err := s.client.ListMultipartUploads(ctx, in)
		if err != nil {
			return aborted, fmt.Errorf("list multipart uploads: %w", err)
		}
		for _, u := range page.Uploads {
			if s.digestOf(aws.ToString(u.Key)) == "" || !aws.ToTime(u.Initiated).Before(cutoff) {
				continue
			}
			_, err := s.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: &s.cfg.Bucket, Key: u.Key, UploadId: u.UploadId})
			if err != nil && !isNotFound(err) {
				return aborted, fmt.Errorf("abort multipart upload of %s: %w", aws.ToString(u.Key), err)
			}
			aborted++
		}
		if !aws.ToBool(page.IsTruncated) {
			return aborted, nil
		}
		in.KeyMarker, in.UploadIdMarker = page.NextKeyMarker, page.NextUploadIdMarker
	}
}

// isNotFound reports whether err is S3's answer for a missing key or
// upload.
func isNotFound(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.ErrorCode() {
	case "NotFound", "NoSuchKey", "NoSuchUpload":
		return true
	}
	return false
}
