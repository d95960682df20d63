package jobs

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// WhenOf is the When that makes schedule s: the builder a Scheduled entry
// was made with (daily, weekly, monthly), read back from its rule so an
// edit form can show it; a rule no builder makes comes back as Rule.
func WhenOf(s *vitrine.Schedule) When {
	if s == nil {
		return When{}
	}
	if s.Once && s.NextRun != nil {
		loc, err := time.LoadLocation(s.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		return When{At: s.NextRun.In(loc).Format("2006-01-02 15:04")}
	}
	custom := When{Rule: s.Rule}
	f := strings.Fields(s.Rule)
	if len(f) != 6 || f[0] != "0" || f[4] != "*" {
		return custom
	}
	h, err1 := strconv.Atoi(f[2])
	m, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil {
		return custom
	}
	at := fmt.Sprintf("%02d:%02d", h, m)
	dom, dow := f[3], f[5]
	var w When
	switch s.Kind {
	case "daily":
		w = When{Daily: at, WeekdaysOnly: dow == "MON-FRI"}
	case "weekly":
		w = When{Weekly: dow + " " + at}
	case "monthly":
		switch {
		case dom != "?":
			w = When{Monthly: dom + " " + at}
		case strings.HasSuffix(dow, "L") && len(dow) == 2:
			w = When{Monthly: "L " + quartzDay(dow[:1]) + " " + at}
		case len(dow) == 3 && dow[1] == '#':
			w = When{Monthly: dow[2:] + " " + quartzDay(dow[:1]) + " " + at}
		}
	}
	// Only a When that makes the same rule again is the builder's.
	if w.IsNow() {
		return custom
	}
	if again, err := w.Schedule(time.Now(), time.UTC); err != nil || again.Rule != s.Rule {
		return custom
	}
	return w
}

// quartzDay names a Quartz day-of-week number (1 = Sunday).
func quartzDay(n string) string {
	d, err := strconv.Atoi(n)
	if err != nil || d < 1 || d > 7 {
		return n
	}
	return strings.ToUpper(time.Weekday(d - 1).String()[:3])
}
