package api_test

import (
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/blob"
	"github.com/vitrine/vitrine/internal/service"
)

// An upload to a full disk answers 507 insufficient_storage, not 500
// (issue 15, item 12): the blob store sits on a 1 MiB tmpfs. Mounting needs
// root; elsewhere the seam's table test (service) covers the translation.
func TestUploadDiskFull(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		t.Skip("mounting a tiny tmpfs needs root")
	}
	e := newStore(t)
	dir := filepath.Join(t.TempDir(), "full")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=1m"); err != nil {
		t.Skipf("mount tmpfs: %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	local, err := blob.OpenLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	h, err := api.New(api.DefaultConfig(), mustService(t, service.Deps{Store: e.db, Blobs: blob.Guard(local, e.db)}),
		slog.New(slog.NewTextHandler(io.Discard, nil)), api.Hooks{})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewServer(h)
	t.Cleanup(e.srv.Close)
	big := append(jpegBytes(t, 8, 8), make([]byte, 2<<20)...)
	rand.Read(big[len(big)-2<<20:])
	body, ctype := multipartBody(t, part{"file", "big.jpg", big})
	status, out := e.do(t, "POST", "/api/v1/companies/acme/assets", ctype, body)
	if code := out["error"].(map[string]any)["code"]; status != http.StatusInsufficientStorage || code != "insufficient_storage" {
		t.Errorf("upload to a full disk = %d %v, want 507 insufficient_storage", status, out)
	}
	// The raw-body upload spools the same way.
	status, out = e.put(t, "/api/v1/companies/acme/assets/big.jpg", big, contentDigest(big), int64(len(big)))
	if code := out["error"].(map[string]any)["code"]; status != http.StatusInsufficientStorage || code != "insufficient_storage" {
		t.Errorf("raw-body upload to a full disk = %d %v, want 507 insufficient_storage", status, out)
	}
}
