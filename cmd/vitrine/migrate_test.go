package main_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"image/jpeg"
	"io/fs"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/testenv"
)

// seedinstall builds tools/seedinstall once, without the race detector:
// it makes 10,000 assets through the store in seconds, where the race
// build takes minutes.
var seedinstall = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "vitrine-seedinstall")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "seedinstall")
	out, err := exec.Command("go", "build", "-o", bin, "../../tools/seedinstall").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// embedded builds an embedded installation of n assets sharing blobs real
// JPEGs in data, as `vitrine serve` would leave it, with adminToken
// (testenv.Embedded).
func embedded(t *testing.T, data string, n, blobs int) {
	t.Helper()
	bin, err := seedinstall()
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := exec.Command(bin, "--data", data, "--assets", fmt.Sprint(n), "--blobs", fmt.Sprint(blobs), "--token", adminToken).CombinedOutput()
	if err != nil {
		t.Fatalf("seedinstall: %v\n%s", err, out)
	}
	t.Logf("seeded %d assets in %s", n, time.Since(start).Round(time.Millisecond))
}

// runMigrate runs `vitrine migrate` from data to the target.
func runMigrateCmd(t *testing.T, data, dsn, blobsURL string, srv *testenv.S3Server) (string, error) {
	t.Helper()
	cmd := exec.Command(binary(t), "migrate", "--from", data, "--db", dsn, "--blobs", blobsURL)
	cmd.Env = append(os.Environ(), srv.Env()...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// fingerprint hashes every file under dir but the lock (which names the
// process holding it): equal fingerprints, an untouched directory.
func fingerprint(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ".lock" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		out[p] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sameBlobs checks that the S3 store holds every blob of the local one,
// with the bytes its name says.
func sameBlobs(t *testing.T, dir string, s3 *blob.S3) {
	t.Helper()
	ctx := context.Background()
	src, err := blob.ReadLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	want, err := src.Digests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s3.Digests(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("the bucket holds %d blobs, the source %d", len(got), len(want))
	}
	for _, d := range want {
		if _, err := blob.Verify(ctx, s3, d); err != nil {
			t.Errorf("blob %s in the bucket: %v", d, err)
		}
	}
}

// TestMigrateToPostgresAndS3 moves a 10,000-asset embedded installation to
// PostgreSQL and S3 (versitygw): every row of every table and every blob
// arrive, the source is untouched, a second run changes nothing, and
// `vitrine serve` on the target delivers a published asset.
func TestMigrateToPostgresAndS3(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := testenv.PostgresDSN(t)
	srv := testenv.StartS3(t)
	srv.Bucket(t, "vitrine")
	blobsURL := srv.URL("vitrine", "prod")
	data := t.TempDir()
	embedded(t, data, 10000, 300)
	before := fingerprint(t, data)

	start := time.Now()
	out, err := runMigrateCmd(t, data, dsn, blobsURL, srv)
	if err != nil {
		t.Fatalf("vitrine migrate: %v\n%s", err, out)
	}
	t.Logf("vitrine migrate (race build), 10,000 assets, 300 blobs: %s\n%s", time.Since(start).Round(time.Millisecond), out)
	if !strings.Contains(out, "migrated "+data) || !strings.Contains(out, "300 of 300 blobs sent") {
		t.Errorf("first run's report does not say it copied everything:\n%s", out)
	}
	if strings.Contains(out, "warning:") {
		t.Errorf("a complete installation (sets included: their versions name manifests, not blobs) gave warnings:\n%s", out)
	}
	pg := sameAsSource(ctx, t, data, dsn, srv)

	out, err = runMigrateCmd(t, data, dsn, blobsURL, srv)
	if err != nil {
		t.Fatalf("second vitrine migrate: %v\n%s", err, out)
	}
	if !strings.Contains(out, "nothing to migrate") || !strings.Contains(out, "nothing changed") {
		t.Errorf("second run on a complete target does not say nothing changed:\n%s", out)
	}
	testenv.SameRows(t, filepath.Join(data, "vitrine.db"), pg)
	if after := fingerprint(t, data); !maps.Equal(before, after) {
		for p, sum := range after {
			if before[p] != sum {
				t.Errorf("the migration changed or made %s", p)
			}
		}
		for p := range before {
			if _, ok := after[p]; !ok {
				t.Errorf("the migration removed %s", p)
			}
		}
	}

	// The target serves: a published asset is delivered from PostgreSQL
	// and S3; an unpublished one is not.
	n := startS3NodeDB(t, t.TempDir(), dsn, blobsURL, srv)
	resp, err := http.Get(n.url + "/is/image/demo/img-00001")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET a migrated published image = %d, want 200", resp.StatusCode)
	}
	if _, err := jpeg.Decode(resp.Body); err != nil {
		t.Errorf("the delivered image does not decode: %v", err)
	}
	resp, err = http.Get(n.url + "/is/image/demo/img-00003")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET a migrated unpublished image = %d, want 403", resp.StatusCode)
	}
}

// TestMigrateResumesAfterKill kills `vitrine migrate` as it starts copying
// rows; the next run completes the copy with no row or blob twice.
func TestMigrateResumesAfterKill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := testenv.PostgresDSN(t)
	srv := testenv.StartS3(t)
	srv.Bucket(t, "vitrine")
	blobsURL := srv.URL("vitrine", "prod")
	data := t.TempDir()
	embedded(t, data, 2000, 40)

	cmd := exec.Command(binary(t), "migrate", "--from", data, "--db", dsn, "--blobs", blobsURL, "--batch", "50")
	cmd.Env = append(os.Environ(), srv.Env()...)
	log := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	log.waitFor(t, "copying", time.Minute)
	cmd.Process.Kill()
	cmd.Wait()

	out, err := runMigrateCmd(t, data, dsn, blobsURL, srv)
	if err != nil {
		t.Fatalf("vitrine migrate after a kill: %v\n%s", err, out)
	}
	sameAsSource(ctx, t, data, dsn, srv)
}

