package ui

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
)

// The "when" part of the job forms (JOB-2): one time now or later, or
// recurring from a builder (daily, weekly, monthly) or a custom Quartz
// rule. The form becomes a jobs.When, which the engine turns into a rule
// as it does for the API; the next five run times come from the engine's
// Preview, the same as POST /jobs/preview.

// whenForm is the schedule fields of a job form, as typed.
type whenForm struct {
	Mode           string // now, later, recurring
	At             string // datetime-local, in the company's time zone
	Kind           string // daily, weekly, monthly, custom
	DailyTime      string
	WeekdaysOnly   bool
	WeeklyDays     []string // MON, TUE, …
	WeeklyTime     string
	MonthlyBy      string // day (of month) or nth (weekday)
	MonthlyDay     string // 1-31 or L
	MonthlyNth     string // 1-5 or L
	MonthlyWeekday string
	MonthlyTime    string
	Rule           string
}

// dayNames are the days of the week as the rules name them, Monday first.
var dayNames = []struct{ Value, Label string }{
	{"MON", "Monday"}, {"TUE", "Tuesday"}, {"WED", "Wednesday"}, {"THU", "Thursday"},
	{"FRI", "Friday"}, {"SAT", "Saturday"}, {"SUN", "Sunday"},
}

// defaultWhen is a new form's schedule: now, with builders ready to pick.
func defaultWhen() whenForm {
	return whenForm{Mode: "now", Kind: "weekly", DailyTime: "09:00", WeeklyDays: []string{"MON"}, WeeklyTime: "09:00",
		MonthlyBy: "day", MonthlyDay: "1", MonthlyNth: "1", MonthlyWeekday: "MON", MonthlyTime: "09:00"}
}

// readWhen reads the schedule fields of a submitted form.
func readWhen(f url.Values) whenForm {
	return whenForm{
		Mode: f.Get("when"), At: f.Get("at"), Kind: f.Get("kind"),
		DailyTime: f.Get("daily_time"), WeekdaysOnly: f.Get("weekdays_only") != "",
		WeeklyDays: f["weekly_day"], WeeklyTime: f.Get("weekly_time"),
		MonthlyBy: f.Get("monthly_by"), MonthlyDay: f.Get("monthly_day"), MonthlyNth: f.Get("monthly_nth"),
		MonthlyWeekday: f.Get("monthly_weekday"), MonthlyTime: f.Get("monthly_time"),
		Rule: strings.TrimSpace(f.Get("rule")),
	}
}

// when is the form's jobs.When; the engine checks what it says.
func (w whenForm) when() (jobs.When, error) {
	switch w.Mode {
	case "", "now":
		return jobs.When{}, nil
	case "later":
		if w.At == "" {
			return jobs.When{}, vitrine.Errorf(vitrine.EINVALID, "choose a date and time for the job")
		}
		return jobs.When{At: w.At}, nil
	case "recurring":
	default:
		return jobs.When{}, vitrine.Errorf(vitrine.EINVALID, "choose when the job runs: now, later or recurring")
	}
	switch w.Kind {
	case "daily":
		return jobs.When{Daily: w.DailyTime, WeekdaysOnly: w.WeekdaysOnly}, nil
	case "weekly":
		if len(w.WeeklyDays) == 0 {
			return jobs.When{}, vitrine.Errorf(vitrine.EINVALID, "choose at least one day of the week")
		}
		return jobs.When{Weekly: strings.Join(w.WeeklyDays, ",") + " " + w.WeeklyTime}, nil
	case "monthly":
		if w.MonthlyBy == "nth" {
			return jobs.When{Monthly: w.MonthlyNth + " " + w.MonthlyWeekday + " " + w.MonthlyTime}, nil
		}
		return jobs.When{Monthly: w.MonthlyDay + " " + w.MonthlyTime}, nil
	case "custom":
		if w.Rule == "" {
			return jobs.When{}, vitrine.Errorf(vitrine.EINVALID, "type a rule: sec min hour day-of-month month day-of-week [year]")
		}
		return jobs.When{Rule: w.Rule}, nil
	}
	return jobs.When{}, vitrine.Errorf(vitrine.EINVALID, "choose how the job recurs: daily, weekly, monthly or custom")
}

