package jobs

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/cron"
)

// Publish types (JOB-3).
const (
	PublishIncremental    = "incremental"
	PublishFull           = "full"
	PublishFullWithSearch = "full_with_search"
)

// Follow-on options of an upload job (JOB-6, UP-1).
const (
	FollowNone    = "none"
	FollowHTTP    = "http"
	FollowPublish = "publish"
)

// Options are a job's settings, stored with it as JSON.
type Options struct {
	// Publish jobs (JOB-3).
	To          vitrine.Context `json:"to,omitempty"`           // one context; "" for all
	Folders     []string        `json:"folders,omitempty"`      // scope; empty for the whole company
	PublishType string          `json:"publish_type,omitempty"` // incremental (default), full, full_with_search

	// A scheduled Manage Publication action (SEL-5): when set, the job
	// applies the action to Assets and Folders instead of publishing intent.
	// Exact and Quick are the publication's (vitrine.Publication).
	Action vitrine.Action `json:"action,omitempty"`
	Assets []string       `json:"assets,omitempty"`
	Exact  bool           `json:"exact,omitempty"`
	Quick  bool           `json:"quick,omitempty"`

	// NotifyURL gets a signed POST when the job ends (JOB-6).
	NotifyURL string `json:"notify_url,omitempty"`

	// Upload jobs (UP-1).
	Upload *UploadOptions `json:"upload,omitempty"`
}

// UploadOptions are the settings of an upload job: from a URL list or from
// a drop folder under the server's drop root.
type UploadOptions struct {
	URLs      []string `json:"urls,omitempty"`
	Drop      string   `json:"drop,omitempty"` // a folder under DROP_ROOT/<company>; "" for the company's drop folder itself
	FromDrop  bool     `json:"from_drop,omitempty"`
	Folder    string   `json:"folder,omitempty"`
	Publish   *bool    `json:"publish,omitempty"` // Publish After Uploading; nil: the folder's default (UP-2)
	Overwrite string   `json:"overwrite,omitempty"`
	// Follow is none, http (a signed POST to FollowURL) or publish (a
	// publish job named Pub_<upload job name>).
	Follow            string `json:"follow,omitempty"`
	FollowURL         string `json:"follow_url,omitempty"`
	FollowOnlyIfFiles bool   `json:"follow_only_if_files,omitempty"`
}

// Check validates and normalises options for a job of type typ.
func (o *Options) Check(typ vitrine.JobType) error {
	if o.To != "" && !o.To.Valid() {
		return vitrine.Errorf(vitrine.EINVALID, "to %q is not one of image, video, content", o.To)
	}
	for i, f := range o.Folders {
		p, err := vitrine.CleanFolderPath(f)
		if err != nil {
			return err
		}
		o.Folders[i] = p
	}
	if err := checkURL("notify_url", o.NotifyURL); err != nil {
		return err
	}
	switch typ {
	case vitrine.JobPublish:
		if o.Upload != nil {
			return vitrine.Errorf(vitrine.EINVALID, "upload options belong to upload jobs")
		}
		switch o.PublishType {
		case "":
			o.PublishType = PublishIncremental
		case PublishIncremental, PublishFull, PublishFullWithSearch:
		default:
			return vitrine.Errorf(vitrine.EINVALID, "publish_type %q is not one of incremental, full, full_with_search", o.PublishType)
		}
		if o.Action != "" && !o.Action.Valid() {
			return vitrine.Errorf(vitrine.EINVALID, "action %q is not one of publish, unpublish, publish_delivery, unpublish_delivery", o.Action)
		}
		if o.Action != "" && len(o.Assets)+len(o.Folders) == 0 {
			return vitrine.Errorf(vitrine.EINVALID, "a publication action needs assets or folders")
		}
	case vitrine.JobUpload:
		u := o.Upload
		if u == nil || (len(u.URLs) == 0 && !u.FromDrop) {
			return vitrine.Errorf(vitrine.EINVALID, "an upload job needs upload.urls or upload.from_drop")
		}
		if len(u.URLs) > 10000 {
			return vitrine.Errorf(vitrine.EINVALID, "at most 10000 URLs per upload job")
		}
		for _, x := range u.URLs {
			if err := checkURL("upload.urls", x); err != nil {
				return err
			}
		}
		if strings.Contains(u.Drop, "..") || strings.HasPrefix(u.Drop, "/") {
			return vitrine.Errorf(vitrine.EINVALID, "upload.drop must be a relative folder without '..'")
		}
		p, err := vitrine.CleanFolderPath(u.Folder)
		if err != nil {
			return err
		}
		u.Folder = p
		if u.Overwrite != "" && !vitrine.ValidOverwrite(u.Overwrite) {
			return vitrine.Errorf(vitrine.EINVALID, "overwrite %q is not a known mode", u.Overwrite)
		}
		switch u.Follow {
		case "", FollowNone, FollowPublish:
		case FollowHTTP:
			if u.FollowURL == "" {
				return vitrine.Errorf(vitrine.EINVALID, "follow http needs follow_url")
			}
		default:
			return vitrine.Errorf(vitrine.EINVALID, "follow %q is not one of none, http, publish", u.Follow)
		}
		if err := checkURL("follow_url", u.FollowURL); err != nil {
			return err
		}
	default:
		return vitrine.Errorf(vitrine.EINVALID, "job type %q cannot be submitted; use publish or upload", typ)
	}
	return nil
}

