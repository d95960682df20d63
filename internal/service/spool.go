package service

import (
	"bufio"
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
	// Sources often yield a few KB per read (a multipart part gives 4 KB);
	// buffering turns that into few, large write system calls.
	bw := bufio.NewWriterSize(tmp, 256<<10)
	size, err := io.Copy(io.MultiWriter(bw, h), readMarker{src})
	if err == nil {
		err = bw.Flush()
	}
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
	info, err := media.Probe(tmp, size, ext, media.DefaultLimits())
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

// readMarker tells read errors from write errors in io.Copy.
type readMarker struct{ r io.Reader }

func (m readMarker) Read(p []byte) (int, error) {
	n, err := m.r.Read(p)
	if err != nil && err != io.EOF {
		err = &ReadError{err}
	}
	return n, err
}

// prefixError puts the file name in front of a domain error's message.
func prefixError(name string, err error) error {
	var e *vitrine.Error
	if errors.As(err, &e) {
		return &vitrine.Error{Code: e.Code, Message: name + ": " + e.Message, Details: e.Details}
	}
	return err
}
