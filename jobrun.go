package vitrine

import (
	"encoding/json"
	"time"
)

// JobFilter selects jobs in the History and Scheduled listings (JOB-1).
type JobFilter struct {
	Type      JobType
	Scheduled bool      // the Scheduled tab instead of History
	UserID    int64     // 0: all users; else jobs run as or submitted by this user
	Since     time.Time // zero: no lower bound (created_at)
	Until     time.Time // zero: no upper bound
	Status    JobStatus
	Limit     int
	Before    int64 // the cursor of the next page: jobs with a smaller ID only; 0: from the newest
	After     int64 // the cursor of the previous page: the Limit jobs just newer than this ID (still newest first)
}

// JobLogFilter selects a page of a job's log (the job detail, JOB-1).
type JobLogFilter struct {
	After  int64    // the cursor: entries with a larger ID only
	Levels []string // LogInfo, LogWarning, LogError; empty: every level
	Limit  int      // 1..1000; 0: 200
}

// JobRun is a job as the engine and the Jobs view see it: Job plus
// who submitted it, its schedule and its progress.
type JobRun struct {
	Job
	CompanyID     int64      `json:"-"`
	UserID        int64      `json:"-"` // Run Job As
	SubmittedByID int64      `json:"-"`
	SubmittedBy   string     `json:"submitted_by,omitempty"`
	ScheduleID    *int64     `json:"schedule_id,omitempty"` // the Scheduled entry that fired this run
	Occurrence    *time.Time `json:"occurrence,omitempty"`  // the scheduled time this run is for
	Published     int        `json:"published"`             // assets whose catalog state this job changed
	Message       string     `json:"message,omitempty"`     // why it failed or was skipped
	ResumeAfter   int64      `json:"-"`
	Schedule      *Schedule  `json:"schedule,omitempty"` // Scheduled entries only

	// Result is what the job did beyond its counts, as JSON (maintenance
	// jobs: MaintenanceResult); absent for other jobs.
	Result json.RawMessage `json:"result,omitempty"`
}

// Schedule is when a Scheduled entry fires (JOB-2): a cron rule in a time
// zone, the Active switch and the next run.
type Schedule struct {
	Kind     string      `json:"kind"` // once, daily, weekly, monthly, custom
	Rule     string      `json:"rule"`
	TimeZone string      `json:"time_zone"`
	Active   bool        `json:"active"`
	Once     bool        `json:"once"`
	NextRun  *time.Time  `json:"next_run,omitempty"`
	LastRun  *time.Time  `json:"last_run,omitempty"`
	Missed   int         `json:"missed"`              // occurrences not run while the server was down
	NextRuns []time.Time `json:"next_runs,omitempty"` // filled by the caller (JOB-2: the next five)
}

// NewJob is a job to record: one to run now (Status queued) or a Scheduled
// entry (Status scheduled, with Schedule).
type NewJob struct {
	CompanyID   int64
	Type        JobType
	Name        string
	Status      JobStatus
	UserID      int64 // run as
	SubmittedBy int64
	Options     string // JSON
	Schedule    *Schedule
	ScheduleID  *int64
	Occurrence  *time.Time
}

// WebhookDelivery is one attempt to deliver a job's notification.
type WebhookDelivery struct {
	ID         int64         `json:"id"`
	JobID      int64         `json:"job_id"`
	MessageID  string        `json:"message_id"`
	URL        string        `json:"url"`
	Attempt    int           `json:"attempt"`
	StatusCode int           `json:"status_code,omitempty"`
	Error      string        `json:"error,omitempty"`
	Duration   time.Duration `json:"duration_ns"`
	At         time.Time     `json:"at"`
}

// JobLine is one line of a job log recorded after the fact.
type JobLine struct {
	Asset   string
	Level   string
	Message string
}

// Firing is what the scheduler decided for one due occurrence of an entry.
type Firing struct {
	Entry      *JobRun
	Occurrence time.Time  // the next_run the decision was made on
	Next       *time.Time // the entry's next run after this one; nil: none
	Run        bool       // false: the occurrence is skipped (missed-run policy)
	Missed     int        // occurrences that passed unrun
	RunName    string     // the run's job name (Name_YYYY-MM-DD-HH:MM:SS)
	Now        time.Time
}

// SchedulePatch changes a Scheduled entry (JOB-5); nil fields are kept.
type SchedulePatch struct {
	Name     *string
	Options  *string
	UserID   *int64
	Schedule *Schedule // kind, rule, time zone and next run, computed by the caller
	Active   *bool
	NextRun  **time.Time // with Active: where the schedule resumes
}

// JobDateRange reads the Jobs view's Date Range (JOB-1): rng is today,
// week (the previous 7 days) or month (the previous month), or ""; since
// and until are RFC 3339 times or YYYY-MM-DD dates and win over rng.
// Zero times are open ends.
func JobDateRange(rng, since, until string, now time.Time) (time.Time, time.Time, error) {
	var from, to time.Time
	switch rng {
	case "":
	case "today":
		from = now.Truncate(24 * time.Hour)
	case "week":
		from = now.AddDate(0, 0, -7)
	case "month":
		from = now.AddDate(0, -1, 0)
	default:
		return from, to, Errorf(EINVALID, "range must be today, week or month")
	}
	for _, p := range []struct {
		s string
		t *time.Time
	}{{since, &from}, {until, &to}} {
		if p.s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, p.s)
		if err != nil {
			if t, err = time.Parse("2006-01-02", p.s); err != nil {
				return from, to, Errorf(EINVALID, "since and until are RFC 3339 times or YYYY-MM-DD dates")
			}
		}
		*p.t = t
	}
	return from, to, nil
}

// CheckKinds refuses a filter on a job type or status that no job has:
// such a filter would find nothing, when the caller meant something else
// (a misspelt "succeded"). Empty fields filter nothing.
func (f JobFilter) CheckKinds() error {
	switch f.Type {
	case "", JobUpload, JobPublish, JobInvalidate, JobNotify, JobMaintenance:
	default:
		return Errorf(EINVALID, "type %q: one of upload, publish, invalidate, notify, maintenance", f.Type)
	}
	switch f.Status {
	case "", JobScheduled, JobQueued, JobRunning, JobStopping, JobSucceeded, JobSucceededWithWarnings, JobFailed, JobCancelled:
	default:
		return Errorf(EINVALID, "status %q: one of scheduled, queued, running, stopping, succeeded, succeeded_with_warnings, failed, cancelled", f.Status)
	}
	return nil
}
