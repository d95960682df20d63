package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/spf13/pflag"
)

// publishJobFlags are vitrine publish's job flags: with --job (or a
// schedule) the command creates a publish job instead of publishing named
// assets at once.
type publishJobFlags struct {
	job, at, daily, weekly, monthly, rule string
	weekdays                              bool
	typ, to, notify, runAs                string
}

func (p *publishJobFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&p.job, "job", "", "create a publish job with this name (the timestamp is added)")
	fs.StringVar(&p.at, "at", "", "run once at this time: RFC 3339, or 'YYYY-MM-DD HH:MM' in the company's time zone")
	fs.StringVar(&p.daily, "daily", "", "run every day at HH:MM")
	fs.BoolVar(&p.weekdays, "weekdays", false, "with --daily: Monday to Friday only")
	fs.StringVar(&p.weekly, "weekly", "", "run every week: 'WED 10:15'")
	fs.StringVar(&p.monthly, "monthly", "", "run every month: '20 10:15', 'L 10:15', '3 FRI 10:15', 'L FRI 10:15'")
	fs.StringVar(&p.rule, "rule", "", "run on a Quartz rule: '0 15 10 ? * 6L'")
	fs.StringVar(&p.typ, "type", "", "incremental (default), full or full_with_search")
	fs.StringVar(&p.to, "to", "", "publish to one context: image, video or content (default all)")
	fs.StringVar(&p.notify, "notify", "", "HTTP notification URL (a signed POST when the job ends)")
	fs.StringVar(&p.runAs, "run-as", "", "run the job as this company user (admins)")
}

// wanted reports whether the flags ask for a job rather than an immediate
// publication.
func (p *publishJobFlags) wanted() bool {
	return p.job != "" || p.daily != "" || p.weekly != "" || p.monthly != "" || p.rule != "" || p.typ != "" || p.to != "" ||
		p.notify != "" || p.runAs != "" || p.weekdays
}

func (p *publishJobFlags) when() map[string]any {
	w := map[string]any{}
	for k, v := range map[string]string{"at": p.at, "daily": p.daily, "weekly": p.weekly, "monthly": p.monthly, "rule": p.rule} {
		if v != "" {
			w[k] = v
		}
	}
	if p.weekdays {
		w["weekdays_only"] = true
	}
	return w
}

// submit creates the publish job over folders (empty: the whole company).
func (p *publishJobFlags) submit(ctx context.Context, c *client, folders []string, stdout io.Writer, out *output) error {
	opts := map[string]any{"folders": nonNil(folders)}
	for k, v := range map[string]string{"publish_type": p.typ, "to": p.to, "notify_url": p.notify} {
		if v != "" {
			opts[k] = v
		}
	}
	body := map[string]any{"type": "publish", "name": p.job, "when": p.when(), "options": opts}
	if p.runAs != "" {
		body["run_as"] = p.runAs
	}
	var j jobView
	raw, err := c.sendJSON(ctx, http.MethodPost, c.companyURL("/jobs", nil), body, &j)
	if err != nil {
		return err
	}
	return out.print(stdout, raw, func() error { printJob(stdout, &j); return nil })
}

// schedulePublication sends a publication with "at": a one-time job.
func schedulePublication(ctx context.Context, c *client, body map[string]any, at string, stdout io.Writer, out *output) error {
	body["at"] = at
	var res struct{ Job jobView }
	raw, err := c.sendJSON(ctx, http.MethodPost, c.companyURL("/publication", nil), body, &res)
	if err != nil {
		return err
	}
	if out.json {
		return writeRaw(stdout, raw)
	}
	fmt.Fprintf(stdout, "scheduled %s of %s as job %d\n", body["action"], strings.Join(append(body["assets"].([]string), body["folders"].([]string)...), ", "), res.Job.ID)
	printJob(stdout, &res.Job)
	return nil
}
