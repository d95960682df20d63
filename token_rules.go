package vitrine

import (
	"time"
)

// MaxTokenDays is the longest lifetime a token can be given; a token made
// without a lifetime never expires.
const MaxTokenDays = 3650

// TokenExpiry is when a token made now with a lifetime of days expires:
// nil (never) for 0, an EINVALID error outside 0..MaxTokenDays.
func TokenExpiry(now time.Time, days int) (*time.Time, error) {
	switch {
	case days == 0:
		return nil, nil
	case days < 0 || days > MaxTokenDays:
		return nil, Errorf(EINVALID, "a token's lifetime is 1 to %d days, or 0 for a token that never expires", MaxTokenDays)
	}
	t := now.Add(time.Duration(days) * 24 * time.Hour)
	return &t, nil
}

// TokenUsable reports, as an EUNAUTHORIZED error, that a token expiring at
// expiresAt can no longer be used at now. A nil expiry never expires.
func TokenUsable(expiresAt *time.Time, now time.Time) error {
	if expiresAt != nil && !now.Before(*expiresAt) {
		return Errorf(EUNAUTHORIZED, "this API token expired on %s; make a new one", expiresAt.UTC().Format("2006-01-02 15:04 UTC"))
	}
	return nil
}

// TokenUseInterval is how stale a token's last-used time may get before a
// request records it again: often enough to tell a token in use from a
// forgotten one, rarely enough that requests do not queue on writes.
const TokenUseInterval = time.Minute

// TokenUseStale reports whether a request at now should record the
// token's use, last recorded at last (nil: never).
func TokenUseStale(last *time.Time, now time.Time) bool {
	return last == nil || now.Sub(*last) >= TokenUseInterval
}
