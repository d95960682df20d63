package main

import (
	"context"
	"flag"
	"log/slog"
	"strconv"
	"time"

	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
)

// jobServeConfig is the job engine's part of vitrine serve's flags.
type jobServeConfig struct {
	AllowPrivateFetch bool
	DropRoot          string
	MissedRuns        string
	Workers           int
	RescueAfter       time.Duration
	Tick              time.Duration
}

func (c *jobServeConfig) register(fs *flag.FlagSet) {
	d := jobs.DefaultConfig()
	workers, _ := strconv.Atoi(envOr("VITRINE_JOB_WORKERS", strconv.Itoa(d.Workers)))
	rescue, _ := time.ParseDuration(envOr("VITRINE_JOB_RESCUE_AFTER", d.RescueAfter.String()))
	tick, _ := time.ParseDuration(envOr("VITRINE_JOB_TICK", d.Tick.String()))
	fs.BoolVar(&c.AllowPrivateFetch, "allow-private-fetch", envOr("VITRINE_ALLOW_PRIVATE_FETCH", "") == "true",
		"let notifications and URL uploads reach loopback, private and link-local addresses [VITRINE_ALLOW_PRIVATE_FETCH]")
	fs.StringVar(&c.DropRoot, "drop-root", envOr("VITRINE_DROP_ROOT", ""), "directory of upload drop folders, DIR/<company>/… [VITRINE_DROP_ROOT]")
	fs.StringVar(&c.MissedRuns, "missed-runs", envOr("VITRINE_MISSED_RUNS", string(d.MissedRuns)),
		"scheduled runs missed while down: catch_up_once or skip [VITRINE_MISSED_RUNS]")
	fs.IntVar(&c.Workers, "job-workers", workers, "jobs run at once by this node [VITRINE_JOB_WORKERS]")
	fs.DurationVar(&c.RescueAfter, "job-rescue-after", rescue, "re-run a job whose node stopped answering after this long [VITRINE_JOB_RESCUE_AFTER]")
	fs.DurationVar(&c.Tick, "job-tick", tick, "how often due schedules are fired [VITRINE_JOB_TICK]")
}

// newEngine builds the job engine for serve: its jobs run svc's use cases.
func newEngine(ctx context.Context, c jobServeConfig, svc *service.Service, dialect sqlstore.Dialect, dsn string, log *slog.Logger) (*jobs.Engine, error) {
	cfg := jobs.DefaultConfig()
	cfg.Outbound.AllowPrivate = c.AllowPrivateFetch
	cfg.DropRoot = c.DropRoot
	cfg.MissedRuns = jobs.MissedPolicy(c.MissedRuns)
	cfg.Workers = c.Workers
	cfg.RescueAfter = c.RescueAfter
	cfg.Tick = c.Tick
	if dialect == sqlstore.Postgres {
		cfg.FetchPoll = time.Second // LISTEN/NOTIFY wakes workers; polling is the fallback
	}
	return jobs.New(ctx, cfg, svc, dsn, log)
}