// TestMigrateRefuses: a running server on the source, and a target that
// holds another installation, each stop the migration with a clear error.
func TestMigrateRefuses(t *testing.T) {
	t.Parallel()
	srv := testenv.StartS3(t)
	srv.Bucket(t, "vitrine")
	blobsURL := srv.URL("vitrine", "prod")

	running := startServer(t)
	out, err := runMigrateCmd(t, running.data, testenv.PostgresDSN(t), blobsURL, srv)
	if err == nil || !strings.Contains(out, "another vitrine serve") {
		t.Errorf("migrate from a running server's data = %v, want a refusal naming the server:\n%s", err, out)
	}

	data := t.TempDir()
	embedded(t, data, 10, 2)
	other := testenv.PostgresDSN(t)
	db := testenv.OpenDSN(t, other)
	testenv.NewCompany(t, db, "other")
	out, err = runMigrateCmd(t, data, other, blobsURL, srv)
	if err == nil || !strings.Contains(out, "different installation") {
		t.Errorf("migrate into another installation's database = %v, want a refusal:\n%s", err, out)
	}
}

// startS3NodeDB starts `vitrine serve` on the database dsn and the S3
// blob store blobsURL.
func startS3NodeDB(t *testing.T, data, dsn, blobsURL string, srv *testenv.S3Server) *node {
	t.Helper()
	addr := freeAddr(t)
	n := &node{url: "http://" + addr, log: &syncBuffer{}}
	n.cmd = exec.Command(binary(t), "serve", "--data", data, "--addr", addr, "--db", dsn, "--blobs", blobsURL)
	n.cmd.Env = append(os.Environ(), srv.Env()...)
	n.cmd.Stdout, n.cmd.Stderr = n.log, n.log
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.kill() })
	n.log.waitFor(t, "vitrine serving", time.Minute)
	return n
}

// sameAsSource compares every row of the embedded installation in data with
// the PostgreSQL target and every blob with the S3 target, and returns the
// target database for further checks (closed when the test ends).
func sameAsSource(ctx context.Context, t *testing.T, data, dsn string, srv *testenv.S3Server) *sql.DB {
	t.Helper()
	pg, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pg.Close() })
	testenv.SameRows(t, filepath.Join(data, "vitrine.db"), pg)
	s3, err := blob.OpenS3(ctx, srv.Config(t, "vitrine", "prod"))
	if err != nil {
		t.Fatal(err)
	}
	sameBlobs(t, filepath.Join(data, "blobs"), s3)
	return pg
}
