package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/vitrine/vitrine/internal/envflag"
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
	BatchSize         int
	RescueAfter       time.Duration
	Tick              time.Duration
}

func (c *jobServeConfig) register(s *envflag.Set) {
	d := jobs.DefaultConfig()
	c.MissedRuns, c.Workers, c.RescueAfter, c.Tick, c.BatchSize = string(d.MissedRuns), d.Workers, d.RescueAfter, d.Tick, d.BatchSize
	s.Group("Jobs")
	s.Int(&c.Workers, "job-workers", "VITRINE_JOB_WORKERS", "jobs run at once by this node", envflag.Min(1))
	s.Int(&c.BatchSize, "job-batch-size", "VITRINE_JOB_BATCH_SIZE",
		"assets a publish job moves per transaction; cancel stops between two", envflag.Min(1))
	s.Duration(&c.Tick, "job-tick", "VITRINE_JOB_TICK", "how often due schedules are fired", envflag.Min(time.Millisecond))
	s.Duration(&c.RescueAfter, "job-rescue-after", "VITRINE_JOB_RESCUE_AFTER", "re-run a job whose node stopped answering after this long",
		envflag.Min(time.Second))
	s.String(&c.MissedRuns, "missed-runs", "VITRINE_MISSED_RUNS", "scheduled runs missed while down: catch_up_once or skip",
		envflag.OneOf(string(jobs.MissedCatchUpOnce), string(jobs.MissedSkip)))
	s.String(&c.DropRoot, "drop-root", "VITRINE_DROP_ROOT", "directory of upload drop folders, DIR/<company>/…")
	s.Bool(&c.AllowPrivateFetch, "allow-private-fetch", "VITRINE_ALLOW_PRIVATE_FETCH",
		"let notifications and URL uploads reach loopback, private and link-local addresses")
}

// validate runs the engine's own checks on the configuration serve would
// start it with; the flags' checks have named the usual mistakes already.
func (c *jobServeConfig) validate(*envflag.Set) error {
	if err := c.config().Validate(); err != nil {
		return fmt.Errorf("job engine: %w", err)
	}
	return nil
}

// config is the engine configuration these flags make.
func (c *jobServeConfig) config() jobs.Config {
	cfg := jobs.DefaultConfig()
	cfg.Outbound.AllowPrivate = c.AllowPrivateFetch
	cfg.DropRoot = c.DropRoot
	cfg.MissedRuns = jobs.MissedPolicy(c.MissedRuns)
	cfg.Workers = c.Workers
	cfg.BatchSize = c.BatchSize
	cfg.RescueAfter = c.RescueAfter
	cfg.Tick = c.Tick
	return cfg
}

// newEngine builds the job engine for serve: its jobs run svc's use cases.
func newEngine(ctx context.Context, c jobServeConfig, svc *service.Service, dialect sqlstore.Dialect, dsn, node string, rep jobs.Reporter, log *slog.Logger) (*jobs.Engine, error) {
	cfg := c.config()
	cfg.Events, cfg.NodeID = rep, node
	if dialect == sqlstore.Postgres {
		cfg.FetchPoll = time.Second // LISTEN/NOTIFY wakes workers; polling is the fallback
	}
	return jobs.New(ctx, cfg, svc, dsn, log)
}
