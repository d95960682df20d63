package api

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/vitrine/vitrine"
)

// codeStatus maps domain error codes to HTTP statuses: the one table.
var codeStatus = map[string]int{
	vitrine.EINVALID:             http.StatusBadRequest,
	vitrine.EUNAUTHORIZED:        http.StatusUnauthorized,
	vitrine.EFORBIDDEN:           http.StatusForbidden,
	vitrine.ENOTFOUND:            http.StatusNotFound,
	vitrine.ECONFLICT:            http.StatusConflict,
	vitrine.ETOOLARGE:            http.StatusRequestEntityTooLarge,
	vitrine.EUNSUPPORTED:         http.StatusUnsupportedMediaType,
	vitrine.EUNAVAILABLE:         http.StatusServiceUnavailable,
	vitrine.ENOTPUBLISHED:        http.StatusForbidden,
	vitrine.EINTERNAL:            http.StatusInternalServerError,
	vitrine.ETHROTTLED:           http.StatusTooManyRequests,
	vitrine.EMETHOD:              http.StatusMethodNotAllowed,
	vitrine.EINSUFFICIENTSTORAGE: http.StatusInsufficientStorage,
	vitrine.ELENGTHREQUIRED:      http.StatusLengthRequired,
}

// ErrorStatus returns the HTTP status for an error's code.
func ErrorStatus(err error) int {
	if s, ok := codeStatus[vitrine.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

type errorBody struct {
	Error errorPayload `json:"error"`
}

type errorPayload struct {
	Code    string                `json:"code"`
	Message string                `json:"message"`
	Details []vitrine.ErrorDetail `json:"details,omitempty"`
}

// writeError writes err as {"error":{"code","message"}} and logs internal
// errors, once, here at the edge.
func writeError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := vitrine.ErrorCode(err)
	if code == vitrine.EINTERNAL {
		log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	status := ErrorStatus(err)
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	writeJSON(w, status, errorBody{errorPayload{Code: code, Message: vitrine.ErrorMessage(err), Details: vitrine.ErrorDetails(err)}})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if body != nil {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(body)
	}
}
