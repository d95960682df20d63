package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/cron"
)

// Submission is a job to create: what, when, as whom (JOB-1, JOB-2, JOB-3).
type Submission struct {
	Type    vitrine.JobType `json:"type"` // publish (default) or upload
	Name    string          `json:"name"` // the user part of the name; the timestamp is added
	When    When            `json:"when"`
	Active  *bool           `json:"active,omitempty"` // a new Scheduled entry starts paused when false
	RunAs   string          `json:"run_as,omitempty"` // a user of the company; default the submitter
	Options Options         `json:"options"`
}

// Submit creates a job: run now (queued at once) or a Scheduled entry.
func (e *Engine) Submit(ctx context.Context, p *vitrine.Principal, s Submission) (*vitrine.JobRun, error) {
	if s.Type == "" {
		s.Type = vitrine.JobPublish
	}
	if err := s.Options.Check(s.Type); err != nil {
		return nil, err
	}
	if s.Type == vitrine.JobUpload && s.Options.Upload.FromDrop {
		if e.cfg.DropRoot == "" {
			return nil, vitrine.Errorf(vitrine.EINVALID, "this server has no drop root (vitrine serve --drop-root)")
		}
		if _, err := dropRel(s.Options.Upload.Drop); err != nil {
			return nil, err
		}
	}
	name, err := cleanJobName(s.Name, s.Type)
	if err != nil {
		return nil, err
	}
	runAs, err := e.runAs(ctx, p, s.RunAs)
	if err != nil {
		return nil, err
	}
	opts, err := json.Marshal(s.Options)
	if err != nil {
		return nil, err
	}
	loc := companyLoc(&p.Company)
	now := e.cfg.Now()
	nj := vitrine.NewJob{CompanyID: p.Company.ID, Type: s.Type, UserID: runAs, SubmittedBy: p.User.ID, Options: string(opts)}
	if s.When.IsNow() {
		nj.Name, nj.Status = vitrine.JobName(name, now.In(loc)), vitrine.JobQueued
		j, err := e.db.CreateJob(ctx, nj)
		if err != nil {
			return nil, err
		}
		return j, e.enqueue(ctx, j)
	}
	sched, err := s.When.Schedule(now, loc)
	if err != nil {
		return nil, err
	}
	if s.Active != nil {
		sched.Active = *s.Active
	}
	nj.Name, nj.Status, nj.Schedule = name, vitrine.JobScheduled, sched
	j, err := e.db.CreateJob(ctx, nj)
	if err != nil {
		return nil, err
	}
	NextRuns(j.Schedule, now, 5)
	return j, nil
}

// SchedulePublication makes a Manage Publication action a one-time job at
// pub.At (SEL-5, POST /publication with "at"); the job applies the same
// request, Exact and Quick included.
func (e *Engine) SchedulePublication(ctx context.Context, p *vitrine.Principal, pub vitrine.Publication) (*vitrine.JobRun, error) {
	return e.Submit(ctx, p, Submission{Type: vitrine.JobPublish, Name: "Publication", When: When{At: pub.At},
		Options: publicationOptions(pub)})
}

func cleanJobName(name string, typ vitrine.JobType) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = strings.ToUpper(string(typ[:1])) + string(typ[1:])
	}
	if len(name) > 100 || strings.ContainsAny(name, "\x00\r\n") {
		return "", vitrine.Errorf(vitrine.EINVALID, "job name must be at most 100 bytes on one line")
	}
	return name, nil
}

// runAs resolves Run Job As: a member of the company; only admins may run
// jobs as someone else, since a job acts with its run-as user's rights.
func (e *Engine) runAs(ctx context.Context, p *vitrine.Principal, name string) (int64, error) {
	if name == "" || name == p.User.Name {
		return p.User.ID, nil
	}
	if err := vitrine.CanRunAs(p, name); err != nil {
		return 0, err
	}
	// One answer for "no such user" and "not a member": user names are
	// global, and another company's users are none of this one's business.
	notMember := vitrine.Errorf(vitrine.EINVALID, "run as: %q is not a user of company %s", name, p.Company.RootID)
	u, err := e.db.UserByName(ctx, name)
	if vitrine.ErrorCode(err) == vitrine.ENOTFOUND {
		return 0, notMember
	} else if err != nil {
		return 0, err
	}
	if _, err := e.db.Principal(ctx, u, p.Company.RootID); err != nil {
		return 0, notMember
	}
	return u.ID, nil
}

