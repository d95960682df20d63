package main_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/blob/blobtest"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/testenv"
)

// startS3Node starts `vitrine serve --blobs blobsURL` with the S3 server's
// credentials in the AWS environment variables and extra flags.
func startS3Node(t *testing.T, data, blobsURL string, srv *testenv.S3Server, extra ...string) *node {
	t.Helper()
	addr := freeAddr(t)
	n := &node{url: "http://" + addr, log: &syncBuffer{}}
	n.cmd = exec.Command(binary(t), append([]string{"serve", "--data", data, "--addr", addr, "--blobs", blobsURL}, extra...)...)
	n.cmd.Env = append(append(os.Environ(), "VITRINE_ADMIN_TOKEN="+adminToken), srv.Env()...)
	n.cmd.Stdout, n.cmd.Stderr = n.log, n.log
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.kill() })
	n.log.waitFor(t, "vitrine serving", time.Minute)
	return n
}

// zipFile is a file of size bytes that Vitrine takes as a static ZIP.
func zipFile(size int, seed uint64) []byte {
	b := blobtest.Random(size, seed)
	copy(b, "PK\x03\x04")
	return b
}

// upload posts one file into the folder big; it returns the HTTP status,
// or an error when the connection broke.
func (n *node) upload(name string, data []byte) (int, error) {
	return n.postFile("big", name, data)
}

// postFile posts one file named filename into folder; it returns the HTTP
// status, or an error when the connection broke.
func (n *node) postFile(folder, filename string, data []byte) (int, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("folder", folder)
	w, _ := mw.CreateFormFile("file", filename)
	w.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", n.url+"/api/v1/companies/demo/assets", &buf)
	req.Header.Set("Authorization", "Bearer "+adminToken)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TestKillDuringS3Upload: a real `vitrine serve` on S3 (versitygw on
// loopback) is killed with SIGKILL while a large upload streams to the
// bucket in parts. After a restart and the daily collection there is no
// asset row for it, no object and no multipart upload left, and the blob
// of an upload that did finish is still there.
func TestKillDuringS3Upload(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testenv.StartS3(t)
	srv.Bucket(t, "vitrine")

	// The node reaches S3 through a proxy that, once armed, holds the
	// first part it sees: the test kills the node with that upload
	// certainly in flight, without guessing at timings.
	target, _ := url.Parse(srv.Endpoint)
	rp := httputil.NewSingleHostReverseProxy(target)
	var armed atomic.Bool
	partHeld := make(chan struct{})
	var once sync.Once
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && r.URL.Query().Has("partNumber") && armed.Load() {
			once.Do(func() { close(partHeld) })
			// Read the part, then hold the answer until the node dies (the
			// server notices a closed connection once the body is read).
			io.Copy(io.Discard, r.Body)
			<-r.Context().Done()
			return
		}
		rp.ServeHTTP(w, r)
	}))
	defer proxy.Close()
	proxied := *srv
	proxied.Endpoint = proxy.URL
	blobsURL := proxied.URL("vitrine", "prod")
	data := t.TempDir()

	n := startS3Node(t, data, blobsURL, srv)
	kept := zipFile(12<<20, 1) // three 5 MiB parts
	if code, err := n.upload("kept.zip", kept); err != nil || code != http.StatusCreated {
		t.Fatalf("upload kept.zip: %d, %v", code, err)
	}
	armed.Store(true)
	killed := zipFile(16<<20, 2)
	uploadDone := make(chan error, 1)
	go func() {
		_, err := n.upload("killed.zip", killed)
		uploadDone <- err
	}()
	select {
	case <-partHeld:
	case err := <-uploadDone:
		t.Fatalf("the upload ended before a part reached S3: %v\n%s", err, n.log)
	case <-time.After(2 * time.Minute):
		t.Fatalf("no part of the upload reached S3:\n%s", n.log)
	}
	n.kill()
	if err := <-uploadDone; err == nil {
		t.Error("the killed upload was acknowledged")
	}
	client := srv.Client()
	if ups := multipartUploads(t, client); len(ups) != 1 {
		t.Fatalf("%d multipart uploads in flight at the kill, want 1", len(ups))
	}
	armed.Store(false)

	// Restart: the node serves, the finished upload is there, and the
	// killed one has no row.
	n = startS3Node(t, data, blobsURL, srv)
	var list struct {
		Assets []struct {
			Name string `json:"name"`
		} `json:"assets"`
	}
	if code := n.call(t, "GET", "/assets?folder=big", nil, &list); code != http.StatusOK {
		t.Fatalf("list assets: HTTP %d", code)
	}
	if len(list.Assets) != 1 || list.Assets[0].Name != "kept" {
		t.Errorf("assets after the restart: %+v, want only kept", list.Assets)
	}
	n.kill()
	db, err := sqlstore.Open(ctx, filepath.Join(data, "vitrine.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	killedDigest, keptDigest := digestOf(killed), digestOf(kept)
	for _, c := range []struct {
		query string
		arg   string
		want  int
	}{
		{"SELECT count(*) FROM assets WHERE name = ?", "killed", 0},
		{"SELECT count(*) FROM versions WHERE sha256 = ?", killedDigest, 0},
		{"SELECT count(*) FROM versions WHERE sha256 = ?", keptDigest, 1},
	} {
		var got int
		if err := db.SQL().QueryRowContext(ctx, c.query, c.arg).Scan(&got); err != nil || got != c.want {
			t.Errorf("%s [%s] = %d, %v; want %d", c.query, c.arg[:min(8, len(c.arg))], got, err, c.want)
		}
	}

	// The daily collection, two days on, with a minute's blob grace.
	collect(t, db, filepath.Join(data, "vitrine.db"), srv, "vitrine", "prod")
	if ups := multipartUploads(t, client); len(ups) != 0 {
		t.Errorf("%d multipart uploads left after the collection", len(ups))
	}
	objs, err := client.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("vitrine")})
	if err != nil {
		t.Fatal(err)
	}
	want := "prod/" + keptDigest[:2] + "/" + keptDigest[2:4] + "/" + keptDigest
	if len(objs.Contents) != 1 || aws.ToString(objs.Contents[0].Key) != want {
		var keys []string
		for _, o := range objs.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
		t.Errorf("objects after the collection: %v, want only %s", keys, want)
	}
}

