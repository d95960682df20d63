package main

import (
	"context"
	"encoding/base64"
	"errors"
	"hash"
	"hash/crc32"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
)

// sendfileMax is the largest file sent as a bare *os.File body, which
// Go's HTTP/1.1 transport hands to sendfile(2); the progress bar then
// moves when the file is done. Larger files go through a counting
// reader, so the bar moves while they are sent.
const sendfileMax = 32 << 20

// rawUpload remembers, for one `vitrine upload`, whether the server takes
// raw-body uploads (PUT …/assets/{name}); an older one answers 405 (or 404
// behind some proxies), and the files go as multipart forms instead.
type rawUpload struct{ unsupported atomic.Bool }

// uploadFile sends one file: as a raw-body PUT while the server takes it,
// else as a multipart form.
func (c *client) uploadFile(ctx context.Context, raw *rawUpload, fh *fileHasher, it uploadItem, publish, overwrite string, batch *uploadBatch, bar *progress) (*uploadAnswer, []byte, error) {
	if !raw.unsupported.Load() {
		ans, body, err := c.putOne(ctx, fh, it, publish, overwrite, batch, bar)
		var ae *apiError
		if !errors.As(err, &ae) || (ae.Status != http.StatusMethodNotAllowed && !(ae.Status == http.StatusNotFound && ae.Code != "not_found")) {
			return ans, body, err
		}
		raw.unsupported.Store(true)
	}
	return c.uploadOne(ctx, it, publish, overwrite, batch, bar)
}

// putOne sends one file as the body of PUT …/assets/{name}, its CRC32C
// in a Content-Digest header (RFC 9530) that the server checks: a body
// changed on the way is refused. (The server hashes what it stores with
// SHA-256 itself; a SHA-256 here cost the client four times the CPU of the
// rest of its work for the same check against damage on the way.) The
// digest must be sent before the body, so the file is read twice: once to
// sum it (a read into a buffer was cheaper than an mmap of it: page faults
// cost more than the copy), once by sendfile.
func (c *client) putOne(ctx context.Context, fh *fileHasher, it uploadItem, publish, overwrite string, batch *uploadBatch, bar *progress) (*uploadAnswer, []byte, error) {
	f, st, err := openStat(it.path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sum, err := fh.sum(f)
	if err != nil {
		return nil, nil, err
	}
	q := url.Values{}
	for k, v := range map[string]string{"folder": it.folder, "publish": publish, "overwrite": overwrite} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if batch != nil {
		q.Set("upload_job", strconv.FormatInt(batch.ID, 10))
	}
	var body io.Reader = f
	if st.Size() > sendfileMax {
		body = countingReader{f, bar}
	}
	name := filepath.Base(it.path)
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, c.companyURL("/assets/"+url.PathEscape(name), q), body)
	if err != nil {
		return nil, nil, err
	}
	req.ContentLength = st.Size()
	// A request on a kept-alive connection the server has just closed is
	// sent again; that needs a fresh body.
	req.GetBody = func() (io.ReadCloser, error) { return os.Open(it.path) }
	if req.ContentLength == 0 {
		req.Body = http.NoBody // an empty file: the server says so
	}
	ctype := mime.TypeByExtension(filepath.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Content-Digest", "crc32c=:"+base64.StdEncoding.EncodeToString(sum)+":")
	var ans uploadAnswer
	raw, err := c.send(req, &ans)
	if err == nil && st.Size() <= sendfileMax {
		bar.add(st.Size(), false)
	}
	return &ans, raw, err
}

// fileHasher sums the files one upload worker sends, with one buffer and
// one CRC32C state for all of them: a 256 KB buffer per file was most of
// the client's allocation and garbage collection.
type fileHasher struct {
	h   hash.Hash32
	buf []byte
}

func newFileHasher() *fileHasher {
	return &fileHasher{h: crc32.New(crc32.MakeTable(crc32.Castagnoli)), buf: make([]byte, 256<<10)}
}

// sum returns the CRC32C of f's bytes, big-endian, and rewinds f.
func (fh *fileHasher) sum(f *os.File) ([]byte, error) {
	fh.h.Reset()
	if _, err := io.CopyBuffer(fh.h, struct{ io.Reader }{f}, fh.buf); err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return fh.h.Sum(nil), nil
}

// forUploads returns a copy of c whose connection pool keeps a connection
// per concurrent upload (the default keeps two, so with -j 4 two
// connections would be opened and closed for every file).
func (c *client) forUploads(jobs int) *client {
	t, ok := c.http.Transport.(*http.Transport)
	if !ok || t == nil {
		t = http.DefaultTransport.(*http.Transport)
	}
	t = t.Clone()
	t.MaxIdleConnsPerHost = max(jobs, 2)
	cc := *c
	cc.http = &http.Client{Transport: t, Timeout: c.http.Timeout, CheckRedirect: c.http.CheckRedirect, Jar: c.http.Jar}
	return &cc
}