// whenFormOf is the form showing jobs.When w (the Edit form).
func whenFormOf(w jobs.When) whenForm {
	f := defaultWhen()
	switch {
	case w.At != "":
		f.Mode, f.At = "later", strings.Replace(w.At, " ", "T", 1)
	case w.Daily != "":
		f.Mode, f.Kind, f.DailyTime, f.WeekdaysOnly = "recurring", "daily", w.Daily, w.WeekdaysOnly
	case w.Weekly != "":
		days, at, _ := strings.Cut(w.Weekly, " ")
		f.Mode, f.Kind, f.WeeklyDays, f.WeeklyTime = "recurring", "weekly", strings.Split(days, ","), at
	case w.Monthly != "":
		f.Mode, f.Kind = "recurring", "monthly"
		p := strings.Fields(w.Monthly)
		if len(p) == 3 {
			f.MonthlyBy, f.MonthlyNth, f.MonthlyWeekday, f.MonthlyTime = "nth", p[0], p[1], p[2]
		} else if len(p) == 2 {
			f.MonthlyBy, f.MonthlyDay, f.MonthlyTime = "day", p[0], p[1]
		}
	case w.Rule != "":
		f.Mode, f.Kind, f.Rule = "recurring", "custom", w.Rule
	}
	return f
}

// HasDay reports whether day is one of the weekly days (the template's
// checkboxes).
func (w whenForm) HasDay(day string) bool {
	for _, d := range w.WeeklyDays {
		if d == day {
			return true
		}
	}
	return false
}

// whenView is what the schedule fields draw: the form, the choices and the
// preview.
type whenView struct {
	Form    whenForm
	Zone    string
	Days    []struct{ Value, Label string }
	DaysOfM []string // 1…31
	Preview *previewView
}

// previewView is the next five run times of the form's schedule, or why
// there are none.
type previewView struct {
	Runs  []runTime
	Rule  string
	Zone  string
	Error string
	Now   bool // the job runs now: nothing to preview
}

type runTime struct {
	RFC3339 string // as the API gives it
	Text    string
}

func newWhenView(p *vitrine.Principal, f whenForm) whenView {
	days := make([]string, 31)
	for i := range days {
		days[i] = itoa(i + 1)
	}
	return whenView{Form: f, Zone: zoneOf(p), Days: dayNames, DaysOfM: days}
}

// zoneOf is the company's time zone, as the engine reads it.
func zoneOf(p *vitrine.Principal) string {
	if _, err := time.LoadLocation(p.Company.Settings.TimeZone); err != nil || p.Company.Settings.TimeZone == "" {
		return "UTC"
	}
	return p.Company.Settings.TimeZone
}

// preview asks the engine for the next five run times of f.
func (s *Server) preview(r *http.Request, p *vitrine.Principal, f whenForm) *previewView {
	pv := &previewView{Zone: zoneOf(p)}
	w, err := f.when()
	if err == nil && w.IsNow() {
		pv.Now = true
		return pv
	}
	if err != nil {
		pv.Error = s.errorText(r, err)
		return pv
	}
	if s.jobs == nil {
		pv.Error = vitrine.ErrorMessage(errNoEngine)
		return pv
	}
	sched, err := s.jobs.Preview(p, w, 5)
	if err != nil {
		pv.Error = s.errorText(r, err)
		return pv
	}
	pv.Rule = sched.Rule
	for _, t := range sched.NextRuns {
		pv.Runs = append(pv.Runs, runTime{RFC3339: t.Format(time.RFC3339), Text: t.Format("Mon 2 Jan 2006, 15:04")})
	}
	return pv
}

// inZone formats t in the company's time zone; nil is "".
func inZone(t *time.Time, p *vitrine.Principal) string {
	if t == nil {
		return ""
	}
	loc, err := time.LoadLocation(zoneOf(p))
	if err != nil {
		loc = time.UTC
	}
	return t.In(loc).Format("Mon 2 Jan 2006, 15:04")
}