func digestOf(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func multipartUploads(t *testing.T, c *s3.Client) []string {
	t.Helper()
	out, err := c.ListMultipartUploads(context.Background(), &s3.ListMultipartUploadsInput{Bucket: aws.String("vitrine")})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, u := range out.Uploads {
		keys = append(keys, aws.ToString(u.Key))
	}
	return keys
}

// collect runs the daily maintenance job in-process on the node's
// database and bucket, on a clock two days ahead, and waits for it.
func collect(t *testing.T, db *sqlstore.DB, dsn string, srv *testenv.S3Server, bucket, prefix string) {
	t.Helper()
	ctx := context.Background()
	s, err := blob.OpenS3(ctx, srv.Config(t, bucket, prefix))
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.New(service.Deps{Store: db, Blobs: blob.Guard(s, db)})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	later := now.Add(48 * time.Hour)
	var clock atomic.Int64 // the engine's own ticks see the test's time
	clock.Store(now.UnixNano())
	cfg := jobs.DefaultConfig()
	cfg.Now = func() time.Time { return time.Unix(0, clock.Load()) }
	cfg.Tick = time.Hour // only RunOnce ticks
	cfg.Maintenance.BlobGrace = time.Minute
	eng, err := jobs.New(ctx, cfg, svc, dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Stop()
	if err := eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	// The first tick learns the latest occurrence; the second, two days
	// on, records the run of the one in between.
	for _, at := range []time.Time{now, later} {
		clock.Store(at.UnixNano())
		if err := eng.RunOnce(ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := db.Jobs(ctx, 1, sqlstore.JobFilter{Type: vitrine.JobMaintenance})
	if err != nil || len(runs) != 1 {
		t.Fatalf("maintenance runs: %d, %v; want 1", len(runs), err)
	}
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	j, err := eng.WaitJob(wctx, runs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var res vitrine.MaintenanceResult
	json.Unmarshal(j.Result, &res)
	if j.Status != vitrine.JobSucceeded {
		t.Fatalf("maintenance %s: %s", j.Status, j.Message)
	}
	t.Logf("maintenance: %+v (%s)", res, j.Message)
}
