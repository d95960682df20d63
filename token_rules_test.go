package vitrine

import (
	"testing"
	"time"
)

func TestTokenExpiry(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		days    int
		want    *time.Time
		wantErr bool
	}{
		{0, nil, false},
		{1, ptrTime(now.Add(24 * time.Hour)), false},
		{MaxTokenDays, ptrTime(now.Add(MaxTokenDays * 24 * time.Hour)), false},
		{-1, nil, true},
		{MaxTokenDays + 1, nil, true},
	} {
		got, err := TokenExpiry(now, tc.days)
		if (err != nil) != tc.wantErr || (err != nil && ErrorCode(err) != EINVALID) {
			t.Errorf("TokenExpiry(%d) error = %v, want error %v", tc.days, err, tc.wantErr)
		}
		if (got == nil) != (tc.want == nil) || got != nil && !got.Equal(*tc.want) {
			t.Errorf("TokenExpiry(%d) = %v, want %v", tc.days, got, tc.want)
		}
	}
}

func TestTokenUsable(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		expires *time.Time
		ok      bool
	}{
		{nil, true},
		{ptrTime(now.Add(time.Second)), true},
		{ptrTime(now), false},
		{ptrTime(now.Add(-time.Hour)), false},
	} {
		err := TokenUsable(tc.expires, now)
		if (err == nil) != tc.ok || err != nil && ErrorCode(err) != EUNAUTHORIZED {
			t.Errorf("TokenUsable(%v) = %v, want usable %v", tc.expires, err, tc.ok)
		}
	}
}

func TestTokenUseStale(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		last *time.Time
		want bool
	}{
		{nil, true},
		{ptrTime(now.Add(-TokenUseInterval)), true},
		{ptrTime(now.Add(-TokenUseInterval + time.Second)), false},
		{ptrTime(now), false},
	} {
		if got := TokenUseStale(tc.last, now); got != tc.want {
			t.Errorf("TokenUseStale(%v) = %v, want %v", tc.last, got, tc.want)
		}
	}
}

func ptrTime(t time.Time) *time.Time { return &t }
