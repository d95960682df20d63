// Package vitrine is the domain of the Vitrine publishing and delivery server:
// companies, users, folders, assets and their versions, publish intent, the
// delivery catalog, history and jobs. It holds no SQL and no HTTP; the
// packages under internal/ implement it for one technology each.
package vitrine

import (
	"errors"
	"fmt"
)

// Error codes. One table in internal/api maps each to an HTTP status.
const (
	EINVALID      = "invalid"            // bad input
	ENOTFOUND     = "not_found"          // no such object (or not visible to the caller)
	ECONFLICT     = "conflict"           // state forbids it (duplicate id, trashed asset, …)
	EUNAUTHORIZED = "unauthorized"       // no or bad credentials
	EFORBIDDEN    = "forbidden"          // authenticated but not allowed
	ETOOLARGE     = "too_large"          // body, file or image above a limit
	EUNSUPPORTED  = "unsupported"        // file type outside the allow-list
	EUNAVAILABLE  = "unavailable"        // overloaded; retry later
	EINTERNAL     = "internal"           // a bug or an infrastructure failure
	ENOTPUBLISHED = "not_published"      // delivery: not in the catalog
	EMETHOD       = "method_not_allowed" // the path exists, with other methods

	EINSUFFICIENTSTORAGE = "insufficient_storage" // disk full or quota exhausted
)

// Error is a domain error: a code for programs and a message safe to show a
// user. Anything that is not an *Error is reported as EINTERNAL with a
// generic message, and logged.
type Error struct {
	Code    string
	Message string
	// Details lists per-item problems (for example the assets a batch refused).
	Details []ErrorDetail
}

// ErrorDetail names one item of a batch and what is wrong with it.
type ErrorDetail struct {
	Item    string `json:"item"`
	Message string `json:"message"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("vitrine error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return "" // before errors.As: its target escapes, a nil error need not pay for it
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, or a
// generic message for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorDetails returns the per-item details of the first *Error in err's chain.
func ErrorDetails(err error) []ErrorDetail {
	var e *Error
	if errors.As(err, &e) {
		return e.Details
	}
	return nil
}
