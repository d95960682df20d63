package uploadform

import (
	"hash/crc32"
	"io"
	"net/http"
	"strings"

	"github.com/vitrine/vitrine"
)

// ReadRaw reads a raw-body upload (PUT …/assets/{name}): the body is the
// file, name its file name, and the options are query parameters of the
// form's field names (folder, publish, overwrite, job_name, upload_job).
// The body needs a Content-Length; a Content-Digest (or Repr-Digest)
// sha-256 and/or crc32c is checked against the bytes hashed as they are
// spooled, in the same pass. The limits, the spool and the refusals are the multipart
// form's: a bad request leaves nothing behind. The returned Form's file
// is the caller's to Remove. The body is copied through buf
// (service.SpoolBufferSize bytes, the caller's to reuse; nil: a new one).
func ReadRaw(w http.ResponseWriter, r *http.Request, lim Limits, spoolDir, name string, buf []byte) (*Form, error) {
	switch {
	case r.ContentLength < 0:
		return nil, vitrine.Errorf(vitrine.ELENGTHREQUIRED, "send the file's size in Content-Length (a raw upload is not chunked)")
	case r.ContentLength > lim.MaxBytes:
		return nil, vitrine.Errorf(vitrine.ETOOLARGE, "request body is %d bytes; the limit is %d", r.ContentLength, lim.MaxBytes)
	}
	digest, err := digestHeader(r.Header)
	if err != nil {
		return nil, err
	}
	f := &Form{}
	var digests []string
	for k, vs := range r.URL.Query() {
		if k == "sha256" {
			return nil, vitrine.Errorf(vitrine.EINVALID, "send the file's SHA-256 in a Content-Digest header: sha-256=:<base64>:")
		}
		for _, v := range vs {
			if err := f.setField(&digests, 1, k, v); err != nil {
				return nil, err
			}
		}
	}
	if _, err := vitrine.CleanFolderPath(f.Opts.Folder); err != nil {
		return nil, err
	}
	limitBody(w, r, lim)
	body := io.Reader(r.Body)
	var crc *crc32cReader
	if digest.HasCRC32C {
		crc = &crc32cReader{r: r.Body}
		body = crc
	}
	sp, err := spool(body, name, spoolDir, buf)
	if sp != nil {
		f.Files = append(f.Files, *sp)
	}
	switch {
	case err != nil:
	case digest.SHA256 != "" && digest.SHA256 != sp.File.SHA256:
		err = vitrine.Errorf(vitrine.EINVALID, "checksum mismatch for %s: Content-Digest says sha256 %s, received %s", name, digest.SHA256, sp.File.SHA256)
	case crc != nil && digest.CRC32C != crc.sum:
		err = vitrine.Errorf(vitrine.EINVALID, "checksum mismatch for %s: Content-Digest says crc32c %08x, received %08x", name, digest.CRC32C, crc.sum)
	}
	if err != nil {
		f.Remove()
		return nil, err
	}
	return f, nil
}

// digestHeader returns the checks a raw upload's Content-Digest or
// Repr-Digest asks for (none when absent); the two are the same for a body
// sent without a content coding, which is all an upload takes.
func digestHeader(h http.Header) (vitrine.ContentDigest, error) {
	if ce := h.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return vitrine.ContentDigest{}, vitrine.Errorf(vitrine.EUNSUPPORTED, "Content-Encoding %q: send the file as it is", truncate(ce, 64))
	}
	field := h.Get("Content-Digest")
	if field == "" {
		field = h.Get("Repr-Digest")
	}
	return vitrine.ParseContentDigest(field)
}

// crc32cReader computes the CRC32C (Castagnoli) of what is read through it.
type crc32cReader struct {
	r   io.Reader
	sum uint32
}

func (c *crc32cReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.sum = crc32.Update(c.sum, castagnoli, p[:n])
	return n, err
}

// castagnoli is the CRC32C table (hardware-assisted where the CPU has it).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)
