package jobs

import (
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// TestNotifyRetryTiming: with a fixed clock and jitter source, the retry
// of attempt n is at now + base·2^(n-1) (capped), half fixed and half
// jitter (JOB-6).
func TestNotifyRetryTiming(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		attempt int
		rnd     float64
		want    time.Duration
	}{
		{1, 0, 2500 * time.Millisecond},   // 5s: half of it, no jitter
		{1, 0.999999, 5 * time.Second},    // at most the full 5s
		{2, 0.5, 7500 * time.Millisecond}, // 10s: 5s + 2.5s
		{4, 0, 20 * time.Second},          // 40s
		{11, 0, 30 * time.Minute},         // 5s·1024 capped at 1h
		{60, 0, 30 * time.Minute},         // no overflow
	} {
		cfg := DefaultConfig()
		cfg.Now, cfg.Rand = func() time.Time { return now }, func() float64 { return tc.rnd }
		w := &notifyWorker{e: &Engine{cfg: cfg}}
		got := w.NextRetry(&river.Job[notifyArgs]{JobRow: &rivertype.JobRow{Attempt: tc.attempt}})
		if d := got.Sub(now); d < tc.want-time.Millisecond || d > tc.want+time.Millisecond {
			t.Errorf("attempt %d, jitter %v: retry in %s, want %s", tc.attempt, tc.rnd, d, tc.want)
		}
	}
}
