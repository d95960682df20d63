package delivery

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
)

// A cached rendition is one file named by the hex SHA-256 of its cache
// key, holding a header then the body:
//
//	magic    8 bytes  "VTRREND1"
//	name    32 bytes  the SHA-256 of the key again: a file copied or renamed
//	                  onto another entry's name is foreign
//	length   8 bytes  body length, big endian: a truncated file is caught
//	                  from its size alone
//	crc32c   4 bytes  of the content type and body: damage is caught when
//	                  the file is read
//	mimeLen  1 byte, then the content type
//
// So a restart loses nothing a hit needs (the ETag comes from the key, the
// content type from the header), and a file that does not check out is
// deleted, never served.
const (
	fileMagic     = "VTRREND1"
	fileFixedSize = len(fileMagic) + sha256.Size + 8 + 4 + 1
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// fileHeader is the decoded header of a cached rendition.
type fileHeader struct {
	name    [sha256.Size]byte
	bodyLen int64
	crc     uint32
	mime    string
}

// size is the length of the whole file the header describes.
func (h fileHeader) size() int64 { return int64(fileFixedSize+len(h.mime)) + h.bodyLen }

// encodeRendition returns the file content for a rendition.
func encodeRendition(name [sha256.Size]byte, mime string, body []byte) ([]byte, error) {
	if len(mime) > 255 {
		return nil, fmt.Errorf("content type %.40q… too long", mime)
	}
	b := make([]byte, 0, fileFixedSize+len(mime)+len(body))
	b = append(b, fileMagic...)
	b = append(b, name[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(len(body)))
	b = binary.BigEndian.AppendUint32(b, checksum(mime, body))
	b = append(b, byte(len(mime)))
	b = append(b, mime...)
	return append(b, body...), nil
}

// checksum covers what the header's other checks do not.
func checksum(mime string, body []byte) uint32 {
	return crc32.Update(crc32.Checksum([]byte(mime), crcTable), crcTable, body)
}

var errForeign = errors.New("not a rendition of this cache entry")

// readHeader reads and checks the header of the file for name.
func readHeader(r io.Reader, name [sha256.Size]byte) (fileHeader, error) {
	var fixed [fileFixedSize]byte
	if _, err := io.ReadFull(r, fixed[:]); err != nil {
		return fileHeader{}, fmt.Errorf("%w: short header", errForeign)
	}
	var h fileHeader
	rest := fixed[len(fileMagic):]
	copy(h.name[:], rest)
	rest = rest[sha256.Size:]
	n := binary.BigEndian.Uint64(rest)
	h.crc = binary.BigEndian.Uint32(rest[8:])
	mime := make([]byte, rest[12])
	if string(fixed[:len(fileMagic)]) != fileMagic || h.name != name || n > 1<<40 {
		return fileHeader{}, errForeign
	}
	if _, err := io.ReadFull(r, mime); err != nil {
		return fileHeader{}, fmt.Errorf("%w: short header", errForeign)
	}
	h.bodyLen, h.mime = int64(n), string(mime)
	return h, nil
}

// decodeRendition checks a whole file read for name and returns its body
// and content type.
func decodeRendition(data []byte, name [sha256.Size]byte) (body []byte, mime string, err error) {
	h, err := readHeader(bytes.NewReader(data), name)
	if err != nil {
		return nil, "", err
	}
	if int64(len(data)) != h.size() {
		return nil, "", fmt.Errorf("%w: %d bytes, header says %d", errForeign, len(data), h.size())
	}
	body = data[len(data)-int(h.bodyLen):]
	if checksum(h.mime, body) != h.crc {
		return nil, "", fmt.Errorf("%w: checksum mismatch", errForeign)
	}
	return body, h.mime, nil
}

// statRendition checks the header and length of the file at path, named
// name, without reading its body: enough to index it at start. The body's
// checksum is verified when it is first read.
func statRendition(path string, name [sha256.Size]byte) (fileHeader, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return fileHeader{}, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fileHeader{}, nil, err
	}
	h, err := readHeader(f, name)
	if err != nil {
		return fileHeader{}, nil, err
	}
	if fi.Size() != h.size() {
		return fileHeader{}, nil, fmt.Errorf("%w: %d bytes, header says %d", errForeign, fi.Size(), h.size())
	}
	return h, fi, nil
}

// parseName returns the digest a cache file name spells, if it is one.
func parseName(s string) ([sha256.Size]byte, bool) {
	var name [sha256.Size]byte
	if len(s) != 2*sha256.Size {
		return name, false
	}
	_, err := hex.Decode(name[:], []byte(s))
	return name, err == nil && hex.EncodeToString(name[:]) == s // lower case only
}
