package api_test

import (
	"net/http"
	"testing"

	"github.com/vitrine/vitrine/internal/api"
)

// An upload refused for its options, or whose file is skipped, leaves no
// blob behind; a blob another asset refers to stays (issue 15, item 8).
func TestUploadLeavesNoBlob(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	const path = "/api/v1/companies/acme/assets"
	first := jpegBytes(t, 20, 20)
	body, ctype := multipartBody(t, part{"file", "a.jpg", first}, part{"folder", "", []byte("/x")})
	if status, out := e.do(t, "POST", path, ctype, body); status != http.StatusCreated {
		t.Fatalf("first upload = %d %v", status, out)
	}
	_, _, blobs := e.rows(t)
	if blobs != 1 {
		t.Fatalf("%d blobs after one upload, want 1", blobs)
	}
	for _, tc := range []struct {
		name      string
		overwrite string
		data      []byte
		status    int
	}{
		{"refused options", "evil", jpegBytes(t, 21, 21), http.StatusBadRequest},
		{"skipped", "off", jpegBytes(t, 22, 22), http.StatusCreated},
		{"skipped, same bytes as a stored asset", "off", first, http.StatusCreated},
	} {
		body, ctype := multipartBody(t, part{"file", "a.jpg", tc.data}, part{"folder", "", []byte("/x")},
			part{"overwrite", "", []byte(tc.overwrite)})
		status, out := e.do(t, "POST", path, ctype, body)
		if status != tc.status {
			t.Errorf("%s: upload = %d %v, want %d", tc.name, status, out, tc.status)
		}
		if _, _, blobs := e.rows(t); blobs != 1 {
			t.Errorf("%s: %d blobs after the upload, want 1 (the first asset's)", tc.name, blobs)
		}
	}
	// The first asset's blob is still readable.
	if status, out := e.do(t, "GET", path+"/a", "", nil); status != http.StatusOK {
		t.Errorf("first asset = %d %v", status, out)
	}
}