func companyLoc(c *vitrine.Company) *time.Location {
	if loc, err := time.LoadLocation(c.Settings.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// Cancel asks a job to stop (JOB-4).
func (e *Engine) Cancel(ctx context.Context, p *vitrine.Principal, id int64) (*vitrine.JobRun, error) {
	j, err := e.db.CancelJob(ctx, p, id)
	if err != nil {
		return nil, err
	}
	if j.Status == vitrine.JobStopping {
		e.jobs.stop(j.ID) // running here: interrupt its current step
	}
	if j.Status.Terminal() {
		// Cancelled before it started: announce it like any other end.
		if err := e.afterJob(ctx, j.ID); err != nil {
			e.log.Error("jobs: after cancel", "job", j.ID, "err", err)
		}
	}
	return j, nil
}

// RunNow runs a Scheduled entry at once (JOB-5).
func (e *Engine) RunNow(ctx context.Context, p *vitrine.Principal, id int64) (*vitrine.JobRun, error) {
	j, err := e.db.Job(ctx, p.Company.ID, id)
	if err != nil {
		return nil, err
	}
	run, err := e.db.RunNow(ctx, p, id, vitrine.JobName(j.Name, e.cfg.Now().In(companyLoc(&p.Company))))
	if err != nil {
		return nil, err
	}
	return run, e.enqueue(ctx, run)
}

// Delete deletes a Scheduled entry or an ended job.
func (e *Engine) Delete(ctx context.Context, p *vitrine.Principal, id int64) error {
	return e.db.DeleteJob(ctx, p, id)
}

// Patch edits a Scheduled entry (JOB-5); nil fields are kept.
type Patch struct {
	Name    *string  `json:"name,omitempty"`
	When    *When    `json:"when,omitempty"`
	Active  *bool    `json:"active,omitempty"` // the Active switch: pause or resume
	RunAs   *string  `json:"run_as,omitempty"`
	Options *Options `json:"options,omitempty"` // replaces the options
}

// Update edits a Scheduled entry. Resuming starts from the first occurrence
// after now: a paused entry does not fire, and does not catch up either.
func (e *Engine) Update(ctx context.Context, p *vitrine.Principal, id int64, in Patch) (*vitrine.JobRun, error) {
	j, err := e.db.Job(ctx, p.Company.ID, id)
	if err != nil {
		return nil, err
	}
	if j.Status != vitrine.JobScheduled {
		return nil, vitrine.Errorf(vitrine.ECONFLICT, "job %d is %s; only scheduled entries can be edited", id, j.Status)
	}
	now := e.cfg.Now()
	var patch vitrine.SchedulePatch
	if in.Name != nil {
		n, err := cleanJobName(*in.Name, j.Type)
		if err != nil {
			return nil, err
		}
		patch.Name = &n
	}
	if in.Options != nil {
		if err := in.Options.Check(j.Type); err != nil {
			return nil, err
		}
		b, err := json.Marshal(in.Options)
		if err != nil {
			return nil, err
		}
		s := string(b)
		patch.Options = &s
	}
	if in.RunAs == nil && in.Options != nil && j.User != p.User.Name {
		// What an entry does is changed under its run-as user's name:
		// that takes the right to run as them (CanRunAs), as choosing
		// them does.
		if _, err := e.runAs(ctx, p, j.User); err != nil {
			return nil, err
		}
	}
	if in.RunAs != nil {
		uid, err := e.runAs(ctx, p, *in.RunAs)
		if err != nil {
			return nil, err
		}
		patch.UserID = &uid
	}
	if in.When != nil {
		if in.When.IsNow() {
			return nil, vitrine.Errorf(vitrine.EINVALID, "a scheduled entry needs a time; use POST /jobs/{id}/run to run it now")
		}
		s, err := in.When.Schedule(now, companyLoc(&p.Company))
		if err != nil {
			return nil, err
		}
		patch.Schedule = s
	}
	if in.Active != nil {
		patch.Active = in.Active
		if *in.Active && !j.Schedule.Active && patch.Schedule == nil {
			next, err := nextAfter(j.Schedule, now)
			if err != nil {
				return nil, err
			}
			patch.NextRun = &next
		}
	}
	out, err := e.db.UpdateSchedule(ctx, p, id, patch)
	if err != nil {
		return nil, err
	}
	NextRuns(out.Schedule, now, 5)
	return out, nil
}

// nextAfter is a schedule's first occurrence after now (nil: none).
func nextAfter(s *vitrine.Schedule, now time.Time) (*time.Time, error) {
	rule, err := cron.Parse(s.Rule)
	if err != nil {
		return nil, fmt.Errorf("rule %q: %w", s.Rule, err)
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return nil, err
	}
	if s.Once && s.NextRun != nil && !s.NextRun.Before(now) {
		return s.NextRun, nil
	}
	if t, ok := rule.Next(now, loc); ok {
		return &t, nil
	}
	return nil, nil
}

// Job returns a job with its next five run times filled in.
func (e *Engine) Job(ctx context.Context, companyID, id int64) (*vitrine.JobRun, error) {
	j, err := e.db.Job(ctx, companyID, id)
	if err != nil {
		return nil, err
	}
	if j.Status == vitrine.JobScheduled {
		NextRuns(j.Schedule, e.cfg.Now(), 5)
	}
	return j, nil
}

// Jobs lists jobs; Scheduled entries get their next five run times.
func (e *Engine) Jobs(ctx context.Context, companyID int64, f vitrine.JobFilter) ([]vitrine.JobRun, error) {
	jobs, err := e.db.Jobs(ctx, companyID, f)
	if err != nil {
		return nil, err
	}
	now := e.cfg.Now()
	for i := range jobs {
		if jobs[i].Status == vitrine.JobScheduled {
			NextRuns(jobs[i].Schedule, now, 5)
		}
	}
	return jobs, nil
}
