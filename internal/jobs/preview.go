package jobs

import "github.com/vitrine/vitrine"

// Preview is a schedule as Submit would make it from w, with its next n
// run times in the company's time zone (the Publish page shows them as the
// rule is typed). An invalid rule is EINVALID with the parser's message.
func (e *Engine) Preview(p *vitrine.Principal, w When, n int) (*vitrine.Schedule, error) {
	if w.IsNow() {
		return nil, vitrine.Errorf(vitrine.EINVALID, "give one of at, daily, weekly, monthly, rule: a job to run now has no schedule")
	}
	loc := companyLoc(&p.Company)
	s, err := w.Schedule(e.cfg.Now(), loc)
	if err != nil {
		return nil, err
	}
	NextRuns(s, e.cfg.Now(), n)
	for i := range s.NextRuns {
		s.NextRuns[i] = s.NextRuns[i].In(loc)
	}
	if s.NextRun != nil {
		t := s.NextRun.In(loc)
		s.NextRun = &t
	}
	return s, nil
}