func checkURL(field, s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return vitrine.Errorf(vitrine.EINVALID, "%s %q must be an absolute http or https URL", field, s)
	}
	return nil
}

// publicationOptions stores a publication as a job's options, and
// publication reads it back: the one place each way, so no field is lost
// between the request and the job (a test round-trips every field).
func publicationOptions(pub vitrine.Publication) Options {
	return Options{Action: pub.Action, Assets: pub.Assets, Folders: pub.Folders, Exact: pub.Exact, Quick: pub.Quick}
}

// publication is the publication a scheduled job applies; jobID marks its
// history rows and makes the catalog follow at once (the job is the publish).
func (o *Options) publication(jobID int64) vitrine.Publication {
	return vitrine.Publication{Action: o.Action, Assets: o.Assets, Folders: o.Folders, Exact: o.Exact, Quick: o.Quick, JobID: jobID}
}

// scope returns what a publish job covers.
func (o *Options) scope() vitrine.PublishScope {
	s := vitrine.PublishScope{To: o.To, Folders: o.Folders, Mode: vitrine.ReconcileIncremental}
	if o.PublishType == PublishFull || o.PublishType == PublishFullWithSearch {
		// full_with_search is a full publish, then the search data (worker).
		s.Mode = vitrine.ReconcileFull
	}
	return s
}

func decodeOptions(raw []byte) (*Options, error) {
	o := &Options{}
	if len(raw) == 0 {
		return o, nil
	}
	if err := json.Unmarshal(raw, o); err != nil {
		return nil, fmt.Errorf("job options: %w", err)
	}
	return o, nil
}

// When says when a job runs (JOB-2). All empty: now. Exactly one of the
// fields may be set; each becomes a Quartz-style rule in the company's
// time zone.
type When struct {
	At           string `json:"at,omitempty"`            // RFC 3339, or "2006-01-02 15:04" in the company's zone: once, later
	Daily        string `json:"daily,omitempty"`         // "10:15"
	WeekdaysOnly bool   `json:"weekdays_only,omitempty"` // with daily
	Weekly       string `json:"weekly,omitempty"`        // "WED 10:15"
	Monthly      string `json:"monthly,omitempty"`       // "20 10:15", "L 10:15", "3 FRI 10:15", "L FRI 10:15"
	Rule         string `json:"rule,omitempty"`          // custom: "0 15 10 ? * 6L"
}

// IsNow reports whether w asks for a run now.
func (w When) IsNow() bool {
	return w.At == "" && w.Daily == "" && w.Weekly == "" && w.Monthly == "" && w.Rule == ""
}

