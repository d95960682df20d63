package testenv

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"go/build"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/vitrine/vitrine/internal/blob"
)

// S3Server is a versitygw S3 gateway on loopback with its POSIX backend in
// a temp dir: a real S3 server for the S3 blob store's tests. `make test`
// installs versitygw (go install, pinned in the Makefile).
type S3Server struct {
	Endpoint  string // http://127.0.0.1:port
	AccessKey string
	SecretKey string
	Root      string // the POSIX backend's directory: one sub-directory per bucket
}

// versitygw returns the path of the versitygw program: on PATH, or where
// go install puts it.
func versitygw(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	dir := os.Getenv("GOBIN")
	if dir == "" {
		dir = filepath.Join(build.Default.GOPATH, "bin")
	}
	if p := filepath.Join(dir, "versitygw"); fileExists(p) {
		return p
	}
	return RequireTool(t, "versitygw")
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// StartS3 starts a versitygw for the test; it stops with the test.
func StartS3(t testing.TB) *S3Server {
	t.Helper()
	bin := versitygw(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &S3Server{Endpoint: "http://" + addr, AccessKey: "vitrine-test-" + rand.Text()[:8], SecretKey: rand.Text(), Root: t.TempDir()}
	cmd := exec.Command(bin, "--access", s.AccessKey, "--secret", s.SecretKey, "--port", addr, "posix", s.Root)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start versitygw: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	// The banner names the address once the listener is up; the scanner
	// ends when the process closes its output.
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if strings.Contains(sc.Text(), s.Endpoint) {
				close(ready)
				break
			}
		}
		for sc.Scan() {
		}
	}()
	select {
	case <-ready:
	case <-time.After(time.Minute):
		t.Fatalf("versitygw did not announce %s within a minute", s.Endpoint)
	}
	return s
}

// Client returns an S3 client of the server.
func (s *S3Server) Client() *s3.Client {
	return s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.Endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(s.AccessKey, s.SecretKey, ""),

		DisableLogOutputChecksumValidationSkipped: true,
	})
}

// Bucket creates a bucket.
func (s *S3Server) Bucket(t testing.TB, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := s.Client().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &name}); err != nil {
		t.Fatalf("create bucket %s: %v", name, err)
	}
}

// Config is an S3 blob store configuration of bucket/prefix on the server,
// spooling to a temp dir, with 5 MiB parts (S3's least) so that tests
// reach multipart uploads with small files.
func (s *S3Server) Config(t testing.TB, bucket, prefix string) blob.S3Config {
	c := blob.DefaultS3Config(bucket)
	c.Prefix, c.Endpoint, c.UsePathStyle = prefix, s.Endpoint, true
	c.AccessKey, c.SecretKey = s.AccessKey, s.SecretKey
	c.SpoolDir = t.TempDir()
	c.PartSize = 5 << 20
	return c
}

// URL is the --blobs URL of bucket/prefix on the server; the credentials
// go in the AWS environment variables (Env).
func (s *S3Server) URL(bucket, prefix string) string {
	return fmt.Sprintf("s3://%s/%s?endpoint=%s&region=us-east-1&use_path_style=true&part_size=5MiB", bucket, prefix, s.Endpoint)
}

// Env is the AWS environment a process needs to reach the server.
func (s *S3Server) Env() []string {
	return []string{"AWS_ACCESS_KEY_ID=" + s.AccessKey, "AWS_SECRET_ACCESS_KEY=" + s.SecretKey, "AWS_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null"}
}
