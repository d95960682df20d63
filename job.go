package vitrine

import (
	"encoding/json"
	"time"
)

// JobType is the kind of work a job does.
type JobType string

const (
	JobUpload     JobType = "upload"
	JobPublish    JobType = "publish"
	JobInvalidate JobType = "invalidate"
	JobNotify     JobType = "notify"
)

// JobStatus values (JOB-8).
type JobStatus string

const (
	JobScheduled             JobStatus = "scheduled"
	JobQueued                JobStatus = "queued"
	JobRunning               JobStatus = "running"
	JobStopping              JobStatus = "stopping"
	JobSucceeded             JobStatus = "succeeded"
	JobSucceededWithWarnings JobStatus = "succeeded_with_warnings"
	JobFailed                JobStatus = "failed"
	JobCancelled             JobStatus = "cancelled"
)

// Terminal reports whether a job in status s has ended.
func (s JobStatus) Terminal() bool {
	switch s {
	case JobSucceeded, JobSucceededWithWarnings, JobFailed, JobCancelled:
		return true
	}
	return false
}

// Job is a unit of background work with a history (JOB-1).
type Job struct {
	ID         int64           `json:"id"`
	Type       JobType         `json:"type"`
	Name       string          `json:"name"`
	Status     JobStatus       `json:"status"`
	User       string          `json:"user,omitempty"`
	Options    json.RawMessage `json:"options,omitempty"`
	Total      int             `json:"total"`
	Done       int             `json:"done"`
	Warnings   int             `json:"warnings"`
	Errors     int             `json:"errors"`
	CreatedAt  time.Time       `json:"created_at"`
	StartedAt  *time.Time      `json:"started_at,omitempty"`
	FinishedAt *time.Time      `json:"finished_at,omitempty"`
}

// JobName returns a job name: the user's part and a timestamp (JOB-1).
func JobName(user string, t time.Time) string {
	if user == "" {
		user = "Job"
	}
	return user + "_" + t.Format("2006-01-02-15:04:05")
}

// Log levels of job log entries.
const (
	LogInfo    = "info"
	LogWarning = "warning"
	LogError   = "error"
)

// JobLogEntry is one line of a job's per-asset log.
type JobLogEntry struct {
	ID      int64     `json:"id"`
	Asset   string    `json:"asset,omitempty"`
	Level   string    `json:"level"`
	Message string    `json:"message"`
	At      time.Time `json:"at"`
}

// JobFinalStatus is the status a job ends with (JOB-8): cancelled when it
// was stopping; the status given when there is one (failed with a
// message, say); failed when every file or asset failed; with warnings
// when anything warned or failed; else succeeded.
func JobFinalStatus(current, given JobStatus, total, done, warnings, errors int) JobStatus {
	switch {
	case current == JobStopping:
		return JobCancelled
	case given != "":
		return given
	case errors > 0 && done == 0 && total > 0:
		return JobFailed
	case warnings > 0 || errors > 0:
		return JobSucceededWithWarnings
	}
	return JobSucceeded
}
