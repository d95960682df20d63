package media

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	vitrine "github.com/vitrine/vitrine"
)

// notAllowed refuses a file whose type was recognised but is outside the
// allow-list, naming it so the user knows what Vitrine saw.
func notAllowed(mime string) error {
	return vitrine.Errorf(vitrine.EUNSUPPORTED, "file type %s is not allowed; allowed: %s", mime, allowedNames)
}

// notRecognized refuses a file with no known signature.
func notRecognized() error {
	return vitrine.Errorf(vitrine.EUNSUPPORTED, "file type is not recognized; allowed: %s", allowedNames)
}

// corrupt reports a header that is present but wrong.
func corrupt(format, msg string, args ...any) error {
	return vitrine.Errorf(vitrine.EINVALID, "corrupt %s header: %s", format, fmt.Sprintf(msg, args...))
}

// truncated turns the end-of-data error of source.at into the user-facing
// "truncated X header", and passes real read errors through unchanged so
// they surface as internal errors rather than as the user's fault.
func truncated(format string, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return vitrine.Errorf(vitrine.EINVALID, "truncated %s header", format)
	}
	return err
}

// errShort marks data that ends before a header does; truncated turns it
// into the user-facing error.
var errShort = io.ErrUnexpectedEOF

// quoteShort quotes a value read from a file for an error message, cut so
// a hostile file cannot fill the message.
func quoteShort(s string) string {
	if len(s) > 32 {
		s = s[:32] + "…"
	}
	return strconv.Quote(s)
}
