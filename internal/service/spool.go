package service

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/media"
	"github.com/vitrine/vitrine/internal/video"
)

// Spooled is one incoming file on local disk, hashed and identified from
// its bytes (UP-7, UP-8), ready for BlobStore.PutFile and an ingest. The
// multipart upload, URL-list and drop-folder paths all go through Spool.
type Spooled struct {
	Path string // the spool file; PutFile moves it, Remove deletes it
	File vitrine.NewFile
}

// Remove deletes the spool file if it is still there.
func (s *Spooled) Remove() {
	if s != nil && s.Path != "" {
		os.Remove(s.Path)
	}
}

// ReadError is a failure reading the source (the client's body, a remote
// URL), as opposed to a problem with the file's content.
type ReadError struct{ Err error }

func (e *ReadError) Error() string { return "read: " + e.Err.Error() }
func (e *ReadError) Unwrap() error { return e.Err }

// Spool copies src to a new file in dir while hashing it, then identifies
// it. name is the file name the asset id comes from. On error the returned
// Spooled (if any) still names the temp file, for the caller to Remove.
func Spool(src io.Reader, name, dir string) (*Spooled, error) {
	return SpoolWith(src, name, dir, nil)
}

// SpoolBufferSize is the size of the buffer a spool copies through.
const SpoolBufferSize = 256 << 10

// The spool's buffer is also the probe's scratch space (ProbeWith).
var _ [SpoolBufferSize - media.ScratchSize]struct{}

// SpoolWith is Spool copying through buf (SpoolBufferSize bytes; nil: a
// new one), for a caller that reuses its buffers: one per uploaded file
// was most of the server's garbage.
func SpoolWith(src io.Reader, name, dir string, buf []byte) (*Spooled, error) {
	_, ext, err := vitrine.AssetNameFromFile(name)
	if err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, storageError(fmt.Errorf("spool: %w", err))
	}
	sp := &Spooled{Path: tmp.Name()}
	h := sha256.New()
	if len(buf) == 0 {
		buf = make([]byte, SpoolBufferSize)
	}
	size, err := copyHashed(tmp, h, src, buf)
	if err != nil {
		tmp.Close()
		var re *ReadError
		if errors.As(err, &re) {
			return sp, re
		}
		return sp, storageError(fmt.Errorf("spool: %w", err))
	}
	if size == 0 {
		tmp.Close()
		return sp, vitrine.Errorf(vitrine.EINVALID, "file %s is empty", name)
	}
	// buf is free again: the probe reads the file's head into it.
	info, err := media.ProbeWith(tmp, size, ext, media.DefaultLimits(), buf)
	if err == nil && info.Type == vitrine.TypeVideo {
		// A video that refers to data outside itself (a file, a URL) is
		// refused before any tool opens it: every upload path spools here.
		err = video.CheckReferences(tmp, size, info.Format)
	}
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("spool: %w", cerr)
	}
	if err != nil {
		return sp, prefixError(name, err)
	}
	sp.File = vitrine.NewFile{Filename: name, Type: info.Type, Format: info.Format, MIME: info.MIME, Ext: info.Ext,
		Width: info.Width, Height: info.Height, SHA256: hex.EncodeToString(h.Sum(nil)), Size: size}
	return sp, nil
}

// copyHashed copies src to dst and into h in one pass: reads fill buf
// (256 KB) (a multipart part yields 4 KB a read, a socket what has
// arrived), which is hashed and written as is, so each byte is copied
// once into user space and written in few, large system calls. A failed
// read is a *ReadError.
func copyHashed(dst io.Writer, h io.Writer, src io.Reader, buf []byte) (int64, error) {
	var size int64
	for {
		// Fill buf; io.ReadFull would turn the source's own
		// io.ErrUnexpectedEOF (a truncated body) into a clean end.
		n, err := 0, error(nil)
		for n < len(buf) && err == nil {
			var m int
			m, err = src.Read(buf[n:])
			n += m
		}
		if n > 0 {
			h.Write(buf[:n]) // a hash.Hash never fails
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return size, werr
			}
			size += int64(n)
		}
		if errors.Is(err, io.EOF) {
			return size, nil
		} else if err != nil {
			return size, &ReadError{err}
		}
	}
}

// prefixError puts the file name in front of a domain error's message.
func prefixError(name string, err error) error {
	var e *vitrine.Error
	if errors.As(err, &e) {
		return &vitrine.Error{Code: e.Code, Message: name + ": " + e.Message, Details: e.Details}
	}
	return err
}
