package api_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/api"
	"github.com/vitrine/vitrine/internal/testenv"
)

// put sends data as a raw-body upload; digest is the Content-Digest
// header ("" for none), length the Content-Length (-1: chunked).
func (e *env) put(t *testing.T, path string, data []byte, digest string, length int64) (int, map[string]any) {
	t.Helper()
	var body io.Reader = bytes.NewReader(data)
	if length < 0 {
		body = io.MultiReader(body) // unknown length: chunked
	}
	req, err := http.NewRequest("PUT", e.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = length
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Content-Type", "image/jpeg")
	if digest != "" {
		req.Header.Set("Content-Digest", digest)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("PUT %s: answer is not JSON: %q", path, raw)
	}
	return resp.StatusCode, out
}

func contentDigest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
}

// crcDigest is the Content-Digest the CLI sends: the CRC32C, big-endian.
func crcDigest(data []byte) string {
	sum := crc32.Checksum(data, crc32.MakeTable(crc32.Castagnoli))
	return "crc32c=:" + base64.StdEncoding.EncodeToString(binary.BigEndian.AppendUint32(nil, sum)) + ":"
}

// TestPutAsset: a raw-body upload stores the file with the checksum of its
// bytes, in the folder asked, and the same bytes again make no second blob.
func TestPutAsset(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	data := jpegBytes(t, 30, 20)
	st, out := e.put(t, "/api/v1/companies/acme/assets/shoe.jpg?folder=/x&publish=false", data, contentDigest(data), int64(len(data)))
	if st != http.StatusCreated {
		t.Fatalf("PUT = %d %v", st, out)
	}
	if a := out["assets"].([]any); len(a) != 1 || a[0].(map[string]any)["name"] != "shoe" {
		t.Fatalf("PUT assets = %v, want shoe", a)
	}
	a, err := e.db.Asset(context.Background(), companyID(t, e), "shoe")
	if err != nil || a.Folder != "/x" {
		t.Fatalf("shoe = %+v, %v; want it in /x", a, err)
	}
	_, vs := e.do(t, "GET", "/api/v1/companies/acme/assets/shoe/versions", "", nil)
	sum := sha256.Sum256(data)
	if v := vs["versions"].([]any)[0].(map[string]any); v["sha256"] != hex.EncodeToString(sum[:]) || v["size"] != float64(len(data)) {
		t.Errorf("version = %v, want sha256 %x and size %d", v, sum, len(data))
	}
	// With the CLI's CRC32C instead of a SHA-256, or both.
	if st, out := e.put(t, "/api/v1/companies/acme/assets/boot.jpg?folder=/x", data, crcDigest(data), int64(len(data))); st != http.StatusCreated {
		t.Fatalf("PUT with a crc32c digest = %d %v", st, out)
	}
	if st, out := e.put(t, "/api/v1/companies/acme/assets/sock.jpg?folder=/x", data, crcDigest(data)+", "+contentDigest(data), int64(len(data))); st != http.StatusCreated {
		t.Fatalf("PUT with both digests = %d %v", st, out)
	}
	// Without a digest the upload is still checked for what it is.
	if st, out := e.put(t, "/api/v1/companies/acme/assets/hat.jpg?folder=/x", data, "", int64(len(data))); st != http.StatusCreated {
		t.Fatalf("PUT without a digest = %d %v", st, out)
	}
	// A retry of the same bytes: a new version, the same blob.
	if st, out := e.put(t, "/api/v1/companies/acme/assets/shoe.jpg?folder=/x&overwrite=full_name", data, contentDigest(data), int64(len(data))); st != http.StatusCreated {
		t.Fatalf("PUT again = %d %v", st, out)
	}
	if _, _, blobs := e.rows(t); blobs != 1 {
		t.Errorf("%d blobs after five uploads of the same bytes, want 1", blobs)
	}
}

// TestPutAssetRefused: a refused raw-body upload answers as the multipart
// upload does and leaves no row, no blob and no spool file.
func TestPutAssetRefused(t *testing.T) {
	t.Parallel()
	cfg := api.DefaultConfig()
	cfg.MaxUploadBytes = 200 << 10
	e := newEnv(t, cfg)
	good := jpegBytes(t, 40, 30)
	big := append(bytes.Clone(good), make([]byte, 300<<10)...)
	other := contentDigest([]byte("other bytes"))
	const path = "/api/v1/companies/acme/assets/"
	for _, tc := range []struct {
		name, path, digest string
		data               []byte
		length             int64
		status             int
		code               string
	}{
		{"digest mismatch", "a.jpg", other, good, int64(len(good)), 400, vitrine.EINVALID},
		{"digest malformed", "a.jpg", "sha-256=:AAAA:", good, int64(len(good)), 400, vitrine.EINVALID},
		{"crc32c mismatch", "a.jpg", crcDigest([]byte("other bytes")), good, int64(len(good)), 400, vitrine.EINVALID},
		{"crc32c right, sha-256 wrong", "a.jpg", crcDigest(good) + ", " + other, good, int64(len(good)), 400, vitrine.EINVALID},
		{"crc32c malformed", "a.jpg", "crc32c=:AAAAAAA=:", good, int64(len(good)), 400, vitrine.EINVALID},
		{"digest of another algorithm only", "a.jpg", "sha-512=:AAAA:", good, int64(len(good)), 400, vitrine.EINVALID},
		{"no length", "a.jpg", contentDigest(good), good, -1, 411, vitrine.ELENGTHREQUIRED},
		{"over the limit", "big.jpg", contentDigest(big), big, int64(len(big)), 413, vitrine.ETOOLARGE},
		{"empty", "e.jpg", "", nil, 0, 400, vitrine.EINVALID},
		{"not an image", "x.jpg", "", []byte("MZ\x90\x00this is not an image at all"), 31, 415, vitrine.EUNSUPPORTED},
		{"path in the name", "..%2Fa.jpg", "", good, int64(len(good)), 400, vitrine.EINVALID},
		{"bad folder", "a.jpg?folder=/a/../b", "", good, int64(len(good)), 400, vitrine.EINVALID},
		{"unknown option", "a.jpg?colour=red", "", good, int64(len(good)), 400, vitrine.EINVALID},
		{"digest in the query", "a.jpg?sha256=" + strings.Repeat("0", 64), "", good, int64(len(good)), 400, vitrine.EINVALID},
		{"closed upload job", "a.jpg?upload_job=999", "", good, int64(len(good)), 404, vitrine.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, out := e.put(t, path+tc.path, tc.data, tc.digest, tc.length)
			errObj, _ := out["error"].(map[string]any)
			if st != tc.status || errObj == nil || errObj["code"] != tc.code {
				t.Fatalf("PUT %s = %d %v, want %d %s", tc.name, st, out, tc.status, tc.code)
			}
			if a, v, b := e.rows(t); a+v+b != 0 {
				t.Fatalf("after %s: %d assets, %d versions, %d blobs/spool files left; want none", tc.name, a, v, b)
			}
		})
	}
}