// Schedule turns w into a schedule in loc, with its next run after now.
func (w When) Schedule(now time.Time, loc *time.Location) (*vitrine.Schedule, error) {
	set := 0
	for _, v := range []string{w.At, w.Daily, w.Weekly, w.Monthly, w.Rule} {
		if v != "" {
			set++
		}
	}
	if set != 1 {
		return nil, vitrine.Errorf(vitrine.EINVALID, "give exactly one of at, daily, weekly, monthly, rule")
	}
	s := &vitrine.Schedule{TimeZone: loc.String(), Active: true}
	var err error
	switch {
	case w.At != "":
		s.Kind, s.Once = "once", true
		t, perr := parseAt(w.At, loc)
		if perr != nil {
			return nil, perr
		}
		if t.Before(now.Add(-time.Minute)) {
			return nil, vitrine.Errorf(vitrine.EINVALID, "at %s is in the past; leave it out to run now", w.At)
		}
		if t.Before(now) {
			t = now
		}
		s.Rule = cron.OnceAt(t, loc)
	case w.Daily != "":
		s.Kind = "daily"
		h, m, perr := clock(w.Daily)
		s.Rule, err = cron.Daily(h, m, w.WeekdaysOnly), perr
	case w.Weekly != "":
		s.Kind = "weekly"
		s.Rule, err = weekly(w.Weekly)
	case w.Monthly != "":
		s.Kind = "monthly"
		s.Rule, err = monthly(w.Monthly)
	default:
		s.Kind, s.Rule = "custom", strings.TrimSpace(w.Rule)
	}
	if err != nil {
		return nil, err
	}
	rule, err := cron.Parse(s.Rule)
	if err != nil {
		return nil, vitrine.Errorf(vitrine.EINVALID, "rule %q: %v", s.Rule, err)
	}
	// A once rule fires at its own second: look from just before it.
	from := now
	if s.Once {
		from = now.Add(-time.Second)
	}
	next, ok := rule.Next(from, loc)
	if !ok {
		return nil, vitrine.Errorf(vitrine.EINVALID, "rule %q never fires after %s", s.Rule, now.In(loc).Format(time.RFC3339))
	}
	s.NextRun = &next
	return s, nil
}

func parseAt(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, vitrine.Errorf(vitrine.EINVALID, "at %q: use RFC 3339 (2026-11-27T09:30:00Z) or 2026-11-27 09:30 in the company's time zone", s)
}

func clock(s string) (int, int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, 0, vitrine.Errorf(vitrine.EINVALID, "time %q must be HH:MM (24-hour)", s)
	}
	return hh, mm, nil
}

var weekdays = map[string]time.Weekday{"SUN": time.Sunday, "MON": time.Monday, "TUE": time.Tuesday, "WED": time.Wednesday,
	"THU": time.Thursday, "FRI": time.Friday, "SAT": time.Saturday}

func weekday(s string) (time.Weekday, error) {
	d, ok := weekdays[strings.ToUpper(s)]
	if !ok {
		return 0, vitrine.Errorf(vitrine.EINVALID, "day %q must be one of SUN MON TUE WED THU FRI SAT", s)
	}
	return d, nil
}

// weekly parses "WED 10:15", or several days: "MON,WED,FRI 10:15".
func weekly(s string) (string, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return "", vitrine.Errorf(vitrine.EINVALID, "weekly %q must be DAY HH:MM, like WED 10:15 or MON,WED 10:15", s)
	}
	var days []time.Weekday
	for _, name := range strings.Split(f[0], ",") {
		d, err := weekday(name)
		if err != nil {
			return "", err
		}
		days = append(days, d)
	}
	h, m, err := clock(f[1])
	return cron.Weekly(days[0], h, m, days[1:]...), err
}

// monthly parses "20 10:15" (day of month), "L 10:15" (last day),
// "3 FRI 10:15" (third Friday) and "L FRI 10:15" (last Friday).
func monthly(s string) (string, error) {
	f := strings.Fields(s)
	bad := vitrine.Errorf(vitrine.EINVALID, "monthly %q must be DAY HH:MM (DAY 1-31 or L) or N WEEKDAY HH:MM (N 1-5 or L)", s)
	n := -1
	if len(f) < 2 || len(f) > 3 {
		return "", bad
	}
	if f[0] != "L" && f[0] != "l" {
		var err error
		if n, err = strconv.Atoi(f[0]); err != nil {
			return "", bad
		}
	}
	h, m, err := clock(f[len(f)-1])
	if err != nil {
		return "", err
	}
	if len(f) == 2 {
		if n != -1 && (n < 1 || n > 31) {
			return "", bad
		}
		return cron.MonthlyDay(n, h, m), nil
	}
	if n != -1 && (n < 1 || n > 5) {
		return "", bad
	}
	d, err := weekday(f[1])
	if err != nil {
		return "", err
	}
	return cron.MonthlyNth(n, d, h, m), nil
}

// NextRuns fills s.NextRuns with the next n run times after now (JOB-2).
func NextRuns(s *vitrine.Schedule, now time.Time, n int) {
	if s == nil || s.NextRun == nil {
		return
	}
	rule, err := cron.Parse(s.Rule)
	loc, lerr := time.LoadLocation(s.TimeZone)
	if err != nil || lerr != nil {
		return
	}
	s.NextRuns = append([]time.Time{*s.NextRun}, rule.NextN(*s.NextRun, loc, n-1)...)
}
