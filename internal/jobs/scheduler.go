package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/cron"
)

// fire decides what a due entry does at now and applies it. An occurrence
// at most MissedGrace old is on time and runs. An older one was missed
// (no server was running): with MissedCatchUpOnce one run stands for all
// the missed occurrences, with MissedSkip none runs; either way the entry
// then moves to its first occurrence after now (JOB-5).
func (e *Engine) fire(ctx context.Context, entry *vitrine.JobRun, now time.Time) error {
	s := entry.Schedule
	if s == nil || s.NextRun == nil {
		return nil
	}
	rule, err := cron.Parse(s.Rule)
	if err != nil {
		return fmt.Errorf("rule %q: %w", s.Rule, err)
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return fmt.Errorf("time zone %q: %w", s.TimeZone, err)
	}
	occ := *s.NextRun
	f := vitrine.Firing{Entry: entry, Occurrence: occ, Run: true, Now: now, RunName: vitrine.JobName(entry.Name, occ.In(loc))}
	if now.Sub(occ) <= e.cfg.MissedGrace {
		if next, ok := rule.Next(occ, loc); ok {
			f.Next = &next
		}
	} else {
		missed := 1
		t := occ
		for missed < 100000 {
			n, ok := rule.Next(t, loc)
			if !ok || n.After(now) {
				break
			}
			missed, t = missed+1, n
		}
		if next, ok := rule.Next(now, loc); ok {
			f.Next = &next
		}
		f.Missed = missed - 1
		if e.cfg.MissedRuns == MissedSkip {
			f.Run, f.Missed = false, missed
		}
		e.log.Info("jobs: missed occurrences", "job", entry.ID, "name", entry.Name, "missed", missed, "policy", e.cfg.MissedRuns)
	}
	run, err := e.db.FireSchedule(ctx, f)
	if err != nil || run == nil {
		return err
	}
	return e.enqueue(ctx, run)
}