// TestPutAssetAccess: another company's caller is refused as for the
// multipart upload, and nothing is stored.
func TestPutAssetAccess(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	other, err := e.db.CreateCompany(context.Background(), "other", "Other")
	if err != nil {
		t.Fatal(err)
	}
	bob := testenv.Member(t, e.db, other, "bob", vitrine.RoleAdmin)
	theirs := &env{srv: e.srv, db: e.db, blobs: e.blobs, token: testenv.Token(t, e.db, bob)}
	data := jpegBytes(t, 10, 10)
	body, ct := multipartBody(t, part{"file", "a.jpg", data})
	wantSt, _ := theirs.do(t, "POST", "/api/v1/companies/acme/assets", ct, body)
	st, out := theirs.put(t, "/api/v1/companies/acme/assets/a.jpg", data, contentDigest(data), int64(len(data)))
	if st != wantSt || st < 400 {
		t.Errorf("PUT into another company = %d %v; the multipart upload answers %d", st, out, wantSt)
	}
	if a, v, b := e.rows(t); a+v+b != 0 {
		t.Errorf("%d assets, %d versions, %d blobs after refused uploads; want none", a, v, b)
	}
}

// TestPutAssetBatch: raw-body uploads naming an open upload job join it.
func TestPutAssetBatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	st, out := e.do(t, "POST", "/api/v1/companies/acme/upload-jobs", "application/json", strings.NewReader(`{"folder":"/drop","total":2}`))
	if st != 201 {
		t.Fatalf("open upload job = %d %v", st, out)
	}
	id := fmt.Sprint(int64(out["id"].(float64)))
	for i := range 2 {
		data := pngBytes(t, 8+i, 8)
		st, out := e.put(t, fmt.Sprintf("/api/v1/companies/acme/assets/p%d.png?folder=/drop&upload_job=%s", i, id), data, contentDigest(data), int64(len(data)))
		if st != 201 {
			t.Fatalf("PUT %d = %d %v", i, st, out)
		}
		job := out["job"].(map[string]any)
		if got := fmt.Sprint(int64(job["id"].(float64))); got != id || job["done"] != float64(i+1) {
			t.Errorf("PUT %d answered job %v, want job %s with %d done", i, job, id, i+1)
		}
	}
	// Without folder= a file goes to the job's folder.
	data := pngBytes(t, 12, 8)
	if st, out := e.put(t, "/api/v1/companies/acme/assets/p9.png?upload_job="+id, data, contentDigest(data), int64(len(data))); st != 201 {
		t.Fatalf("PUT without a folder = %d %v", st, out)
	}
	if a, err := e.db.Asset(context.Background(), companyID(t, e), "p9"); err != nil || a.Folder != "/drop" {
		t.Errorf("p9 = %+v, %v; want it in the job's folder /drop", a, err)
	}
	_, jobs := e.do(t, "GET", "/api/v1/companies/acme/jobs?type=upload", "", nil)
	if n := len(jobs["jobs"].([]any)); n != 1 {
		t.Errorf("%d upload jobs, want the batch's one", n)
	}
}

// TestPutAssetTruncated: a raw body that ends before its Content-Length
// (the client went away) stores nothing, even when the bytes that came
// are a whole image.
func TestPutAssetTruncated(t *testing.T) {
	t.Parallel()
	e := newEnv(t, api.DefaultConfig())
	data := jpegBytes(t, 16, 16)
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "PUT /api/v1/companies/acme/assets/cut.jpg HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: %d\r\n\r\n%s",
		e.token, len(data)+100, data)
	conn.(*net.TCPConn).CloseWrite()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no answer to a truncated body: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("truncated body = %d, want 400", resp.StatusCode)
	}
	// The handler has answered: what it spooled is removed by now.
	if a, v, b := e.rows(t); a+v+b != 0 {
		t.Errorf("after a truncated body: %d assets, %d versions, %d blobs/spool files; want none", a, v, b)
	}
}
