package main

import (
	"log/slog"

	"github.com/vitrine/vitrine/internal/auth"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/service"
	"github.com/vitrine/vitrine/internal/sqlstore"
	"github.com/vitrine/vitrine/internal/ui"
)

// newWorkspace is the web workspace, served at / beside /api, /is and
// /preview. Its job pages call the engine's use cases, as the API does.
func newWorkspace(svc *service.Service, db *sqlstore.DB, eng *jobs.Engine, log *slog.Logger) (*ui.Server, error) {
	signIn, err := auth.New(auth.DefaultConfig(), db)
	if err != nil {
		return nil, err
	}
	return ui.New(svc, db, signIn, log, ui.WithJobs(eng))
}
